"""HTML reports: self-contained, offline pages built from the warehouse's marts."""

from analysis.reports.html import Card, Section, render_report, safe
from analysis.reports.overview import build_overview, write_overview

__all__ = ["Card", "Section", "build_overview", "render_report", "safe", "write_overview"]
