"""The user's own trade network as CSV files with the bundled sample's columns: hubs, routes (mine site →
first hub) and hub links (hub → hub) (docs/formats/trade_network.md). One format each, made here; the
modules trade_hubs.py, trade_routes.py and trade_hub_links.py declare them.

Rows are checked as any CSV (types, ranges, accepted values); ids that name no site or hub are rejected
when core is built (analysis/warehouse/network_steps.py), with the file and line, like any bad row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..warehouse.meta import FileStats
from .csv_table import load_csv
from .registry import Format
from .text import peek_header


def csv_format(name: str, title: str, detect_columns: set[str], columns: str, example: str) -> Format:
    """A Format for one CSV filling staging.<name>; detected when the header names `detect_columns`."""
    spec_name = f"staging.{name}"

    def load(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> list[FileStats]:
        return [load_csv(con, path, table(spec_name), build_id, name, allow_missing_optional=True)]

    def detect(path: Path) -> bool:
        if Path(path).suffix.lower() not in (".csv", ".tsv", ".txt"):
            return False
        return {h.strip() for h in peek_header(path)} >= detect_columns

    return Format(
        name=name,
        title=title,
        tables=(spec_name,),
        columns=columns,
        detect=detect,
        load=load,
        priority=40,
        example=example,
    )
