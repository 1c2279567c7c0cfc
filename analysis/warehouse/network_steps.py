"""The build's Python step for the user's trade network: references that name no site or hub are rejects.

core.network_refs resolves every user route and hub link; a row whose site or hub is unknown cannot be
loaded, so it moves from its staging table to meta.rejects (file, line, column, reason, as any bad row), and
its file's counts in meta.files move with it: rows read = rows loaded + rows rejected still holds.
"""

from __future__ import annotations

import duckdb

_TABLES = {"route": "staging.trade_routes", "hub_link": "staging.trade_hub_links"}

_BAD = (
    "select _file, _line, reason, from_ref, to_ref from core.network_refs "
    "where kind = $kind and reason is not null"
)


def reject_unresolved_network_rows(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """meta.rejects gains the user's routes and hub links that core.network_refs could not resolve (reads
    core.network_refs; writes meta.rejects, meta.files and the two staging tables)."""
    for kind, table in _TABLES.items():
        binds = {"build": ctx.build_id, "table": table, "kind": kind}
        con.execute(
            "insert into meta.rejects select $build, _file, $table, _line, split_part(reason, ':', 1), "
            f"reason, from_ref || ' -> ' || to_ref from ({_BAD}) order by _file, _line",
            binds,
        )
        con.execute(
            "update meta.files as f "
            "set rows_loaded = f.rows_loaded - b.n, rows_rejected = f.rows_rejected + b.n "
            f"from (select _file, count(*) as n from ({_BAD}) group by _file) as b "
            "where f.build_id = $build and f.path = b._file and f.table_name = $table",
            binds,
        )
        con.execute(
            f"delete from {table} where (_file, _line) in (select _file, _line from ({_BAD}))", {"kind": kind}
        )
