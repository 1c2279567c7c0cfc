"""One incident in several sources: recognised (same day, a few km, compatible actors), both records kept,
the preferred one scored and the other pointing to it; and the real 2018 ACLED and UCDP files end to end."""

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.config import load_params
from analysis.event_matching import actor_match, actors, choose_primaries
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.checks import failures, undeclared
from analysis.warehouse.inputs import Input

from .conftest import HERE, SHARED_DATA, TINY_AS_OF, tiny_world

ACLED = HERE / "fixtures" / "acled"
UCDP = HERE / "fixtures" / "ucdp"
FARDC = "Military Forces of Democratic Republic of Congo (2001-)"
DRC_GOV = "Government of DR Congo (Zaire)"


@pytest.mark.parametrize(
    "a,b,rule",
    [
        (("ADF: Allied Democratic Forces", FARDC), (DRC_GOV, "ADF"), "named actor"),
        (("M23: March 23 Movement", FARDC), (DRC_GOV, "M23"), "named actor"),
        (("NDC-R: Nduma Defence of Congo (Renewal)", None), ("NDC-R", "Mayi Mayi Mazembe"), "named actor"),
        (("Mayi Mayi Militia", None), ("Mayi Mayi Militia (Charles)", None), "named actor"),
        # the faction in brackets is part of the name, the country and the years are not
        (("Mayi Mayi Militia (Yakutumba)", None), ("Mayi Mayi Militia (Charles)", None), None),
        ((FARDC, "ADF: Allied Democratic Forces"), (DRC_GOV, "IS"), None),
        (
            (
                "Unidentified Armed Group (Democratic Republic of Congo)",
                "Civilians (Democratic Republic of Congo)",
            ),
            ("FDLR-FOCA", "Civilians"),
            "same side: civilians",
        ),
        (
            ("Unidentified Armed Group (Democratic Republic of Congo)", FARDC),
            (DRC_GOV, "ADF"),
            "same side: state COD",
        ),
        (
            ("Military Forces of Rwanda (1994-)", "Civilians (Democratic Republic of Congo)"),
            (DRC_GOV, "Civilians"),
            None,
        ),
        (
            ("Unidentified Armed Group (Democratic Republic of Congo)", None),
            ("Unidentified armed men", None),
            None,
        ),
        ((None, None), (None, None), None),
    ],
)
def test_actor_compatibility(a, b, rule):
    assert actor_match(actors(*a), actors(*b), 90.0)[1] == rule


def _pairs(rows):
    cols = [
        "event_id_a",
        "event_id_b",
        "source_a",
        "source_b",
        "priority_a",
        "priority_b",
        "distance_km",
        "day_gap",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.assign(actor_score=100.0, actor_rule="named actor")


def test_primary_is_the_preferred_source_and_chains_resolve():
    found = choose_primaries(
        _pairs(
            [
                ("ucdp:1", "acled:A", "ucdp", "acled", 3, 2, 1.0, 0),
                ("acled:A", "curated:C", "acled", "curated", 2, 1, 2.0, 0),
            ]
        )
    )
    assert found[["event_id", "matched_event_id", "duplicate_of"]].values.tolist() == [
        ["acled:A", "curated:C", "curated:C"],
        ["ucdp:1", "acled:A", "curated:C"],
    ]


def test_a_record_absorbs_one_record_of_each_other_source():
    # two UCDP records near one ACLED record: the closer one is its duplicate, the other stays an incident
    found = choose_primaries(
        _pairs(
            [
                ("acled:A", "ucdp:far", "acled", "ucdp", 2, 3, 6.0, 0),
                ("acled:A", "ucdp:near", "acled", "ucdp", 2, 3, 1.0, 0),
            ]
        )
    )
    assert found[["event_id", "duplicate_of"]].values.tolist() == [["ucdp:near", "acled:A"]]


def _build(tmp: Path, files: list[tuple[Path, str]], params: dict | None = None) -> duckdb.DuckDBPyConnection:
    sample, reference = tiny_world(tmp / "w")
    db = tmp / "w.duckdb"
    inputs = [Input(f, fmt, meta.sha256_of(f)) for f, fmt in files]
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=inputs, params=params)
    return duckdb.connect(str(db), read_only=True)


TINY_FILES = [(ACLED / "acled_tiny_world.csv", "acled"), (UCDP / "ged_tiny_world.csv", "ucdp_ged")]
NOT_DUPLICATES = ["910102", "910103", "910104", "910106"]  # next day, 45 km, other actors, a month-long range


@pytest.fixture(scope="module")
def tiny_dedup(tmp_path_factory):
    con = _build(tmp_path_factory.mktemp("dedup"), TINY_FILES)
    yield con
    con.close()


def test_the_same_incident_is_recognised_across_sources(tiny_dedup):
    found = tiny_dedup.execute(
        "select event_id, duplicate_of, matched_event_id, round(distance_km, 1), day_gap, actor_score, "
        "actor_rule "
        "from core.event_duplicates order by event_id"
    ).fetchall()
    assert found == [
        ("acled:TST0001", "curated:T-1", "curated:T-1", 1.6, 0, 100.0, "named actor"),
        ("ucdp:910101", "acled:TST0002", "acled:TST0002", 0.8, 0, 100.0, "named actor"),
        ("ucdp:910105", "curated:T-1", "curated:T-1", 0.8, 0, 100.0, "named actor"),
    ]
    # both records of each incident stay in core.events; only the duplicate points to its primary
    kept = dict(tiny_dedup.execute("select event_id, duplicate_of from core.events").fetchall())
    assert kept["curated:T-1"] is None and kept["acled:TST0002"] is None
    assert kept["acled:TST0001"] == "curated:T-1" and kept["ucdp:910101"] == "acled:TST0002"
    assert all(kept[f"ucdp:{i}"] is None for i in NOT_DUPLICATES)
    assert kept["acled:TST0003"] is None  # same place and day as TST0002, other actors
    assert undeclared(tiny_dedup) == [] and failures(tiny_dedup) == []


def test_scores_count_the_incident_once(tiny_dedup, tmp_path):
    contributors = {
        r[0]
        for r in tiny_dedup.execute(
            "select distinct event_id from marts.place_risk_contributions_at(?)", [TINY_AS_OF]
        ).fetchall()
    }
    assert {"curated:T-1", "acled:TST0002"} <= contributors
    assert not contributors & {"acled:TST0001", "ucdp:910101", "ucdp:910105"}
    # the same build without the duplicate records scores every place the same ...
    kept = tmp_path / "ged_not_duplicates.csv"
    lines = (UCDP / "ged_tiny_world.csv").read_text().splitlines(keepends=True)
    kept.write_text("".join([lines[0], *(x for x in lines[1:] if x.split(".", 1)[0] in NOT_DUPLICATES)]))
    acled_kept = tmp_path / "acled_not_duplicates.csv"
    rows = (ACLED / "acled_tiny_world.csv").read_text().splitlines(keepends=True)
    acled_kept.write_text("".join(r for r in rows if not r.startswith("TST0001")))
    without = _build(tmp_path / "a", [(acled_kept, "acled"), (kept, "ucdp_ged")])
    scores = "select place_id, round(score, 9) from marts.place_risk_at(?) order by place_id"
    assert (
        tiny_dedup.execute(scores, [TINY_AS_OF]).fetchall()
        == without.execute(scores, [TINY_AS_OF]).fetchall()
    )
    # ... while matching switched off would count them twice
    params = {**load_params(), "dedup.actor_min_score": 101.0}
    twice = _build(tmp_path / "b", TINY_FILES, params)
    assert twice.execute("select count(*) from core.event_duplicates").fetchone()[0] == 0
    alpha = "select score from marts.place_risk_at(?) where place_id = 'S-COD-ALPHA'"
    assert (
        twice.execute(alpha, [TINY_AS_OF]).fetchone()[0]
        > tiny_dedup.execute(alpha, [TINY_AS_OF]).fetchone()[0]
    )


# The bundled sample with the real 2018 ACLED export for DR Congo and the UCDP sample, plus one clash at
# Butembo recorded by both (fixtures), scored as of the end of the ACLED file.
AS_OF_2018 = date(2018, 11, 30)


@pytest.fixture(scope="module")
def sample_2018(tmp_path_factory):
    drc = SHARED_DATA / "conflict" / "acled_drc_2018-08-01_2018-11-26.csv"
    ged = SHARED_DATA / "conflict" / "ucdp_ged_23.1_sample1000.csv"
    if not (drc.exists() and ged.exists()):
        pytest.skip(f"{drc.parent} not available")
    files = [
        (drc, "acled"),
        (ged, "ucdp_ged"),
        (ACLED / "acled_butembo_2018.csv", "acled"),
        (UCDP / "ged_butembo_2018.csv", "ucdp_ged"),
    ]
    db = tmp_path_factory.mktemp("sample2018") / "w.duckdb"
    build(db, as_of=AS_OF_2018, inputs=[Input(f, fmt, meta.sha256_of(f)) for f, fmt in files])
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_real_files_are_accounted_for(sample_2018):
    files = sample_2018.execute(
        "select path, rows_read, rows_loaded, rows_rejected from meta.files "
        "where format in ('acled', 'ucdp_ged')"
    ).fetchall()
    counts = {Path(p).name: (r, lo, rj) for p, r, lo, rj in files}
    assert counts["acled_drc_2018-08-01_2018-11-26.csv"] == (292, 292, 0)
    assert counts["ucdp_ged_23.1_sample1000.csv"] == (1000, 1000, 0)
    assert all(r == lo + rj for r, lo, rj in counts.values())
    by_source = dict(sample_2018.execute("select source, count(*) from core.events group by all").fetchall())
    assert (by_source["acled"], by_source["ucdp"]) == (293, 1001)
    assert undeclared(sample_2018) == [] and failures(sample_2018) == []


def test_beni_events_link_to_butembo_and_score_it(sample_2018):
    links = sample_2018.execute(
        "select count(*), min(l.distance_km) from core.event_links as l "
        "join core.events as e using (event_id) "
        "where l.place_id = 'H-COD-BUTEMBO' and e.source = 'acled' and e.location = 'Beni'"
    ).fetchone()
    assert links[0] > 10 and 40 < links[1] < 50  # Beni is about 45 km from Butembo
    risk = sample_2018.execute(
        "select score, intensity_points from marts.place_risk_at(?) where place_id = 'H-COD-BUTEMBO'",
        [AS_OF_2018],
    ).fetchone()
    assert risk[0] > 0 and risk[1] > 0
    sources = dict(
        sample_2018.execute(
            "select source, count(*) from marts.place_risk_contributions_at(?) "
            "where place_id = 'H-COD-BUTEMBO' group by all",
            [AS_OF_2018],
        ).fetchall()
    )
    assert sources.get("acled", 0) > 10 and "curated" not in sources  # the sample's events are from 2023 on


def test_the_butembo_clash_counts_once(sample_2018):
    dup = sample_2018.execute(
        "select event_id, duplicate_of, actor_rule from core.event_duplicates where event_id = 'ucdp:910201'"
    ).fetchall()
    assert dup == [("ucdp:910201", "acled:COD99201", "named actor")]
    counted = sample_2018.execute(
        "select event_id from marts.place_risk_contributions_at(?) where place_id = 'H-COD-BUTEMBO' "
        "and event_id in ('acled:COD99201', 'ucdp:910201')",
        [AS_OF_2018],
    ).fetchall()
    assert counted == [("acled:COD99201",)]
    recent = sample_2018.execute(
        "select count(*) from marts.recent_events where event_id in ('acled:COD99201', 'ucdp:910201')"
    ).fetchone()
    assert recent == (1,)
