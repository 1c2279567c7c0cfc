"""SQL text for the buyer exposure report: SELECTs on `marts` tables and table macros, values bound as `?`."""

from __future__ import annotations


def exposure_at() -> str:
    """A buyer's exposure per metal on any date, 'All' first (bind: buyer_id, date)."""
    return """
        select metal, exposure, known_share, unknown_share, n_smelters
        from marts.buyer_exposure_at(?, ?)
        order by metal <> 'All', metal
    """


def smelters() -> str:
    """Each declared smelter with its exposure and follow-up flags (bind: as_of, buyer_id)."""
    return """
        select e.excel_row, e.cid, e.smelter_name, e.metal, e.smelter_country_iso3, e.rmap_status,
               e.match_method, e.exposure, e.unknown_share, e.basis, e.origins,
               f.needs_follow_up, f.reasons, f.covered_share, f.covered_origins, f.mines_near_risk
        from marts.buyer_smelter_exposure as e
        left join marts.buyer_smelter_followup as f
          on f.as_of = e.as_of and f.buyer_id = e.buyer_id and f.excel_row = e.excel_row
        where e.as_of = ? and e.buyer_id = ?
        order by e.exposure desc, e.excel_row
    """


def flow_links() -> str:
    """The Sankey links of one metal basis (bind: buyer_id, as_of, metal)."""
    return """
        select step, source_layer, source_id, source_name, target_layer, target_id, target_name,
               share, contribution, risk
        from marts.buyer_flow_links_at(?, ?)
        where metal = ?
        order by step, share desc
    """


def place_contributions() -> str:
    """Places behind the exposure, most points first (bind: buyer_id, as_of, metal, limit)."""
    return """
        select place_id, place_kind, name, country_iso3, role, score, tier, controlled_by, metal_share, points
        from marts.buyer_place_contributions_at(?, ?)
        where metal = ?
        order by points desc, metal_share desc, place_id
        limit ?
    """


def event_contributions() -> str:
    """Every event behind the exposure, most points first (bind: buyer_id, as_of, metal)."""
    return """
        select event_id, event_date, event_type, sub_event_type, actor1, actor2, fatalities, location, notes,
               source, is_synthetic, via, n_places, main_place, points
        from marts.buyer_event_contributions_at(?, ?)
        where metal = ?
        order by points desc, event_id
    """


def risk_by_stage() -> str:
    """Where the exposure enters the chain, in chain order (bind: buyer_id, as_of, metal)."""
    return """
        select stage, share, points
        from marts.buyer_risk_by_stage_at(?, ?)
        where metal = ?
        order by stage_order
    """
