"""What-if scenarios: how buyers' exposure would change if places went offline or were captured.

Computed on a scratch copy of the warehouse (as analysis/warehouse/as_of.py does for other dates): the
user's warehouse is never changed. Offline: the place's output and its routes are set to zero (a site's
output_t_per_year becomes 0 and its routes go; a hub loses every route and hub link through it). Captured:
a synthetic takeover ('gain') event by an unnamed armed group at the place on the as-of date, source
'whatif', flagged synthetic and linked to the place at distance 0.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from ..warehouse.as_of import build_as_of

_EXPOSURE = "select buyer_id, metal, exposure from marts.buyer_exposure_at(null, ?::DATE)"

_PLACES = """
select place_id, place_kind, name, country_iso3, lat, lon from core.places
where lower(place_id) = lower(?) or name ilike '%' || ? || '%'
order by place_id
"""

_GAIN = """
select event_type, sub_event_type from reference.event_type_weights
where control_effect = 'gain'
order by event_type = 'Strategic developments' desc, event_type  -- a takeover without recorded fighting
limit 1
"""


def resolve_places(con: duckdb.DuckDBPyConnection, place: str) -> list[tuple]:
    """Places whose id is `place` or whose name contains it (case-insensitive); an error if none."""
    rows = con.execute(_PLACES, [place, place]).fetchall()
    if not rows:
        raise ValueError(f"no site or hub matches {place!r} (give a place id or part of its name)")
    return rows


def take_offline(con: duckdb.DuckDBPyConnection, place_ids: list[str]) -> None:
    con.execute("update core.sites set output_t_per_year = 0 where list_contains(?, site_id)", [place_ids])
    con.execute(
        "delete from core.routes where list_contains(?, site_id) or list_contains(?, hub_id)",
        [place_ids, place_ids],
    )
    con.execute(
        "delete from core.hub_links where list_contains(?, from_hub_id) or list_contains(?, to_hub_id)",
        [place_ids, place_ids],
    )


def capture(con: duckdb.DuckDBPyConnection, places: list[tuple], as_of: date) -> None:
    event_type, sub_event_type = con.execute(_GAIN).fetchall()[0]
    for place_id, place_kind, name, country, lat, lon in places:
        event_id = f"whatif:{place_id}"
        con.execute(
            "insert into core.events by name select ? as event_id, 'whatif' as source, ? as source_event_id, "
            "?::DATE as event_date, 1 as date_precision, ? as event_type, ? as sub_event_type, "
            "'What-if: armed group' as actor1, false as fatalities_approx, ? as country_iso3, ? as location, "
            "? as lat, ? as lon, 1 as geo_precision, 'acled' as precision_family, "
            "'what-if scenario: the place is captured on the as-of date' as notes, "
            "'minrisk whatif' as source_ref, true as is_synthetic, ?::DATE as date_end",
            [event_id, place_id, as_of, event_type, sub_event_type, country, name, lat, lon, as_of],
        )
        con.execute("insert into core.event_links values (?, ?, ?, 0.0)", [event_id, place_id, place_kind])


def whatif(
    db_path: Path | str,
    offline: Sequence[str] = (),
    captured: Sequence[str] = (),
    as_of: date | None = None,
) -> pl.DataFrame:
    """Each buyer's exposure per metal before and after the scenario: buyer, metal, exposure_before,
    exposure_after, change. Places are ids or parts of names; every match is affected."""
    if not offline and not captured:
        raise ValueError("give at least one place to take offline or to capture")
    with tempfile.TemporaryDirectory(prefix="minrisk-whatif-") as tmp:
        copy = Path(tmp) / "whatif.duckdb"
        shutil.copyfile(db_path, copy)
        con = duckdb.connect(str(copy))
        try:
            as_of = as_of or build_as_of(con)
            before = pl.from_pandas(con.execute(_EXPOSURE, [as_of]).df())
            gone = [p for name in offline for p in resolve_places(con, name)]
            taken = [p for name in captured for p in resolve_places(con, name)]
            take_offline(con, [p[0] for p in gone])
            if taken:
                capture(con, taken, as_of)
            after = pl.from_pandas(con.execute(_EXPOSURE, [as_of]).df())
        finally:
            con.close()
    out = before.join(after, on=["buyer_id", "metal"], how="full", coalesce=True, suffix="_after")
    return (
        out.rename({"buyer_id": "buyer", "exposure": "exposure_before"})
        .with_columns((pl.col("exposure_after") - pl.col("exposure_before")).alias("change"))
        .select("buyer", "metal", "exposure_before", "exposure_after", "change")
        .sort("buyer", "metal")
    )
