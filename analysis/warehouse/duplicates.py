"""core.event_duplicates: records of one incident in several sources (e.g. ACLED and UCDP, or a curated
event and ACLED). Candidates come from SQL (same day or overlapping dates, within dedup.radius_km); the
actor comparison and the choice of primaries are pure Python (analysis/event_matching.py)."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..event_matching import DUPLICATE_COLUMNS, actor_match, actors, choose_primaries
from ..sqlgen import KM_PER_DEGREE_LAT
from .loaders import BuildContext


def candidate_pairs_sql() -> str:
    """Cross-source pairs of core.event_records of one event-type family, no more than $max_day_gap days
    apart and within $radius_km.

    Grid-bucket join as in links/event_links.sql, with each record also replicated over the days it spans
    (records spanning more than $max_span_days are too vague to be one incident and are left out), so the
    hash join is on (day, cell) and only pairs of the same days and neighbouring cells are compared.
    """
    return f"""
with events as (  -- sources without a priority (synthetic) and types without a family are never matched
  select
    e.event_id, e.source, p.priority, f.family, e.event_date, e.date_end, e.lat, e.lon, e.actor1, e.actor2
  from core.event_records as e
  join reference.event_source_priority as p on p.source = e.source
  join reference.event_type_families as f on f.event_type = e.event_type
  where e.date_end - e.event_date <= $max_span_days
),

grid as (
  select
    $radius_km / {KM_PER_DEGREE_LAT} as dlat,  -- km → degrees of latitude
    $radius_km / ({KM_PER_DEGREE_LAT} * cos(radians(least(
      (select max(abs(lat)) from events) + $radius_km / {KM_PER_DEGREE_LAT}, 89.0)))) as dlon
),

cells as (
  select e.*, floor(e.lat / g.dlat)::BIGINT as cy, floor(e.lon / g.dlon)::BIGINT as cx
  from events as e, grid as g
),

preferred_days as (
  select
    event_id, priority, family, cy, cx, event_date + unnest(range(date_end - event_date + 1))::INTEGER as day
  from cells
),

other_days as (  -- widened by the allowed gap, and into the 3×3 neighbouring cells
  select
    event_id, priority, family, cy + dy as cy, cx + dx as cx,
    event_date - $max_day_gap + unnest(range(date_end - event_date + 1 + 2 * $max_day_gap))::INTEGER as day
  from cells, range(-1, 2) as r1(dy), range(-1, 2) as r2(dx)
),

pairs as (
  select distinct a.event_id as event_id_a, b.event_id as event_id_b
  from preferred_days as a
  join other_days as b on b.day = a.day and b.cy = a.cy and b.cx = a.cx and b.family = a.family
  where a.priority < b.priority
),

final as (
  select
    p.event_id_a, p.event_id_b, a.source as source_a, b.source as source_b,
    a.priority as priority_a, b.priority as priority_b,
    core.haversine_km(a.lat, a.lon, b.lat, b.lon) as distance_km,
    greatest(0, a.event_date - b.date_end, b.event_date - a.date_end)::INTEGER as day_gap,
    a.actor1 as actor1_a, a.actor2 as actor2_a, b.actor1 as actor1_b, b.actor2 as actor2_b
  from pairs as p
  join events as a on a.event_id = p.event_id_a
  join events as b on b.event_id = p.event_id_b
  where core.haversine_km(a.lat, a.lon, b.lat, b.lon) <= $radius_km
)

select * from final order by event_id_a, event_id_b
"""


def compatible_pairs(candidates: pd.DataFrame, min_score: float) -> pd.DataFrame:
    """The candidate pairs whose actors are compatible, with actor_score and actor_rule."""
    matches = [
        actor_match(actors(r.actor1_a, r.actor2_a), actors(r.actor1_b, r.actor2_b), min_score)
        for r in candidates.itertuples(index=False)
    ]
    out = candidates.assign(
        actor_score=[score for score, _ in matches], actor_rule=[rule for _, rule in matches]
    )
    return out[out["actor_rule"].notna()]


def core_event_duplicates(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Create core.event_duplicates from core.event_records and the [dedup] parameters."""
    p = ctx.params
    binds = {
        "radius_km": float(p["dedup.radius_km"]),
        "max_day_gap": int(p["dedup.max_day_gap"]),
        "max_span_days": int(p["dedup.max_span_days"]),
    }
    if binds["radius_km"] <= 0:  # matching switched off: the grid needs a positive cell size
        candidates = pd.DataFrame(columns=["actor1_a", "actor2_a", "actor1_b", "actor2_b"])
    else:
        candidates = con.execute(candidate_pairs_sql(), binds).df()
    found = choose_primaries(compatible_pairs(candidates, float(p["dedup.actor_min_score"])))
    con.register("_duplicates", found.reindex(columns=DUPLICATE_COLUMNS))
    con.execute(
        """
        create or replace table core.event_duplicates as
        select
          event_id::VARCHAR as event_id, duplicate_of::VARCHAR as duplicate_of,
          matched_event_id::VARCHAR as matched_event_id, source::VARCHAR as source,
          matched_source::VARCHAR as matched_source, distance_km::DOUBLE as distance_km,
          day_gap::INTEGER as day_gap, actor_score::DOUBLE as actor_score, actor_rule::VARCHAR as actor_rule
        from _duplicates
        order by event_id
        """
    )
    con.unregister("_duplicates")
