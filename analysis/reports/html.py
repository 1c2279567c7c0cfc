"""Render one self-contained, offline HTML report from sections of text, figures and tables.

Everything a report needs is inlined: plotly.js once, the base-map topojson the geo figures use, the CSS.
Text that comes from data is untrusted: the template autoescapes it, figure strings go through `safe()`
before they reach a trace (Plotly renders a subset of HTML in labels), and JSON placed inside `<script>` is
escaped so no string can close the tag.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

__all__ = ["Card", "Section", "render_report", "safe"]

PLOT_CONFIG = {"displaylogo": False, "responsive": True}
_GEO_TRACES = {"scattergeo", "choropleth"}
# MapLibre/Mapbox traces fetch tiles and styles over the network and fail from file://.
_NETWORK_TRACES = {
    "scattermap",
    "choroplethmap",
    "densitymap",
    "scattermapbox",
    "choroplethmapbox",
    "densitymapbox",
}
_ASSETS = files("analysis.reports") / "assets" / "topojson"


@dataclass(frozen=True)
class Card:
    """A headline number: `value` is shown large, `detail` small underneath."""

    label: str
    value: str
    detail: str = ""


@dataclass
class Section:
    """One block of the report: heading, intro text, then optional cards, figure and table.

    `rows` are dicts; `columns` maps a row key to its column label and fixes the column order.
    """

    heading: str
    intro: str = ""
    figure: go.Figure | None = None
    rows: list[dict[str, Any]] | None = None
    columns: dict[str, str] | None = None
    cards: list[Card] = field(default_factory=list)
    note: str = ""


def safe(value: object) -> str:
    """Escape a data string for use inside a Plotly figure (hover text, labels, titles, tick labels).

    Plotly parses `<b>`, `<br>`, `<a href>` … in text; after escaping, any markup in data shows as inert text.
    """
    if (
        value is None
        or type(value).__name__ in ("NAType", "NaTType")
        or (isinstance(value, float) and math.isnan(value))
    ):
        return ""  # missing values show as blank, not "nan"
    # quote=False: with `<` escaped no tag can form, and Plotly would show `&quot;` literally.
    return html.escape(str(value), quote=False)


def script_json(obj: Any) -> str:
    """JSON that is safe to place inside a <script> element (no `</script>`, `<!--`, or line separators)."""
    text = obj if isinstance(obj, str) else json.dumps(obj, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@cache
def available_topojson() -> tuple[str, ...]:
    return tuple(sorted(p.name.removesuffix(".json") for p in _ASSETS.iterdir() if p.name.endswith(".json")))


@cache
def _plotly_js() -> str:
    # Inlined as a script body: a literal "</script" (in a string or regex) would end the element early.
    return re.sub(r"</(script)", r"<\\/\1", get_plotlyjs(), flags=re.IGNORECASE)


@cache
def _topojson_text(name: str) -> str:
    return (_ASSETS / f"{name}.json").read_text(encoding="utf-8")


def _prepare_figure(fig: go.Figure) -> tuple[dict[str, Any], set[str]]:
    """Return the figure as a plain dict and the topojson names its geo subplots need."""
    spec = json.loads(pio.to_json(fig, validate=False))
    layout = spec.setdefault("layout", {})
    needed: set[str] = set()
    for trace in spec.get("data", []):
        kind = trace.get("type", "scatter")
        if kind in _NETWORK_TRACES:
            raise ValueError(f"{kind} traces need network tiles; use scattergeo with the vendored base map")
        if kind not in _GEO_TRACES:
            continue
        geo = layout.setdefault(trace.get("geo", "geo"), {})
        geo.setdefault("resolution", 110)  # only the 1:110m files are vendored
        name = f"{geo.get('scope', 'world')}_{geo['resolution']}m"
        if name not in available_topojson():
            raise ValueError(f"base map {name!r} is not vendored (have {', '.join(available_topojson())})")
        needed.add(name)
    return spec, needed


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}" if 0 < abs(value) < 1 else f"{value:,.1f}"  # small shares and points
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(section: Section) -> dict[str, Any] | None:
    """Rows as lists in column order, with a flag per column for right-aligned numbers."""
    if section.rows is None:
        return None
    columns = section.columns or {key: key for key in (section.rows[0] if section.rows else {})}
    rows = [[row.get(key) for key in columns] for row in section.rows]
    numeric = [
        any(_is_number(r[i]) for r in rows) and all(_is_number(r[i]) or r[i] is None for r in rows)
        for i in range(len(columns))
    ]
    dates = [
        any(isinstance(r[i], date) for r in rows)
        and all(isinstance(r[i], date) or r[i] is None for r in rows)
        for i in range(len(columns))
    ]
    return {"labels": list(columns.values()), "rows": rows, "numeric": numeric, "dates": dates}


def _param(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, indent=2, sort_keys=True, default=str)


def _slug(text: str, index: int) -> str:
    return f"s{index}-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "section")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("analysis.reports", "templates"),
        autoescape=True,  # every {{ }} is escaped unless marked safe below
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cell=_cell, param=_param)
    env.tests["number"] = _is_number
    return env


def render_report(
    title: str,
    as_of: date,
    sections: list[Section],
    sources: list[dict[str, Any]],
    synthetic_notice: str | None,
    parameters: dict[str, Any],
    *,
    generated_by: str = "",
) -> str:
    """Render the report as one HTML string that needs no network.

    `sources` rows may carry: name, format, rows_loaded, rows_rejected, min_date, max_date, path, sha256.
    """
    figures, topo_names = [], set()
    for index, section in enumerate(sections):
        if section.figure is not None:
            spec, needed = _prepare_figure(section.figure)
            topo_names |= needed
            figures.append({"id": f"fig-{index}", "index": index, "json": script_json(spec)})
    fig_by_section = {f["index"]: f for f in figures}
    geo_assets = (
        "{" + ",".join(f"{json.dumps(n)}:{script_json(_topojson_text(n))}" for n in sorted(topo_names)) + "}"
    )
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title,
            as_of=as_of,
            sections=[
                {"s": s, "id": _slug(s.heading, i), "figure": fig_by_section.get(i), "table": _table(s)}
                for i, s in enumerate(sections)
            ],
            sources=sources,
            synthetic_notice=synthetic_notice,
            parameters=parameters,
            generated_by=generated_by,
            # Pre-escaped script bodies: Markup keeps autoescape from mangling them.
            geo_assets=Markup(geo_assets),
            plotly_js=Markup(_plotly_js()),
            figures=[{**f, "json": Markup(f["json"])} for f in figures],
            plot_config=Markup(script_json(PLOT_CONFIG)),
        )
    )
