"""HTML reports: self-contained, offline pages built from the warehouse's marts (docs/reports.md)."""

from analysis.reports.common import Page
from analysis.reports.html import Card, Section, render_report, safe
from analysis.reports.overview import build_overview, write_overview
from analysis.reports.pages import KINDS, build_page, write_page

__all__ = [
    "KINDS",
    "Card",
    "Page",
    "Section",
    "build_overview",
    "build_page",
    "render_report",
    "safe",
    "write_overview",
    "write_page",
]
