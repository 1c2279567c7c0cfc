"""The build, declared in one place: every step in order, what it creates and what it reads.

A step reads only the tables it declares (tests/test_steps.py checks the SQL against the declarations), so
the same inputs always give the same warehouse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import loaders


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
    _table("core.sites", ("staging.sample_sites",)),
    _table("core.hubs", ("staging.sample_hubs",)),
    _table("core.places", ("core.sites", "core.hubs")),
    _table("core.routes", ("staging.sample_routes",)),
    _table("core.hub_links", ("staging.sample_hub_links",)),
    _table("core.events", ("staging.sample_events",)),
    _table("core.production", ("staging.sample_production",)),
    _table("core.trade_flows", ("staging.sample_trade_flows", "reference.metal_content")),
    _table("core.smelters", ("staging.sample_smelters",)),
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
        ("staging.cmrt_smelter_list", "core.buyers", "core.smelters"),
        run=loaders.core_buyer_smelters,
    ),
    _table("core.event_links", ("core.events", "core.places", "core.haversine_km")),
    _macro(
        "marts.place_risk_contributions_at",
        ("as_of_date",),
        (
            "meta.params",
            "core.event_links",
            "core.events",
            "reference.event_type_weights",
            "reference.geo_precision_weights",
            "reference.source_weights",
        ),
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
    _macro(
        "marts.origin_risk_at",
        ("as_of_date",),
        (
            "marts.place_risk_at",
            "reference.metal_content",
            "core.sites",
            "core.routes",
            "reference.country_baseline_risk",
            "core.production",
            "core.trade_flows",
        ),
    ),
    _macro(
        "marts.smelter_origin_mix_at",
        ("as_of_date",),
        ("core.smelters", "reference.metal_content", "core.trade_flows", "core.production"),
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
)
