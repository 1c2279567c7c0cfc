"""Tracing the metal: mirror trade, the laundering gap, re-export attribution and the exposure it feeds.

The hand-worked world (tests/fixtures/tracing, on top of the tiny world; tantalum ore is 25 % Ta there):
DRC mines 1,000 t Ta and ships 100 t to Rwanda (DRC's record; Rwanda declares no imports) and 200 t to China;
Rwanda mines 100 t (an estimate) and declares 400 t to China (approximate). Rwanda's supply is 100 + 100, so
200 t of its exports are unexplained: its supply is RWA 100, COD 100, '_U:RWA' 200 (¼, ¼, ½). China mines
100 t: its 700 t supply is COD 200 + 100 (via Rwanda's imports), CHN 100, RWA 100, '_U:RWA' 200.
"""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from analysis.config import load_params
from analysis.tracing.stages import stage_multipliers
from analysis.warehouse.build import build

from .conftest import HERE, TINY_AS_OF, tiny_world

FIXTURE = HERE / "fixtures" / "tracing"


def _build(folder, attribute_surplus: bool):
    sample, reference = tiny_world(folder)
    for name in ("trade_flows.csv", "production.csv"):
        shutil.copyfile(FIXTURE / name, sample / name)
    params = load_params()
    params["trade.attribute_surplus"] = attribute_surplus
    db = folder / "tracing.duckdb"
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, params=params)
    return db


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    con = duckdb.connect(str(_build(tmp_path_factory.mktemp("traced"), False)), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def reassigned(tmp_path_factory):
    con = duckdb.connect(str(_build(tmp_path_factory.mktemp("reassigned"), True)), read_only=True)
    yield con
    con.close()


def _origins(con, country):
    return dict(
        con.execute(
            "select origin, sum(supply_t) from marts.origin_attribution "
            "where country = ? and metal = 'Ta' and year = 2024 group by all",
            [country],
        ).fetchall()
    )


def test_attribution_by_hand(traced):
    assert _origins(traced, "RWA") == pytest.approx({"RWA": 100, "COD": 100, "_U:RWA": 200})
    assert _origins(traced, "CHN") == pytest.approx({"COD": 300, "CHN": 100, "RWA": 100, "_U:RWA": 200})
    assert _origins(traced, "COD") == pytest.approx({"COD": 1000})
    use = traced.execute(
        "select sum(use_t), sum(exports_t) from marts.origin_attribution where country = 'RWA'"
    ).fetchone()
    assert use == pytest.approx((0.0, 400.0))  # Rwanda keeps nothing: all its supply is exported


def test_surplus_reassigned_to_candidate_origins(reassigned):
    # reference.surplus_attribution: Rwanda's surplus → DRC (UN Group of Experts)
    assert _origins(reassigned, "CHN") == pytest.approx({"COD": 500, "CHN": 100, "RWA": 100})
    via = reassigned.execute(
        "select sum(supply_t) from marts.origin_attribution where country = 'CHN' and via = 'RWA'"
    ).fetchone()[0]
    assert via == pytest.approx(200)


def test_shares_sum_to_one(traced, reassigned):
    for con in (traced, reassigned):
        sums = con.execute(
            "select sum(share) from marts.origin_attribution group by year, metal, country"
        ).fetchall()
        assert sums and all(s == pytest.approx(1.0) for (s,) in sums)
        assert (
            con.execute(
                "select count(*) from marts.origin_attribution where basis <> 'tonnes of contained ' || metal"
            ).fetchone()[0]
            == 0
        )


def test_laundering_gap_by_hand(traced):
    row = traced.execute(
        "select production_t, imports_t, exports_t, unexplained_t, unexplained_share, unexplained_low_t, "
        "unexplained_high_t, significant, exports_record, imports_record from marts.production_plausibility "
        "where country_iso3 = 'RWA' and metal = 'Ta' and year = 2024"
    ).fetchone()
    # band: production (estimate) ± 20 %, Rwanda's approximate exports ± 25 %, DRC's exact record as is
    low = (400 - 0.25 * 400) - (100 * 1.2 + 100)
    high = (400 + 0.25 * 400) - (100 * 0.8 + 100)
    assert row[:7] == pytest.approx((100, 100, 400, 200, 0.5, low, high))
    assert row[7:] == (True, "own", "mirror")


def test_smelter_mix_traces_rwandan_tantalum_back(traced, reassigned):
    def mix(con):
        return dict(
            con.execute(
                "select origin, share from marts.smelter_origin_mix where cid = 'CID900001'"
            ).fetchall()
        )

    assert mix(traced) == pytest.approx({"COD": 3 / 7, "CHN": 1 / 7, "RWA": 1 / 7, "_U:RWA": 2 / 7})
    assert mix(reassigned) == pytest.approx({"COD": 5 / 7, "CHN": 1 / 7, "RWA": 1 / 7})
    # the unexplained origin carries the pooled (unknown-origin) risk in the buyer's smelter origins
    pooled, unexplained = traced.execute(
        "select max(r.risk), max(o.origin_risk) from marts.buyer_smelter_origins_at(DATE '2025-01-31') as o "
        "join marts.origin_risk_at(DATE '2025-01-31') as r on r.country_iso3 = '_X' and r.metal = 'Ta' "
        "where o.origin_iso3 = '_U:RWA'"
    ).fetchone()
    assert unexplained == pytest.approx(pooled)


def test_sample_shows_rwanda_tantalum_laundering_gap(sample):
    row = sample.execute(
        "select production_t, imports_t, exports_t, unexplained_t, unexplained_low_t, significant, basis "
        "from marts.production_plausibility where country_iso3 = 'RWA' and metal = 'Ta' and year = 2024"
    ).fetchone()
    production, imports, exports, unexplained, low, significant, basis = row
    assert production == pytest.approx(374)  # USGS 2024
    assert 460 <= exports <= 600  # ≈ 2,200 t of ore × 27 % Ta
    assert unexplained == pytest.approx(exports - production - imports) and unexplained > 150
    assert low > 0 and significant and basis == "tonnes of contained Ta"


def test_myanmar_tin_concentrate_at_its_own_grade(sample):
    # Wa State concentrate is ~20-25 % Sn (datasets/reference/ore_grades_by_exporter.csv), not the usual 65 %:
    # China's 80,000 t of Myanmar concentrate in 2024 hold ≈ 17,600 t of tin, within Myanmar's 20,000 t mined.
    rows = sample.execute(
        "select reporter_iso3, partner_iso3, year, quantity_t, metal_t, grade_basis from core.trade_flows "
        "where hs_code = '2609' and metal = 'Sn'"
    ).fetchall()
    for reporter, partner, year, quantity, metal, basis in rows:
        mmr = partner == "MMR"
        assert basis == ("exporter grade" if mmr else "standard grade"), (reporter, partner, year)
        assert metal == pytest.approx(quantity * (0.22 if mmr else 0.65))
    row = sample.execute(
        "select exports_t, production_t, unexplained_t, significant from marts.production_plausibility "
        "where country_iso3 = 'MMR' and metal = 'Sn' and year = 2024"
    ).fetchone()
    assert row[:3] == pytest.approx((80000 * 0.22, 20000, 80000 * 0.22 - 20000)) and not row[3]


def test_sample_mirror_trade(sample):
    rows = {
        (r[0], r[1]): r[2:]
        for r in sample.execute(
            "select exporter_iso3, importer_iso3, exported_t, imported_t, gap_t, one_side_only, reported_by "
            "from marts.mirror_trade where metal = 'Ta' and year = 2024 and hs_code = '261590'"
        ).fetchall()
    }
    assert rows[("RWA", "CHN")] == pytest.approx((1700 * 0.27, 1750 * 0.27, 50 * 0.27, False, "both"))
    assert rows[("RWA", "HKG")][3:] == (True, "exporter")
    assert rows[("NGA", "CHN")][3:] == (True, "importer")
    sources = sample.execute("select distinct source from marts.mirror_trade").fetchall()
    assert sources == [("sample",)]


def test_mirror_lag_pairs_the_next_year(tmp_path):
    sample, reference = tiny_world(tmp_path)
    (sample / "trade_flows.csv").write_text(
        "year,reporter_iso3,partner_iso3,flow,hs_code,quantity_t,value_usd,approx,source_ref\n"
        "2023,RWA,CHN,X,261590,100,,false,shipped in December\n"
        "2024,CHN,RWA,M,261590,100,,false,recorded on arrival in January\n"
    )
    params = load_params()
    params["trade.mirror_lag_years"] = 1
    build(tmp_path / "w.duckdb", as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, params=params)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select year, import_year, exported_t, imported_t, one_side_only from marts.mirror_trade"
        ).fetchall()
    assert rows == [(2023, 2024, 25.0, 25.0, False)]


def _buyer_multipliers_match_exposure(con):
    rows = con.execute(
        "select e.exposure, m.multiplier from marts.buyer_exposure as e "
        "join marts.stage_multipliers as m on m.stage = 'buyer' and m.node_id = e.buyer_id "
        "and m.metal = case e.metal when 'Tantalum' then 'Ta' when 'Tin' then 'Sn' "
        "when 'Tungsten' then 'W' end"
    ).fetchall()
    assert rows
    for exposure, multiplier in rows:
        assert multiplier == pytest.approx(exposure)


def test_buyer_multiplier_is_the_trase_exposure(traced, sample):
    _buyer_multipliers_match_exposure(traced)
    _buyer_multipliers_match_exposure(sample)


def test_stage_multipliers_by_hand():
    # origins A (risk 80, 30 t) and B (risk 20, 10 t) → country C (40 t) → smelter S (1 unit) → buyer (½ from
    # S, ½ straight from B as a declared mine country): C = (80·30 + 20·10) / 40 = 65, buyer = (65 + 20) / 2
    edges = pd.DataFrame(
        {
            "source": ["origin:A", "origin:B", "country:C", "smelter:S", "origin:B"],
            "target": ["country:C", "country:C", "smelter:S", "buyer:X", "buyer:X"],
            "tonnes": [30.0, 10.0, 1.0, 0.5, 0.5],
        }
    )
    risk = pd.DataFrame({"node": ["origin:A", "origin:B"], "risk": [80.0, 20.0]})
    out = stage_multipliers(edges, risk).set_index("node")["multiplier"].to_dict()
    assert out == pytest.approx(
        {"origin:A": 80, "origin:B": 20, "country:C": 65, "smelter:S": 65, "buyer:X": 42.5}
    )
