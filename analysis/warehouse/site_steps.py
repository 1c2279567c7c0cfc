"""The build's Python steps for mining sites: which records of different sources are the same site, and
which sites lie in a zone of armed-group influence."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from ..point_in_polygon import points_in_shape
from ..site_matching import MatchRule, resolve_tiers

# Every candidate site with its precedence: the curated sample (1) keeps its ids and names; IPIS's coded
# sites (2, pcode) come next, its uncoded extract (3) last. An IPIS site is where and what its latest visit
# says, as in core.sites.
_SITE_RECORDS = """
select site_id as id, name, lat, lon, 1 as tier from staging.sample_sites
union all
select
  ipis_site_id,
  arg_max(name, (visit_date, visit_id)),
  arg_max(lat, (visit_date, visit_id)),
  arg_max(lon, (visit_date, visit_id)),
  case any_value(source_format) when 'ipis' then 2 else 3 end
from core.site_visits
group by ipis_site_id
order by tier, id
"""


def core_site_matches(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """core.site_matches: for every IPIS site, the core.sites row it is (a sample site, or itself)."""
    records = con.sql(_SITE_RECORDS).df()
    tiers = [records[records["tier"] == tier].reset_index(drop=True) for tier in (1, 2, 3)]
    matches = resolve_tiers(tiers, MatchRule.from_params(ctx.params))
    con.register("_matches", matches)
    try:
        con.execute(
            """
            create or replace table core.site_matches as
            select
              record_id::VARCHAR as ipis_site_id,
              site_id::VARCHAR as site_id,
              match_rule::VARCHAR as match_rule,
              distance_km::DOUBLE as distance_km,
              name_score::DOUBLE as name_score,
              record_name::VARCHAR as ipis_name,
              site_name::VARCHAR as site_name
            from _matches
            order by ipis_site_id
            """
        )
    finally:
        con.unregister("_matches")


def core_site_zones(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """core.site_zones: every site (sample site or IPIS site) inside a zone of armed-group influence."""
    sites = con.sql(_SITE_RECORDS).df()
    zones = con.sql(
        "select armed_group, reported, geometry, _file || ' feature ' || _line as zone_ref "
        "from staging.ipis_armed_group_zones"
    ).df()
    found = []
    for zone in zones.itertuples(index=False):
        inside = points_in_shape(sites["lat"].to_numpy(), sites["lon"].to_numpy(), json.loads(zone.geometry))
        found.append(
            sites.loc[inside, ["id"]].assign(
                armed_group=zone.armed_group, reported=zone.reported, zone_ref=zone.zone_ref
            )
        )
    columns = ["id", "armed_group", "reported", "zone_ref"]
    result = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)
    con.register("_zones", result)
    try:
        con.execute(
            """
            create or replace table core.site_zones as
            select
              id::VARCHAR as site_id,
              armed_group::VARCHAR as armed_group,
              reported::DATE as reported,
              zone_ref::VARCHAR as zone_ref
            from _zones
            order by site_id, armed_group, zone_ref
            """
        )
    finally:
        con.unregister("_zones")
