"""Site or hub dossier figures: locator map with trade links, score components over time, nearby events.

A DataFrame in, a go.Figure out. Every data string goes through `safe()`.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analysis.reports.figures_region import add_tier_guides
from analysis.reports.html import safe
from analysis.reports.maps import event_traces, label_positions, map_layout, place_hover, short_label
from analysis.reports.style import (
    OKABE_ITO,
    RISK_SCALE,
    base_layout,
    day,
    empty,
    event_marker,
    legend_key,
    num,
)

COMPONENTS = (
    ("intensity_points", "Intensity (events nearby)", "#0072B2"),
    ("control_points", "Control (armed group holds it)", "#D55E00"),
    ("presence_points", "Presence (armed presence reported)", "#E69F00"),
)


def locator_map(
    place: pd.Series,
    partners: pd.DataFrame,
    events: pd.DataFrame,
    lon_range: tuple[float, float],
    lat_range: tuple[float, float],
) -> go.Figure:
    """The place (star), the places it trades with (lines: sites it is fed by, hubs it feeds or sends to),
    and the events of the timeline window around it."""
    fig = go.Figure(event_traces(events))
    located = partners.dropna(subset=["lat", "lon"])
    if not located.empty:
        lons: list[float | None] = []
        lats: list[float | None] = []
        for p in located.itertuples():
            lons += [place.lon, p.lon, None]
            lats += [place.lat, p.lat, None]
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                name="Trade link (routes)",
                line={"width": 1.5, "color": "#5b6473"},
                hoverinfo="skip",
            )
        )
        others = located.rename(columns={"other_name": "name", "other_score": "score"}).assign(
            place_kind=located.other_place_kind
        )
        where = label_positions(others, scale=(lon_range[1] - lon_range[0]) / 9.5)
        for kind, label, symbol in (("site", "Linked site", "circle"), ("hub", "Linked hub", "diamond")):
            part = others[others.place_kind == kind]
            if part.empty:
                continue
            fig.add_trace(
                go.Scattergeo(
                    lon=part.lon,
                    lat=part.lat,
                    mode="markers+text",
                    name=label,
                    text=[
                        safe(short_label(n)) if i in where else ""
                        for i, n in zip(part.index, part["name"], strict=True)
                    ],
                    textposition=[where.get(i, "middle right") for i in part.index],
                    textfont={"size": 11, "color": "#1d2430", "shadow": "auto"},
                    hovertext=[
                        f"<b>{safe(n)}</b><br>{safe(d)} · share {num(s, 2)}<br>score {num(sc)}"
                        for n, d, s, sc in zip(
                            part["name"], part.direction, part.share, part.score, strict=True
                        )
                    ],
                    hovertemplate="%{hovertext}<extra></extra>",
                    marker={
                        "symbol": symbol,
                        "size": 11,
                        "color": part.score,
                        "colorscale": RISK_SCALE,
                        "cmin": 0,
                        "cmax": 100,
                        "line": {"width": 1, "color": "#1d2430"},
                    },
                )
            )
    fig.add_trace(
        go.Scattergeo(
            lon=[place.lon],
            lat=[place.lat],
            mode="markers+text",
            name=safe(short_label(place["name"])),
            text=[safe(short_label(place["name"]))],
            textposition="top center",
            textfont={"size": 13, "color": "#1d2430", "shadow": "auto"},
            hovertext=[place_hover(place)],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "symbol": "star",
                "size": 22,
                "color": [place.score],
                "colorscale": RISK_SCALE,
                "cmin": 0,
                "cmax": 100,
                "showscale": True,
                "line": {"width": 1.5, "color": "#1d2430"},
                "colorbar": {
                    "title": {"text": "Risk score"},
                    "thickness": 12,
                    "len": 0.45,
                    "x": 0.76,
                    "y": 0.3,
                },
            },
        )
    )
    fig.update_layout(**map_layout(lon_range, lat_range, height=560))
    return fig


def components_history(history: pd.DataFrame) -> go.Figure:
    """The score's three parts stacked month by month: their top edge is the score (capped at 100)."""
    fig = go.Figure()
    if history.empty:
        return empty(fig, "No score history for this place.")
    for column, label, colour in COMPONENTS:
        fig.add_trace(
            go.Scatter(
                x=history.scored_on,
                y=history[column],
                name=label,
                mode="lines",
                stackgroup="score",
                line={"width": 1, "color": colour},
                fillpattern={"shape": "/" if column == "presence_points" else ""},
                hovertemplate=f"{label}: %{{y:.1f}} points<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=history.scored_on,
            y=history.score,
            name="Score",
            mode="lines+markers",
            line={"color": "#1d2430", "width": 2},
            marker={"size": 5},
            customdata=[[safe(t)] for t in history.tier],
            hovertemplate="%{x|%Y-%m-%d}: score %{y:.0f} (%{customdata[0]})<extra></extra>",
        )
    )
    add_tier_guides(fig)
    fig.update_layout(
        **base_layout(
            height=380,
            margin={"l": 10, "r": 10, "t": 40, "b": 30},
            hovermode="x unified",
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
            yaxis={"range": [0, 100], "title": {"text": "Points (0–100)"}, "gridcolor": "#eceef1"},
            xaxis={"gridcolor": "#eceef1"},
        )
    )
    return fig


def events_timeline(events: pd.DataFrame, as_of: date, days: int) -> go.Figure:
    """Each nearby event: x = date, y = distance from the place, size = fatalities, colour = event type."""
    fig = go.Figure()
    if events.empty:
        return empty(fig, "No events near this place in the period.")
    types = sorted(events.event_type.dropna().unique())
    colour = {t: OKABE_ITO[i % len(OKABE_ITO)] for i, t in enumerate(types)}
    for t in types:
        only_synthetic = bool(events[events.event_type == t].source.eq("synthetic").all())
        for synthetic in (False, True):
            ev = events[(events.event_type == t) & (events.source.eq("synthetic") == synthetic)]
            if ev.empty:
                continue
            notes = [
                safe(n[:160] + ("…" if len(n) > 160 else "")) if isinstance(n, str) else "" for n in ev.notes
            ]
            fig.add_trace(
                go.Scatter(
                    x=ev.event_date,
                    y=ev.distance_km,
                    mode="markers",
                    name=safe(t) + (" (synthetic)" if synthetic else ""),
                    legendgroup=safe(t),
                    # One legend entry per type; the hollow variant is explained by one shared key.
                    showlegend=not synthetic or only_synthetic,
                    text=[
                        f"<b>{day(e.event_date)} · {safe(e.event_type)}</b><br>{safe(e.sub_event_type)}<br>"
                        f"Fatalities {num(e.fatalities, 0)} · {num(e.distance_km)} km away<br>{n}"
                        f"<br><i>source: {safe(e.source)}</i>"
                        for e, n in zip(ev.itertuples(), notes, strict=True)
                    ],
                    hovertemplate="%{text}<extra></extra>",
                    marker=event_marker(ev.fatalities, colour[t], synthetic),
                )
            )
    if events.source.eq("synthetic").any():
        fig.add_trace(
            legend_key(
                go.Scatter, "Synthetic (hollow)", {"symbol": "circle-open", "size": 10, "color": "#5b6473"}
            )
        )
    fig.update_layout(
        **base_layout(
            height=420,
            margin={"l": 10, "r": 10, "t": 60, "b": 40},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "itemsizing": "constant"},
            xaxis={
                "range": [(as_of - timedelta(days=days)).isoformat(), as_of.isoformat()],
                "gridcolor": "#eceef1",
            },
            yaxis={
                "title": {"text": "Distance from the place (km)"},
                "rangemode": "tozero",
                "gridcolor": "#eceef1",
            },
        )
    )
    return fig
