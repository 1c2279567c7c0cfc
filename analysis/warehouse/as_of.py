"""Marts at another date than the build's: recompute them on a scratch copy, leaving the warehouse as is."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

from .build import run_mart_tables


def build_as_of(con: duckdb.DuckDBPyConnection) -> date:
    row = con.execute(
        "select as_of from meta.builds where finished_at is not null order by build_id desc limit 1"
    ).fetchone()
    if row is None:
        raise LookupError("the warehouse has no finished build; run `minrisk build`")
    return row[0]


@contextmanager
def marts_as_of(db_path: Path, as_of: date | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose marts hold `as_of`'s values. The build's own date needs no copy."""
    from ..api import connect  # api imports the build, which imports this package: import late

    con = connect(db_path)
    if as_of is None or as_of == build_as_of(con):
        try:
            yield con
        finally:
            con.close()
        return
    con.close()
    with tempfile.TemporaryDirectory(prefix="minrisk-") as tmp:
        copy = Path(tmp) / "as_of.duckdb"
        shutil.copyfile(db_path, copy)
        con = duckdb.connect(str(copy))
        try:
            run_mart_tables(con, as_of)
            con.execute(
                "update meta.builds set as_of = ? where build_id = (select max(build_id) from meta.builds)",
                [as_of],
            )
            yield con
        finally:
            con.close()
