"""Report maps: Scattergeo and Choropleth over the vendored Natural Earth base map (no tiles, no network).

A DataFrame in, a go.Figure out. Every data string goes through `safe()` (Plotly renders HTML in text).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis.reports.html import safe
from analysis.reports.style import KIND_LABELS, RISK_SCALE, base_layout, day, legend_key, num

MAX_LABELS = 18  # places named on the map (print has no hover): hubs first, never overlapping
# The focus box is lon 26–31.5, lat -8–1 (North and South Kivu, Maniema, Tanganyika); the lon range is wider
# so the map fills a landscape figure and shows Rwanda, Burundi and Uganda for context.
MAP_LON = (24.0, 33.5)
MAP_LAT = (-8.0, 1.0)
CONTROL_RING = "#D55E00"  # Okabe–Ito vermillion; the ring's shape, not its colour, carries the meaning
EVENT_COLOUR = "#b0413e"


def short_label(name: object, limit: int = 22) -> str:
    """A map label: the name before any parenthesis or " - " qualifier, cut to `limit` characters."""
    text = str(name)
    for sep in (" (", " - "):
        head = text.split(sep)[0].strip()
        text = head if len(head) >= 3 else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def label_positions(
    places: pd.DataFrame, max_labels: int = MAX_LABELS, scale: float = 1.0
) -> dict[object, str]:
    """Where the map labels go: {row index: 'middle right' | 'middle left' | …}; absent = no label.

    Hubs first (they orient the reader), then sites, each by score. Each label tries right, left, above and
    below its marker and takes the first spot that overlaps no label already placed and no other marker.
    Boxes are in degrees, sized for 11 px text on the default map extent; `scale` is the extent's width
    relative to the default one (a map zoomed in twice needs half the degrees).
    """
    char, half_h, pad, mark = (v * scale for v in (0.075, 0.1, 0.08, 0.05))
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


def extent(
    lons: pd.Series, lats: pd.Series, pad: float = 0.6, min_span: float = 2.5
) -> tuple[tuple[float, float], tuple[float, float]]:
    """A lon/lat box around the points, padded, at least `min_span` degrees, about 4:3 wide."""
    lons, lats = pd.Series(lons, dtype=float).dropna(), pd.Series(lats, dtype=float).dropna()
    if lons.empty or lats.empty:
        return MAP_LON, MAP_LAT
    x0, x1, y0, y1 = lons.min() - pad, lons.max() + pad, lats.min() - pad, lats.max() + pad
    span_y = max(y1 - y0, min_span)
    span_x = max(x1 - x0, min_span, span_y * 1.05)  # the map area is wider than tall
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return (cx - span_x / 2, cx + span_x / 2), (max(cy - span_y / 2, -89.0), min(cy + span_y / 2, 89.0))


def geo_layout(
    lon_range: tuple[float, float], lat_range: tuple[float, float], domain_x: float = 0.74
) -> dict:
    """The shared base map: Natural Earth 1:110m Africa, muted land and water, country borders."""
    return {
        "domain": {"x": [0, domain_x], "y": [0, 1]},
        "scope": "africa",
        "resolution": 110,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": list(lon_range)},
        "lataxis": {"range": list(lat_range)},
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
    }


def map_layout(lon_range: tuple[float, float], lat_range: tuple[float, float], height: int = 700) -> dict:
    """Map on the left, legend and colour bar in the strip to its right (the map keeps its aspect ratio)."""
    return base_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"orientation": "v", "yanchor": "top", "y": 0.98, "x": 0.76, "xanchor": "left"},
        geo=geo_layout(lon_range, lat_range),
    )


def place_hover(p: pd.Series) -> str:
    held = isinstance(p.controlled_by, str) and p.controlled_by
    control = safe(p.controlled_by) if held else "no armed group"
    since = f" since {day(p.control_since)}" if held else ""
    return (
        f"<b>{safe(p['name'])}</b><br>{safe(KIND_LABELS.get(p.kind, p.kind))} · {safe(p.country_iso3)}<br>"
        f"Risk score <b>{num(p.score)}</b> ({safe(p.tier)})<br>"
        f"Intensity {num(p.intensity_points)} + control {num(p.control_points)}"
        f" + presence {num(p.presence_points)} points<br>"
        f"Controlled by: {control}{safe(since)}<br>"
        f"Events (1 yr): {num(p.n_events, 0)} · fatalities {num(p.fatalities, 0)}"
    )


def event_hover(e: pd.Series) -> str:
    actors = " vs ".join(safe(a) for a in (e.actor1, e.actor2) if isinstance(a, str) and a)
    notes = safe(e.notes[:180] + ("…" if len(e.notes) > 180 else "")) if isinstance(e.notes, str) else ""
    return (
        f"<b>{day(e.event_date)} · {safe(e.event_type)}</b><br>{safe(e.sub_event_type)}<br>"
        f"{actors}<br>Fatalities {num(e.fatalities, 0)} · {safe(e.location)}<br>"
        f"{notes}<br><i>source: {safe(e.source)}</i>"
    )


def event_traces(events: pd.DataFrame) -> list[go.Scattergeo]:
    """Events as small markers; synthetic ones hollow, so they never pass for recorded ones."""
    traces = []
    for synthetic, label, symbol in (
        (False, "Event (recorded)", "circle"),
        (True, "Event (synthetic)", "circle-open"),
    ):
        ev = events[(events.source == "synthetic") == synthetic]
        if ev.empty:
            continue
        traces.append(
            go.Scattergeo(
                lon=ev.lon,
                lat=ev.lat,
                mode="markers",
                name=label,
                text=[event_hover(e) for _, e in ev.iterrows()],
                hovertemplate="%{text}<extra></extra>",
                marker={
                    "symbol": symbol,
                    "size": 6,
                    "color": EVENT_COLOUR,
                    "opacity": 0.75,
                    "line": {"width": 1.2, "color": EVENT_COLOUR},
                },
            )
        )
    return traces


def control_rings(places: pd.DataFrame) -> list[go.Scattergeo]:
    """A thick open ring around every place an armed group holds: visible in print and without colour."""
    held = places[places.controlled_by.notna() & (places.controlled_by.astype(str) != "")]
    if held.empty:
        return []
    return [
        go.Scattergeo(
            lon=held.lon,
            lat=held.lat,
            mode="markers",
            name="Held by an armed group (ring)",
            hovertext=[
                f"<b>{safe(n)}</b><br>held by {safe(c)}"
                for n, c in zip(held["name"], held.controlled_by, strict=True)
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": "circle-open", "size": 22, "color": CONTROL_RING, "line": {"width": 3}},
        )
    ]


def risk_map(
    places: pd.DataFrame,
    events: pd.DataFrame,
    lon_range: tuple[float, float] = MAP_LON,
    lat_range: tuple[float, float] = MAP_LAT,
) -> go.Figure:
    """Sites (circles) and hubs (diamonds) coloured by risk score, over the year's events; a ring marks
    each place an armed group holds."""
    fig = go.Figure(event_traces(events))
    fig.add_traces(control_rings(places))
    scale_shown = False
    labels = label_positions(places, scale=(lon_range[1] - lon_range[0]) / (MAP_LON[1] - MAP_LON[0]))
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
        fig.add_trace(legend_key(go.Scattergeo, label, grey))
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
                hovertext=[place_hover(p) for _, p in pl.iterrows()],
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
    fig.update_layout(**map_layout(lon_range, lat_range))
    return fig


def cell_geojson(cells: pd.DataFrame, size: float = 0.5) -> dict:
    """Grid cells (min_lat, min_lon, gid) as a GeoJSON FeatureCollection of squares, id = gid."""
    features = []
    for c in cells.itertuples(index=False):
        x0, y0 = float(c.min_lon), float(c.min_lat)
        ring = [[x0, y0], [x0, y0 + size], [x0 + size, y0 + size], [x0 + size, y0], [x0, y0]]
        features.append(
            {
                "type": "Feature",
                "id": str(c.gid),
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
