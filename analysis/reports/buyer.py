"""The buyer exposure report: one buyer's exposure, where its metal comes from, and what needs follow-up."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analysis.reports import figures
from analysis.reports import queries as q
from analysis.reports import queries_buyer as qb
from analysis.reports.common import (
    METAL_BASIS,
    Page,
    choose_buyer,
    frame,
    latest_build,
    param,
    pct,
    py,
    records,
    render_page,
    resolve_as_of,
    synthetic_notice,
)
from analysis.reports.figures_buyer import stage_bars, supply_sankey
from analysis.reports.html import Card, Section

__all__ = ["buyer_page"]

TOP_N = 15
METHOD = (
    "Exposure (0–100) = Σ over countries of origin of (share of the buyer's contained metal from the "
    "origin × the origin's risk); each declared smelter counts equally, as a CMRT states no volumes. "
)
SANKEY_INTRO = (
    "Read left to right: countries of origin, the first trading hub the mines sell to, the hub where the "
    "chain leaves the region (a port, an airport or a smelter town), the declared smelters, the buyer. "
    "Widths are shares of the buyer's contained metal; link colour is the risk of the origin the metal comes "
    "from (darker = riskier). Grey 'not traced' nodes carry metal whose path is unknown: origins known only "
    "from trade statistics or declarations, or sites without a recorded route."
)
SANKEY_NOTE = (
    "A country's metal is split over its scored mine sites by reported output, and each site's over its "
    "routes and hub-to-hub legs (core.routes, core.hub_links; many shares are assumed). Which smelter gets "
    "which site's metal is not known: every smelter sourcing from a country gets that country's mix."
)
STAGES_INTRO = (
    "The exposure split by where it arises: a tonne from a country scored by its mine sites carries the "
    "score of the worst place on its way, so the mine sites, the first hubs and the hubs further down the "
    "chain each add what they raise it by; metal from other origins carries its country's baseline, the "
    "pooled risk of unknown origin, or the recycled rate. A hub's share is not shown: the same tonne passes "
    "several."
)
PLACES_INTRO = (
    "The mine sites and hubs the buyer's metal may come from or pass through. Points are the part of the "
    "exposure each place accounts for: a tonne carries the score of the worst place on its way, and each "
    "place gets what it adds: the mine its own score, a hub what it raises that worst score by."
)
EVENTS_INTRO = (
    "The conflict events behind those points, with their own notes: a place's points split over its score's "
    "parts — the intensity part over its events by their weight, the control part to the takeover (or the "
    "retaking) that set it. An event near several places sums what it carries through each."
)
FOLLOW_UP_INTRO = (
    "Declared smelters to follow up: not RMAP Conformant, not identified (origin unknown), sourcing from a "
    "US Dodd-Frank §1502 covered country (DRC and its nine neighbours), or a declared mine near a high- or "
    "severe-risk place."
)


def _change(now: float, before: float | None) -> str:
    if before is None or pd.isna(before):
        return "no score for the previous period"
    return f"{now - before:+.1f} points since"


def _exposure_sections(
    now: pd.DataFrame, before: pd.DataFrame, smelters: pd.DataFrame, prev: date
) -> tuple[Section, Section]:
    """The headline cards, and the per-metal table (shown after the flow diagram)."""
    merged = now.merge(before[["metal", "exposure"]], on="metal", how="left", suffixes=("", "_before"))
    head = merged.iloc[0]
    flagged = int(smelters.needs_follow_up.fillna(False).sum())
    covered = smelters.covered_share.fillna(0).mean() if not smelters.empty else 0.0
    cards = [
        Card(
            "Exposure (0–100)",
            f"{head.exposure:.0f}",
            f"{'all metals' if head.metal == 'All' else head.metal}; "
            f"{_change(head.exposure, head.exposure_before)} {prev.isoformat()}",
        ),
        Card("Known origin", f"{pct(head.known_share):.0f}%", "of contained metal"),
        Card("Covered countries", f"{100 * covered:.0f}%", "of contained metal from DRC and neighbours"),
        Card("Smelters to follow up", f"{flagged:,} of {len(smelters):,}", "see the list below"),
    ]
    merged["change"] = merged.exposure - merged.exposure_before
    merged["known"] = merged.known_share.map(pct)
    merged["unknown"] = merged.unknown_share.map(pct)
    columns = {
        "metal": "Metal basis",
        "exposure": "Exposure (0–100)",
        "exposure_before": f"On {prev.isoformat()} (0–100)",
        "change": "Change (points)",
        "known": "Known origin (%)",
        "unknown": "Unknown origin (%)",
        "n_smelters": "Smelters",
    }
    return Section("Exposure", intro=METHOD + METAL_BASIS, cards=cards), Section(
        "Exposure by metal",
        rows=records(merged, list(columns)),
        columns=columns,
        note="The previous period is alerts.period_days before the as-of date (method parameters below).",
    )


def _origin_section(mix: pd.DataFrame) -> Section:
    mix = mix.assign(share_pct=mix.share.map(pct))
    columns = {
        "origin_name": "Country of origin",
        "origin_iso3": "ISO3",
        "share_pct": "Share of contained metal (%)",
        "origin_risk": "Origin risk (0–100)",
        "contribution": "Contribution (points)",
        "basis": "Basis",
    }
    return Section(
        "Exposure by country of origin (all metals)",
        figure=figures.exposure_bars(mix),
        rows=records(mix, list(columns)),
        columns=columns,
        intro="Contribution = share × origin risk; the contributions add up to the exposure. " + METAL_BASIS,
        note="'_X' is the pooled share of unknown origin (it carries the unknown-origin risk); "
        "'_R' is recycled or scrap.",
    )


def _smelter_sections(smelters: pd.DataFrame) -> list[Section]:
    s = smelters.assign(
        unknown=smelters.unknown_share.map(pct),
        covered=smelters.covered_share.map(pct),
        follow_up=smelters.needs_follow_up.fillna(False).astype(bool),
    )
    columns = {
        "smelter_name": "Smelter",
        "cid": "RMI id",
        "metal": "Metal",
        "smelter_country_iso3": "Country",
        "rmap_status": "RMAP status",
        "match_method": "Matched by",
        "exposure": "Exposure (0–100)",
        "unknown": "Unknown origin (%)",
        "origins": "Origins (largest first)",
        "basis": "Origins from",
        "follow_up": "Follow up",
    }
    todo = s[s.follow_up]
    todo_cols = {
        "smelter_name": "Smelter",
        "metal": "Metal",
        "rmap_status": "RMAP status",
        "covered": "From covered countries (%)",
        "reasons": "Why",
    }
    return [
        Section(
            "Exposure by smelter",
            rows=records(s, list(columns)),
            columns=columns,
            intro="Each smelter's exposure is Σ origin share × origin risk over its own origin mix. "
            + METAL_BASIS,
        ),
        Section(
            f"Smelters needing follow-up ({len(todo)} of {len(s)})",
            rows=records(todo, list(todo_cols)),
            columns=todo_cols,
            intro=FOLLOW_UP_INTRO,
        ),
    ]


def _stage_section(stages: pd.DataFrame) -> Section:
    stages = stages.assign(
        share_pct=stages.share.map(lambda x: pct(x, 2)),
        label=stages.stage.str[:1].str.upper() + stages.stage.str[1:],
    )
    columns = {"label": "Stage", "share_pct": "Share of the buyer's metal (%)", "points": "Exposure points"}
    return Section(
        "Where the risk enters the chain",
        figure=stage_bars(stages),
        rows=records(stages, list(columns)),
        columns=columns,
        intro=STAGES_INTRO,
    )


def _places_section(places: pd.DataFrame) -> Section:
    places = places.assign(
        share_pct=places.metal_share.map(lambda x: pct(x, 2)),
        type=places.place_kind + " · " + places.role,
    )
    columns = {
        "name": "Place",
        "type": "Kind · role",
        "country_iso3": "Country",
        "score": "Score (0–100)",
        "tier": "Tier",
        "controlled_by": "Controlled by",
        "share_pct": "Share of the buyer's metal (%)",
        "points": "Exposure points",
    }
    return Section(
        f"Places that contribute most (top {len(places)})",
        rows=records(places, list(columns)),
        columns=columns,
        intro=PLACES_INTRO,
    )


def _events_section(events: pd.DataFrame) -> Section:
    events = events.assign(
        what=[
            f"{t}: {s}" if isinstance(s, str) and s else t
            for t, s in zip(events.event_type, events.sub_event_type, strict=True)
        ],
        actors=[
            " vs ".join(a for a in (a1, a2) if isinstance(a, str) and a)
            for a1, a2 in zip(events.actor1, events.actor2, strict=True)
        ],
        near=[
            f"{p} (+{n - 1} more)" if n > 1 else p
            for p, n in zip(events.main_place, events.n_places, strict=True)
        ],
    )
    columns = {
        "event_date": "Date",
        "what": "Event",
        "actors": "Actors",
        "fatalities": "Fatalities",
        "near": "Near",
        "via": "Counts through",
        "points": "Exposure points",
        "notes": "Notes (from the source)",
        "source": "Source",
    }
    return Section(
        f"Events behind the exposure (top {len(events)})",
        rows=records(events, list(columns)),
        columns=columns,
        intro=EVENTS_INTRO,
    )


def buyer_page(con: duckdb.DuckDBPyConnection, as_of: date | None = None, buyer: str | None = None) -> Page:
    """The buyer exposure report for `buyer` (id or name; the warehouse's first buyer by default)."""
    build = latest_build(con)
    as_of = resolve_as_of(con, as_of, build)
    chosen = choose_buyer(frame(con, q.buyers(), as_of), buyer)
    if chosen is None:
        raise ValueError("the warehouse has no buyer: load a CMRT (minrisk ingest FILE.xlsx)")
    buyer_id, name = chosen
    prev = as_of - timedelta(days=int(param(con, "alerts.period_days")))
    now = frame(con, q.buyer_exposure(), as_of, buyer_id)
    before = frame(con, qb.exposure_at(), buyer_id, prev)
    smelters = frame(con, qb.smelters(), as_of, buyer_id)
    metal = "All" if (now.metal == "All").any() else now.metal.iloc[0]
    all_events = frame(con, qb.event_contributions(), buyer_id, as_of, metal)
    events = all_events.head(TOP_N)
    total_points = all_events.points.sum()
    synthetic_points = all_events.points[all_events.is_synthetic.fillna(False).astype(bool)].sum()
    headline, per_metal = _exposure_sections(now, before, smelters, prev)
    sections = [
        headline,
        Section(
            "Where the metal comes from",
            figure=supply_sankey(frame(con, qb.flow_links(), buyer_id, as_of, metal)),
            intro=SANKEY_INTRO,
            note=SANKEY_NOTE,
        ),
        per_metal,
        _origin_section(frame(con, q.buyer_origin_mix(), as_of, buyer_id, metal)),
        *_smelter_sections(smelters),
        _stage_section(frame(con, qb.risk_by_stage(), buyer_id, as_of, metal)),
        _places_section(frame(con, qb.place_contributions(), buyer_id, as_of, metal, TOP_N)),
        _events_section(events),
    ]
    notice = synthetic_notice(int(events.is_synthetic.fillna(False).sum()), bool(synthetic_points))
    if synthetic_points and total_points:
        share = synthetic_points / total_points
        notice += f" Synthetic events account for {share:.0%} of the exposure points attributed to events."
    title = f"Buyer exposure: {name}"
    return render_page(con, "buyer", str(py(name)), title, as_of, sections, notice, build)
