"""UCDP Georeferenced Event Dataset (GED) as CSV: the yearly releases (e.g. ged231.csv, 49 columns) and the
candidate files in the same layout. Numeric columns are often written as decimals ("300380.0").

type_of_violence is mapped to ACLED's taxonomy by reference.ucdp_violence_types in core.event_records.
See docs/formats/ucdp.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..sqlgen import Binds
from ..warehouse.meta import FileStats
from . import event_checks
from .csv_table import load_csv
from .registry import Format
from .text import peek_header

TABLE = "staging.ucdp_ged_events"
FORMAT_NAME = "ucdp_ged"
IDENTIFYING = {"id", "type_of_violence", "side_a", "side_b", "where_prec", "date_start", "date_end", "best"}
PRIOGRID_DEGREES = 0.5  # PRIO-GRID cells: 720 columns from -180°, 360 rows from -90°, gid counted from 1


def _cell_contains(gid: str, lat: str, lon: str) -> str:
    """SQL: the point (lat, lon) lies in PRIO-GRID cell `gid`, borders included."""
    row = f"(({gid} - 1) // 720)"
    col = f"(({gid} - 1) % 720)"
    return (
        f"({lat} between {row} * {PRIOGRID_DEGREES} - 90 and ({row} + 1) * {PRIOGRID_DEGREES} - 90 "
        f"and {lon} between {col} * {PRIOGRID_DEGREES} - 180 and ({col} + 1) * {PRIOGRID_DEGREES} - 180)"
    )


def priogrid_rows_sql(binds: Binds) -> str:
    """Rows of the file bound as $path whose point is not in their priogrid_gid cell (swapped or not)."""
    swapped = binds(f"{event_checks.SWAPPED}: priogrid_gid ")
    elsewhere = binds("latitude/longitude: the point is not in its priogrid_gid cell ")
    return f"""
select
  _line, 'latitude' as column_name,
  case when {_cell_contains("priogrid_gid", "longitude", "latitude")}
    then {swapped} || priogrid_gid || ' is the cell of (' || longitude || ', ' || latitude || ')'
    else {elsewhere} || priogrid_gid || ': (' || latitude || ', ' || longitude || ')'
  end as reason
from {TABLE}
where _file = $path and priogrid_gid is not null
  and not {_cell_contains("priogrid_gid", "latitude", "longitude")}
"""


def _detect(path: Path) -> bool:
    return set(peek_header(path)) >= IDENTIFYING


def load_ucdp(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Stage one GED file; rows with an unknown country, an end before the start, or a point outside their
    PRIO-GRID cell (e.g. swapped coordinates) are rejected after the declared checks."""
    stats = load_csv(con, path, table(TABLE), build_id, FORMAT_NAME, allow_missing_optional=True)
    name = str(path)
    rejected = event_checks.fill_country_iso3(con, TABLE, name, build_id, {"name": "country"})
    binds = Binds()
    bad = [
        priogrid_rows_sql(binds),
        f"select _line, 'date_end' as column_name, {binds('date_end: before date_start, got ')} "
        f"|| date_end || ' < ' || date_start as reason from {TABLE} "
        "where _file = $path and date_end < date_start",
    ]
    rejected += event_checks.reject_rows(con, TABLE, name, build_id, " union all ".join(bad), binds.values)
    return event_checks.with_rejected(stats, rejected)


FORMAT = Format(
    name=FORMAT_NAME,
    title="UCDP Georeferenced Event Dataset (GED) CSV, yearly release or candidate file",
    tables=(TABLE,),
    columns=(
        "id, type_of_violence, side_a, side_b, where_prec, latitude, longitude, country, date_prec, "
        "date_start, date_end, best; used when present: low, high, adm_1, adm_2, where_description, "
        "priogrid_gid, source_headline, source_article"
    ),
    detect=_detect,
    load=lambda con, path, build_id: [load_ucdp(con, path, build_id)],
    priority=20,
    example="minrisk ingest GEDEvent_v24_1.csv",
)
