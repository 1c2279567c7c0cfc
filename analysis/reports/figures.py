"""Report figures: a DataFrame in, a go.Figure out, no I/O.

Every data string that reaches a figure goes through `safe()` first: Plotly renders a subset of HTML in labels
and hover text, and names, actors and notes come from outside sources.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analysis.reports.html import safe

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"
# Cividis reads the same with colour-vision deficiency and in greyscale; reversed so that high risk is the
# darkest, most salient mark on the light base map.
RISK_SCALE = "Cividis_r"
MAX_LABELS = 18  # places named on the map (print has no hover): hubs first, never overlapping
# Okabe–Ito: a qualitative palette that stays distinguishable for colour-blind readers.
OKABE_ITO = ["#D55E00", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BASIS_COLOURS = {
    "declared": "#0072B2",
    "trade statistics": "#56B4E9",
    "recycled": "#009E73",
    "pooled unknown": "#9a9a9a",
}
EXTRA_BASIS_COLOURS = ["#E69F00", "#CC79A7", "#D55E00", "#000000"]  # bases outside the list above
# The focus box is lon 26–31.5, lat -8–1 (North and South Kivu, Maniema, Tanganyika); the lon range is wider
# so the map fills a landscape figure and shows Rwanda, Burundi and Uganda for context.
MAP_LON = (24.0, 33.5)
MAP_LAT = (-8.0, 1.0)
KIND_LABELS = {
    "trading_centre": "trading centre",
    "border_post": "border post",
    "smelter_town": "smelter town",
}


def _base_layout(**kw: object) -> dict[str, object]:
    return {
        "font": {"family": FONT, "size": 12, "color": "#1d2430"},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "hoverlabel": {"font": {"family": FONT}},
        **kw,
    }


def _num(value: object, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:,.{digits}f}"


def _day(value: object) -> str:
    return "—" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _empty(fig: go.Figure, message: str) -> go.Figure:
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


def short_label(name: object, limit: int = 22) -> str:
    """A map label: the name before any parenthesis or " - " qualifier, cut to `limit` characters."""
    text = str(name)
    for sep in (" (", " - "):
        head = text.split(sep)[0].strip()
        text = head if len(head) >= 3 else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label_positions(places: pd.DataFrame, max_labels: int = MAX_LABELS) -> dict[object, str]:
    """Where the map labels go: {row index: 'middle right' | 'middle left' | …}; absent = no label.

    Hubs first (they orient the reader), then sites, each by score. Each label tries right, left, above and
    below its marker and takes the first spot that overlaps no label already placed and no other marker.
    Boxes are in degrees, sized for 11 px text on the default map extent.
    """
    char, half_h, pad, mark = 0.075, 0.1, 0.08, 0.05
    located = places.dropna(subset=["lon", "lat"])
    lon, lat = located.lon.to_numpy(float), located.lat.to_numpy(float)
    taken: list[tuple[float, float, float, float]] = []
    where: dict[object, str] = {}
    order = located.assign(_site=located.place_kind != "hub").sort_values(
        ["_site", "score"], ascending=[True, False]
    )
    for idx, p in order.iterrows():
        if len(taken) >= max_labels:
            break
        x, y, w = p.lon, p.lat, char * len(short_label(p["name"]))
        candidates = {
            "middle right": (x + pad, x + pad + w, y - half_h, y + half_h),
            "middle left": (x - pad - w, x - pad, y - half_h, y + half_h),
            "top center": (x - w / 2, x + w / 2, y + pad, y + pad + 2 * half_h),
            "bottom center": (x - w / 2, x + w / 2, y - pad - 2 * half_h, y - pad),
        }
        me = located.index == idx
        for position, (x0, x1, y0, y1) in candidates.items():
            # Vectorised over all markers: thousands of sites must not make this quadratic in Python.
            hits = (lon + mark >= x0) & (lon - mark <= x1) & (lat + mark >= y0) & (lat - mark <= y1) & ~me
            if hits.any() or any(not (x1 < t[0] or x0 > t[1] or y1 < t[2] or y0 > t[3]) for t in taken):
                continue
            taken.append((x0, x1, y0, y1))
            where[idx] = position
            break
    return where


def _legend_key(trace: type[go.Scatter] | type[go.Scattergeo], name: str, marker: dict) -> go.BaseTraceType:
    """A legend-only entry (no data): explains a symbol without taking one data point's colour."""
    coords = {"lon": [None], "lat": [None]} if trace is go.Scattergeo else {"x": [None], "y": [None]}
    return trace(**coords, mode="markers", name=name, marker=marker, hoverinfo="skip")


def _place_hover(p: pd.Series) -> str:
    control = (
        safe(p.controlled_by) if isinstance(p.controlled_by, str) and p.controlled_by else "no armed group"
    )
    since = f" since {_day(p.control_since)}" if isinstance(p.controlled_by, str) and p.controlled_by else ""
    return (
        f"<b>{safe(p['name'])}</b><br>{safe(KIND_LABELS.get(p.kind, p.kind))} · {safe(p.country_iso3)}<br>"
        f"Risk score <b>{_num(p.score)}</b> ({safe(p.tier)})<br>"
        f"Intensity {_num(p.intensity_points)} + control {_num(p.control_points)}"
        f" + presence {_num(p.presence_points)} points<br>"
        f"Controlled by: {control}{safe(since)}<br>"
        f"Events (1 yr): {_num(p.n_events, 0)} · fatalities {_num(p.fatalities, 0)}"
    )


def _event_hover(e: pd.Series) -> str:
    actors = " vs ".join(safe(a) for a in (e.actor1, e.actor2) if isinstance(a, str) and a)
    notes = safe(e.notes[:180] + ("…" if len(e.notes) > 180 else "")) if isinstance(e.notes, str) else ""
    return (
        f"<b>{_day(e.event_date)} · {safe(e.event_type)}</b><br>{safe(e.sub_event_type)}<br>"
        f"{actors}<br>Fatalities {_num(e.fatalities, 0)} · {safe(e.location)}<br>"
        f"{notes}<br><i>source: {safe(e.source)}</i>"
    )


def risk_map(places: pd.DataFrame, events: pd.DataFrame) -> go.Figure:
    """Sites (circles) and hubs (diamonds) coloured by risk score, over the year's events.

    Synthetic events are hollow so they never pass for recorded ones.
    """
    fig = go.Figure()
    for synthetic, label, symbol in (
        (False, "Event (recorded)", "circle"),
        (True, "Event (synthetic)", "circle-open"),
    ):
        ev = events[(events.source == "synthetic") == synthetic]
        if ev.empty:
            continue
        fig.add_trace(
            go.Scattergeo(
                lon=ev.lon,
                lat=ev.lat,
                mode="markers",
                name=label,
                text=[_event_hover(e) for _, e in ev.iterrows()],
                hovertemplate="%{text}<extra></extra>",
                marker={
                    "symbol": symbol,
                    "size": 6,
                    "color": "#b0413e",
                    "opacity": 0.75,
                    "line": {"width": 1.2, "color": "#b0413e"},
                },
            )
        )
    scale_shown = False
    labels = label_positions(places)
    for kind, label, symbol, size in (
        ("site", "Mining site", "circle", 12),
        ("hub", "Trade hub", "diamond", 14),
    ):
        pl = places[places.place_kind == kind].sort_values("score")  # riskiest drawn on top
        if pl.empty:
            continue
        where = [labels.get(i) for i in pl.index]
        grey = {
            "symbol": symbol,
            "size": size - 2,
            "color": "#8a8f98",
            "line": {"width": 1, "color": "#1d2430"},
        }
        fig.add_trace(_legend_key(go.Scattergeo, label, grey))
        fig.add_trace(
            go.Scattergeo(
                lon=pl.lon,
                lat=pl.lat,
                name=label,
                showlegend=False,
                mode="markers+text",
                text=[safe(short_label(n)) if w else "" for n, w in zip(pl["name"], where, strict=True)],
                textposition=[w or "middle right" for w in where],
                textfont={"size": 11, "color": "#1d2430" if kind == "hub" else "#4a5260", "shadow": "auto"},
                hovertext=[_place_hover(p) for _, p in pl.iterrows()],
                hovertemplate="%{hovertext}<extra></extra>",
                # A per-trace scale, not a shared coloraxis: with coloraxis plotly.js 4.1 logs
                # "Invalid color specifier" warnings for scattergeo markers.
                marker={
                    "symbol": symbol,
                    "size": size,
                    "color": pl.score,
                    "colorscale": RISK_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "showscale": not scale_shown,  # one colour bar for both traces
                    "line": {"width": 1, "color": "#1d2430"},
                    "colorbar": {
                        "title": {"text": "Risk score"},
                        "thickness": 12,
                        "len": 0.45,
                        "x": 0.76,
                        "y": 0.3,
                        "xanchor": "left",
                    },
                },
            )
        )
        scale_shown = True
    fig.update_layout(
        **_base_layout(
            height=700,
            margin={"l": 0, "r": 0, "t": 10, "b": 0},
            # The map keeps its aspect ratio; legend and colour bar sit in the right-hand strip beside it.
            legend={"orientation": "v", "yanchor": "top", "y": 0.98, "x": 0.76, "xanchor": "left"},
            geo={
                "domain": {"x": [0, 0.74], "y": [0, 1]},
                "scope": "africa",
                "resolution": 110,
                "projection": {"type": "mercator"},
                "lonaxis": {"range": list(MAP_LON)},
                "lataxis": {"range": list(MAP_LAT)},
                "showland": True,
                "landcolor": "#f1f0ea",
                "showocean": True,
                "oceancolor": "#dfeaf3",
                "showlakes": True,
                "lakecolor": "#cfe0ee",
                "showrivers": True,
                "rivercolor": "#b9d2e6",
                "showcountries": True,
                "countrycolor": "#7d8490",
                "countrywidth": 1.2,
                "showcoastlines": True,
                "coastlinecolor": "#7d8490",
                "showframe": True,
                "framecolor": "#c4c9d1",
                "bgcolor": "#fff",
            },
        )
    )
    return fig


def hub_timeline(timeline: pd.DataFrame, as_of: date) -> go.Figure:
    """Events near the main hubs over 24 months: x = date, y = hub, size = fatalities, colour = event type."""
    fig = go.Figure()
    start = as_of - timedelta(days=730)
    if timeline.empty:
        return _empty(fig, "No events near the main hubs in the last 24 months.")
    types = sorted(timeline.event_type.dropna().unique())
    colour = {t: OKABE_ITO[i % len(OKABE_ITO)] for i, t in enumerate(types)}
    for t in types:
        only_synthetic = bool((timeline[timeline.event_type == t].source == "synthetic").all())
        for synthetic in (False, True):
            ev = timeline[(timeline.event_type == t) & ((timeline.source == "synthetic") == synthetic)]
            if ev.empty:
                continue
            size = [min(8 + 3 * math.sqrt(max(f or 0, 0)), 40) for f in ev.fatalities.fillna(0)]
            hover = [
                f"<b>{safe(e.hub_name)}</b> · {_day(e.event_date)}<br>{safe(e.event_type)}: "
                f"{safe(e.sub_event_type)}<br>Fatalities {_num(e.fatalities, 0)}"
                f" · {_num(e.distance_km)} km away"
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
                    marker={
                        "size": size,
                        "color": colour[t],
                        "symbol": "circle-open" if synthetic else "circle",
                        "opacity": 0.85,
                        "line": {
                            "width": 2 if synthetic else 0.5,
                            "color": colour[t] if synthetic else "#fff",
                        },
                    },
                )
            )
    if (timeline.source == "synthetic").any():
        fig.add_trace(
            _legend_key(
                go.Scatter,
                "Synthetic (hollow)",
                {"symbol": "circle-open", "size": 10, "color": "#5b6473", "line": {"width": 2}},
            )
        )
    n_hubs = timeline.hub_name.nunique()
    fig.update_layout(
        **_base_layout(
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
        return _empty(fig, "No origin mix recorded for this buyer.")
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
                text=[_num(c) for c in part.contribution],
                textposition="outside",
                cliponaxis=False,
                customdata=[[f"{s:.1%}", _num(r)] for s, r in zip(part.share, part.origin_risk, strict=True)],
                hovertemplate="<b>%{y}</b><br>Share of contained metal %{customdata[0]}<br>"
                "Origin risk %{customdata[1]}<br>Contribution %{x:.1f} points<extra></extra>",
            )
        )
    fig.update_layout(
        **_base_layout(
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
