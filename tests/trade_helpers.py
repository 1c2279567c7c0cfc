"""Helpers for the trade and production adapters' tests (USGS, Comtrade, BACI): a bare connection with the
reference tables, and builds of the bundled sample plus input files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from analysis.schema import table
from analysis.sources.csv_table import load_csv
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REFERENCE = HERE.parent / "datasets" / "reference"


def bare_con() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with meta and the reference tables the trade adapters read at load time."""
    con = duckdb.connect()
    meta.create(con)
    for name in ("reference.metal_content", "reference.trade_country_codes", "reference.commodity_metals"):
        spec = table(name)
        load_csv(con, REFERENCE / spec.files[0], spec, 1, "reference_csv")
    return con


def rejects(con: duckdb.DuckDBPyConnection, path: Path) -> dict[int, str]:
    """Line → reason of the rejected rows of one file."""
    return dict(
        con.execute(
            "select line, reason from meta.rejects where path = ? order by line", [str(path)]
        ).fetchall()
    )


def build_with(
    db: Path, files: list[tuple[Path, str]], as_of: date | None = None
) -> duckdb.DuckDBPyConnection:
    """Build the bundled sample plus `files` ((path, format) pairs); a read-only connection to the result."""
    inputs = [Input(Path(p).resolve(), fmt, meta.sha256_of(Path(p))) for p, fmt in files]
    build(db, as_of=as_of, inputs=inputs)
    return duckdb.connect(str(db), read_only=True)
