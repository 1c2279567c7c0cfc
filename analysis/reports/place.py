"""The site or hub dossier: one place's score and its history, events, control, trade links and buyers."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analysis.reports import queries_place as qp
from analysis.reports.common import (
    ALERT_LABELS,
    Page,
    choose,
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
from analysis.reports.figures_place import components_history, events_timeline, locator_map
from analysis.reports.html import Card, Section
from analysis.reports.maps import extent
from analysis.reports.style import KIND_LABELS

__all__ = ["place_page"]

MAX_EVENTS = 60
EFFECTS = {"gain": "taken (armed group)", "loss": "retaken (state)", "release": "given up"}
DIRECTIONS = {
    "feeds": "sells to (hub)",
    "fed by": "buys from (site)",
    "sends to": "sends to (hub)",
    "receives from": "receives from (hub)",
}


def _resolve(places: pd.DataFrame, wanted: str | None) -> pd.Series:
    if not wanted:
        raise ValueError("name the place: `minrisk report place --place NAME` (a site or hub, name or id)")
    return places.iloc[choose(wanted, list(places.place_id), list(places["name"]), "place")]


def _summary(p: pd.Series, regions: pd.DataFrame) -> Section:
    held = isinstance(p.controlled_by, str) and p.controlled_by
    where = ", ".join(regions.region) or "no region of reference.regions"
    what = "Mining site" if p.place_kind == "site" else f"Trade hub ({KIND_LABELS.get(p.kind, p.kind)})"
    minerals = f" Minerals: {str(p.minerals).replace(';', ', ')}." if isinstance(p.minerals, str) else ""
    presence = f" Armed presence reported: {p.armed_presence}." if isinstance(p.armed_presence, str) else ""
    return Section(
        "Summary",
        intro=f"{what} in {p.country_iso3} ({p.lat:.3f}, {p.lon:.3f}); region: {where}.{minerals}{presence}",
        cards=[
            Card("Risk score (0–100)", f"{p.score:.0f}", f"tier {p.tier}"),
            Card(
                "Score parts (points)",
                f"{p.intensity_points:.0f} + {p.control_points:.0f} + {p.presence_points:.0f}",
                "intensity + control + presence",
            ),
            Card(
                "Held by",
                str(p.controlled_by) if held else "no armed group",
                f"since {py(p.control_since).isoformat()}" if held and py(p.control_since) else "",
            ),
            Card("Events, last 365 days", f"{int(p.n_events):,}", f"{int(p.fatalities):,} fatalities nearby"),
        ],
    )


def _events_sections(events: pd.DataFrame, as_of: date, days: int) -> list[Section]:
    shown = events.head(MAX_EVENTS).assign(
        what=[
            f"{t}: {s}" if isinstance(s, str) and s else t
            for t, s in zip(
                events.event_type.head(MAX_EVENTS), events.sub_event_type.head(MAX_EVENTS), strict=True
            )
        ],
        actors=[
            " vs ".join(a for a in (a1, a2) if isinstance(a, str) and a)
            for a1, a2 in zip(events.actor1.head(MAX_EVENTS), events.actor2.head(MAX_EVENTS), strict=True)
        ],
    )
    columns = {
        "event_date": "Date",
        "what": "Event",
        "actors": "Actors",
        "fatalities": "Fatalities",
        "distance_km": "Distance (km)",
        "contribution": "Weight in the score",
        "notes": "Notes (from the source)",
        "source": "Source",
    }
    more = f" Showing the latest {len(shown)} of {len(events)}." if len(events) > len(shown) else ""
    return [
        Section(
            f"Events nearby, last {days} days",
            figure=events_timeline(events, as_of, days),
            intro="Every event within the linking radius; marker size grows with fatalities; "
            "hollow = synthetic.",
        ),
        Section(
            "Event timeline with notes",
            rows=records(shown, list(columns)),
            columns=columns,
            intro="Latest first. Weight = the event's contribution to the place's intensity (type × "
            "distance × age × precision × fatalities × source; 0 once older than scoring.lookback_days)."
            + more,
        ),
    ]


def _control_section(p: pd.Series, control: pd.DataFrame, radius: float) -> Section:
    held = isinstance(p.controlled_by, str) and p.controlled_by
    now = (
        f"Held by {p.controlled_by} since {py(p.control_since)}." if held else "No armed group holds it now."
    )
    control = control.assign(effect=control.control_effect.map(EFFECTS))
    columns = {
        "event_date": "Date",
        "effect": "Control",
        "actor1": "By",
        "actor2": "Against",
        "distance_km": "Distance (km)",
        "fatalities": "Fatalities",
        "notes": "Notes (from the source)",
        "source": "Source",
    }
    return Section(
        "Armed control history",
        rows=records(control, list(columns)),
        columns=columns,
        intro=f"{now} Takeovers, retakings and releases within {radius:.0f} km in the same country "
        "(scoring.control_radius_km): the latest takeover not since ended decides who holds the place.",
    )


def _routes_section(routes: pd.DataFrame) -> Section:
    routes = routes.assign(
        link=routes.direction.map(DIRECTIONS),
        share_pct=routes.share.map(pct),
    )
    columns = {
        "link": "Link",
        "other_name": "Place",
        "other_country_iso3": "Country",
        "other_score": "Its score (0–100)",
        "other_controlled_by": "Held by",
        "share_pct": "Share (%)",
        "assumed": "Assumed",
        "source_ref": "Source",
    }
    return Section(
        "Trade links",
        rows=records(routes, list(columns)),
        columns=columns,
        intro="Which hubs a site sells to, which sites sell to a hub, and a hub's legs down the chain "
        "(core.routes and core.hub_links). Share = the upstream place's output or throughput on the link.",
    )


def _buyers_section(buyers: pd.DataFrame) -> Section:
    buyers = buyers.assign(share_pct=buyers.metal_share.map(lambda x: pct(x, 3)))
    columns = {
        "buyer_name": "Buyer",
        "metal": "Metal basis",
        "role": "Role of the place",
        "share_pct": "Share of the buyer's metal (%)",
        "points": "Exposure points",
    }
    return Section(
        "Buyers it reaches",
        rows=records(buyers, list(columns)),
        columns=columns,
        intro="Buyers whose declared smelters source from the place's country (per the origin mixes), with "
        "the share of the buyer's contained metal that may be mined at or pass through the place, and the "
        "exposure points it accounts for (docs/reports.md). Shares are of contained metal.",
    )


def _alerts_section(alerts: pd.DataFrame, since: date) -> Section:
    alerts = alerts.assign(alert_type=alerts.alert_type.map(ALERT_LABELS))
    columns = {
        "alert_type": "Alert",
        "direction": "Direction",
        "event_date": "Event date",
        "detail": "What changed",
    }
    return Section(f"Alerts since {since.isoformat()}", rows=records(alerts, list(columns)), columns=columns)


def place_page(con: duckdb.DuckDBPyConnection, as_of: date | None = None, place: str | None = None) -> Page:
    """The dossier of one site or hub (`place`: id or name, case-insensitive, or a unique part of a name)."""
    build = latest_build(con)
    as_of = resolve_as_of(con, as_of, build)
    p = _resolve(frame(con, qp.places(), as_of), place)
    days = int(param(con, "reports.timeline_days"))
    since = as_of - timedelta(days=int(param(con, "alerts.period_days")))
    events = frame(con, qp.events(), p.place_id, as_of)
    routes = frame(con, qp.routes(), as_of, p.place_id)
    partners = routes.drop_duplicates("other_id")
    lon, lat = extent(
        pd.concat([pd.Series([p.lon]), partners.lon, events.lon]),
        pd.concat([pd.Series([p.lat]), partners.lat, events.lat]),
        min_span=1.5,
    )
    kind = "Site" if p.place_kind == "site" else "Hub"
    sections = [
        _summary(p, frame(con, qp.regions(), p.place_id, p.place_kind)),
        Section(
            "Where it is and what it trades with",
            figure=locator_map(p, partners, events, lon, lat),
            intro="The place (star), the places it trades with (lines) and the events near it (red; hollow = "
            "synthetic), all coloured by risk score where scored.",
        ),
        Section(
            "Score and its parts, last 24 months",
            figure=components_history(frame(con, qp.history(), as_of, p.place_id)),
            intro="The score on the first day of each month: intensity + control + presence points "
            "(docs/scoring.md); dotted lines are the tier thresholds.",
        ),
        *_events_sections(events, as_of, days),
        _control_section(
            p, frame(con, qp.control_events(), as_of, p.place_id), param(con, "scoring.control_radius_km")
        ),
        _routes_section(routes),
        _buyers_section(frame(con, qp.buyers(), as_of, p.place_id)),
        _alerts_section(frame(con, qp.alerts(), since, as_of, p.place_id), since),
    ]
    notice = synthetic_notice(
        int(events.source.eq("synthetic").sum()), bool(p.synthetic_share and p.synthetic_share > 0)
    )
    return render_page(
        con, "place", str(p["name"]), f"{kind} dossier: {p['name']}", as_of, sections, notice, build
    )
