"""Golden tests: the tiny buyer's exposure, by the Trase rule (Σ origin share × origin risk), by hand.

Trade and production (tests/fixtures/tiny/sample): China reports 2024 imports of tantalum ore of 400 t from
DR Congo and 200 t from Rwanda (× 0.25 contained Ta = 100 t and 50 t) and mines 100 t of Ta itself.
China's mix is now traced back through re-exports (marts.origin_attribution, docs/methodology.md), which
leaves these numbers as they were: DRC (1,000 t mined, 100 t to China) and Rwanda (300 t mined, none
re-exported from imports) ship only their own ore, so the attributed origins are the direct partners.
"""

import pytest


def _risk(con, country, metal):
    return con.execute(
        "select risk from marts.origin_risk where country_iso3 = ? and metal = ?", [country, metal]
    ).fetchone()[0]


def _score(con, place):
    return con.execute("select score from marts.place_risk where place_id = ?", [place]).fetchone()[0]


def test_country_origin_risk_is_output_weighted_path_risk(tiny):
    alpha, beta = _score(tiny, "S-COD-ALPHA"), _score(tiny, "S-COD-BETA")
    gtown, ktown = _score(tiny, "H-COD-GTOWN"), _score(tiny, "H-RWA-KTOWN")
    # A tonne carries the worst score on its way; Gtown passes everything on to Ktown (hub_links.csv).
    alpha_path = max(alpha, gtown, ktown)  # Alpha sells only to Gtown
    # Beta: 0.5 stated to Gtown (then Ktown), the rest straight to Ktown
    beta_path = 0.5 * max(beta, gtown, ktown) + 0.5 * max(beta, ktown)
    assert _risk(tiny, "COD", "Ta") == pytest.approx((100 * alpha_path + 300 * beta_path) / 400)
    assert _risk(tiny, "COD", "Sn") == pytest.approx(beta_path)  # Beta is the only tin site
    assert _risk(tiny, "CHN", "Ta") == 10  # no site: reference baseline


def test_unknown_origin_gets_world_production_weighted_risk(tiny):
    pooled = (1000 * _risk(tiny, "COD", "Ta") + 300 * _risk(tiny, "RWA", "Ta") + 100 * 10) / 1400
    assert _risk(tiny, "_X", "Ta") == pytest.approx(pooled)


def test_smelter_mix_from_trade_statistics(tiny):
    mix = dict(
        tiny.execute("select origin, share from marts.smelter_origin_mix where cid = 'CID900001'").fetchall()
    )
    assert mix == pytest.approx({"COD": 100 / 250, "RWA": 50 / 250, "CHN": 100 / 250})


def test_buyer_exposure_by_hand(tiny):
    cod_ta, rwa_ta, cod_sn = _risk(tiny, "COD", "Ta"), _risk(tiny, "RWA", "Ta"), _risk(tiny, "COD", "Sn")
    row5 = 0.4 * cod_ta + 0.2 * rwa_ta + 0.4 * 10  # by id → China's supply mix
    row6 = cod_sn  # matched by name; its declared mine country (DRC) overrides statistics
    row7 = _risk(tiny, "_X", "Ta")  # unknown smelter: pooled, never zero
    row8 = 5.0  # 100 % recycled: the reference's '_R' baseline
    exposure = dict(
        tiny.execute(
            "select metal, exposure from marts.buyer_exposure where buyer_id = 'B-TINY-BUYER-LTD'"
        ).fetchall()
    )
    assert exposure["Tantalum"] == pytest.approx((row5 + row7) / 2)
    assert exposure["Tin"] == pytest.approx((row6 + row8) / 2)
    assert exposure["All"] == pytest.approx((row5 + row6 + row7 + row8) / 4)
    unknown = tiny.execute(
        "select unknown_share from marts.buyer_exposure where metal = 'Tantalum'"
    ).fetchone()[0]
    assert unknown == pytest.approx(0.5)


def test_contributions_add_up_to_exposure(tiny):
    rows = tiny.execute(
        "select e.metal, e.exposure, sum(m.contribution), sum(m.share) from marts.buyer_exposure e "
        "join marts.buyer_origin_mix m using (buyer_id, metal) group by all"
    ).fetchall()
    for metal, exposure, total, shares in rows:
        assert total == pytest.approx(exposure), metal
        assert shares == pytest.approx(1.0), metal


def test_smelter_matching(tiny):
    rows = tiny.execute(
        "select excel_row, cid, match_method, mine_countries, recycled from core.buyer_smelters order by 1"
    ).fetchall()
    assert rows == [
        (5, "CID900001", "id", [], False),
        (6, "CID900002", "name", ["COD"], False),
        (7, None, "unresolved", [], False),
        (8, "CID900002", "id", [], True),
    ]


def test_buyer_exposure_macro_matches_table(tiny):
    by_macro = tiny.execute(
        "select metal, exposure from marts.buyer_exposure_at('tiny buyer ltd', DATE '2025-01-31')"
    ).fetchall()
    by_table = tiny.execute("select metal, exposure from marts.buyer_exposure").fetchall()
    assert sorted(by_macro) == sorted(by_table)
