"""What every report kind shares: marts into frames, the as-of date, names, and the page's footer data.

`render_page()` turns sections into a `Page`: the HTML, its default file name and the figures for PNG export.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
from rapidfuzz import fuzz, process, utils

from analysis.config import load_params
from analysis.reports import queries as q
from analysis.reports.html import Section, render_report

ALERT_LABELS = {
    "tier": "Tier crossed",
    "control": "Control changed",
    "deadly": "Deadly event nearby",
    "exposure": "Buyer exposure rose",
}
SYNTHETIC_SCRIPT = "scripts/generate_synthetic_events.py"
METAL_BASIS = (
    "Shares are of contained metal (tin, tantalum and tungsten content of the material), "
    "not of ore or concentrate tonnage."
)


@dataclass
class Page:
    """A rendered report: `html`, the default file stem `<kind>-<slug>` and its figures by name."""

    kind: str
    subject: str
    html: str
    figures: dict[str, go.Figure] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        return "risk-report" if self.kind == "overview" else f"{self.kind}-{slug(self.subject)}"


def frame(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> pd.DataFrame:
    return con.sql(sql, params=list(params)).df()


def py(value: Any) -> Any:
    """Plain Python value for a table cell: missing → None, timestamps at midnight → date."""
    if value is None or (not isinstance(value, str | list | dict) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def records(df: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    return [
        {c: py(v) for c, v in zip(columns, row, strict=True)} for row in df[columns].itertuples(index=False)
    ]


def pct(x: Any, digits: int = 1) -> float | None:
    """A fraction as a percentage rounded to `digits`; None when missing."""
    return None if x is None or pd.isna(x) else round(100 * float(x), digits)


def slug(text: str, limit: int = 60) -> str:
    """A file-name-safe slug: lower-case ASCII letters, digits and dashes only (never a path)."""
    ascii_text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "report"


def latest_build(con: duckdb.DuckDBPyConnection) -> tuple | None:
    return next(iter(con.sql(q.latest_build()).fetchall()), None)


def resolve_as_of(con: duckdb.DuckDBPyConnection, as_of: date | None, build: tuple | None) -> date:
    dates = [d.date() if isinstance(d, datetime) else d for (d,) in con.sql(q.scored_dates()).fetchall()]
    if as_of is None:
        if build is None and not dates:
            raise ValueError("the warehouse has no build and no scores: run the build first")
        as_of = build[3] if build is not None else dates[0]
    if as_of not in dates:
        have = ", ".join(d.isoformat() for d in dates[:10]) or "none"
        raise ValueError(f"no scores for as_of {as_of.isoformat()}; scored dates: {have}")
    return as_of


def param(con: duckdb.DuckDBPyConnection, key: str) -> float:
    """A method parameter as the build stored it (meta.params), else its default."""
    rows = con.sql(q.param(), params=[key]).fetchall() if _has_params(con) else []
    return float(rows[0][0]) if rows and rows[0][0] is not None else float(load_params()[key])


def _has_params(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.sql(q.has_params_table()).fetchall()[0][0])


def choose_buyer(buyers: pd.DataFrame, buyer: str | None) -> tuple[str, str] | None:
    """(buyer_id, name) of the named buyer (id or name, case-insensitive), the first buyer by default."""
    if buyer is None:
        return None if buyers.empty else (buyers.buyer_id.iloc[0], buyers.buyer_name.iloc[0])
    wanted = buyer.strip().casefold()
    for bid, name in zip(buyers.buyer_id, buyers.buyer_name, strict=True):
        if wanted in (str(bid).casefold(), str(name).casefold()):
            return bid, name
    partial = [
        (b, n) for b, n in zip(buyers.buyer_id, buyers.buyer_name, strict=True) if wanted in str(n).casefold()
    ]
    if wanted and len(partial) == 1:
        return partial[0]
    have = "; ".join(f"{b} ({n})" for b, n in zip(buyers.buyer_id, buyers.buyer_name, strict=True)) or "none"
    raise ValueError(f"unknown buyer {buyer!r}; available buyers: {have}")


def choose(wanted: str | None, ids: list[str], names: list[str], what: str) -> int:
    """Index of the entry whose id or name is `wanted` (case-insensitive), else whose name contains it once;
    otherwise a ValueError with the closest names."""
    key = (wanted or "").strip().casefold()
    for i, (ident, name) in enumerate(zip(ids, names, strict=True)):
        if key in (str(ident).casefold(), str(name).casefold()):
            return i
    contains = [i for i, name in enumerate(names) if key and key in str(name).casefold()]
    if len(contains) == 1:
        return contains[0]
    if len(contains) > 1:
        found = "; ".join(f"{names[i]} ({ids[i]})" for i in contains[:8])
        raise ValueError(f"{what} {wanted!r} is ambiguous: {found}; give the id or the full name")
    raise ValueError(f"unknown {what} {wanted!r}; {suggestions(wanted or '', ids, names)}")


def suggestions(wanted: str, ids: list[str], names: list[str], limit: int = 5) -> str:
    labels = [f"{n} ({i})" if str(n) != str(i) else str(n) for i, n in zip(ids, names, strict=True)]
    if not labels:
        return "there are none"
    best = process.extract(
        wanted, labels, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit, score_cutoff=50
    )
    shown = [label for label, _score, _i in best] or labels[:limit]
    return ("did you mean: " if best else "for example: ") + "; ".join(shown)


def synthetic_notice(n_events: int, scores_include_synthetic: bool) -> str | None:
    if n_events:
        return (
            f"This report shows {n_events} synthetic background events generated by {SYNTHETIC_SCRIPT}; "
            "they give the scores texture and are not real incidents."
        )
    if scores_include_synthetic:
        return (
            f"Some risk scores include synthetic background events generated by {SYNTHETIC_SCRIPT}; "
            "they give the scores texture and are not real incidents."
        )
    return None


def build_meta(con: duckdb.DuckDBPyConnection, build: tuple | None) -> tuple[list[dict], dict, str]:
    """The report's data sources (meta.files), method parameters and 'generated by' line."""
    if build is None:
        return [], {}, ""
    build_id, _started, finished, _as_of, version, params = build
    files = frame(con, q.build_files(), build_id)
    try:
        parameters = json.loads(params) if params else {}
    except json.JSONDecodeError:
        parameters = {"parameters (unparsed)": params}
    if not isinstance(parameters, dict):
        parameters = {"parameters": parameters}
    when = f", finished {finished:%Y-%m-%d %H:%M}" if finished else ""
    return (
        records(files, list(files.columns)),
        parameters,
        f"minrisk {version or '?'} · warehouse build {build_id}{when}",
    )


def render_page(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    subject: str,
    title: str,
    as_of: date,
    sections: list[Section],
    notice: str | None,
    build: tuple | None,
) -> Page:
    sources, parameters, generated_by = build_meta(con, build)
    html = render_report(title, as_of, sections, sources, notice, parameters, generated_by=generated_by)
    figures = {
        f"{i + 1:02d}-{slug(s.heading, 40)}": s.figure for i, s in enumerate(sections) if s.figure is not None
    }
    return Page(kind, subject, html, figures)
