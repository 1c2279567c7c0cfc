"""The reports' visual language: fonts, colour-blind-safe scales, number formats and small figure helpers."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analysis.reports.html import safe

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"
# Cividis reads the same with colour-vision deficiency and in greyscale; reversed so that high risk is the
# darkest, most salient mark on the light base map.
RISK_SCALE = "Cividis_r"
# Okabe–Ito: a qualitative palette that stays distinguishable for colour-blind readers.
OKABE_ITO = ["#D55E00", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]  # lines stay apart in greyscale
TIERS = (("medium", 25), ("high", 50), ("severe", 75))  # the default tier thresholds, drawn as guides
KIND_LABELS = {
    "trading_centre": "trading centre",
    "border_post": "border post",
    "smelter_town": "smelter town",
}


def base_layout(**kw: object) -> dict[str, object]:
    return {
        "font": {"family": FONT, "size": 12, "color": "#1d2430"},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "hoverlabel": {"font": {"family": FONT}},
        **kw,
    }


def num(value: object, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.{digits}f}"


def day(value: object) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(
        text=safe(message),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font={"size": 14, "color": "#5b6473"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def legend_key(trace: type[go.Scatter] | type[go.Scattergeo], name: str, marker: dict) -> go.BaseTraceType:
    """A legend-only entry (no data): explains a symbol without taking one data point's colour."""
    coords = {"lon": [None], "lat": [None]} if trace is go.Scattergeo else {"x": [None], "y": [None]}
    return trace(**coords, mode="markers", name=name, marker=marker, hoverinfo="skip")


def event_marker(fatalities: pd.Series, colour: str, synthetic: bool) -> dict:
    """Timeline markers of events: sized by fatalities, hollow when synthetic so they never pass for
    recorded ones."""
    return {
        "size": [min(8 + 3 * math.sqrt(max(f or 0, 0)), 40) for f in fatalities.fillna(0)],
        "color": colour,
        "symbol": "circle-open" if synthetic else "circle",
        "opacity": 0.85,
        "line": {"width": 2 if synthetic else 0.5, "color": colour if synthetic else "#fff"},
    }
