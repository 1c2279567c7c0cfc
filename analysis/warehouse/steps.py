"""The build, declared in one place: every step in order, what it creates and what it reads.

A step reads only the tables it declares (tests/test_steps.py checks the SQL against the declarations), so
the same inputs always give the same warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import duplicates, loaders, network_steps, site_steps, tracing_steps


@dataclass(frozen=True)
class Step:
    creates: str  # schema.name of the table or macro
    kind: str  # 'python', 'table' (a SELECT in sql/<file>), 'macro' (a table macro body), 'scalar_macro'
    reads: tuple[str, ...] = ()
    sql_file: str | None = None  # relative to analysis/sql/
    run: Callable | None = None  # python steps
    macro_args: tuple[str, ...] = ()


def _table(name: str, reads: tuple[str, ...]) -> Step:
    layer, table = name.split(".")
    folder = "links" if table == "event_links" else layer
    return Step(name, "table", reads, f"{folder}/{table}.sql")


def _macro(name: str, args: tuple[str, ...], reads: tuple[str, ...]) -> Step:
    return Step(name, "macro", reads, f"marts/{name.split('.')[1]}.sql", macro_args=args)


REFERENCE = (
    "reference.event_type_weights",
    "reference.geo_precision_weights",
    "reference.source_weights",
    "reference.metal_content",
    "reference.country_baseline_risk",
)

STEPS: tuple[Step, ...] = (
    Step("reference.*", "python", (), run=loaders.load_reference),
    Step("staging.sample_*", "python", (), run=loaders.load_sample),
    Step("staging.inputs", "python", (), run=loaders.load_inputs),
    Step("staging.*", "python", (), run=loaders.ensure_empty_staging),
    Step("core.haversine_km", "scalar_macro"),
    _table("core.site_visits", ("staging.ipis_visits", "staging.ipis_datacamp", "reference.ipis_terms")),
    Step(
        "core.site_matches",
        "python",
        ("staging.sample_sites", "core.site_visits", "meta.params"),
        run=site_steps.core_site_matches,
    ),
    Step(
        "core.site_zones",
        "python",
        ("staging.sample_sites", "core.site_visits", "staging.ipis_armed_group_zones"),
        run=site_steps.core_site_zones,
    ),
    _table(
        "core.sites", ("staging.sample_sites", "core.site_visits", "core.site_matches", "core.site_zones")
    ),
    _table(
        "core.site_interference",
        ("core.site_visits", "core.site_matches", "reference.armed_interference_annex_ii"),
    ),
    _table(
        "core.hubs",
        (
            "meta.params",
            "staging.sample_hubs",
            "staging.trade_hubs",
            "staging.ipis_places",
            "core.haversine_km",
        ),
    ),
    _table("core.places", ("core.sites", "core.hubs")),
    _table(
        "core.network_refs", ("staging.trade_routes", "staging.trade_hub_links", "core.sites", "core.hubs")
    ),
    Step("meta.rejects", "python", ("core.network_refs",), run=network_steps.reject_unresolved_network_rows),
    _table(
        "core.routes",
        (
            "meta.params",
            "staging.sample_routes",
            "core.network_refs",
            "core.sites",
            "core.hubs",
            "core.haversine_km",
        ),
    ),
    _table("core.hub_links", ("staging.sample_hub_links", "core.network_refs")),
    _table(
        "core.event_records",
        (
            "staging.sample_events",
            "staging.acled_events",
            "staging.ucdp_ged_events",
            "staging.news_events",
            "reference.acled_legacy_event_types",
            "reference.ucdp_violence_types",
        ),
    ),
    Step(
        "core.event_duplicates",
        "python",
        (
            "core.event_records",
            "reference.event_source_priority",
            "reference.event_type_families",
            "meta.params",
            "core.haversine_km",
        ),
        run=duplicates.core_event_duplicates,
    ),
    _table("core.events", ("core.event_records", "core.event_duplicates")),
    _table("core.production", ("staging.sample_production", "staging.usgs_production")),
    _table(
        "core.trade_flows",
        (
            "staging.sample_trade_flows",
            "staging.comtrade_flows",
            "staging.baci_flows",
            "staging.baci_country_codes",
            "reference.metal_content",
            "reference.ore_grades_by_exporter",
        ),
    ),
    _table(
        "core.smelters",
        (
            "staging.sample_smelters",
            "staging.rmi_smelter_lookup",
            "staging.rmi_rmap_facilities",
            "reference.rmap_status_map",
        ),
    ),
    _table("core.smelter_aliases", ("staging.rmi_smelter_lookup", "core.smelters")),
    _table("core.buyers", ("staging.cmrt_smelter_list",)),
    Step(
        "core.countries",
        "python",
        (
            "core.sites",
            "core.hubs",
            "core.events",
            "core.production",
            "core.trade_flows",
            "core.smelters",
            "reference.country_baseline_risk",
        ),
        run=loaders.core_countries,
    ),
    Step(
        "core.buyer_smelters",
        "python",
        ("staging.cmrt_smelter_list", "core.buyers", "core.smelters", "core.smelter_aliases"),
        run=loaders.core_buyer_smelters,
    ),
    _table("core.event_links", ("core.events", "core.places", "core.haversine_km")),
    # Tracing the metal through trade (docs/methodology.md).
    _table("marts.mirror_trade", ("meta.params", "core.trade_flows")),
    _table(
        "marts.production_plausibility",
        (
            "meta.params",
            "reference.metal_content",
            "core.trade_flows",
            "core.production",
            "reference.surplus_attribution",
        ),
    ),
    Step(
        "marts.origin_attribution",
        "python",
        (
            "meta.params",
            "core.trade_flows",
            "core.production",
            "reference.metal_content",
            "reference.surplus_attribution",
        ),
        run=tracing_steps.marts_origin_attribution,
    ),
    _macro(
        "marts.event_weights_at",
        ("as_of_date",),
        (
            "meta.params",
            "core.events",
            "reference.event_type_weights",
            "reference.geo_precision_weights",
            "reference.source_weights",
        ),
    ),
    _macro(
        "marts.place_risk_contributions_at",
        ("as_of_date",),
        ("meta.params", "core.event_links", "marts.event_weights_at"),
    ),
    _macro(
        "marts.place_control_at",
        ("as_of_date",),
        ("meta.params", "reference.event_type_weights", "core.events", "core.event_links", "core.places"),
    ),
    _macro(
        "marts.place_risk_at",
        ("as_of_date",),
        ("meta.params", "core.places", "marts.place_risk_contributions_at", "marts.place_control_at"),
    ),
    _macro("marts.site_weights", (), ("reference.metal_content", "core.sites")),
    _macro(
        "marts.site_path_risk_at",
        ("as_of_date",),
        ("marts.place_risk_at", "core.routes", "core.hub_links", "core.sites"),
    ),
    _macro(
        "marts.origin_risk_at",
        ("as_of_date",),
        (
            "marts.site_weights",
            "marts.site_path_risk_at",
            "reference.metal_content",
            "reference.country_baseline_risk",
            "core.production",
            "core.trade_flows",
        ),
    ),
    _macro(
        "marts.smelter_origin_mix_at",
        ("as_of_date",),
        (
            "core.smelters",
            "reference.metal_content",
            "core.trade_flows",
            "core.production",
            "marts.origin_attribution",
        ),
    ),
    _macro(
        "marts.buyer_smelter_origins_at",
        ("as_of_date",),
        ("core.buyer_smelters", "marts.smelter_origin_mix_at", "marts.origin_risk_at"),
    ),
    _macro(
        "marts.buyer_origin_mix_at",
        ("as_of_date",),
        ("marts.buyer_smelter_origins_at", "core.buyers", "core.countries"),
    ),
    _macro(
        "marts.buyer_exposure_at",
        ("buyer", "as_of_date"),
        ("marts.buyer_origin_mix_at", "core.buyer_smelters"),
    ),
    _table("marts.place_risk", ("marts.place_risk_at",)),
    _table("marts.place_risk_contributors", ("marts.place_risk_contributions_at",)),
    _table("marts.recent_events", ("meta.params", "core.events", "core.event_links", "core.places")),
    _table("marts.hub_timeline", ("meta.params", "core.hubs", "core.event_links", "core.events")),
    _table("marts.origin_risk", ("marts.origin_risk_at",)),
    _table("marts.smelter_origin_mix", ("marts.smelter_origin_mix_at",)),
    _table("marts.buyer_origin_mix", ("marts.buyer_origin_mix_at",)),
    _table("marts.buyer_exposure", ("marts.buyer_exposure_at",)),
    _table("marts.buyer_smelter_exposure", ("marts.buyer_smelter_origins_at", "core.buyer_smelters")),
    Step(
        "marts.stage_multipliers",
        "python",
        (
            "marts.smelter_origin_mix",
            "marts.buyer_smelter_origins_at",
            "marts.origin_risk_at",
            "marts.site_weights",
            "marts.site_path_risk_at",
            "staging.supply_tiers",
            "core.buyers",
        ),
        run=tracing_steps.marts_stage_multipliers,
    ),
    # The buyer, region and place reports and the alerts (docs/reports.md).
    _table("marts.site_hub_paths", ("marts.site_path_risk_at",)),
    _macro(
        "marts.buyer_site_flows_at",
        ("buyer", "as_of_date"),
        (
            "core.buyers",
            "marts.buyer_smelter_origins_at",
            "marts.origin_risk_at",
            "marts.site_weights",
            "marts.site_path_risk_at",
            "core.countries",
            "core.hubs",
        ),
    ),
    _macro("marts.buyer_flow_links_at", ("buyer", "as_of_date"), ("marts.buyer_site_flows_at",)),
    _macro(
        "marts.buyer_place_contributions_at",
        ("buyer", "as_of_date"),
        ("marts.buyer_site_flows_at", "marts.place_risk_at", "marts.site_path_risk_at"),
    ),
    _macro(
        "marts.buyer_risk_by_stage_at",
        ("buyer", "as_of_date"),
        ("marts.buyer_place_contributions_at", "marts.buyer_site_flows_at"),
    ),
    _macro(
        "marts.buyer_event_contributions_at",
        ("buyer", "as_of_date"),
        (
            "marts.buyer_place_contributions_at",
            "marts.place_risk_at",
            "marts.place_risk_contributions_at",
            "core.events",
        ),
    ),
    _macro(
        "marts.place_events_at",
        ("place", "as_of_date"),
        ("meta.params", "core.event_links", "core.events", "marts.place_risk_contributions_at"),
    ),
    _macro(
        "marts.alerts_at",
        ("since_date", "as_of_date"),
        (
            "meta.params",
            "marts.place_risk_at",
            "core.events",
            "core.event_links",
            "core.places",
            "marts.buyer_exposure_at",
        ),
    ),
    _table("marts.place_risk_history", ("meta.params", "marts.place_risk_at")),
    _table(
        "marts.place_control_events",
        ("meta.params", "reference.event_type_weights", "core.events", "core.event_links", "core.places"),
    ),
    _table("marts.place_routes", ("core.routes", "core.hub_links", "core.places")),
    _table("marts.region_members", ("reference.regions", "core.sites", "core.hubs", "core.events")),
    _table(
        "marts.region_hotspots",
        ("meta.params", "marts.region_members", "marts.event_weights_at", "marts.place_risk"),
    ),
    _table(
        "marts.buyer_smelter_followup",
        (
            "meta.params",
            "core.buyer_smelters",
            "marts.buyer_smelter_origins_at",
            "reference.country_baseline_risk",
            "core.sites",
            "marts.place_risk",
            "core.haversine_km",
        ),
    ),
)
