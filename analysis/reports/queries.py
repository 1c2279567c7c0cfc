"""SQL text for the reports: plain SELECTs on the `marts` and `meta` schemas, values bound as `?` parameters.

Reports never read `core` or `staging`: the marts are the contract between the warehouse and the reports.
Every query that takes a date binds `as_of` first.
"""

from __future__ import annotations


def latest_build() -> str:
    return """
        select build_id, started_at, finished_at, as_of, minrisk_version, parameters
        from meta.builds
        order by finished_at desc nulls last, build_id desc
        limit 1
    """


def build_files() -> str:
    """Files ingested by one build (bind: build_id)."""
    return """
        select table_name as name, format, path, sha256, rows_read, rows_loaded, rows_rejected,
               min_date, max_date
        from meta.files
        where build_id = ?
        order by table_name, path
    """


def scored_dates() -> str:
    return "select distinct as_of from marts.place_risk order by as_of desc"


def place_risk() -> str:
    """All scored sites and hubs (bind: as_of), riskiest first."""
    return """
        select place_id, place_kind, name, kind, country_iso3, lat, lon, minerals, score, tier,
               intensity, intensity_points, control_points, presence_points, controlled_by, control_since,
               armed_presence, n_events, fatalities, synthetic_share, top_event_id
        from marts.place_risk
        where as_of = ?
        order by score desc, name, place_id
    """


def recent_events() -> str:
    """Events of the year before as_of (bind: as_of)."""
    return """
        select event_id, event_date, event_type, sub_event_type, actor1, actor2, fatalities, location,
               country_iso3, lat, lon, geo_precision, notes, source, source_ref, nearest_place_id,
               nearest_place_name, nearest_distance_km
        from marts.recent_events
        where as_of = ?
        order by event_date, event_id
    """


def hub_timeline() -> str:
    """Events near the main hubs over the two years before as_of (bind: as_of)."""
    return """
        select hub_id, hub_name, event_id, event_date, event_type, sub_event_type, fatalities, distance_km,
               source, notes
        from marts.hub_timeline
        where as_of = ?
        order by hub_name, event_date, event_id
    """


def synthetic_event_count() -> str:
    """Distinct synthetic events among those the report shows (bind: as_of, as_of)."""
    return """
        select count(distinct event_id) as n
        from (
            select event_id from marts.recent_events where as_of = ? and source = 'synthetic'
            union all
            select event_id from marts.hub_timeline where as_of = ? and source = 'synthetic'
        )
    """


def buyers() -> str:
    """Buyers with an exposure row on as_of (bind: as_of)."""
    return """
        select distinct buyer_id, buyer_name
        from marts.buyer_exposure
        where as_of = ?
        order by buyer_id
    """


def buyer_exposure() -> str:
    """One buyer's exposure per metal, 'All' first (bind: as_of, buyer_id)."""
    return """
        select metal, exposure, known_share, unknown_share, n_smelters
        from marts.buyer_exposure
        where as_of = ? and buyer_id = ?
        order by metal <> 'All', metal
    """


def buyer_origin_mix() -> str:
    """One buyer's origins for one metal basis, biggest contribution first (bind: as_of, buyer_id, metal)."""
    return """
        select origin_iso3, origin_name, share, origin_risk, contribution, basis
        from marts.buyer_origin_mix
        where as_of = ? and buyer_id = ? and metal = ?
        order by contribution desc, share desc, origin_iso3
    """


def has_params_table() -> str:
    return "select count(*) > 0 from duckdb_tables() where schema_name = 'meta' and table_name = 'params'"


def param() -> str:
    """One method parameter as the build stored it (bind: key, e.g. 'alerts.period_days')."""
    return "select number from meta.params where key = ?"
