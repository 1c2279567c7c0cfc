"""ACLED event exports (CSV): the current 31-column export, HDX copies with their HXL tag row, and exports
made before 2019 (old event types, no sub_event_type, dates like "24 November 2018").

Every version of an event is staged; core.event_records keeps the newest (`timestamp`) per event_id_cnty
and maps old event types to today's with reference.acled_legacy_event_types. See docs/formats/acled.md.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..sqlgen import Binds
from ..warehouse.meta import FileStats
from . import event_checks
from .csv_table import load_csv
from .errors import InputError
from .registry import Format
from .text import peek_header

TABLE = "staging.acled_events"
FORMAT_NAME = "acled"
IDENTIFYING = {"event_id_cnty", "event_date", "event_type", "latitude", "longitude"}
COUNTRY_COLUMNS = {"iso3": "iso3", "iso": "iso", "name": "country"}


def _detect(path: Path) -> bool:
    return set(peek_header(path)) >= IDENTIFYING


def load_acled(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Stage one ACLED export; rows with an unknown or contradictory country or swapped coordinates are
    rejected after the declared checks (docs/formats/acled.md)."""
    header = set(peek_header(path))
    if not header & set(COUNTRY_COLUMNS.values()):
        raise InputError(f"{path}: no country column (country, iso or iso3); an ACLED export has all three")
    stats = load_csv(con, path, table(TABLE), build_id, FORMAT_NAME, allow_missing_optional=True)
    name = str(path)
    present = {k: c for k, c in COUNTRY_COLUMNS.items() if c in header}
    rejected = event_checks.fill_country_iso3(con, TABLE, name, build_id, present)
    binds = Binds()
    swapped = event_checks.swapped_rows_sql(TABLE, "latitude", "longitude", binds)
    rejected += event_checks.reject_rows(con, TABLE, name, build_id, swapped, binds.values)
    return event_checks.with_rejected(stats, rejected)


FORMAT = Format(
    name=FORMAT_NAME,
    title="ACLED event export (CSV; current 31 columns, HDX copy with HXL row, or pre-2019 export)",
    tables=(TABLE,),
    columns=(
        "event_id_cnty, event_date, event_type, latitude, longitude, country or iso or iso3; "
        "used when present: sub_event_type, actor1, actor2, interaction, admin1-2, location, geo_precision, "
        "time_precision, fatalities, notes, source, timestamp"
    ),
    detect=_detect,
    load=lambda con, path, build_id: [load_acled(con, path, build_id)],
    priority=20,
    example="minrisk ingest 2024-01-01-2025-03-31-Democratic_Republic_of_Congo.csv",
)
