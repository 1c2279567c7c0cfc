"""SQL text for the site or hub dossier: SELECTs on `marts` tables and macros, values bound as `?`."""

from __future__ import annotations


def places() -> str:
    """Every scored place, for finding the one asked for (bind: as_of)."""
    return """
        select place_id, place_kind, name, kind, country_iso3, lat, lon, minerals, score, tier, intensity,
               intensity_points, control_points, presence_points, controlled_by, control_since,
               armed_presence, n_events, fatalities, synthetic_share
        from marts.place_risk
        where as_of = ?
        order by name, place_id
    """


def regions() -> str:
    """The regions a place belongs to (bind: place_id, place_kind)."""
    return """
        select region, matched_by from marts.region_members
        where member_id = ? and member_kind = ?
        order by region
    """


def history() -> str:
    """The place's monthly score and components (bind: as_of, place_id)."""
    return """
        select scored_on, score, tier, intensity_points, control_points, presence_points, controlled_by,
               n_events, fatalities
        from marts.place_risk_history
        where as_of = ? and place_id = ?
        order by scored_on
    """


def events() -> str:
    """Events linked to the place over the timeline window, latest first (bind: place_id, as_of)."""
    return """
        select event_id, event_date, event_type, sub_event_type, actor1, actor2, fatalities, distance_km,
               location, lat, lon, notes, source, is_synthetic, contribution
        from marts.place_events_at(?, ?)
        order by event_date desc, event_id
    """


def control_events() -> str:
    """Takeovers, retakings and releases near the place, latest first (bind: as_of, place_id)."""
    return """
        select event_id, event_date, control_effect, actor1, actor2, event_type, sub_event_type, fatalities,
               distance_km, location, notes, source
        from marts.place_control_events
        where as_of = ? and place_id = ?
        order by event_date desc, event_id
    """


def routes() -> str:
    """The place's trade links with the other end's score and location (bind: as_of, place_id)."""
    return """
        select r.direction, r.other_id, r.other_name, r.other_place_kind, r.other_kind, r.other_country_iso3,
               r.share, r.assumed, r.source_ref, p.score as other_score, p.tier as other_tier,
               p.controlled_by as other_controlled_by, p.lat, p.lon
        from marts.place_routes as r
        left join marts.place_risk as p on p.place_id = r.other_id and p.as_of = ?
        where r.place_id = ?
        order by list_position(['feeds', 'fed by', 'sends to', 'receives from'], r.direction), r.share desc,
                 r.other_name
    """


def buyers() -> str:
    """The buyers whose metal may come from or pass through the place (bind: as_of, place_id)."""
    return """
        select buyer_id, buyer_name, metal, role, metal_share, points
        from marts.buyer_place_contributions_at(null, ?)
        where place_id = ?
        order by buyer_name, metal <> 'All', metal
    """


def alerts() -> str:
    """Alerts about the place between two dates (bind: since, as_of, place_id)."""
    return """
        select alert_type, direction, event_id, event_date, detail
        from marts.alerts_at(?, ?)
        where subject_id = ?
    """
