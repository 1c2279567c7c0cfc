"""Golden tests for the tracing math: re-export attribution worked by hand, and the Leontief algebra
cross-checked against pymrio's own iomath on the same small system."""

import numpy as np
import pandas as pd
import pytest

from analysis.tracing import iomath
from analysis.tracing.attribution import attribute


def _shares(out, country):
    rows = out[out["country"] == country]
    return dict(zip(rows["origin"], rows["share"], strict=True))


def test_re_export_attribution_by_hand():
    # DR Congo mines 100 t and sells 80 t to Rwanda; Rwanda mines 20 t, so its supply is 100 t, of which it
    # exports 60 t to China: 60 × (80/100 Congolese, 20/100 Rwandan) = 48 t + 12 t. China mines 50 t:
    # its supply of 110 t is 50 Chinese, 48 Congolese, 12 Rwandan. Rwanda keeps 40 t: 32 Congolese, 8 own.
    production = pd.Series({"COD": 100.0, "RWA": 20.0, "CHN": 50.0})
    flows = pd.DataFrame({"exporter": ["COD", "RWA"], "importer": ["RWA", "CHN"], "tonnes": [80.0, 60.0]})
    out = attribute(production, flows)
    assert _shares(out, "CHN") == pytest.approx({"CHN": 50 / 110, "COD": 48 / 110, "RWA": 12 / 110})
    rwa = out[out["country"] == "RWA"].set_index("origin")
    assert rwa["use_t"].to_dict() == pytest.approx({"COD": 32.0, "RWA": 8.0})


def test_exports_beyond_supply_are_unexplained():
    # Rwanda now exports 150 t with only 100 t of supply: 50 t have no recorded source ("_U:RWA").
    # China's 200 t: 50 own, 80 Congolese, 20 Rwandan, 50 unexplained via Rwanda.
    production = pd.Series({"COD": 100.0, "RWA": 20.0, "CHN": 50.0})
    flows = pd.DataFrame({"exporter": ["COD", "RWA"], "importer": ["RWA", "CHN"], "tonnes": [80.0, 150.0]})
    shares = _shares(attribute(production, flows), "CHN")
    assert shares == pytest.approx({"CHN": 0.25, "COD": 0.4, "RWA": 0.1, "_U:RWA": 0.25})


def test_re_exports_through_a_cycle_conserve_mass():
    production = pd.Series({"A": 100.0, "B": 50.0, "C": 0.0})
    flows = pd.DataFrame(
        {
            "exporter": ["A", "B", "B", "C"],
            "importer": ["B", "A", "C", "B"],
            "tonnes": [60.0, 10.0, 70.0, 5.0],
        }
    )
    out = attribute(production, flows)
    total_use = out.groupby("origin")["use_t"].sum()
    # everything produced is used somewhere, once
    assert total_use.to_dict() == pytest.approx({"A": 100.0, "B": 50.0})
    assert out.groupby("country")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_leontief_against_pymrio():
    pymrio_iomath = pytest.importorskip("pymrio.tools.iomath")
    # mine → hub → exporter → smelter → buyer, with a side flow mine → exporter and final demand at the end
    Z = np.array(
        [
            [0, 80, 20, 0, 0],
            [0, 0, 75, 0, 0],
            [0, 0, 0, 90, 0],
            [0, 0, 0, 0, 85],
            [0, 0, 0, 0, 0],
        ],
        dtype=float,
    )
    y = np.array([0, 5, 5, 5, 85], dtype=float)
    x = iomath.calc_x(Z, y)
    A = iomath.calc_A(Z, x)
    L = iomath.calc_L(A)
    F = np.array([[60.0, 30.0, 0.0, 0.0, 0.0]])  # risk units arising at the mine and the hub
    M = iomath.calc_M(iomath.calc_S(F, x), L)
    labels = [f"n{i}" for i in range(5)]
    Zdf, xdf = pd.DataFrame(Z, index=labels, columns=labels), pd.DataFrame({"indout": x}, index=labels)
    A_ref = pymrio_iomath.calc_A(Zdf, xdf)
    L_ref = pymrio_iomath.calc_L(A_ref)
    S_ref = pymrio_iomath.calc_S(pd.DataFrame(F, columns=labels), xdf)
    M_ref = pymrio_iomath.calc_M(S_ref, L_ref)
    np.testing.assert_allclose(A, np.asarray(A_ref))
    np.testing.assert_allclose(L, np.asarray(L_ref))
    np.testing.assert_allclose(M, np.asarray(M_ref))
    # All risk that arises upstream ends in final demand: M · y = Σ F (90 units).
    assert (M @ y)[0] == pytest.approx(F.sum())
