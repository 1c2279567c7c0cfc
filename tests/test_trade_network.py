"""The user's own trade network (hubs, routes, hub links) on the tiny world: references by id or name,
unknown ones rejected with their line, user routes replacing the sample's, and the new hub in the tracing."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from analysis.config import load_params
from analysis.sources.registry import formats
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input

from .conftest import HERE, SHARED_DATA, TINY_AS_OF, tiny_world

FIXTURES = HERE / "fixtures" / "trade_network"
FILES = {"hubs.csv": "trade_hubs", "routes.csv": "trade_routes", "hub_links.csv": "trade_hub_links"}


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    folder = tmp_path_factory.mktemp("network")
    sample, reference = tiny_world(folder)
    inputs = [
        Input(FIXTURES / name, fmt, hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest())
        for name, fmt in FILES.items()
    ]
    db = folder / "w.duckdb"
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=inputs)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_detected_by_header():
    for name, fmt in FILES.items():
        assert formats()[fmt].detect(FIXTURES / name), name
    assert not formats()["trade_routes"].detect(FIXTURES / "hubs.csv")


def test_user_routes_replace_the_sample_for_their_site(network):
    routes = network.execute("select site_id, hub_id, share from core.routes order by all").fetchall()
    assert routes == [
        ("S-COD-ALPHA", "H-COD-GTOWN", 1.0),  # the sample's: the user's row for Alpha named no hub
        ("S-COD-BETA", "H-COD-DEPOT", 1.0),  # the user's, by names, instead of the sample's two routes
        ("S-RWA-GAMMA", "H-RWA-KTOWN", 1.0),
    ]
    links = network.execute("select from_hub_id, to_hub_id from core.hub_links order by all").fetchall()
    assert links == [("H-COD-DEPOT", "H-RWA-KTOWN"), ("H-COD-GTOWN", "H-RWA-KTOWN")]
    hub = network.execute("select name, source_ref from core.hubs where hub_id = 'H-COD-DEPOT'").fetchone()
    assert hub == ("Depot", "test depot (invented)")


def test_unknown_references_are_rejected_with_their_line(network):
    rejects = network.execute(
        "select regexp_extract(path, '[^/]+$'), line, column_name, reason from meta.rejects "
        "where table_name like 'staging.trade_%' order by all"
    ).fetchall()
    assert rejects == [
        ("hub_links.csv", 3, "to_hub_id", "to_hub_id: the same hub as from_hub_id, H-COD-DEPOT"),
        ("routes.csv", 3, "site_id", "site_id: no site has the id or name S-COD-NOWHERE"),
        ("routes.csv", 4, "hub_id", "hub_id: no hub has the id or name Nowhere hub"),
    ]
    files = network.execute(
        "select regexp_extract(path, '[^/]+$'), rows_read, rows_loaded, rows_rejected from meta.files "
        "where format like 'trade_%' order by 1"
    ).fetchall()
    assert files == [("hub_links.csv", 2, 1, 1), ("hubs.csv", 1, 1, 0), ("routes.csv", 3, 1, 2)]
    for table in ("staging.trade_routes", "staging.trade_hub_links"):
        assert network.execute(f"select count(*) from {table}").fetchone()[0] == 1


def test_the_new_hub_is_traced(network):
    paths = network.execute(
        "select list(place_id order by step) from marts.site_path_risk_at(?) where site_id = 'S-COD-BETA' "
        "group by path_no",
        [TINY_AS_OF],
    ).fetchall()
    assert paths == [(["S-COD-BETA", "H-COD-DEPOT", "H-RWA-KTOWN"],)]
    nodes = {r[0] for r in network.execute("select node from marts.stage_multipliers").fetchall()}
    assert "hub:H-COD-DEPOT@COD" in nodes


def _tiny_with(tmp_path, params=None, inputs=(), drop_routes_of=()):
    sample, reference = tiny_world(tmp_path)
    if drop_routes_of:
        routes = sample / "routes.csv"
        lines = routes.read_text().splitlines(keepends=True)
        routes.write_text("".join(line for line in lines if not line.startswith(drop_routes_of)))
    all_params = load_params()
    all_params.update(params or {})
    db = tmp_path / "w.duckdb"
    items = [Input(p, fmt, hashlib.sha256(p.read_bytes()).hexdigest()) for p, fmt in inputs]
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, params=all_params, inputs=items)
    return duckdb.connect(str(db), read_only=True)


def test_ipis_trading_points_become_hubs(tmp_path):
    places = HERE / "fixtures" / "ipis" / "places.json"
    assert formats()["ipis_places"].detect(places)
    with _tiny_with(tmp_path, inputs=[(places, "ipis_places")]) as con:
        hubs = con.execute(
            "select hub_id, name, kind, country_iso3 from core.hubs where hub_id like 'H-IPIS-%' order by 1"
        ).fetchall()
        files = con.execute(
            "select rows_read, rows_loaded, rows_rejected from meta.files where format = 'ipis_places'"
        ).fetchone()
        reject = con.execute("select line, reason from meta.rejects where table_name = 'staging.ipis_places'")
        reject = reject.fetchall()
    # Two trading points called Kamituga; "gtown market" lies within 5 km of the tiny world's Gtown: the same
    # hub, not a new one; "alpha" is a mine, not a trading point.
    assert hubs == [
        ("H-IPIS-KAMITUGA-1", "Kamituga", "trading_centre", "COD"),
        ("H-IPIS-KAMITUGA-2", "Kamituga", "trading_centre", "COD"),
    ]
    assert files == (5, 4, 1)
    assert reject == [(4, "lat: (0, 0) is a placeholder, not a location")]


def test_a_site_without_routes_can_sell_to_its_nearest_hub(tmp_path):
    off = _tiny_with(tmp_path / "off", drop_routes_of=("S-COD-ALPHA",))
    assert off.execute("select count(*) from core.routes where site_id = 'S-COD-ALPHA'").fetchone()[0] == 0
    off.close()
    with _tiny_with(
        tmp_path / "on", params={"network.nearest_hub_km": 20.0}, drop_routes_of=("S-COD-ALPHA",)
    ) as con:
        routes = con.execute("select site_id, hub_id, share, assumed, source_ref from core.routes").fetchall()
    alpha = [r for r in routes if r[0] == "S-COD-ALPHA"]
    assert alpha == [("S-COD-ALPHA", "H-COD-GTOWN", 1.0, True, alpha[0][4])]
    # Alpha (-1.50, 29.00) and Gtown (-1.55, 29.05): √2 × 0.05° ≈ 7.9 km
    assert alpha[0][4].startswith("assumed: nearest hub, 7.9 km")
    assert {r[0] for r in routes if r[3] and "nearest" in (r[4] or "")} == {
        "S-COD-ALPHA"
    }  # routed sites keep theirs


@pytest.mark.skipif(
    not (SHARED_DATA / "geo" / "ipis_webmap_search_places.json").exists(), reason="no shared data"
)
def test_real_ipis_place_index(tmp_path):
    path = SHARED_DATA / "geo" / "ipis_webmap_search_places.json"
    db = tmp_path / "w.duckdb"
    build(db, inputs=[Input(path, "ipis_places", hashlib.sha256(path.read_bytes()).hexdigest())])
    with duckdb.connect(str(db), read_only=True) as con:
        stats = con.execute(
            "select rows_read, rows_loaded, rows_rejected from meta.files where format = 'ipis_places'"
        ).fetchone()
        pdv = con.execute("select count(*) from staging.ipis_places where place_type = 'pdv'").fetchone()[0]
        hubs = con.execute("select count(*) from core.hubs where hub_id like 'H-IPIS-%'").fetchone()[0]
    assert stats == (29795, 29777, 18)  # 17 entries at (0, 0), 1 without coordinates
    assert pdv == 226 and 150 < hubs < 226  # the trading points next to the sample's hubs are those hubs


def test_with_can_be_repeated(tmp_path, monkeypatch):
    from analysis.cli import main

    db = tmp_path / "w.duckdb"
    args = ["build", "--db", str(db), "--quiet"]
    assert main([*args, "--with", str(FIXTURES / "hubs.csv"), "--with", str(FIXTURES / "hub_links.csv")]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        formats_loaded = {r[0] for r in con.execute("select format from meta.files").fetchall()}
    assert {"trade_hubs", "trade_hub_links"} <= formats_loaded
