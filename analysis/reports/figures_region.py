"""Regional report figures: risk over time for the main places, and the hotspot grid map.

A DataFrame in, a go.Figure out. Every data string goes through `safe()`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.reports.html import safe
from analysis.reports.maps import cell_geojson, label_positions, map_layout, short_label
from analysis.reports.style import DASHES, OKABE_ITO, RISK_SCALE, TIERS, base_layout, empty, num

N_LINES = 5  # places per panel: more lines than this stop being readable


def main_places(history: pd.DataFrame, kind: str, n: int = N_LINES) -> list[str]:
    """The `n` places of a kind with the highest mean score over the period (so a place that calmed down
    still shows)."""
    part = history[history.place_kind == kind]
    return list(part.groupby("place_id").score.mean().sort_values(ascending=False).head(n).index)


def add_tier_guides(fig: go.Figure, rows: int = 1) -> None:
    for row in range(1, rows + 1):
        for tier, threshold in TIERS:
            fig.add_hline(
                y=threshold,
                line={"color": "#c4c9d1", "width": 1, "dash": "dot"},
                annotation={"text": tier, "font": {"size": 10, "color": "#8a8f98"}},
                annotation_position="top left",
                row=row,
                col=1,
            )


def risk_history(history: pd.DataFrame) -> go.Figure:
    """Monthly score of the main hubs (top panel) and sites (bottom); colour and dash tell lines apart."""
    if history.empty:
        return empty(go.Figure(), "No score history for this region.")
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        subplot_titles=("Trade hubs", "Mining sites"),
    )
    for row, kind in ((1, "hub"), (2, "site")):
        for i, place_id in enumerate(main_places(history, kind)):
            h = history[history.place_id == place_id].sort_values("scored_on")
            full = str(h["name"].iloc[0]).split(" (")[
                0
            ]  # "Rubaya - Bibatama D2": keep what tells sites apart
            name = safe(full if len(full) <= 30 else full[:29].rstrip() + "…")
            fig.add_trace(
                go.Scatter(
                    x=h.scored_on,
                    y=h.score,
                    mode="lines+markers",
                    name=name,
                    legendgroup=kind,
                    legendgrouptitle={"text": "Hubs" if kind == "hub" else "Sites"} if i == 0 else None,
                    line={
                        "color": OKABE_ITO[i % len(OKABE_ITO)],
                        "dash": DASHES[i % len(DASHES)],
                        "width": 2,
                    },
                    marker={"size": 5, "symbol": ["circle", "square", "diamond", "triangle-up", "x"][i % 5]},
                    customdata=[
                        [safe(t), safe(c) if isinstance(c, str) and c else "no armed group"]
                        for t, c in zip(h.tier, h.controlled_by, strict=True)
                    ],
                    hovertemplate=f"<b>{name}</b> · %{{x|%Y-%m-%d}}<br>score %{{y:.0f}} (%{{customdata[0]}})"
                    "<br>held by %{customdata[1]}<extra></extra>",
                ),
                row=row,
                col=1,
            )
    add_tier_guides(fig, rows=2)
    fig.update_yaxes(range=[0, 100], title={"text": "Risk score (0–100)"}, gridcolor="#eceef1")
    fig.update_xaxes(gridcolor="#eceef1")
    fig.update_layout(
        **base_layout(
            height=640,
            margin={"l": 10, "r": 10, "t": 40, "b": 30},
            legend={"orientation": "v", "x": 1.01, "y": 1, "groupclick": "toggleitem"},
        )
    )
    return fig


def hotspot_map(
    cells: pd.DataFrame,
    places: pd.DataFrame,
    lon_range: tuple[float, float],
    lat_range: tuple[float, float],
) -> go.Figure:
    """0.5° cells shaded by weighted events (darker = more), with the hubs for orientation."""
    fig = go.Figure()
    if cells.empty:
        return empty(fig, "No events in this region in the last year.")
    hover = [
        f"<b>Cell {safe(c.gid)}</b> ({c.lat:.2f}, {c.lon:.2f})<br>{num(c.n_events, 0)} events, "
        f"{num(c.fatalities, 0)} fatalities (year before: {num(c.n_events_prev, 0)} events)<br>"
        f"weighted events {num(c.intensity)}<br>mostly {safe(c.main_event_type)} · {safe(c.main_actor)}"
        f"<br>{safe(c.places)}"
        for c in cells.itertuples()
    ]
    fig.add_trace(
        go.Choropleth(
            geojson=cell_geojson(cells),
            locations=cells.gid.astype(str),
            z=cells.intensity,
            zmin=0,
            colorscale=RISK_SCALE,
            marker={"line": {"color": "#ffffff", "width": 0.6}, "opacity": 0.85},
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorbar={"title": {"text": "Weighted events"}, "thickness": 12, "len": 0.5, "x": 0.76, "y": 0.3},
            name="0.5° cell",
        )
    )
    hubs = places[places.place_kind == "hub"]
    if not hubs.empty:
        where = label_positions(hubs, scale=(lon_range[1] - lon_range[0]) / 9.5)
        fig.add_trace(
            go.Scattergeo(
                lon=hubs.lon,
                lat=hubs.lat,
                mode="markers+text",
                name="Trade hub",
                text=[
                    safe(short_label(n)) if i in where else ""
                    for i, n in zip(hubs.index, hubs["name"], strict=True)
                ],
                textposition=[where.get(i, "middle right") for i in hubs.index],
                textfont={"size": 11, "color": "#1d2430", "shadow": "auto"},
                hovertext=[safe(n) for n in hubs["name"]],
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "symbol": "diamond",
                    "size": 9,
                    "color": "#ffffff",
                    "line": {"width": 1.5, "color": "#1d2430"},
                },
            )
        )
    fig.update_layout(**map_layout(lon_range, lat_range, height=640))
    return fig
