"""Buyer report figures: the supply-chain Sankey (origin → hub → export point → smelter → buyer) and where
the exposure enters the chain.

A DataFrame in (marts.buyer_flow_links_at, marts.buyer_risk_by_stage_at), a go.Figure out. Every label goes
through `safe()`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from analysis.reports.html import safe
from analysis.reports.maps import short_label
from analysis.reports.style import OKABE_ITO, RISK_SCALE, base_layout, empty

LAYERS = ("origin", "hub", "export", "smelter", "buyer")
LAYER_TITLES = ("Country of origin", "First trading hub", "Export point", "Smelter", "Buyer")
UNTRACED = {"hub": "Route not traced", "export": "Export point not traced"}
MAX_NODES = 14  # per layer; the smaller ones merge into "Other (n)" so labels stay readable
NODE_COLOUR = "#5b6473"
UNTRACED_COLOUR = "#c4c9d1"
PLACE_STAGES = {"mine sites", "first hubs", "hubs further down the chain"}
KEYS = ["source_layer", "source_id", "source_name", "target_layer", "target_id", "target_name"]


def risk_colour(risk: float | None, alpha: float = 1.0) -> str:
    """The risk scale's colour for a 0–100 value as rgba (grey when unknown)."""
    if risk is None or pd.isna(risk):
        return f"rgba(160,160,160,{alpha})"
    rgb = sample_colorscale(RISK_SCALE, [min(max(float(risk), 0.0), 100.0) / 100])[0]
    return rgb.replace("rgb(", "rgba(").replace(")", f",{alpha})")


def through_untraced(links: pd.DataFrame) -> pd.DataFrame:
    """Metal whose path is not traced (origin → smelter) passes 'not traced' nodes, so every path has the
    same five columns and the gap in the evidence is drawn, not hidden."""
    direct = (links.source_layer == "origin") & (links.target_layer == "smelter")
    d = links[direct]
    hub = {"layer": "hub", "id": "_untraced", "name": UNTRACED["hub"]}
    export = {"layer": "export", "id": "_untraced", "name": UNTRACED["export"]}
    parts = [
        links[~direct],
        d.assign(target_layer=hub["layer"], target_id=hub["id"], target_name=hub["name"]),
        d.assign(
            source_layer=hub["layer"],
            source_id=hub["id"],
            source_name=hub["name"],
            target_layer=export["layer"],
            target_id=export["id"],
            target_name=export["name"],
        ),
        d.assign(source_layer=export["layer"], source_id=export["id"], source_name=export["name"]),
    ]
    return _sum(pd.concat(parts, ignore_index=True))


def _sum(links: pd.DataFrame) -> pd.DataFrame:
    out = links.groupby(KEYS, as_index=False, dropna=False)[["share", "contribution"]].sum()
    out["risk"] = out.contribution / out.share.where(out.share > 0)
    return out


def merge_small(links: pd.DataFrame, max_nodes: int = MAX_NODES) -> pd.DataFrame:
    """Keep the `max_nodes` largest nodes of each layer; merge the others into one 'Other (n)' node."""
    size = pd.concat(
        [
            links.groupby(["source_layer", "source_id"]).share.sum().rename_axis(["layer", "id"]),
            links.groupby(["target_layer", "target_id"]).share.sum().rename_axis(["layer", "id"]),
        ]
    )
    size = size.groupby(level=[0, 1]).max().reset_index()
    rename: dict[tuple[str, str], tuple[str, str]] = {}
    for layer, nodes in size.groupby("layer"):
        nodes = nodes[nodes.id != "_untraced"].sort_values("share", ascending=False)
        small = nodes.iloc[max_nodes:]
        if len(small) > 1:
            rename.update({(layer, i): ("_other", f"Other ({len(small)})") for i in small.id})
    if not rename:
        return links
    out = links.copy()
    for end in ("source", "target"):
        keys = list(zip(out[f"{end}_layer"], out[f"{end}_id"], strict=True))
        hit = [k in rename for k in keys]
        out.loc[hit, f"{end}_id"] = [rename[k][0] for k in keys if k in rename]
        out.loc[hit, f"{end}_name"] = [rename[k][1] for k in keys if k in rename]
    return _sum(out)


def supply_sankey(links: pd.DataFrame) -> go.Figure:
    """The buyer's contained metal from origins to the buyer; link colour = risk of the metal it carries."""
    fig = go.Figure()
    if links.empty:
        return empty(fig, "No declared smelters, so no flow to draw.")
    links = merge_small(through_untraced(links))
    nodes = pd.concat(
        [
            links[["source_layer", "source_id", "source_name"]].set_axis(["layer", "id", "name"], axis=1),
            links[["target_layer", "target_id", "target_name"]].set_axis(["layer", "id", "name"], axis=1),
        ]
    ).drop_duplicates(["layer", "id"])
    nodes["order"] = nodes.layer.map(LAYERS.index)
    nodes = nodes.sort_values(["order", "name"]).reset_index(drop=True)
    index = {(r.layer, r.id): i for i, r in enumerate(nodes.itertuples())}
    inflow = links.groupby(["target_layer", "target_id"]).share.sum()
    outflow = links.groupby(["source_layer", "source_id"]).share.sum()
    through = [
        max(inflow.get((r.layer, r.id), 0), outflow.get((r.layer, r.id), 0)) for r in nodes.itertuples()
    ]
    origin_risk = links[links.source_layer == "origin"].groupby("source_id").risk.max()
    colours = [
        UNTRACED_COLOUR
        if r.id in ("_untraced", "_other")
        else risk_colour(origin_risk.get(r.id))
        if r.layer == "origin"
        else NODE_COLOUR
        for r in nodes.itertuples()
    ]
    fig.add_trace(
        go.Sankey(
            arrangement="snap",
            valueformat=".1%",
            node={
                # No label on the buyer's node: the report is about it, and a label would cross the smelters'.
                "label": [
                    f"{safe(short_label(n, 30))} · {t:.0%}" if layer != "buyer" else ""
                    for n, t, layer in zip(nodes.name, through, nodes.layer, strict=True)
                ],
                "color": colours,
                "pad": 10,
                "thickness": 14,
                "line": {"color": "#ffffff", "width": 0.5},
                "customdata": [
                    [safe(n), LAYER_TITLES[o]] for n, o in zip(nodes.name, nodes.order, strict=True)
                ],
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]}"
                "<br>%{value} of the buyer's metal<extra></extra>",
            },
            link={
                "source": [index[(a, b)] for a, b in zip(links.source_layer, links.source_id, strict=True)],
                "target": [index[(a, b)] for a, b in zip(links.target_layer, links.target_id, strict=True)],
                "value": links.share,
                "color": [risk_colour(r, 0.55) for r in links.risk],
                "customdata": links.risk.round(0),
                "hovertemplate": "%{source.label} → %{target.label}<br>%{value} of the buyer's metal"
                "<br>origin risk %{customdata}<extra></extra>",
            },
            domain={"x": [0, 1], "y": [0, 0.94]},
        )
    )
    # A colour bar for the links: an empty scatter carries it (Sankey has none of its own).
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": RISK_SCALE,
                "cmin": 0,
                "cmax": 100,
                "color": [0],
                "showscale": True,
                "colorbar": {
                    "title": {"text": "Origin risk"},
                    "thickness": 12,
                    "len": 0.6,
                    "x": 1.02,
                    "xanchor": "left",
                },
            },
        )
    )
    for i, title in enumerate(LAYER_TITLES):
        fig.add_annotation(
            text=f"<b>{title}</b>",
            x=i / (len(LAYER_TITLES) - 1),
            y=1.0,
            xref="paper",
            yref="paper",
            xanchor=("left", "center", "center", "center", "right")[i],
            showarrow=False,
            font={"size": 12, "color": "#5b6473"},
        )
    n = max(nodes.groupby("layer").size().max(), 4)
    fig.update_layout(
        **base_layout(
            height=max(420, 34 * n + 120),
            margin={"l": 10, "r": 90, "t": 20, "b": 10},
            xaxis={"visible": False},
            yaxis={"visible": False},
            plot_bgcolor="rgba(0,0,0,0)",
        )
    )
    return fig


def stage_bars(stages: pd.DataFrame) -> go.Figure:
    """The exposure points each stage of the chain adds, in chain order from the top (mine sites first)."""
    fig = go.Figure()
    if stages.empty:
        return empty(fig, "No exposure recorded for this buyer.")
    rows = stages.iloc[::-1]  # a horizontal bar chart draws its first row at the bottom
    fig.add_trace(
        go.Bar(
            y=[safe(s[:1].upper() + s[1:]) for s in rows.stage],
            x=rows.points,
            orientation="h",
            # Traced to sites and hubs in one colour, country-level origins in another (Okabe–Ito).
            marker={"color": [OKABE_ITO[0] if s in PLACE_STAGES else OKABE_ITO[1] for s in rows.stage]},
            text=[f"{p:.1f}" for p in rows.points],
            textposition="outside",
            cliponaxis=False,
            customdata=[["—" if pd.isna(s) else f"{s:.1%}"] for s in rows.share],
            hovertemplate="<b>%{y}</b><br>%{x:.1f} exposure points<br>Share of the metal %{customdata[0]}"
            "<extra></extra>",
        )
    )
    fig.update_layout(
        **base_layout(
            height=max(240, 34 * len(rows) + 110),
            margin={"l": 10, "r": 40, "t": 10, "b": 50},
            showlegend=False,
            xaxis={"title": {"text": "Exposure points (they add up to the exposure)"}, "rangemode": "tozero"},
            yaxis={"automargin": True},
        )
    )
    return fig
