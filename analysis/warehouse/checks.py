"""Run the checks declared in schema/*.yml against a built warehouse (dbt-style data tests)."""

from __future__ import annotations

import duckdb

from ..schema import Table, tables
from ..sqlgen import Binds, quote_ident


def _failing_rows_sql(spec: Table, column: str, check, binds: Binds) -> tuple[str, str]:
    """(description, SQL counting the rows that break the check)."""
    col = quote_ident(column)
    if check == "not_null":
        return "not_null", f"select count(*) from {spec.name} where {col} is null"
    if check == "unique":
        return "unique", (
            f"select count(*) from (select {col} from {spec.name} where {col} is not null "
            f"group by {col} having count(*) > 1)"
        )
    kind, arg = next(iter(check.items()))
    if kind == "accepted_values":
        return f"accepted_values {arg}", (
            f"select count(*) from {spec.name} where {col} is not null "
            f"and not list_contains({binds(list(arg))}, {col}::VARCHAR)"
        )
    if kind == "range":
        lo, hi = arg
        cast = "DATE" if isinstance(lo, str) else "DOUBLE"
        return f"range {arg}", (
            f"select count(*) from {spec.name} where {col} is not null "
            f"and {col}::{cast} not between {binds(lo)}::{cast} and {binds(hi)}::{cast}"
        )
    if kind == "relationships":
        target_table, target_col = arg.rsplit(".", 1)
        return f"relationships {arg}", (
            f"select count(*) from {spec.name} where {col} is not null and {col} not in "
            f"(select {quote_ident(target_col)} from {target_table})"
        )
    raise ValueError(f"{spec.name}.{column}: unknown check {check!r}")


def undeclared(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tables and columns in the warehouse that schema/*.yml does not describe, and the reverse."""
    declared = tables()
    problems = []
    actual = con.execute(
        "select schema_name || '.' || table_name, list(column_name order by column_index) "
        "from duckdb_columns() where database_name = current_database() and not internal "
        "group by all"
    ).fetchall()
    for name, columns in actual:
        spec = declared.get(name)
        if spec is None:
            problems.append(f"{name}: table has no entry in schema/*.yml")
            continue
        wanted = [c.name for c in spec.columns]
        got = [c for c in columns if c not in ("_file", "_line")]
        if got != wanted:
            problems.append(f"{name}: columns {got} differ from schema/*.yml {wanted}")
    return problems


def failures(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every declared check that does not hold, as 'table.column: check (n rows)'."""
    present = {
        r[0]
        for r in con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where database_name = current_database()"
        ).fetchall()
    }
    out = []
    for spec in tables().values():
        if spec.name not in present:
            continue
        for column in spec.columns:
            for check in column.checks:
                binds = Binds()
                label, sql = _failing_rows_sql(spec, column.name, check, binds)
                n = con.execute(sql, binds.values).fetchone()[0]
                if n:
                    out.append(f"{spec.name}.{column.name}: {label} fails for {n} rows")
    return out
