"""Row checks shared by the conflict-event adapters (ACLED, UCDP) that the declared column checks cannot do:
the country as an ISO3 code, and coordinates that look swapped. They run on the rows a file just loaded
into its staging table and move the rows that fail to meta.rejects, with the reason, so that rows read =
rows loaded + rows rejected still holds.
"""

from __future__ import annotations

import dataclasses
import logging
from functools import cache

import country_converter as coco
import duckdb

from .. import countries
from ..sqlgen import Binds, great_circle_distance_km_sql
from ..warehouse.meta import FileStats

# Swapped coordinates without shipping country borders: a point whose swap (lon, lat) lies much closer to
# the median point of the same file's events in the same country than the point itself. A correct point can
# only be this far from its country's median in a very large country, and then its swap is far away too.
SWAP_MIN_ROWS = 5  # the median needs a few rows of the country in the file to mean anything
SWAP_FAR_KM = 1000.0  # the point is at least this far from the country's median ...
SWAP_RATIO = 4.0  # ... and its swap at least this many times closer

SWAPPED = "latitude/longitude look swapped"


@cache
def _converter() -> coco.CountryConverter:
    logging.getLogger("country_converter").setLevel(logging.ERROR)  # misses are reported as rejects
    return coco.CountryConverter()


@cache
def known_iso3() -> frozenset[str]:
    """Every ISO3 code country_converter knows (it hands unknown names back unchanged)."""
    return frozenset(_converter().data["ISO3"].dropna())


@cache
def _numeric_iso3(code: int) -> str | None:
    found = _converter().convert(str(code), src="ISOnumeric", to="ISO3", not_found="-")
    return found if isinstance(found, str) and found in known_iso3() else None


def resolve_country(iso3: str | None, iso: int | None, name: str | None) -> tuple[str | None, str | None]:
    """(ISO3, None) when the codes and the name given resolve to one country, else (None, reason).

    A code or name that resolves to nothing is ignored when another one resolves (ACLED writes iso 0 for
    Kosovo); codes that resolve to different countries are a contradiction, never a guess.
    """
    found = []
    if iso3 and iso3.strip().upper() in known_iso3():
        found.append((f"iso3 {iso3.strip()!r}", iso3.strip().upper()))
    if iso is not None and (code := _numeric_iso3(iso)):
        found.append((f"iso {iso}", code))
    if name and (code := countries.to_iso3(name)) and code in known_iso3():
        found.append((f"country {name.strip()!r}", code))
    codes = {code for _, code in found}
    if len(codes) == 1:
        return codes.pop(), None
    if codes:
        said = ", ".join(f"{what} is {code}" for what, code in found)
        return None, f"country: {said}; they must name the same country"
    given = ", ".join(
        f"{what} {value!r}" for what, value in (("country", name), ("iso", iso), ("iso3", iso3)) if value
    )
    return None, f"country: unknown country ({given or 'none given'})"


_CASTS = {"iso3": "VARCHAR", "iso": "BIGINT", "name": "VARCHAR"}


def fill_country_iso3(
    con: duckdb.DuckDBPyConnection, table: str, path: str, build_id: int, columns: dict[str, str]
) -> int:
    """Set country_iso3 on the rows of `path` in `table`; reject the rows that get none; return how many.

    `columns` maps 'iso3', 'iso' (numeric) and 'name' to the table's columns, for those the format has.
    """
    keys = list(columns)
    picked = ", ".join(f"{columns[k]}::{_CASTS[k]}" for k in keys)
    rows = []
    for combo in con.execute(f"select distinct {picked} from {table} where _file = ?", [path]).fetchall():
        given = dict(zip(keys, combo, strict=True))
        found = resolve_country(given.get("iso3"), given.get("iso"), given.get("name"))
        rows.append((given.get("iso3"), given.get("iso"), given.get("name"), *found))
    con.execute(
        "create or replace temp table _event_country_codes "
        "(iso3 VARCHAR, iso BIGINT, name VARCHAR, code VARCHAR, reason VARCHAR)"
    )
    if rows:
        con.executemany("insert into _event_country_codes values (?, ?, ?, ?, ?)", rows)
    match = " and ".join(f"t.{columns[k]}::{_CASTS[k]} is not distinct from m.{k}" for k in keys)
    con.execute(
        f"update {table} as t set country_iso3 = m.code from _event_country_codes as m "
        f"where t._file = $path and {match}",
        {"path": path},
    )
    unknown = (
        f"select t._line, 'country' as column_name, m.reason from {table} as t "
        f"join _event_country_codes as m on {match} where t._file = $path and m.code is null"
    )
    rejected = reject_rows(con, table, path, build_id, unknown, {})
    con.execute("drop table _event_country_codes")
    return rejected


def swapped_rows_sql(table: str, lat: str, lon: str, binds: Binds) -> str:
    """Rows of the file bound as $path whose coordinates look swapped (see SWAP_* above)."""
    d_point = great_circle_distance_km_sql("r.lat", "r.lon", "c.c_lat", "c.c_lon")
    d_swapped = great_circle_distance_km_sql("r.lon", "r.lat", "c.c_lat", "c.c_lon")
    return f"""
with points as (
  select _line, country_iso3, {lat} as lat, {lon} as lon from {table} where _file = $path
),
centres as (
  select country_iso3, median(lat) as c_lat, median(lon) as c_lon, count(*) as n
  from points group by country_iso3 having count(*) >= {binds(SWAP_MIN_ROWS)}
),
distances as (
  select r.*, c.n, {d_point} as d_point, {d_swapped} as d_swapped
  from points as r join centres as c on c.country_iso3 = r.country_iso3
  where abs(r.lon) <= 90  -- the swapped latitude must exist
)
select
  _line, 'latitude' as column_name,
  {binds(SWAPPED + ": ")} || '(' || lat || ', ' || lon || ') is ' || round(d_point)::BIGINT
    || ' km from the median of the file''s ' || n || ' events in ' || country_iso3 || ', ('
    || lon || ', ' || lat || ') ' || round(d_swapped)::BIGINT || ' km' as reason
from distances
where d_point > {binds(SWAP_FAR_KM)} and d_swapped * {binds(SWAP_RATIO)} < d_point
"""


def reject_rows(
    con: duckdb.DuckDBPyConnection, table: str, path: str, build_id: int, bad_sql: str, params: dict
) -> int:
    """Move the rows of `path` that `bad_sql` selects (_line, column_name, reason) to meta.rejects."""
    con.execute(
        "create or replace temp table _bad_rows as select _line, min(column_name) as column_name, "
        f"string_agg(reason, '; ' order by reason) as reason from ({bad_sql}) group by _line",
        {**params, "path": path},
    )
    con.execute(
        "insert into meta.rejects select $build, $path, $table, b._line, b.column_name, b.reason, to_json(t) "
        f"from {table} as t join _bad_rows as b on b._line = t._line where t._file = $path order by b._line",
        {"build": build_id, "path": path, "table": table},
    )
    con.execute(
        f"delete from {table} where _file = $path and _line in (select _line from _bad_rows)", {"path": path}
    )
    n = con.execute("select count(*) from _bad_rows").fetchone()[0]
    con.execute("drop table _bad_rows")
    return n


def with_rejected(stats: FileStats, n: int) -> FileStats:
    """The file's counts after `n` more of its loaded rows were rejected."""
    return dataclasses.replace(
        stats, rows_loaded=stats.rows_loaded - n, rows_rejected=stats.rows_rejected + n
    )
