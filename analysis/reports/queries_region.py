"""SQL text for the regional situation report: SELECTs on `marts` tables and macros, values bound as `?`."""

from __future__ import annotations


def regions() -> str:
    """The regions with what they hold."""
    return """
        select region,
               count(*) filter (where member_kind = 'site') as n_sites,
               count(*) filter (where member_kind = 'hub') as n_hubs,
               count(*) filter (where member_kind = 'event') as n_events
        from marts.region_members
        group by region
        order by region
    """


def places() -> str:
    """The region's scored sites and hubs, riskiest first (bind: as_of, region)."""
    return """
        select p.place_id, p.place_kind, p.name, p.kind, p.country_iso3, p.lat, p.lon, p.minerals, p.score,
               p.tier, p.intensity_points, p.control_points, p.presence_points, p.controlled_by,
               p.control_since, p.n_events, p.fatalities, p.synthetic_share
        from marts.place_risk as p
        join marts.region_members as m on m.member_id = p.place_id and m.member_kind = p.place_kind
        where p.as_of = ? and m.region = ?
        order by p.score desc, p.name, p.place_id
    """


def events() -> str:
    """The region's events of the year before as_of (bind: as_of, region)."""
    return """
        select e.event_id, e.event_date, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.fatalities,
               e.location, e.lat, e.lon, e.notes, e.source
        from marts.recent_events as e
        join marts.region_members as m on m.member_kind = 'event' and m.member_id = e.event_id
        where e.as_of = ? and m.region = ?
        order by e.event_date, e.event_id
    """


def history() -> str:
    """Monthly scores of the region's places (bind: as_of, region)."""
    return """
        select h.scored_on, h.place_id, h.place_kind, h.name, h.score, h.tier, h.controlled_by
        from marts.place_risk_history as h
        join marts.region_members as m on m.member_id = h.place_id and m.member_kind = h.place_kind
        where h.as_of = ? and m.region = ?
        order by h.place_id, h.scored_on
    """


def alerts() -> str:
    """Alerts between two dates for the region's places, and every buyer's (bind: since, as_of, region)."""
    return """
        select a.alert_type, a.subject_kind, a.subject_id, a.subject_name, a.metal, a.direction,
               a.value_before, a.value_after, a.state_before, a.state_after, a.event_id, a.event_date,
               a.detail
        from marts.alerts_at(?, ?) as a
        left join marts.region_members as m
          on m.member_id = a.subject_id and m.member_kind = a.subject_kind and m.region = ?
        where a.subject_kind = 'buyer' or m.region is not null
    """


def hotspots() -> str:
    """The region's 0.5° cells by weighted events (bind: as_of, region)."""
    return """
        select rank, gid, min_lat, min_lon, lat, lon, n_events, fatalities, intensity, synthetic_share,
               n_events_prev, fatalities_prev, main_event_type, main_actor, last_event_date, places
        from marts.region_hotspots
        where as_of = ? and region = ?
        order by rank
    """
