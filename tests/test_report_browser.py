"""The overview report in a real headless Chromium: offline, drawn, and with no data-injected script run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import pytest

from analysis.reports import Section, render_report, write_overview
from tests.browser import check_page, require_browser
from tests.fake_marts import make_fake_marts


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    require_browser()
    tmp = tmp_path_factory.mktemp("browser")
    with duckdb.connect(str(tmp / "w.duckdb")) as con:
        make_fake_marts(con)
    html = write_overview(tmp / "w.duckdb", tmp / "overview.html")
    return check_page(html, "overview")


def _assert_offline_and_clean(result: dict[str, Any]) -> None:
    assert result["requests"], "the page itself should have been requested"
    assert result["external_requests"] == []
    assert result["console_errors"] == []
    assert result["page_errors"] == []
    assert result["dialogs"] == []


def test_overview_makes_no_request_and_logs_no_error(overview: dict[str, Any]) -> None:
    _assert_offline_and_clean(overview)
    assert overview["plots_ready_hook"]


def test_overview_draws_every_figure(overview: dict[str, Any]) -> None:
    assert overview["n_figures"] == 3
    assert overview["n_drawn"] == 3
    for fig in overview["figures"]:
        assert fig["main_svg"] and fig["svg_children"] > 20, fig


def test_overview_map_draws_base_map_and_markers(overview: dict[str, Any]) -> None:
    geos = [g for f in overview["figures"] for g in f["geos"]]
    assert len(geos) == 1
    geo = geos[0]
    assert geo["countries"] > 0 and geo["land"] > 0 and geo["coastlines"] > 0, geo
    assert geo["points"] >= 17 + 20, geo  # every place plus the year's events


def test_overview_timeline_and_bars_have_marks(overview: dict[str, Any]) -> None:
    timeline, bars = overview["figures"][1], overview["figures"][2]
    assert timeline["points"] > 10
    assert bars["bars"] == 5


def test_injected_markup_never_runs(overview: dict[str, Any]) -> None:
    assert overview["xss"] is None


def test_screenshot_is_saved(overview: dict[str, Any]) -> None:
    shot: Path = overview["screenshot"]
    assert shot.name == "overview.png" and shot.stat().st_size > 20_000


def test_world_scope_uses_vendored_world_map(tmp_path: Path) -> None:
    fig = go.Figure(go.Scattergeo(lon=[29.2, 30.1], lat=[-1.7, -1.9], mode="markers"))
    fig.update_geos(scope="world", showcountries=True)
    html = tmp_path / "world.html"
    html.write_text(
        render_report("World", date(2025, 6, 30), [Section("Map", figure=fig)], [], None, {}),
        encoding="utf-8",
    )
    result = check_page(html, "world-smoke")
    _assert_offline_and_clean(result)
    (geo,) = result["figures"][0]["geos"]
    assert geo["countries"] > 0 and geo["land"] > 0 and geo["points"] == 2
