"""The build's Python step for the user's trade network: references that name no site or hub are rejects.

core.network_refs resolves every user route and hub link; a row whose site or hub is unknown cannot be
loaded, so it moves from its staging table to meta.rejects (file, line, column, reason, as any bad row), and
its file's counts in meta.files move with it: rows read = rows loaded + rows rejected still holds.
"""

from __future__ import annotations

import duckdb

_TABLES = {"route": "staging.trade_routes", "hub_link": "staging.trade_hub_links"}

_UNRESOLVED = """
select kind, _file, _line, reason, from_ref || ' -> ' || to_ref as raw
from core.network_refs where reason is not null order by _file, _line
"""


def reject_unresolved_network_rows(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """meta.rejects gains the user's routes and hub links that core.network_refs could not resolve (reads
    core.network_refs; writes meta.rejects, meta.files and the two staging tables)."""
    for kind, path, line, reason, raw in con.execute(_UNRESOLVED).fetchall():
        table = _TABLES[kind]
        column = reason.split(":", 1)[0]
        con.execute(
            "insert into meta.rejects values (?, ?, ?, ?, ?, ?, ?)",
            [ctx.build_id, path, table, line, column, reason, raw],
        )
        con.execute(f"delete from {table} where _file = ? and _line = ?", [path, line])
        con.execute(
            "update meta.files set rows_loaded = rows_loaded - 1, rows_rejected = rows_rejected + 1 "
            "where build_id = ? and path = ? and table_name = ?",
            [ctx.build_id, path, table],
        )
