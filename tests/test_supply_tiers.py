"""User-provided supply tiers (staging.supply_tiers) → company nodes of marts.stage_multipliers."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import pytest

from analysis.sources import supply_tiers
from analysis.sources.errors import InputError
from analysis.tracing.stages import closed_cycles, stage_multipliers
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input
from analysis.warehouse.tracing_steps import tier_edges

from .conftest import HERE, ROOT

FIXTURES = HERE / "fixtures" / "supply_tiers"
BRAND = "company:Example Phone Brand (fictitious)"
MAKER = "company:Example Capacitor Maker (fictitious)"


def _multipliers(tiers: pd.DataFrame) -> dict[str, float]:
    # buyers B1 (multiplier 80, from origin A) and B2 (multiplier 20, from origin B); pooled risk '_X' = 50
    base = pd.DataFrame(
        {"metal": "Ta", "source": ["origin:A", "origin:B"], "target": ["buyer:B1", "buyer:B2"], "tonnes": 1.0}
    )
    nodes = pd.DataFrame({"metal": "Ta", "node": ["origin:A", "origin:B", "buyer:B1", "buyer:B2"]})
    edges = pd.concat([base, tier_edges(tiers.assign(metal="Ta"), nodes)], ignore_index=True)
    risk = pd.DataFrame({"node": ["origin:A", "origin:B", "origin:_X"], "risk": [80.0, 20.0, 50.0]})
    out = stage_multipliers(edges[["source", "target", "tonnes"]], risk)
    return out.set_index("node")["multiplier"].to_dict()


def test_company_multiplier_by_hand():
    tiers = pd.DataFrame(
        {
            "source": ["buyer:B1", "buyer:B2", "buyer:B1", "company:C"],
            "target": ["company:C", "company:C", "company:D", "company:E"],
            "share": [0.6, 0.4, 0.7, 1.0],
        }
    )
    m = _multipliers(tiers)
    assert m["company:C"] == pytest.approx(0.6 * 80 + 0.4 * 20)  # 56
    assert m["company:D"] == pytest.approx(0.7 * 80 + 0.3 * 50)  # the 30 % unknown at the pooled risk
    assert m["company:E"] == pytest.approx(m["company:C"])
    assert m["buyer:B1"] == pytest.approx(80)  # downstream tiers leave the buyers as they were


def test_unknown_supplier_and_excess_shares():
    tiers = pd.DataFrame(
        {
            "source": ["buyer:B1", "company:Nobody", "buyer:B2", "buyer:B1"],
            "target": ["company:C", "company:C", "company:D", "company:D"],
            "share": [0.5, 0.5, 1.0, 1.0],
        }
    )
    m = _multipliers(tiers)
    assert m["company:C"] == pytest.approx(0.5 * 80 + 0.5 * 50)  # an unknown supplier is the unknown origin
    assert m["company:D"] == pytest.approx((80 + 20) / 2)  # shares over 1 are scaled to 1
    assert "company:Nobody" not in m


def test_detect():
    assert supply_tiers.detect(FIXTURES / "tiers.csv")
    assert supply_tiers.detect(FIXTURES / "broken.csv")
    assert not supply_tiers.detect(ROOT / "datasets" / "sample" / "sites.csv")


def test_broken_rows_are_rejected(tmp_path):
    con = duckdb.connect()
    con.execute("create schema staging; create schema meta")
    con.execute(
        "create table meta.rejects (build_id BIGINT, file VARCHAR, target_table VARCHAR, line BIGINT, "
        "column_name VARCHAR, reason VARCHAR, raw VARCHAR)"
    )
    [stats] = supply_tiers.load(con, FIXTURES / "broken.csv", 1)
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected
    assert (stats.rows_read, stats.rows_loaded) == (6, 1)
    reasons = dict(con.execute("select line, reason from meta.rejects").fetchall())
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "share" in reasons[3] and "share" in reasons[5]
    assert "metal" in reasons[4]
    assert "customer" in reasons[6]
    assert "supplier" in reasons[7]


@pytest.fixture(scope="module")
def tiered(tmp_path_factory):
    if not (ROOT / "datasets" / "sample" / "events.csv").exists():
        pytest.skip("the bundled sample is not in datasets/sample")
    db = tmp_path_factory.mktemp("tiers") / "tiers.duckdb"
    path = FIXTURES / "tiers.csv"
    build(db, inputs=[Input(path, "supply_tiers", hashlib.sha256(path.read_bytes()).hexdigest())])
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_build_has_company_rows(tiered):
    rows = tiered.execute(
        "select metal, node, multiplier from marts.stage_multipliers where stage = 'company'"
    ).fetchall()
    m = {(metal, node): value for metal, node, value in rows}
    assert set(m) == {("Ta", MAKER), ("Ta", BRAND), ("Sn", BRAND)}
    buyer = dict(
        tiered.execute(
            "select s.metal, s.multiplier from marts.stage_multipliers as s join core.buyers as b "
            "on s.stage = 'buyer' and s.node_id = b.buyer_id "
            "where b.name = 'Example Electronics Ltd (fictitious example buyer)'"
        ).fetchall()
    )
    pooled = dict(
        tiered.execute(
            "select metal, multiplier from marts.stage_multipliers where node = 'origin:_X'"
        ).fetchall()
    )
    # the maker: 60 % from the buyer, 40 % from a supplier the graph does not know (pooled risk)
    assert m[("Ta", MAKER)] == pytest.approx(0.6 * buyer["Ta"] + 0.4 * pooled["Ta"])
    assert m[("Ta", BRAND)] == pytest.approx(0.7 * m[("Ta", MAKER)] + 0.3 * pooled["Ta"])
    assert m[("Sn", BRAND)] == pytest.approx(buyer["Sn"])
    loaded = tiered.execute("select count(*) from staging.supply_tiers").fetchone()[0]
    assert loaded == 4


def test_closed_cycle_is_found():
    edges = pd.DataFrame(
        {
            "source": ["company:C", "company:D", "buyer:B1", "company:E"],
            "target": ["company:D", "company:C", "company:E", "company:F"],
            "tonnes": [1.0, 1.0, 0.5, 1.0],
        }
    )
    assert closed_cycles(edges) == [["company:C", "company:D"]]
    # Fed from outside, a cycle is an ordinary Leontief loop: E takes half from F, F all from E.
    fed = pd.DataFrame(
        {
            "source": ["buyer:B1", "company:F", "company:E"],
            "target": ["company:E", "company:E", "company:F"],
            "tonnes": [0.5, 0.5, 1.0],
        }
    )
    assert closed_cycles(fed) == []
    m = _multipliers(fed.rename(columns={"tonnes": "share"}))
    assert m["company:E"] == pytest.approx(80) and m["company:F"] == pytest.approx(80)


def test_a_closed_cycle_of_companies_stops_the_build_with_a_clear_error(tmp_path):
    if not (ROOT / "datasets" / "sample" / "events.csv").exists():
        pytest.skip("the bundled sample is not in datasets/sample")
    path = tmp_path / "tiers.csv"
    path.write_text(
        "supplier,customer,metal,share\nMaker One,Maker Two,Tin,1.0\nMaker Two,Maker One,Tin,1.0\n"
    )
    with pytest.raises(InputError, match="Maker One, Maker Two get all their metal from each other"):
        build(
            tmp_path / "w.duckdb",
            inputs=[Input(path, "supply_tiers", hashlib.sha256(path.read_bytes()).hexdigest())],
        )
