"""ACLED exports: current, HDX (HXL row) and pre-2019 files load; bad rows are rejected with file, line,
column and reason; old event types map to today's; the newest version of an event wins across files."""

import csv
from pathlib import Path

import duckdb
import pytest

from analysis.schema import table
from analysis.sources import acled, registry
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.inputs import Input

from .conftest import HERE, SHARED_DATA, TINY_AS_OF, tiny_world

FIXTURES = HERE / "fixtures" / "acled"
REFERENCE = HERE.parent / "datasets" / "reference"
CURRENT_TYPES = {
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
}


def _load(path: Path) -> tuple[duckdb.DuckDBPyConnection, meta.FileStats]:
    con = duckdb.connect()
    meta.create(con)
    return con, acled.load_acled(con, path, 1)


def _rejects(con) -> dict[int, tuple[str, str]]:
    rows = con.execute("select line, column_name, reason from meta.rejects order by line").fetchall()
    return {line: (column, reason) for line, column, reason in rows}


def _input(path: Path) -> Input:
    return Input(path, "acled", meta.sha256_of(path))


def _build_tiny(tmp: Path, files: list[Path]) -> duckdb.DuckDBPyConnection:
    sample, reference = tiny_world(tmp / "w")
    db = tmp / "w.duckdb"
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=[_input(f) for f in files])
    return duckdb.connect(str(db), read_only=True)


@pytest.mark.parametrize("name", ["acled_current.csv", "acled_hdx.csv", "acled_2018.csv"])
def test_every_kind_of_export_is_detected(name):
    assert registry.detect(FIXTURES / name).name == "acled"


def test_broken_rows_are_rejected_with_their_reasons():
    path = FIXTURES / "acled_broken.csv"
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (20, 9, 11)
    got = _rejects(con)
    expected = {
        10: ("latitude", "latitude: expected a value in [-90, 90], got -95.2"),
        11: ("latitude", "latitude/longitude look swapped: (29.22, -1.68) is 4728 km from the median"),
        12: ("latitude", "latitude: expected a value in [-90, 90], got 120.5"),
        13: ("fatalities", "fatalities: expected a value in [0, 100000], got -3"),
        14: ("event_date", "event_date: expected a date %Y-%m-%d or %d %B %Y, got 03/04/2024"),
        15: ("event_date", "got sometime in March 2024"),
        16: ("country", "country: unknown country (country 'Atlantis', iso 999)"),
        17: ("country", "country: iso 180 is COD, country 'Uganda' is UGA"),
        18: ("", "duplicate key (event_id_cnty, timestamp) first seen on line 2"),
        20: ("event_type", "event_type: expected one of Battles"),
        21: ("event_id_cnty", "event_id_cnty: required value is missing"),
    }
    assert set(got) == set(expected)
    for line, (column, reason) in expected.items():
        assert got[line][0] == column and reason in got[line][1], (line, got[line])
    assert con.execute("select distinct path, table_name from meta.rejects").fetchall() == [
        (str(path), "staging.acled_events")
    ]
    # line 19 is a newer version (timestamp) of line 3's event: both versions are staged
    versions = con.execute(
        "select _line, fatalities from staging.acled_events where event_id_cnty = 'COD90002' order by _line"
    ).fetchall()
    assert versions == [(3, 6), (19, 7)]


def _cases():
    with open(FIXTURES / "bad_values.tsv", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _with_changes(tmp_path: Path, base: Path, line: int, changes: str) -> Path:
    with open(base, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for change in changes.split(";"):
        column, value = change.split("=", 1)
        rows[line - 2][column] = value
    out = tmp_path / base.name
    with open(out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    return out


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["changes"])
def test_bad_value_is_rejected_with_its_reason(tmp_path, case):
    path = _with_changes(tmp_path, FIXTURES / "acled_current.csv", int(case["line"]), case["changes"])
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (8, 7, 1)
    (line, column, reason), *_ = con.execute("select line, column_name, reason from meta.rejects").fetchall()
    assert (line, column) == (int(case["line"]), case["column"])
    assert case["expected_reason"] in reason
    assert con.execute("select count(*) from staging.acled_events").fetchone()[0] == 7


def test_hxl_row_is_skipped_and_not_counted():
    con, stats = _load(FIXTURES / "acled_hdx.csv")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (3, 3, 0)
    rows = con.execute(
        "select _line, data_id, event_id_no_cnty, iso3, country_iso3, disorder_type "
        "from staging.acled_events order by _line"
    ).fetchall()
    assert rows[0] == (3, 9100001, "99001", "UGA", "UGA", None)  # line 2 is the HXL tag row
    assert len(rows) == 3


def test_missing_country_columns_is_a_file_error(tmp_path):
    from analysis.sources.errors import InputError

    path = tmp_path / "no_country.csv"
    text = (FIXTURES / "acled_current.csv").read_text()
    path.write_text(text.replace(",iso,", ",isox,", 1).replace(",country,", ",countryx,", 1))
    with pytest.raises(InputError, match=r"no_country\.csv: no country column"):
        _load(path)


def test_declared_old_types_are_the_reference_mapping():
    with open(REFERENCE / "acled_legacy_event_types.csv", newline="") as fh:
        mapped = {r["old_event_type"] for r in csv.DictReader(fh)}
    accepted = set(table("staging.acled_events").column("event_type").check("accepted_values"))
    assert accepted == CURRENT_TYPES | mapped


DRC_2018 = SHARED_DATA / "conflict" / "acled_drc_2018-08-01_2018-11-26.csv"


@pytest.fixture(scope="module")
def tiny_acled(tmp_path_factory):
    """The tiny world with every ACLED fixture, and the real 2018 DRC export where it is available."""
    tmp = tmp_path_factory.mktemp("acled")
    names = ("acled_current.csv", "acled_update.csv", "acled_2018.csv", "acled_hdx.csv")
    files = [FIXTURES / n for n in names] + ([DRC_2018] if DRC_2018.exists() else [])
    con = _build_tiny(tmp, files)
    yield con
    con.close()


def test_accounting_invariant_for_every_file(tiny_acled):
    files = tiny_acled.execute(
        "select path, rows_read, rows_loaded, rows_rejected from meta.files "
        "where format = 'acled' and path like '%fixtures%' order by path"
    ).fetchall()
    assert [(Path(p).name, r, lo, rj) for p, r, lo, rj in files] == [
        ("acled_2018.csv", 13, 12, 1),
        ("acled_current.csv", 8, 8, 0),
        ("acled_hdx.csv", 3, 3, 0),
        ("acled_update.csv", 3, 3, 0),
    ]
    assert all(r == lo + rj for _, r, lo, rj in files)
    assert tiny_acled.execute("select count(*) from meta.rejects").fetchone()[0] == 1
    every = tiny_acled.execute("select rows_read, rows_loaded, rows_rejected from meta.files").fetchall()
    assert all(r == lo + rj for r, lo, rj in every)


def test_newest_version_wins_across_files(tiny_acled):
    staged = tiny_acled.execute(
        "select event_id_cnty, count(*) from staging.acled_events "
        "where event_id_cnty in ('COD90003', 'COD90004') group by all order by 1"
    ).fetchall()
    assert staged == [("COD90003", 2), ("COD90004", 2)]  # every version stays in staging
    core = dict(
        tiny_acled.execute(
            "select source_event_id, fatalities from core.events "
            "where source_event_id in ('COD90003', 'COD90004', 'COD90009')"
        ).fetchall()
    )
    assert core == {"COD90003": 4, "COD90004": 0, "COD90009": 5}  # 90004's other version is older
    ref = tiny_acled.execute(
        "select source_ref from core.events where event_id = 'acled:COD90003'"
    ).fetchone()[0]
    assert ref == "acled_update.csv line 2; Radio Okapi; Actualite.cd"


LEGACY = {
    "DRC99101": ("Battles", "Armed clash", "Battle-No change of territory"),
    "DRC99102": ("Battles", "Government regains territory", "Battle-Government regains territory"),
    "DRC99103": (
        "Battles",
        "Non-state actor overtakes territory",
        "Battle-Non-state actor overtakes territory",
    ),
    "DRC99104": ("Violence against civilians", "Attack", "Violence against civilians"),
    "DRC99105": ("Explosions/Remote violence", None, "Remote violence"),
    "DRC99106": ("Strategic developments", None, "Strategic development"),
    "DRC99107": (
        "Strategic developments",
        "Non-violent transfer of territory",
        "Non-violent transfer of territory",
    ),
    "DRC99108": (
        "Strategic developments",
        "Headquarters or base established",
        "Headquarters or base established",
    ),
    "DRC99109": ("Riots", "Violent demonstration", "Riots/Protests"),  # interaction 15
    "DRC99110": ("Protests", "Peaceful protest", "Riots/Protests"),  # 60
    "DRC99111": ("Protests", "Protest with intervention", "Riots/Protests"),  # 16
    "DRC99112": ("Protests", None, "Riots/Protests"),  # no interaction code: the '*' row
}


def test_old_event_types_map_to_todays(tiny_acled):
    rows = tiny_acled.execute(
        "select source_event_id, event_type, sub_event_type, original_event_type from core.events "
        "where source_event_id like 'DRC99%'"
    ).fetchall()
    assert {r[0]: r[1:] for r in rows} == LEGACY
    dates = dict(
        tiny_acled.execute(
            "select source_event_id, event_date::VARCHAR from core.events where source_event_id in "
            "('DRC99101', 'DRC99112')"
        ).fetchall()
    )
    assert dates == {"DRC99101": "2018-11-24", "DRC99112": "2018-11-02"}


def test_current_rows_keep_their_types_and_fields(tiny_acled):
    row = tiny_acled.execute(
        "select event_type, sub_event_type, original_event_type, actor1, actor2, country_iso3, admin1, "
        "location, lat, lon, geo_precision, precision_family, date_precision, date_end = event_date "
        "from core.events where event_id = 'acled:COD90002'"
    ).fetchone()
    assert row == (
        "Violence against civilians",
        "Attack",
        None,
        "ADF: Allied Democratic Forces",
        "Civilians (Democratic Republic of Congo)",
        "COD",
        "Nord-Kivu",
        "Oicha",
        0.7,
        29.517,
        1,
        "acled",
        1,
        True,
    )
    assert tiny_acled.execute(
        "select country_iso3 from core.events where source_event_id = 'UGA99002'"
    ).fetchone() == ("UGA",)


def _real(name: str) -> Path:
    path = SHARED_DATA / "conflict" / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def test_real_uganda_hdx_export():
    path = _real("acled_hdx_conflict_data_uga.csv")
    assert registry.detect(path).name == "acled"
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (6082, 6082, 0)  # HXL row not counted
    summary = con.execute(
        "select count(distinct country_iso3), min(country_iso3), min(event_date)::VARCHAR, "
        "max(event_date)::VARCHAR, count(sub_event_type) from staging.acled_events"
    ).fetchone()
    assert summary == (1, "UGA", "1997-01-01", "2020-11-03", 6082)


def test_real_drc_2018_export_maps_every_old_type(tiny_acled):
    path = _real("acled_drc_2018-08-01_2018-11-26.csv")
    assert registry.detect(path).name == "acled"
    files = tiny_acled.execute(
        "select rows_read, rows_loaded, rows_rejected from meta.files where path = ?", [str(path)]
    )
    assert files.fetchall() == [(292, 292, 0)]
    real = "from core.events where source = 'acled' and source_event_id between 'DRC1' and 'DRC2'"
    by_type = dict(tiny_acled.execute(f"select original_event_type, count(*) {real} group by all").fetchall())
    assert sum(by_type.values()) == 292 and by_type["Battle-No change of territory"] == 109
    assert set(by_type) == {
        "Battle-No change of territory",
        "Violence against civilians",
        "Riots/Protests",
        "Strategic development",
        "Battle-Government regains territory",
        "Non-violent transfer of territory",
        "Battle-Non-state actor overtakes territory",
    }
    types = {r[0] for r in tiny_acled.execute(f"select distinct event_type {real}").fetchall()}
    assert types <= CURRENT_TYPES
    span = tiny_acled.execute(f"select min(event_date)::VARCHAR, max(event_date)::VARCHAR {real}").fetchone()
    assert span == ("2018-08-02", "2018-11-24")
