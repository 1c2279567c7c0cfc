"""The user's own trade network (hubs, routes, hub links) on the tiny world: references by id or name,
unknown ones rejected with their line, user routes replacing the sample's, and the new hub in the tracing."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from analysis.sources.registry import formats
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input

from .conftest import HERE, TINY_AS_OF, tiny_world

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
