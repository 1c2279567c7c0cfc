"""The overview report: risk map, riskiest places, hub timeline and one buyer's exposure, from the marts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from analysis.reports import figures
from analysis.reports import queries as q
from analysis.reports.common import (
    METAL_BASIS,
    Page,
    choose_buyer,
    frame,
    latest_build,
    pct,
    py,
    records,
    render_page,
    resolve_as_of,
    synthetic_notice,
)
from analysis.reports.html import Card, Section

__all__ = ["build_overview", "overview_page", "write_overview"]

TITLE = "Conflict risk in eastern DR Congo's tin and tantalum supply chain"
TOP_N = 15
SCORE_INTRO = (
    "Score (0–100) = intensity points (recent conflict events nearby, weighted by type, distance and age) "
    "+ control points (an armed group controls the place) + presence points (armed presence reported)."
)
SCORE_NOTE = (
    "Events and fatalities count the 365 days before the as-of date. "
    "Synthetic share is the part of the intensity that comes from synthetic background events."
)
MAP_INTRO = (
    "Mining sites (circles) and trade hubs (diamonds), coloured by risk score; small red markers are the "
    "conflict events of the last 365 days (hollow = synthetic)."
)
MAP_NOTE = "Tiers: low, medium, high, severe. Base map: Natural Earth 1:110m; borders are indicative."
TIMELINE_INTRO = (
    "Each marker is one event within the linking radius of a hub; marker size grows with fatalities, "
    "colour shows the event type, hollow markers are synthetic."
)
MIX_INTRO = (
    " Basis says where each share comes from: the smelter's declaration, trade statistics, "
    "or the pooled unknown remainder."
)


def _summary(places: pd.DataFrame, events: pd.DataFrame, as_of: date) -> Section:
    sites, hubs = (places.place_kind == "site").sum(), (places.place_kind == "hub").sum()
    hot = places.tier.isin(["high", "severe"]).sum()
    real = events[events.source != "synthetic"]
    return Section(
        "Summary",
        intro=f"Scores use the events known up to {as_of.isoformat()}.",
        cards=[
            Card("Places scored", f"{len(places):,}", f"{sites:,} mining sites · {hubs:,} trade hubs"),
            Card("High or severe", f"{hot:,}", "places with tier high or severe"),
            Card(
                "Events, last 365 days",
                f"{len(events):,}",
                f"{len(real):,} recorded · {len(events) - len(real):,} synthetic",
            ),
            Card(
                "Fatalities, last 365 days",
                f"{int(events.fatalities.fillna(0).sum()):,}",
                "all events shown on the map",
            ),
        ],
    )


def _top_places(places: pd.DataFrame) -> Section:
    top = places.head(TOP_N).copy()
    top["type"] = top.kind.map(lambda k: figures.KIND_LABELS.get(k, k))
    top["control"] = [
        f"{by} (since {py(since).isoformat()})" if py(since) else by
        for by, since in zip(top.controlled_by.fillna("—"), top.control_since, strict=True)
    ]
    top["synthetic_pct"] = top.synthetic_share.map(pct)
    columns = {
        "name": "Place",
        "type": "Type",
        "country_iso3": "Country",
        "score": "Score",
        "tier": "Tier",
        "intensity_points": "Intensity",
        "control_points": "Control",
        "presence_points": "Presence",
        "control": "Controlled by",
        "n_events": "Events",
        "fatalities": "Fatalities",
        "synthetic_pct": "Synthetic (%)",
    }
    return Section(
        f"Highest-risk places (top {min(TOP_N, len(places))})",
        rows=records(top, list(columns)),
        columns=columns,
        intro=SCORE_INTRO,
        note=SCORE_NOTE,
    )


def _buyer_sections(exposure: pd.DataFrame, mix: pd.DataFrame, name: str, metal: str) -> list[Section]:
    head = exposure[exposure.metal == metal].iloc[0]
    cards = [
        Card(
            "Exposure (0–100)",
            f"{head.exposure:.0f}",
            f"{metal if metal != 'All' else 'all metals'}, contained-metal weighted",
        ),
        Card("Known origin", f"{pct(head.known_share):.0f}%", "of contained metal"),
        Card("Unknown origin", f"{pct(head.unknown_share):.0f}%", "pooled at the unknown-origin risk"),
        Card("Smelters", f"{int(head.n_smelters):,}", "in the buyer's declared list"),
    ]
    per_metal = exposure.assign(known=exposure.known_share.map(pct), unknown=exposure.unknown_share.map(pct))
    metal_cols = {
        "metal": "Metal",
        "exposure": "Exposure (0–100)",
        "known": "Known origin (%)",
        "unknown": "Unknown origin (%)",
        "n_smelters": "Smelters",
    }
    mix = mix.assign(share_pct=mix.share.map(pct))
    mix_cols = {
        "origin_name": "Origin",
        "origin_iso3": "ISO3",
        "share_pct": "Share of contained metal (%)",
        "origin_risk": "Origin risk (0–100)",
        "contribution": "Contribution (points)",
        "basis": "Basis",
    }
    return [
        Section(
            f"Buyer exposure: {name}",
            cards=cards,
            figure=figures.exposure_bars(mix),
            rows=records(per_metal, list(metal_cols)),
            columns=metal_cols,
            intro="Exposure is the sum over countries of origin of share × origin risk. " + METAL_BASIS,
            note="One row per metal basis; the chart and the origin mix below use the first row.",
        ),
        Section(
            f"Origin mix ({'all metals' if metal == 'All' else metal})",
            rows=records(mix, list(mix_cols)),
            columns=mix_cols,
            intro=METAL_BASIS + MIX_INTRO,
            note="'_X' is the pooled share whose origin is not known; it carries the unknown-origin risk.",
        ),
    ]


def build_overview(
    con: duckdb.DuckDBPyConnection, as_of: date | None = None, buyer: str | None = None
) -> str:
    """Render the overview report from the warehouse's marts and meta tables; returns the HTML."""
    return overview_page(con, as_of, buyer).html


def overview_page(
    con: duckdb.DuckDBPyConnection, as_of: date | None = None, buyer: str | None = None
) -> Page:
    """The overview report as a Page (HTML, file stem, figures)."""
    build = latest_build(con)
    as_of = resolve_as_of(con, as_of, build)
    places = frame(con, q.place_risk(), as_of)
    events = frame(con, q.recent_events(), as_of)
    timeline = frame(con, q.hub_timeline(), as_of)
    chosen = choose_buyer(frame(con, q.buyers(), as_of), buyer)
    n_synthetic = con.sql(q.synthetic_event_count(), params=[as_of, as_of]).fetchall()[0][0]

    sections = [
        _summary(places, events, as_of),
        Section(
            "Risk map",
            figure=figures.risk_map(places, events),
            intro=MAP_INTRO,
            note=MAP_NOTE,
        ),
        _top_places(places),
        Section(
            "Events near the main trade hubs, last 24 months",
            figure=figures.hub_timeline(timeline, as_of),
            intro=TIMELINE_INTRO,
        ),
    ]
    if chosen is not None:
        exposure = frame(con, q.buyer_exposure(), as_of, chosen[0])
        metal = "All" if (exposure.metal == "All").any() else exposure.metal.iloc[0]
        mix = frame(con, q.buyer_origin_mix(), as_of, chosen[0], metal)
        sections += _buyer_sections(exposure, mix, chosen[1], metal)
    notice = synthetic_notice(n_synthetic, bool((places.synthetic_share.fillna(0) > 0).any()))
    return render_page(con, "overview", "", TITLE, as_of, sections, notice, build)


def write_overview(
    db_path: str | Path, out_path: str | Path, as_of: date | None = None, buyer: str | None = None
) -> Path:
    """Write the overview report for the warehouse at db_path; returns the written path."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        page = build_overview(con, as_of, buyer)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
