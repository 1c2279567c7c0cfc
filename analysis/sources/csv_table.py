"""Load one delimited text file into a declared table: cast each column as the schema says, reject what
does not fit.

Every data row read ends up either in the target table or in meta.rejects with its line and reasons, so
rows read = rows loaded + rows rejected holds for every file. HXL hashtag rows (`#event+code`, …) under
the header are not data and are not counted.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import Table
from ..sqlgen import Binds, quote_ident, validate_sql
from ..warehouse.meta import FileStats
from .errors import InputError
from .text import prepare


def header_mapping(
    header: list[str], spec: Table, path: Path, allow_missing_optional: bool
) -> dict[str, str]:
    """Spec column → the file's header name for it (exact name or an alias, case-insensitive)."""
    by_lower = {h.lower(): h for h in header}
    mapping, missing = {}, []
    for col in spec.columns:
        found = next((by_lower[n.lower()] for n in (col.name, *col.aliases) if n.lower() in by_lower), None)
        if found is not None:
            mapping[col.name] = found
        elif col.required or not allow_missing_optional:
            missing.append(col.name)
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} required by {spec.name}; "
            f"the file has: {', '.join(header)}"
        )
    return mapping


def _read_raw(con: duckdb.DuckDBPyConnection, path: Path, spec: Table, allow_missing_optional: bool) -> None:
    """All-VARCHAR copy of the file in a temp table, in file order, with `_line` (header = line 1)."""
    text = prepare(path)
    try:
        mapping = header_mapping(text.header, spec, path, allow_missing_optional)
        try:
            con.execute(
                "create or replace temp table _raw_csv as select * from read_csv($path, all_varchar = true, "
                "header = true, delim = $delim, quote = '\"', normalize_names = false, null_padding = true)",
                {"path": str(text.path), "delim": text.delimiter},
            )
        except duckdb.Error as exc:
            raise InputError(f"{path}: cannot be read as a delimited file: {exc}") from exc
    finally:
        if text.path != Path(path):
            text.path.unlink(missing_ok=True)
    # read_csv may rename duplicate or blank headers; match on what it kept.
    present = {
        r[0].strip().lower(): r[0]
        for r in con.execute("select column_name from (describe _raw_csv)").fetchall()
    }
    cols = ", ".join(
        f"{quote_ident(present[mapping[c.name].lower()])} as {quote_ident(c.name)}"
        if c.name in mapping
        else f"null::VARCHAR as {quote_ident(c.name)}"
        for c in spec.columns
    )
    every = " and ".join(
        f"(nullif(trim({quote_ident(n)}), '') is null or starts_with(trim({quote_ident(n)}), '#'))"
        for n in present.values()
    )
    # rowid follows insertion order, which DuckDB keeps for a plain scan; +2 skips the header line.
    con.execute(
        f"create or replace temp table _raw_rows as select rowid + 2 as _line, {cols} from _raw_csv "
        f"where not ({every})"
    )


def load_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: Table,
    build_id: int,
    fmt: str,
    allow_missing_optional: bool = False,
) -> FileStats:
    """Append the valid rows of `path` to table `spec.name` (created on first use) and reject the rest."""
    _read_raw(con, path, spec, allow_missing_optional)
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
