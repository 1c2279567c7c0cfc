"""Load one delimited text file into a declared table: cast each column as the schema says, reject what
does not fit.

Every data row read ends up either in the target table or in meta.rejects with its line and reasons, so
rows read = rows loaded + rows rejected holds for every file. HXL hashtag rows (`#event+code`, …) under
the header are not data and are not counted.
"""

from __future__ import annotations

from collections.abc import Callable
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
        read = (
            "create or replace temp table _raw_csv as select * from read_csv($path, all_varchar = true, "
            "header = true, delim = $delim, quote = '\"', normalize_names = false, null_padding = true, "
            "parallel = $parallel)"
        )
        binds = {"path": str(text.path), "delim": text.delimiter, "parallel": True}
        try:
            try:
                con.execute(read, binds)
            except duckdb.Error as exc:
                if "parallel=false" not in str(exc):
                    raise
                # DuckDB's parallel reader cannot pad short rows when quoted fields hold line breaks (UCDP
                # GED's source_article, ACLED's notes): read such a file on one thread.
                con.execute(read, {**binds, "parallel": False})
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


# Row checks a format adds to its declared ones: SQL expressions over the typed columns that give a reason
# ('column: why') or NULL, built with the Binds they get so that values stay bound parameters.
ExtraReasons = Callable[[Binds], list[str]]


def create_staging(con: duckdb.DuckDBPyConnection, spec: Table) -> list[str]:
    """Create `spec`'s staging table (its declared columns, then _file and _line) if it does not exist yet;
    return the declared column names."""
    cols = ", ".join(f"{quote_ident(c.name)} {c.type}" for c in spec.columns)
    con.execute(f"create table if not exists {spec.name} ({cols}, _file VARCHAR, _line BIGINT)")
    return [c.name for c in spec.columns]


def append_staging(
    con: duckdb.DuckDBPyConnection, spec: Table, path: Path | str, rows: list[dict], line_key: str = "_line"
) -> None:
    """Append rows read by Python (dicts keyed by column name, the source line under `line_key`) to
    `spec`'s staging table, creating it on first use."""
    names = create_staging(con, spec)
    if rows:
        con.executemany(
            f"insert into {spec.name} values ({', '.join('?' * (len(names) + 2))})",
            [[r.get(n) for n in names] + [str(path), r[line_key]] for r in rows],
        )


def load_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: Table,
    build_id: int,
    fmt: str,
    allow_missing_optional: bool = False,
    extra_reasons: ExtraReasons | None = None,
) -> FileStats:
    """Append the valid rows of `path` to table `spec.name` (created on first use) and reject the rest."""
    _read_raw(con, path, spec, allow_missing_optional)
    con.execute("drop table _raw_csv")
    return load_raw_rows(con, "_raw_rows", path, spec, build_id, fmt, extra_reasons)


def load_raw_rows(
    con: duckdb.DuckDBPyConnection,
    raw_table: str,
    path: Path,
    spec: Table,
    build_id: int,
    fmt: str,
    extra_reasons: ExtraReasons | None = None,
) -> FileStats:
    """Validate the all-VARCHAR rows of temp table `raw_table` (the spec's columns and `_line`), append the
    valid ones to `spec.name` and reject the rest into meta.rejects; `raw_table` is dropped afterwards."""
    binds = Binds()
    checked = validate_sql(spec, raw_table, binds)
    if extra_reasons is not None:
        extra = ", ".join(extra_reasons(binds)) or "null"
        checked = (
            "select * replace (list_concat(_reasons, "
            f"list_filter([{extra}]::VARCHAR[], lambda r: r is not null)) as _reasons) from ({checked})"
        )
    con.execute(f"create or replace temp table _checked as {checked}", binds.values)
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
    for tmp in (raw_table, "_checked"):
        con.execute(f"drop table {tmp}")
    return FileStats(str(path), fmt, spec.name, read, read - rejected, rejected)
