"""Load one CSV file into a declared table: cast each column as schema.yml says, reject what does not fit.

Every row read ends up either in the target table or in meta.rejects with its line and reasons, so
rows read = rows loaded + rows rejected holds for every file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import Table
from ..sqlgen import Binds, quote_ident, validate_sql
from ..warehouse.meta import FileStats
from .errors import InputError


def _read_raw(con: duckdb.DuckDBPyConnection, path: Path, spec: Table) -> None:
    """All-VARCHAR copy of the file in a temp table, in file order; `_line` is the line in the file."""
    try:
        con.execute(
            "create or replace temp table _raw_csv as "
            "select * from read_csv($path, all_varchar = true, header = true, normalize_names = false)",
            {"path": str(path)},
        )
    except duckdb.Error as exc:
        raise InputError(f"{path}: cannot be read as CSV: {exc}") from exc
    present = [r[0] for r in con.execute("select column_name from (describe _raw_csv)").fetchall()]
    missing = [c.name for c in spec.columns if c.name not in present]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} required by {spec.name}; "
            f"the file has: {', '.join(present)}"
        )
    # rowid follows insertion order, which DuckDB keeps for a plain scan; +2 skips the header line.
    cols = ", ".join(quote_ident(c.name) for c in spec.columns)
    con.execute(f"create or replace temp table _raw_rows as select rowid + 2 as _line, {cols} from _raw_csv")


def load_csv(con: duckdb.DuckDBPyConnection, path: Path, spec: Table, build_id: int, fmt: str) -> FileStats:
    """Append the valid rows of `path` to table `spec.name` (created on first use) and reject the rest."""
    _read_raw(con, path, spec)
    binds = Binds()
    con.execute(
        f"create or replace temp table _checked as {validate_sql(spec, '_raw_rows', binds)}", binds.values
    )
    cols = ", ".join(quote_ident(c.name) for c in spec.columns)
    con.execute(
        f"create table if not exists {spec.name} as "
        f"select {cols}, ''::VARCHAR as _file, 0::BIGINT as _line from _checked limit 0"
    )
    con.execute(
        f"insert into {spec.name} select {cols}, $path, _line from _checked where len(_reasons) = 0",
        {"path": str(path)},
    )
    con.execute(
        "insert into meta.rejects select $build, $path, $table, _line, "
        "regexp_extract(_reasons[1], '^([^:]+):', 1), array_to_string(_reasons, '; '), _raw "
        "from _checked where len(_reasons) > 0",
        {"build": build_id, "path": str(path), "table": spec.name},
    )
    read, rejected = con.execute(
        "select count(*), count(*) filter (where len(_reasons) > 0) from _checked"
    ).fetchone()
    for tmp in ("_raw_csv", "_raw_rows", "_checked"):
        con.execute(f"drop table {tmp}")
    return FileStats(str(path), fmt, spec.name, read, read - rejected, rejected)
