"""The buyer, region and place reports on the bundled sample, no browser: content, choices, escaping."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from markupsafe import escape
from plotly.offline import get_plotlyjs

from analysis.reports import queries, queries_buyer, queries_place, queries_region
from analysis.reports.common import slug
from analysis.reports.pages import build_page, default_out, write_page
from tests.fake_marts import (
    XSS_ACTOR,
    XSS_BUYER,
    XSS_HUB,
    XSS_NOTE,
    XSS_PLACE,
    XSS_REGION,
    XSS_SMELTER,
    hostile_sample,
)

PLOTLY_MARKER = get_plotlyjs().splitlines()[1]
HOSTILE = (XSS_NOTE, XSS_PLACE, XSS_BUYER, XSS_ACTOR, XSS_HUB, XSS_SMELTER, XSS_REGION)


@pytest.fixture(scope="module")
def hostile(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    db = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    return db, hostile_sample(sample_db, db)


@pytest.fixture(scope="module")
def hcon(hostile: tuple[Path, dict]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(hostile[0]), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def pages(hcon: duckdb.DuckDBPyConnection, hostile: tuple[Path, dict]) -> dict:
    ids = hostile[1]
    return {
        "buyer": build_page(hcon, "buyer"),
        "region": build_page(hcon, "region"),
        "hostile region": build_page(hcon, "region", region=XSS_REGION),
        "site": build_page(hcon, "place", place=ids["site_id"]),
        "hub": build_page(hcon, "place", place=ids["hub_id"]),
    }


def test_every_page_is_self_contained_and_states_its_basis(
    pages: dict, hcon: duckdb.DuckDBPyConnection
) -> None:
    as_of = hcon.execute("select max(as_of) from marts.place_risk").fetchall()[0][0]
    for name, page in pages.items():
        html = page.html
        assert html.count(PLOTLY_MARKER) == 1, name
        assert not re.search(r"<script[^>]+src=|<link[^>]+href=", html), name
        assert f'<time datetime="{as_of.isoformat()}">' in html, name
        assert "Data sources" in html and "datasets/sample/events.csv" in html, name
        assert "Method parameters" in html and "alerts.period_days" in html, name
        # The sample's synthetic background events show everywhere but around the hub chosen (Kigali).
        assert ('id="synthetic-notice"' in html) == (name != "hub"), name
        assert html.count("Plotly.newPlot(") == len(page.figures) >= 2, name
        assert 'class="sortable"' in html, name


def test_hostile_text_never_becomes_markup(pages: dict) -> None:
    for name, page in pages.items():
        for raw in HOSTILE:
            assert raw not in page.html, (name, raw)
        for raw in (
            "<script>window.__xss",
            "<img src=x onerror",
            "<svg/onload",
            "<iframe",
            'href="javascript:',
        ):
            assert raw not in page.html, (name, raw)
    buyer, site, region = pages["buyer"].html, pages["site"].html, pages["hostile region"].html
    assert str(escape(XSS_BUYER)) in buyer  # heading and tables, autoescaped
    assert str(escape(XSS_SMELTER)) in buyer
    assert (
        "\\u0026lt;img src=x onerror=" in buyer
    )  # the hub inside the Sankey's JSON: safe() then \\u-escaped
    assert str(escape(XSS_NOTE)) in site and str(escape(XSS_ACTOR)) in site and str(escape(XSS_PLACE)) in site
    assert str(escape(XSS_REGION)) in region


def test_buyer_report_sections(pages: dict) -> None:
    html = pages["buyer"].html
    for heading in (
        "Exposure",
        "Where the metal comes from",
        "Exposure by country of origin (all metals)",
        "Exposure by smelter",
        "Smelters needing follow-up",
        "Where the risk enters the chain",
        "Places that contribute most",
        "Events behind the exposure",
    ):
        assert f"<h2>{heading}" in html, heading
    assert "Shares are of contained metal" in html
    assert re.search(r"[+-]\d+\.\d points since \d{4}-\d{2}-\d{2}", html)
    assert "sources from covered countries: " in html  # Luna Smelter declares DRC and Rwandan mines
    assert "Synthetic events account for" in html
    assert pages["buyer"].stem == f"buyer-{slug(XSS_BUYER)}"


def test_region_report_sections(pages: dict) -> None:
    page = pages["region"]
    assert page.subject == "Eastern DRC" and page.stem == "region-eastern-drc"
    for heading in (
        "Map: risk and control",
        "How risk moved, last 24 months",
        "New alerts since",
        "Hotspots",
    ):
        assert f"<h2>{heading}" in page.html, heading
    assert "Held by an armed group (ring)" in page.html
    assert '"type":"choropleth"' in page.html and '"type":"Polygon"' in page.html


def test_place_dossiers(pages: dict, hostile: tuple[Path, dict]) -> None:
    site, hub = pages["site"].html, pages["hub"].html
    for heading in (
        "Where it is and what it trades with",
        "Score and its parts, last 24 months",
        "Event timeline with notes",
        "Armed control history",
        "Trade links",
        "Buyers it reaches",
    ):
        assert f"<h2>{heading}" in site and f"<h2>{heading}" in hub, heading
    assert "Site dossier: " in site and "Hub dossier: " in hub
    assert "taken (armed group)" in site  # its control event, with the (hostile) note shown inert
    assert "buys from (site)" in hub and "sells to (hub)" in site
    assert str(escape(XSS_BUYER)) in site  # the buyer it reaches


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("place", {"place": "Gomma"}, r"unknown place 'Gomma'; did you mean: Goma \(H-COD-GOMA\)"),
        ("place", {"place": "Rubaya"}, None),  # an exact name wins over the sites named "… (Rubaya)"
        ("place", {"place": "(Rubaya)"}, r"place '\(Rubaya\)' is ambiguous: .*give the id or the full name"),
        ("place", {"place": "h-cod-bukavu"}, None),
        ("place", {}, r"name the place"),
        ("region", {"region": "kivus"}, None),
        ("region", {"region": "Western Sahara"}, r"unknown region 'Western Sahara'; .*Eastern DRC"),
        ("buyer", {"buyer": "Example Electronics"}, None),
        ("buyer", {"buyer": "nobody"}, r"unknown buyer 'nobody'; available buyers: B-EXAMPLE"),
        ("region", {"place": "Goma"}, r"--place does not apply to `minrisk report region`"),
        ("overview", {"region": "Kivus"}, r"--region does not apply to `minrisk report overview`"),
    ],
)
def test_choosing_the_subject(
    sample: duckdb.DuckDBPyConnection, kind: str, options: dict, message: str
) -> None:
    if message is None:
        assert build_page(sample, kind, **options).html
    else:
        with pytest.raises(ValueError, match=message):
            build_page(sample, kind, **options)


def test_file_names_are_safe_slugs(tmp_path: Path) -> None:
    assert slug("Eastern DRC") == "eastern-drc"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug('<img src=x onerror="a()">') == "img-src-x-onerror-a"
    assert slug("Kalimbi (Nyabibwe)") == "kalimbi-nyabibwe" and slug("«»") == "report"


def test_write_page_defaults(sample: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    page = build_page(sample, "region", region="Kivus")
    assert default_out(page) == Path("reports/region-kivus.html")
    out = write_page(page, tmp_path / "sub" / "r.html")
    assert out.read_text(encoding="utf-8") == page.html
    assert list(page.figures) == [
        "02-map-risk-and-control",
        "03-how-risk-moved-last-24-months",
        "06-hotspots",
    ]


def test_past_as_of_needs_its_marts(sample: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="no scores for as_of 2020-01-01"):
        build_page(sample, "buyer", as_of=date(2020, 1, 1))


def test_queries_read_only_marts_and_meta() -> None:
    texts = [
        getattr(module, n)()
        for module in (queries, queries_buyer, queries_region, queries_place)
        for n in dir(module)
        if not n.startswith("_")
        and callable(getattr(module, n))
        and getattr(module, n).__module__ == module.__name__
    ]
    assert len(texts) >= 30
    schemas = {m.lower() for t in texts for m in re.findall(r"\b(?:from|join)\s+(\w+)\.", t, flags=re.I)}
    assert schemas == {"marts", "meta"}
    assert not any(re.search(r"\b(core|staging|reference)\.", t) for t in texts)
