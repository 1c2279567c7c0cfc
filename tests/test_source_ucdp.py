"""UCDP GED files: decimals like "300380.0" load as integers, bad rows are rejected with their reasons
(swapped coordinates by the PRIO-GRID cell), type_of_violence maps to ACLED's taxonomy, countries resolve."""

import csv
from pathlib import Path

import duckdb
import pytest

from analysis.sources import registry, ucdp
from analysis.sources.event_checks import resolve_country
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input

from .conftest import HERE, SHARED_DATA, TINY_AS_OF, tiny_world
from .test_source_acled import _with_changes

FIXTURES = HERE / "fixtures" / "ucdp"


def _load(path: Path) -> tuple[duckdb.DuckDBPyConnection, meta.FileStats]:
    con = duckdb.connect()
    meta.create(con)
    return con, ucdp.load_ucdp(con, path, 1)


def test_detected():
    assert registry.detect(FIXTURES / "ged_sample.csv").name == "ucdp_ged"


def test_broken_rows_are_rejected_with_their_reasons():
    path = FIXTURES / "ged_broken.csv"
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (12, 4, 8)
    got = {
        line: (column, reason)
        for line, column, reason in con.execute(
            "select line, column_name, reason from meta.rejects"
        ).fetchall()
    }
    expected = {
        6: (
            "latitude",
            "latitude/longitude look swapped: priogrid_gid 127139 is the cell of (-1.5106, 29.3487)",
        ),
        7: ("latitude", "latitude/longitude: the point is not in its priogrid_gid cell 127139"),
        8: ("country", "country: unknown country (country 'Wakanda')"),
        9: ("date_end", "date_end: before date_start, got 2023-03-18 < 2023-03-19"),
        10: ("type_of_violence", "type_of_violence: expected a value in [1, 3], got 4.0"),
        11: ("best", "best: expected a value in [0, 100000], got -1.0"),
        12: ("date_start", "got 18/03/2023"),
        13: ("", "duplicate key (id) first seen on line 5"),
    }
    assert set(got) == set(expected)
    for line, (column, reason) in expected.items():
        assert got[line][0] == column and reason in got[line][1], (line, got[line])
    assert con.execute("select distinct path from meta.rejects").fetchall() == [(str(path),)]


def _cases():
    with open(FIXTURES / "bad_values.tsv", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["changes"])
def test_bad_value_is_rejected_with_its_reason(tmp_path, case):
    path = _with_changes(tmp_path, FIXTURES / "ged_sample.csv", int(case["line"]), case["changes"])
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (4, 3, 1)
    (line, column, reason), *_ = con.execute("select line, column_name, reason from meta.rejects").fetchall()
    assert (line, column) == (int(case["line"]), case["column"])
    assert case["expected_reason"] in reason


def test_decimal_numbers_load_as_integers():
    con, _ = _load(FIXTURES / "ged_sample.csv")
    row = con.execute(
        "select id, type_of_violence, where_prec, date_prec, best, low, high, priogrid_gid, country_iso3 "
        "from staging.ucdp_ged_events where _line = 2"
    ).fetchone()
    assert row == (910001, 1, 1, 1, 4, 3, 6, 127139, "COD")


@pytest.fixture(scope="module")
def tiny_ucdp(tmp_path_factory):
    """The tiny world with the sample GED file and a later release that revises event 910001."""
    tmp = tmp_path_factory.mktemp("ucdp")
    lines = (FIXTURES / "ged_sample.csv").read_text().splitlines(keepends=True)
    later = tmp / "ged_z_later.csv"
    later.write_text(lines[0] + lines[1].replace(",4.0,6.0,3.0,490.0,", ",5.0,6.0,3.0,490.0,", 1))
    sample, reference = tiny_world(tmp / "w")
    db = tmp / "w.duckdb"
    inputs = [Input(f, "ucdp_ged", meta.sha256_of(f)) for f in (FIXTURES / "ged_sample.csv", later)]
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=inputs)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_events_in_the_canonical_model(tiny_ucdp):
    rows = tiny_ucdp.execute(
        "select event_id, event_type, sub_event_type, original_event_type, actor1, actor2, fatalities, "
        "fatalities_low, fatalities_high, fatalities_approx, date_precision, event_date::VARCHAR, "
        "date_end::VARCHAR, geo_precision, precision_family, country_iso3, location, notes "
        "from core.events where source = 'ucdp' order by event_id"
    ).fetchall()
    assert [r[0] for r in rows] == ["ucdp:910001", "ucdp:910002", "ucdp:910003", "ucdp:910004"]
    first, second, third, colombia = rows
    assert first[1:16] == (
        "Battles",
        "Armed clash",
        "UCDP type_of_violence 1: state-based conflict",
        "Government of DR Congo (Zaire)",
        "M23",
        5,  # the later release's figure (see below)
        3,
        6,
        True,
        1,
        "2023-03-15",
        "2023-03-15",
        1,
        "ucdp",
        "COD",
    )
    assert first[16:] == ("in Kibumba village", "Fixture headline (invented) about Kibumba")
    assert second[1:4] == (
        "Violence against civilians",
        "Attack",
        "UCDP type_of_violence 3: one-sided violence",
    )
    assert (second[10], second[12]) == (2, "2023-03-19")  # date_prec 2 (2-6 days) → ACLED's week
    assert (third[1], third[10], third[13]) == ("Battles", 3, 2)  # non-state; date_prec 4 → month
    assert colombia[15] == "COL"  # rows outside Africa load too
    ref = tiny_ucdp.execute("select source_ref from core.events where event_id = 'ucdp:910002'").fetchone()[0]
    assert ref.startswith('ged_sample.csv line 3; "Radio Okapi,2023-03-18,Fixture headline')


def test_same_id_in_a_later_release_wins(tiny_ucdp):
    staged = tiny_ucdp.execute("select count(*) from staging.ucdp_ged_events where id = 910001").fetchone()
    assert staged == (2,)  # both releases' rows are staged
    core = tiny_ucdp.execute("select fatalities, source_ref from core.events where event_id = 'ucdp:910001'")
    fatalities, ref = core.fetchone()
    assert fatalities == 5 and ref.startswith("ged_z_later.csv line 2")


@pytest.mark.parametrize(
    "name,iso3",
    [
        ("DR Congo (Zaire)", "COD"),
        ("Congo", "COG"),
        ("Kingdom of eSwatini (Swaziland)", "SWZ"),
        ("Yemen (North Yemen)", "YEM"),
        ("Serbia (Yugoslavia)", "SRB"),
        ("Cambodia (Kampuchea)", "KHM"),
        ("Myanmar (Burma)", "MMR"),
        ("Russia (Soviet Union)", "RUS"),
        ("Madagascar (Malagasy)", "MDG"),
        ("Zimbabwe (Rhodesia)", "ZWE"),
        ("Macedonia, FYR", "MKD"),
        ("Bosnia-Herzegovina", "BIH"),
        ("Ivory Coast", "CIV"),
    ],
)
def test_ucdp_country_names_resolve(name, iso3):
    assert resolve_country(None, None, name) == (iso3, None)


def test_real_ged_sample():
    path = SHARED_DATA / "conflict" / "ucdp_ged_23.1_sample1000.csv"
    if not path.exists():
        pytest.skip(f"{path} not available")
    assert registry.detect(path).name == "ucdp_ged"
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (1000, 1000, 0)
    counts = con.execute(
        "select count(*) filter (where country_iso3 = 'COD'), count(distinct country_iso3), "
        "count(*) filter (where country_iso3 is null), count(*) filter (where source_article like '%\n%') "
        "from staging.ucdp_ged_events"
    ).fetchone()
    assert counts[:3] == (35, 59, 0)
    assert counts[3] > 0  # quoted line breaks inside fields are read, not split into rows
