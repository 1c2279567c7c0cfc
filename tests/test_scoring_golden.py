"""Golden tests: place risk of the tiny world (tests/fixtures/tiny), every number computed by hand here.

Parameters are analysis/config/defaults.toml's: kernel 15 km, half-life 180 days, lookback 730 days,
fatality weight 0.5, intensity scale 5, points 60 / 30 / 10. Event weights: datasets/reference.
"""

from datetime import date
from math import exp, log

import pytest

from .conftest import TINY_AS_OF

ALPHA_BETA_KM = 15.722481  # haversine between (-1.50, 29.00) and (-1.60, 29.10), R = 6371.0088 km

# Each contribution = type weight × exp(−d/15) × 0.5^(age/180) × precision × (1 + 0.5 ln(1 + deaths)) × source
ALPHA_CONTRIBUTIONS = {
    "curated:T-1": 1.0 * 1 * 1 * 1.0 * 1,  # armed clash at the site on the as-of day
    "curated:T-2": 1.5 * 1 * 0.5 ** (30 / 180) * 1.0 * 1,  # takeover 30 days before
    "curated:T-3": 1.0
    * exp(-ALPHA_BETA_KM / 15)
    * 0.5
    * 0.7
    * (1 + 0.5 * log(5)),  # 4 dead at Beta, precision 2
    "curated:T-7": 1.2 * 1 * 0.5 ** (610 / 180) * 1.0 * 1,  # army retook the site 610 days before
    # T-5 is after the as-of date and T-6 is 792 days old (> 730): neither counts.
}


def test_each_event_contribution(tiny):
    rows = dict(
        tiny.execute(
            "select event_id, contribution from marts.place_risk_contributors where place_id = 'S-COD-ALPHA'"
        ).fetchall()
    )
    assert rows.keys() == ALPHA_CONTRIBUTIONS.keys()
    for event_id, expected in ALPHA_CONTRIBUTIONS.items():
        assert rows[event_id] == pytest.approx(expected, rel=1e-6), event_id


def test_alpha_score_and_components(tiny):
    intensity = sum(ALPHA_CONTRIBUTIONS.values())  # ≈ 2.672
    row = tiny.execute(
        "select intensity, intensity_points, control_points, presence_points, score, tier, controlled_by, "
        "control_since, n_events from marts.place_risk where place_id = 'S-COD-ALPHA'"
    ).fetchone()
    assert row[0] == pytest.approx(intensity, rel=1e-6)
    assert row[1] == pytest.approx(60 * (1 - exp(-intensity / 5)), rel=1e-6)
    assert row[2:4] == (30, 10)  # taken by Group X on 2025-01-01; presence reported 2024-06-01
    assert row[4] == pytest.approx(60 * (1 - exp(-intensity / 5)) + 40, rel=1e-6)
    assert row[5] == "high"  # ≈ 24.8 + 40 = 64.8: high (50-75)
    assert row[6:] == ("Group X", date(2025, 1, 1), 4)


def test_control_needs_same_country_and_radius(tiny):
    control = dict(tiny.execute("select place_id, controlled_by from marts.place_risk").fetchall())
    assert control["H-COD-GTOWN"] == "Group X"  # 7.9 km from the takeover
    assert control["S-COD-BETA"] is None  # 15.7 km: beyond the 10 km control radius
    assert control["S-RWA-GAMMA"] is None and control["H-RWA-KTOWN"] is None


def test_as_of_before_takeover_uses_only_events_known_then(tiny):
    row = tiny.execute(
        "select controlled_by, control_points, n_events from marts.place_risk_at(DATE '2024-12-31') "
        "where place_id = 'S-COD-ALPHA'"
    ).fetchone()
    assert row == (None, 0, 2)  # the 2023 retaking is the latest control change; T-3 and T-7 only


def test_synthetic_share_is_reported(tiny):
    share = tiny.execute(
        "select synthetic_share from marts.place_risk where place_id = 'S-RWA-GAMMA'"
    ).fetchone()[0]
    riot = 0.5 * 1 * 1 * 0.3 * 1  # synthetic mob violence at the site, precision 3
    protest = 0.1 * exp(-7.860344 / 15) * 1 * 1.0 * 1  # peaceful protest in Ktown, 7.9 km away
    assert share == pytest.approx(riot / (riot + protest), rel=1e-5)


def test_build_as_of_is_recorded(tiny):
    assert tiny.execute("select as_of from meta.builds").fetchone()[0] == TINY_AS_OF


def _with_event(tmp_path, row: str):
    import duckdb

    from analysis.warehouse.build import build

    from .conftest import tiny_world

    sample, reference = tiny_world(tmp_path)
    with open(sample / "events.csv", "a") as fh:
        fh.write(row + "\n")
    db = build(tmp_path / "t.duckdb", as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference).db_path
    return duckdb.connect(str(db), read_only=True)


def test_holder_releasing_the_place_ends_control(tmp_path):
    con = _with_event(
        tmp_path,
        "T-8,2025-01-20,1,Strategic developments,Non-violent transfer of territory,"
        "Group X,,0,false,COD,Nord-Kivu,Masisi,Alpha,-1.50,29.00,1,Group X leaves.,curated,tiny",
    )
    assert (
        con.execute("select controlled_by from marts.place_risk where place_id = 'S-COD-ALPHA'").fetchone()[0]
        is None
    )


def test_another_group_leaving_does_not_end_control(tmp_path):
    con = _with_event(
        tmp_path,
        "T-8,2025-01-20,1,Strategic developments,Non-violent transfer of territory,"
        "Group Y,,0,false,COD,Nord-Kivu,Masisi,Alpha,-1.50,29.00,1,Group Y leaves.,curated,tiny",
    )
    assert (
        con.execute("select controlled_by from marts.place_risk where place_id = 'S-COD-ALPHA'").fetchone()[0]
        == "Group X"
    )
