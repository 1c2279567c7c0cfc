"""Overview figures (hub timeline, exposure bars) and the names the overview and its tests use.

A DataFrame in, a go.Figure out, no I/O. Every data string that reaches a figure goes through `safe()`
first: Plotly renders a subset of HTML in labels and hover text, and names, actors and notes come from
outside sources.
Maps live in maps.py, the other report kinds' figures in figures_<kind>.py, shared style in style.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analysis.reports.html import safe
from analysis.reports.maps import MAP_LAT, MAP_LON, MAX_LABELS, label_positions, risk_map, short_label
from analysis.reports.style import (
    KIND_LABELS,
    OKABE_ITO,
    RISK_SCALE,
    base_layout,
    day,
    empty,
    event_marker,
    legend_key,
    num,
)

__all__ = [
    "KIND_LABELS",
    "MAP_LAT",
    "MAP_LON",
    "MAX_LABELS",
    "OKABE_ITO",
    "RISK_SCALE",
    "exposure_bars",
    "hub_timeline",
    "label_positions",
    "risk_map",
    "short_label",
]

BASIS_COLOURS = {
    "declared": "#0072B2",
    "trade statistics": "#56B4E9",
    "recycled": "#009E73",
    "pooled unknown": "#9a9a9a",
}
EXTRA_BASIS_COLOURS = ["#E69F00", "#CC79A7", "#D55E00", "#000000"]  # bases outside the list above


def hub_timeline(timeline: pd.DataFrame, as_of: date) -> go.Figure:
    """Events near the main hubs over 24 months: x = date, y = hub, size = fatalities, colour = event type."""
    fig = go.Figure()
    start = as_of - timedelta(days=730)
    if timeline.empty:
        return empty(fig, "No events near the main hubs in the last 24 months.")
    types = sorted(timeline.event_type.dropna().unique())
    colour = {t: OKABE_ITO[i % len(OKABE_ITO)] for i, t in enumerate(types)}
    for t in types:
        only_synthetic = bool((timeline[timeline.event_type == t].source == "synthetic").all())
        for synthetic in (False, True):
            ev = timeline[(timeline.event_type == t) & ((timeline.source == "synthetic") == synthetic)]
            if ev.empty:
                continue
            hover = [
                f"<b>{safe(e.hub_name)}</b> · {day(e.event_date)}<br>{safe(e.event_type)}: "
                f"{safe(e.sub_event_type)}<br>Fatalities {num(e.fatalities, 0)}"
                f" · {num(e.distance_km)} km away"
                f"<br><i>source: {safe(e.source)}</i>"
                for _, e in ev.iterrows()
            ]
            fig.add_trace(
                go.Scatter(
                    x=ev.event_date,
                    y=[safe(h) for h in ev.hub_name],
                    mode="markers",
                    legendgroup=safe(t),
                    name=safe(t) + (" (synthetic)" if synthetic else ""),
                    # One legend entry per type; the hollow variant is explained by one shared key.
                    showlegend=not synthetic or only_synthetic,
                    text=hover,
                    hovertemplate="%{text}<extra></extra>",
                    marker=event_marker(ev.fatalities, colour[t], synthetic),
                )
            )
    if (timeline.source == "synthetic").any():
        fig.add_trace(
            legend_key(
                go.Scatter,
                "Synthetic (hollow)",
                {"symbol": "circle-open", "size": 10, "color": "#5b6473", "line": {"width": 2}},
            )
        )
    n_hubs = timeline.hub_name.nunique()
    fig.update_layout(
        **base_layout(
            height=max(300, 42 * n_hubs + 140),
            margin={"l": 10, "r": 10, "t": 60, "b": 40},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "itemsizing": "constant"},
            xaxis={"range": [start.isoformat(), as_of.isoformat()], "title": None, "gridcolor": "#eceef1"},
            yaxis={
                "title": None,
                "categoryorder": "category descending",
                "gridcolor": "#eceef1",
                "automargin": True,
            },
        )
    )
    return fig


def exposure_bars(origin_mix: pd.DataFrame) -> go.Figure:
    """Contribution of each origin to the buyer's exposure (share of contained metal × origin risk)."""
    fig = go.Figure()
    if origin_mix.empty:
        return empty(fig, "No origin mix recorded for this buyer.")
    mix = origin_mix.sort_values("contribution")  # largest at the top of a horizontal bar chart
    bases = list(dict.fromkeys(mix.basis))
    extra = iter(EXTRA_BASIS_COLOURS * len(bases))
    colours = {b: BASIS_COLOURS.get(b) or next(extra) for b in bases}
    for basis in bases:
        part = mix[mix.basis == basis]
        fig.add_trace(
            go.Bar(
                y=[safe(n) for n in part.origin_name],
                x=part.contribution,
                orientation="h",
                name=safe(basis),
                marker={
                    "color": colours[basis],
                    "pattern": {"shape": "/" if basis == "pooled unknown" else ""},
                },
                text=[num(c) for c in part.contribution],
                textposition="outside",
                cliponaxis=False,
                customdata=[[f"{s:.1%}", num(r)] for s, r in zip(part.share, part.origin_risk, strict=True)],
                hovertemplate="<b>%{y}</b><br>Share of contained metal %{customdata[0]}<br>"
                "Origin risk %{customdata[1]}<br>Contribution %{x:.1f} points<extra></extra>",
            )
        )
    fig.update_layout(
        **base_layout(
            height=max(260, 34 * len(mix) + 120),
            margin={"l": 10, "r": 40, "t": 10, "b": 50},
            barmode="overlay",
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "title": {"text": "Basis: "}},
            xaxis={
                "title": {"text": "Contribution to exposure (points = share × origin risk)"},
                "rangemode": "tozero",
                "gridcolor": "#eceef1",
            },
            yaxis={
                "title": None,
                "automargin": True,
                "ticksuffix": "  ",  # keeps labels off the bars
                "categoryorder": "array",
                "categoryarray": [safe(n) for n in mix.origin_name],
            },
        )
    )
    return fig
