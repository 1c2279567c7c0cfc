"""Mine sites and hubs as tiers of the stage graph: the worst-place-on-the-way path risk
(marts.site_path_risk_at), its nodes in marts.stage_multipliers, and the hubs further down the chain."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis.tracing import iomath
from analysis.tracing.stages import site_hub_edges, stage_multipliers
from analysis.tracing.whatif import whatif
from analysis.warehouse.build import build
from tests.conftest import TINY_AS_OF, tiny_world


def _paths() -> pd.DataFrame:
    # COD ships 90 t of tantalum. Site A (2/3 of its output, score 30) sells to hub H1 (80), which passes
    # everything on to H2 (50); site B (1/3, score 70) sells to H2 directly. A tonne carries the worst score
    # on its way: A's path 80 (A 30, H1 adds 50, H2 nothing), B's 70.
    rows = [
        ("A", 1, 0, "A", 30.0),
        ("A", 1, 1, "H1", 50.0),
        ("A", 1, 2, "H2", 0.0),
        ("B", 1, 0, "B", 70.0),
        ("B", 1, 1, "H2", 0.0),
    ]
    frame = pd.DataFrame(rows, columns=["site_id", "path_no", "step", "place_id", "increment"])
    return frame.assign(
        metal="Ta", origin="COD", share=1.0, site_share=frame["site_id"].map({"A": 2 / 3, "B": 1 / 3})
    )


def _system() -> tuple[pd.DataFrame, pd.DataFrame]:
    edges, risk = site_hub_edges(_paths(), pd.Series({("Ta", "COD"): 90.0}))
    # COD's 90 t and 10 t from Australia (risk 10) make up China's supply; China's smelter S; buyer X.
    downstream = pd.DataFrame(
        {
            "metal": "Ta",
            "source": ["origin:COD", "origin:AUS", "country:CHN", "smelter:S"],
            "target": ["country:CHN", "country:CHN", "smelter:S", "buyer:X"],
            "tonnes": [90.0, 10.0, 1.0, 1.0],
        }
    )
    risk = pd.concat([risk, pd.DataFrame({"metal": ["Ta"], "node": ["origin:AUS"], "risk": [10.0]})])
    return pd.concat([edges, downstream], ignore_index=True), risk


def test_site_and_hub_tiers_by_hand():
    edges, risk = _system()
    tonnes = edges.groupby(["source", "target"])["tonnes"].sum().to_dict()
    assert tonnes == pytest.approx(
        {
            ("site:A", "hub:H1@COD"): 60,
            ("hub:H1@COD", "hub:H2@COD"): 60,
            ("site:B", "hub:H2@COD"): 30,
            ("hub:H2@COD", "origin:COD"): 90,
            ("origin:COD", "country:CHN"): 90,
            ("origin:AUS", "country:CHN"): 10,
            ("country:CHN", "smelter:S"): 1,
            ("smelter:S", "buyer:X"): 1,
        }
    )
    out = stage_multipliers(edges[["source", "target", "tonnes"]], risk[["node", "risk"]]).set_index("node")
    # H1: 60 t at 30 + 50 = 80. H2: 60 t at 80 and 30 t at 70 = 76.67, and H2 adds nothing. COD the same;
    # China: (90 × 76.67 + 10 × 10) / 100 = 70, so smelter and buyer 70.
    assert out["multiplier"].to_dict() == pytest.approx(
        {
            "site:A": 30,
            "site:B": 70,
            "hub:H1@COD": 80,
            "hub:H2@COD": 230 / 3,
            "origin:COD": 230 / 3,
            "origin:AUS": 10,
            "country:CHN": 70,
            "smelter:S": 70,
            "buyer:X": 70,
        }
    )
    assert out.loc["hub:H1@COD", "direct_risk"] == pytest.approx(50)
    assert out.loc["hub:H2@COD", "throughput_t"] == pytest.approx(90)


def test_site_and_hub_tiers_against_pymrio():
    pymrio_iomath = pytest.importorskip("pymrio.tools.iomath")
    edges, risk = _system()
    nodes = sorted(set(edges["source"]) | set(edges["target"]))
    Z = pd.DataFrame(0.0, index=nodes, columns=nodes)
    for row in edges.itertuples(index=False):
        Z.loc[row.source, row.target] += row.tonnes
    inputs = Z.sum(axis=0)
    x = inputs.where(inputs > 0, Z.sum(axis=1))
    F = pd.DataFrame([risk.set_index("node")["risk"].reindex(nodes).fillna(0.0) * x], columns=nodes)
    xdf = pd.DataFrame({"indout": x})
    A_ref = pymrio_iomath.calc_A(Z, xdf)
    M_ref = pymrio_iomath.calc_M(pymrio_iomath.calc_S(F, xdf), pymrio_iomath.calc_L(A_ref))
    ours = stage_multipliers(edges[["source", "target", "tonnes"]], risk[["node", "risk"]]).set_index("node")
    np.testing.assert_allclose(ours.loc[nodes, "multiplier"].to_numpy(), np.asarray(M_ref)[0])
    np.testing.assert_allclose(iomath.calc_A(Z.to_numpy(), x.to_numpy()), np.asarray(A_ref))


def test_paths_of_the_tiny_world(tiny):
    rows = tiny.execute(
        "select site_id, path_no, list(place_id order by step), any_value(share) "
        "from marts.site_path_risk_at(?) group by site_id, path_no order by all",
        [TINY_AS_OF],
    ).fetchall()
    assert rows == [
        ("S-COD-ALPHA", 1, ["S-COD-ALPHA", "H-COD-GTOWN", "H-RWA-KTOWN"], 1.0),
        ("S-COD-BETA", 1, ["S-COD-BETA", "H-COD-GTOWN", "H-RWA-KTOWN"], 0.5),
        ("S-COD-BETA", 2, ["S-COD-BETA", "H-RWA-KTOWN"], 0.5),
        ("S-RWA-GAMMA", 1, ["S-RWA-GAMMA", "H-RWA-KTOWN"], 1.0),
    ]


def _multipliers(con, stage):
    rows = con.execute(
        "select metal, node_id, origin_iso3, multiplier from marts.stage_multipliers where stage = ?", [stage]
    ).fetchall()
    return {(m, n, o): v for m, n, o, v in rows}


def test_origins_scored_by_sites_keep_their_risk(tiny, sample):
    for con in (tiny, sample):
        risk = dict(
            ((m, c), r)
            for c, m, r in con.execute(
                "select country_iso3, metal, risk from marts.origin_risk where method = 'sites'"
            ).fetchall()
        )
        origins = {(m, n): v for (m, n, _), v in _multipliers(con, "origin").items() if (m, n) in risk}
        assert origins
        assert origins == pytest.approx({k: risk[k] for k in origins})


def test_tiny_hub_multiplier_by_hand(tiny):
    score = dict(tiny.execute("select place_id, score from marts.place_risk").fetchall())
    alpha, beta, gtown = score["S-COD-ALPHA"], score["S-COD-BETA"], score["H-COD-GTOWN"]
    # Tantalum: Alpha weighs 100, Beta 300; all of Alpha and half of Beta pass Gtown.
    expected = (100 * max(alpha, gtown) + 0.5 * 300 * max(beta, gtown)) / (100 + 0.5 * 300)
    hubs = _multipliers(tiny, "hub")
    assert hubs[("Ta", "H-COD-GTOWN", "COD")] == pytest.approx(expected)
    assert ("Ta", "H-RWA-KTOWN", "RWA") in hubs  # Rwandan metal passes Ktown too, as a node of its own


def test_a_cycle_in_the_hub_links_is_not_followed(tmp_path):
    sample, reference = tiny_world(tmp_path)
    with (sample / "hub_links.csv").open("a") as f:
        f.write("H-RWA-KTOWN,H-COD-GTOWN,0.5,true,a leg back: a cycle\n")
    build(tmp_path / "w.duckdb", as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select site_id, sum(share) filter (where step = 0), max(step) from marts.site_path_risk_at(?) "
            "group by site_id",
            [TINY_AS_OF],
        ).fetchall()
    assert all(depth <= 2 for _, _, depth in rows)  # no hub twice on a path
    shares = {site: total for site, total, _ in rows}
    assert shares == pytest.approx({"S-COD-ALPHA": 1, "S-COD-BETA": 1, "S-RWA-GAMMA": 1})


def test_downstream_hubs_carry_exposure_points(sample, sample_db):
    points = sample.execute(
        "select sum(points) from marts.buyer_place_contributions_at(null, ?) where place_id = 'H-COD-GOMA'",
        [date(2025, 3, 1)],
    ).fetchone()[0]
    assert points > 0  # Goma, held by M23 since January 2025, adds to the metal of sites that pass it
    # Kavumu is only ever a downstream hub: capturing it still moves exposure.
    out = whatif(sample_db, captured=["H-COD-KAVUMU"], as_of=date(2024, 6, 1))
    assert (out["change"] > 0).all()
