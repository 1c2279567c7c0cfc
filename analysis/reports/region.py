"""The regional situation report: the map, how risk moved, new alerts and hotspots of one region."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analysis.reports import queries_region as qr
from analysis.reports.common import (
    ALERT_LABELS,
    Page,
    choose,
    frame,
    latest_build,
    param,
    pct,
    records,
    render_page,
    resolve_as_of,
    slug,
    synthetic_notice,
)
from analysis.reports.figures_region import hotspot_map, risk_history
from analysis.reports.html import Card, Section
from analysis.reports.maps import extent, risk_map
from analysis.reports.style import KIND_LABELS

__all__ = ["DEFAULT_REGION", "region_page"]

DEFAULT_REGION = "Eastern DRC"
TOP_N = 15
MAX_ALERTS = 40
ALERT_COUNTS = {
    "control": "control changes",
    "tier": "tier changes",
    "deadly": "with deadly events nearby",
    "exposure": "buyer exposure rises",
}
MAP_INTRO = (
    "Mining sites (circles) and trade hubs (diamonds) of the region, coloured by risk score (darker = "
    "riskier); a thick ring marks a place held by an armed group. Small red markers are the events of the "
    "last 365 days (hollow = synthetic)."
)
HISTORY_INTRO = (
    "Each place's score on the first day of every month of the last two years (marts.place_risk_history), "
    "for the five hubs and five sites with the highest average score; dotted lines are the tier thresholds."
)
HOTSPOT_INTRO = (
    "Where the violence concentrates, whatever the places: 0.5° grid cells (about 55 km; the PRIO-GRID cells "
    "UCDP GED and the research panels use) shaded by weighted events of the last 365 days — each event "
    "weighted by type, age, location precision, fatalities and source as in the place scores, without the "
    "distance kernel. Unlike place scores, a cell also counts events far from any known site or hub."
)


def _resolve_region(regions: pd.DataFrame, region: str | None) -> str:
    names = list(regions.region)
    if not names:
        raise ValueError("the warehouse has no region: reference.regions is empty or matches nothing")
    if region is None:
        return DEFAULT_REGION if DEFAULT_REGION in names else names[0]
    return names[choose(region, [slug(n) for n in names], names, "region")]


def _summary(places: pd.DataFrame, events: pd.DataFrame, alerts: pd.DataFrame, since: date) -> Section:
    sites, hubs = (places.place_kind == "site").sum(), (places.place_kind == "hub").sum()
    held = places.controlled_by.notna().sum()
    synthetic = (events.source == "synthetic").sum()
    counts = alerts.alert_type.value_counts()
    detail = " · ".join(f"{counts[k]} {ALERT_COUNTS[k]}" for k in ALERT_COUNTS if k in counts) or "none"
    return Section(
        "Summary",
        cards=[
            Card("Places scored", f"{len(places):,}", f"{sites:,} mining sites · {hubs:,} trade hubs"),
            Card(
                "High or severe",
                f"{places.tier.isin(['high', 'severe']).sum():,}",
                "places, tier high or severe",
            ),
            Card("Held by armed groups", f"{held:,}", "places an armed group controls"),
            Card(
                "Events, last 365 days",
                f"{len(events):,}",
                f"{int(events.fatalities.fillna(0).sum()):,} fatalities · {synthetic:,} synthetic events",
            ),
            Card(f"Alerts since {since.isoformat()}", f"{len(alerts):,}", detail),
        ],
    )


def _movers(history: pd.DataFrame, as_of: date, since: date) -> Section:
    def score_on(day: date) -> pd.Series:
        dates = sorted(history.scored_on.dt.date.unique())
        nearest = min(dates, key=lambda d: abs((d - day).days)) if dates else day
        return history[history.scored_on.dt.date == nearest].set_index("place_id").score

    columns = {
        "name": "Place",
        "type": "Type",
        "year_ago": "A year ago (0–100)",
        "period_ago": f"On {since.isoformat()} (0–100)",
        "now": "Now (0–100)",
        "change_year": "Change over the year (points)",
        "tier": "Tier now",
        "controlled_by": "Held by",
    }
    if history.empty:
        return Section("Biggest changes over the year", rows=[], columns=columns)
    last = history[history.scored_on == history.scored_on.max()].set_index("place_id")
    table = last.assign(
        type=last.place_kind,
        year_ago=score_on(as_of - timedelta(days=365)),
        period_ago=score_on(since),
        now=last.score,
    )
    table["change_year"] = table.now - table.year_ago
    table = table.reindex(table.change_year.abs().sort_values(ascending=False).index).head(TOP_N)
    return Section(
        f"Biggest changes over the year (top {len(table)})",
        rows=records(table, list(columns)),
        columns=columns,
        note="Scores of the monthly history nearest to each date.",
    )


def _alerts(alerts: pd.DataFrame, since: date, as_of: date) -> Section:
    shown = alerts.head(MAX_ALERTS).assign(what=alerts.alert_type.map(ALERT_LABELS), kind=alerts.subject_kind)
    columns = {
        "what": "Alert",
        "subject_name": "Place or buyer",
        "kind": "Kind",
        "direction": "Direction",
        "event_date": "Event date",
        "detail": "What changed",
        "event_id": "Event",
    }
    return Section(
        f"New alerts since {since.isoformat()}",
        rows=records(shown, list(columns)),
        columns=columns,
        intro=(
            f"What changed between {since.isoformat()} and {as_of.isoformat()} (marts.alerts_at): places "
            "whose score crossed a tier threshold, whose controlling group changed, or with a deadly event "
            "nearby, and buyers whose exposure rose. Buyer alerts are not regional: every buyer is listed."
        ),
        note="Thresholds are the [alerts] parameters (method parameters below)."
        + (
            f" Showing {len(shown)} of {len(alerts)} alerts; marts.alerts_at(since, as_of) has all."
            if len(alerts) > len(shown)
            else ""
        ),
    )


def _hotspots(cells: pd.DataFrame, places: pd.DataFrame, lon: tuple, lat: tuple) -> list[Section]:
    cells = cells.assign(
        cell=[f"{a:.2f}, {b:.2f}" for a, b in zip(cells.lat, cells.lon, strict=True)],
        gid=cells.gid.astype(str),  # an id, not a quantity
    )
    cells["synthetic_pct"] = cells.synthetic_share.map(pct)
    columns = {
        "rank": "Rank",
        "cell": "Cell centre (lat, lon)",
        "gid": "PRIO-GRID id",
        "n_events": "Events (1 yr)",
        "fatalities": "Fatalities (1 yr)",
        "intensity": "Weighted events",
        "n_events_prev": "Events (year before)",
        "main_event_type": "Mostly",
        "main_actor": "Main actor",
        "last_event_date": "Last event",
        "places": "Riskiest places in the cell",
        "synthetic_pct": "Synthetic (%)",
    }
    return [
        Section("Hotspots", figure=hotspot_map(cells, places, lon, lat), intro=HOTSPOT_INTRO),
        Section(
            f"Hotspot cells, ranked (top {min(TOP_N, len(cells))})",
            rows=records(cells.head(TOP_N), list(columns)),
            columns=columns,
        ),
    ]


def _top_places(places: pd.DataFrame) -> Section:
    top = places.head(TOP_N).assign(type=places.kind.map(lambda k: KIND_LABELS.get(k, k)))
    columns = {
        "name": "Place",
        "type": "Type",
        "score": "Score (0–100)",
        "tier": "Tier",
        "intensity_points": "Intensity",
        "control_points": "Control",
        "presence_points": "Presence",
        "controlled_by": "Held by",
        "control_since": "Since",
        "n_events": "Events (1 yr)",
        "fatalities": "Fatalities (1 yr)",
    }
    return Section(f"Highest-risk places (top {len(top)})", rows=records(top, list(columns)), columns=columns)


def region_page(con: duckdb.DuckDBPyConnection, as_of: date | None = None, region: str | None = None) -> Page:
    """The regional situation report for `region` (name or slug; eastern DRC by default)."""
    build = latest_build(con)
    as_of = resolve_as_of(con, as_of, build)
    name = _resolve_region(frame(con, qr.regions()), region)
    since = as_of - timedelta(days=int(param(con, "alerts.period_days")))
    places = frame(con, qr.places(), as_of, name)
    events = frame(con, qr.events(), as_of, name)
    history = frame(con, qr.history(), as_of, name)
    alerts = frame(con, qr.alerts(), since, as_of, name)
    cells = frame(con, qr.hotspots(), as_of, name)
    lon, lat = extent(pd.concat([places.lon, events.lon]), pd.concat([places.lat, events.lat]))
    sections = [
        _summary(places, events, alerts, since),
        Section("Map: risk and control", figure=risk_map(places, events, lon, lat), intro=MAP_INTRO),
        Section("How risk moved, last 24 months", figure=risk_history(history), intro=HISTORY_INTRO),
        _movers(history, as_of, since),
        _alerts(alerts, since, as_of),
        *_hotspots(cells, places, lon, lat),
        _top_places(places),
    ]
    notice = synthetic_notice(
        int((events.source == "synthetic").sum()), bool((places.synthetic_share.fillna(0) > 0).any())
    )
    return render_page(con, "region", name, f"Regional situation: {name}", as_of, sections, notice, build)
