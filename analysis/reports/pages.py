"""One entry point for every report kind: build the page, write it, optionally export its figures as PNG."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from analysis.reports.buyer import buyer_page
from analysis.reports.common import Page
from analysis.reports.overview import overview_page
from analysis.reports.place import place_page
from analysis.reports.region import region_page

__all__ = ["KINDS", "REPORTS_DIR", "build_page", "default_out", "write_page"]

KINDS = ("overview", "buyer", "region", "place")
REPORTS_DIR = Path("reports")
# Which option names the subject of each kind; an option given to another kind is a usage error.
_SUBJECT = {"overview": "buyer", "buyer": "buyer", "region": "region", "place": "place"}


def build_page(
    con: duckdb.DuckDBPyConnection,
    kind: str = "overview",
    as_of: date | None = None,
    buyer: str | None = None,
    region: str | None = None,
    place: str | None = None,
) -> Page:
    """The report of `kind` from the warehouse's marts; raises ValueError on a wrong or unknown subject."""
    if kind not in KINDS:
        raise ValueError(f"unknown report kind {kind!r}; choose one of {', '.join(KINDS)}")
    given = {"buyer": buyer, "region": region, "place": place}
    stray = [f"--{k}" for k, v in given.items() if v is not None and k != _SUBJECT[kind]]
    if stray:
        raise ValueError(f"{', '.join(stray)} does not apply to `minrisk report {kind}`")
    if kind == "buyer":
        return buyer_page(con, as_of, buyer)
    if kind == "region":
        return region_page(con, as_of, region)
    if kind == "place":
        return place_page(con, as_of, place)
    return overview_page(con, as_of, buyer)


def default_out(page: Page, folder: Path = REPORTS_DIR) -> Path:
    """reports/risk-report.html for the overview, reports/<kind>-<slug>.html for the others."""
    return folder / f"{page.stem}.html"


def write_page(page: Page, out: Path | None = None) -> Path:
    out = Path(out) if out is not None else default_out(page)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page.html, encoding="utf-8")
    return out
