"""Every report kind in headless Chromium: offline, drawn, sortable, and no data-injected script runs."""

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


# --- Every report kind, built from a real warehouse (the bundled sample) with hostile text injected. -------
SMELTER_TABLE = 'section[id$="exposure-by-smelter"] table'


def _sort_probe(page: Any) -> dict[str, list[float]]:
    """Click the smelter table's exposure heading twice; read the column after each click."""
    read = f"""() => Array.from(document.querySelectorAll('{SMELTER_TABLE} tbody tr'))
        .map(r => parseFloat(r.cells[6].getAttribute('data-v')))"""
    heading = page.locator(f"{SMELTER_TABLE} th", has_text="Exposure (0–100)")
    heading.click()
    ascending = page.evaluate(read)
    heading.click()
    return {"ascending": ascending, "descending": page.evaluate(read)}


@pytest.fixture(scope="module")
def kinds(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    from analysis.reports.pages import build_page, write_page
    from tests.fake_marts import hostile_sample

    require_browser()
    tmp = tmp_path_factory.mktemp("kinds")
    ids = hostile_sample(sample_db, tmp / "hostile.duckdb")
    with duckdb.connect(str(tmp / "hostile.duckdb"), read_only=True) as con:
        pages = {
            "overview": build_page(con, "overview"),
            "buyer": build_page(con, "buyer"),
            "region": build_page(con, "region"),
            "place": build_page(con, "place", place=ids["site_id"]),
        }
    return {
        kind: {
            **check_page(
                write_page(page, tmp / f"{kind}.html"),
                f"report-{kind}",
                probe=_sort_probe if kind == "buyer" else None,
            ),
            "n_expected": len(page.figures),
        }
        for kind, page in pages.items()
    }


@pytest.mark.parametrize("kind", ["overview", "buyer", "region", "place"])
def test_every_kind_is_offline_clean_and_drawn(kinds: dict[str, dict[str, Any]], kind: str) -> None:
    result = kinds[kind]
    _assert_offline_and_clean(result)
    assert result["xss"] is None
    assert result["n_figures"] == result["n_drawn"] == result["n_expected"] >= 2
    for fig in result["figures"]:
        assert fig["main_svg"] and fig["svg_children"] > 20, fig
    assert result["screenshot"].name == f"report-{kind}.png" and result["screenshot"].stat().st_size > 50_000


def test_buyer_sankey_draws_nodes_and_links(kinds: dict[str, dict[str, Any]]) -> None:
    sankey = kinds["buyer"]["figures"][0]
    assert sankey["sankey_nodes"] >= 5 * 2 and sankey["sankey_links"] >= sankey["sankey_nodes"] - 1
    bars = kinds["buyer"]["figures"][1]
    assert bars["bars"] >= 5


def test_region_maps_draw_base_map_places_events_and_cells(kinds: dict[str, dict[str, Any]]) -> None:
    risk_map, history, hotspots = kinds["region"]["figures"]
    (geo,) = risk_map["geos"]
    assert geo["countries"] > 0 and geo["land"] > 0 and geo["points"] > 60  # 65 places and the year's events
    assert history["lines"] >= 10  # five hubs and five sites
    (cells,) = hotspots["geos"]
    assert cells["cells"] > 10 and cells["land"] > 0


def test_place_dossier_draws_map_history_and_timeline(kinds: dict[str, dict[str, Any]]) -> None:
    locator, history, timeline = kinds["place"]["figures"]
    (geo,) = locator["geos"]
    assert geo["countries"] > 0 and geo["points"] > 5
    assert history["lines"] >= 3 and timeline["points"] > 10


def test_tables_sort_on_click(kinds: dict[str, dict[str, Any]]) -> None:
    probe = kinds["buyer"]["probe"]
    assert len(probe["ascending"]) >= 5
    assert probe["ascending"] == sorted(probe["ascending"])
    assert probe["descending"] == sorted(probe["ascending"], reverse=True)
