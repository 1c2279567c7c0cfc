"""IPIS mining sites: the visits layer (CSV, GeoJSON) and the uncoded site extract load with every reject
explained; visits collapse into sites with their history; IPIS sites that are sample sites are matched, not
duplicated; armed presence and interference reach core and the scores."""

from __future__ import annotations

import csv
import functools
import json
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.point_in_polygon import points_in_shape
from analysis.schema import table
from analysis.site_matching import MatchRule, match_records, name_score, resolve_tiers
from analysis.sources import registry
from analysis.sources.errors import InputError
from analysis.sources.geojson_table import first_property_names, load_geojson
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.checks import failures, undeclared
from analysis.warehouse.inputs import Input

from .conftest import HERE, SHARED_DATA, TINY_AS_OF, tiny_world

FIXTURES = HERE / "fixtures" / "ipis"
VISITS_CSV = FIXTURES / "visits.csv"
VISITS_GEOJSON = FIXTURES / "visits_basic.geojson"
DATACAMP_BROKEN = FIXTURES / "datacamp_broken.geojson"
ZONES = FIXTURES / "zones.geojson"
DATACAMP_REAL = SHARED_DATA / "mines" / "ipis_cod_mines_datacamp.geojson"
ZONES_REAL = SHARED_DATA / "mines" / "ipis_webmap_armed_groups_v2.geojson"
FIXTURE_FORMATS = {
    VISITS_CSV: "ipis",
    VISITS_GEOJSON: "ipis",
    DATACAMP_BROKEN: "ipis_datacamp",
    ZONES: "ipis_armed_group_zones",
}


def _tsv(name: str) -> list[dict]:
    with open(HERE / "cases" / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    meta.create(con)
    return con


@functools.cache
def _load(path: Path):
    """(connection, FileStats) of one fixture loaded alone; tests only read from it."""
    con = _con()
    [stats] = registry.get(FIXTURE_FORMATS[path]).load(con, path, 1)
    return con, stats


def _inputs(paths: dict[Path, str]) -> list[Input]:
    return [Input(p.resolve(), fmt, meta.sha256_of(p)) for p, fmt in paths.items()]


# --- reading the files -------------------------------------------------------------------------------


def test_formats_are_detected_from_their_fields():
    for path, fmt in FIXTURE_FORMATS.items():
        assert registry.detect(path).name == fmt


def test_property_names_come_from_the_first_feature_not_the_crs():
    assert first_property_names(DATACAMP_BROKEN) == {"visit_date", "name", "n_workers", "mineral"}


@pytest.mark.parametrize(
    ("path", "counts"),
    [
        (VISITS_CSV, (15, 7, 8)),
        (VISITS_GEOJSON, (9, 5, 4)),
        (DATACAMP_BROKEN, (13, 6, 7)),
        (ZONES, (5, 3, 2)),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_every_row_is_loaded_or_rejected(path, counts):
    con, stats = _load(path)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == counts
    loaded = con.execute(f"select count(*) from {stats.table_name} where _file = ?", [str(path)]).fetchone()[
        0
    ]
    rejected = con.execute("select count(distinct line) from meta.rejects").fetchone()[0]
    assert (loaded, rejected) == counts[1:]


@pytest.mark.parametrize(
    "case", _tsv("ipis_rejects.tsv"), ids=lambda c: f"{c['file']}:{c['line']}:{c['column']}"
)
def test_broken_rows_are_rejected_with_file_line_column_and_reason(case):
    path = FIXTURES / case["file"]
    con, _ = _load(path)
    found = con.execute(
        "select path, column_name, reason from meta.rejects where line = ?", [int(case["line"])]
    ).fetchall()
    assert found == [(str(path), case["column"], case["reason"])]


def test_geojson_features_keep_their_properties_and_point():
    con, _ = _load(VISITS_GEOJSON)
    rows = con.execute(
        "select vid, visit_date, lat, lon, workers_numb, _line from staging.ipis_visits order by _line"
    ).fetchall()
    assert rows[0] == ("2001", date(2012, 6, 19), -3.02413, 28.98062, 60, 1)
    # no geometry: the latitude/longitude properties stand in; a date with a time of day is a date
    assert rows[3] == ("2004", date(2016, 11, 29), -3.0188, 28.9771, 40, 4)
    assert rows[4][:2] == ("2009", date(2017, 3, 30))


def test_not_a_feature_collection_is_a_whole_file_error(tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "Feature", "properties": {"features": []}, "geometry": None}))
    with pytest.raises(InputError, match=r"sites\.geojson: expected a GeoJSON FeatureCollection"):
        load_geojson(_con(), path, table("staging.ipis_datacamp"), 1, "ipis_datacamp")


def test_missing_required_property_names_file_and_column(tmp_path):
    path = tmp_path / "sites.geojson"
    feature = {"type": "Feature", "properties": {"name": "Kakunda"}, "geometry": None}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(InputError, match=r"sites\.geojson: missing column\(s\) visit_date"):
        load_geojson(_con(), path, table("staging.ipis_datacamp"), 1, "ipis_datacamp")


def test_real_datacamp_extract_loads_every_feature():
    if not DATACAMP_REAL.exists():
        pytest.skip(f"{DATACAMP_REAL} is not here (../shared/data holds the real IPIS files)")
    assert registry.detect(DATACAMP_REAL).name == "ipis_datacamp"
    con = _con()
    [stats] = registry.get("ipis_datacamp").load(con, DATACAMP_REAL, 1)
    # 2,143 points, all with a date, a name, a point in the DR Congo and a worker count: none rejected
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (2143, 2143, 0)
    lines = con.execute("select min(_line), max(_line), count(distinct _line) from staging.ipis_datacamp")
    assert lines.fetchone() == (1, 2143, 2143)


# --- matching sites across sources -------------------------------------------------------------------


@pytest.mark.parametrize("case", _tsv("ipis_site_matches.tsv"), ids=lambda c: c["case"])
def test_site_matching_cases(case):
    site = pd.DataFrame(
        {
            "id": ["S"],
            "name": [case["site_name"]],
            "lat": [float(case["site_lat"])],
            "lon": [float(case["site_lon"])],
        }
    )
    record = pd.DataFrame(
        {
            "id": ["R"],
            "name": [case["record_name"]],
            "lat": [float(case["record_lat"])],
            "lon": [float(case["record_lon"])],
        }
    )
    [match] = resolve_tiers([site, record], MatchRule()).to_dict("records")
    assert match["match_rule"] == case["expected_rule"]
    assert match["site_id"] == ("R" if case["expected_rule"] == "none" else "S")


def test_a_site_takes_its_namesake_before_a_closer_stranger():
    kept = pd.DataFrame({"id": ["S"], "name": ["Kamole (Idjwi island)"], "lat": [-1.992], "lon": [29.087]})
    new = pd.DataFrame(
        {
            "id": ["near", "namesake"],
            "name": ["Buterere/Jolie", "Kamole 1"],
            "lat": [-1.9924, -1.9934],
            "lon": [29.0870, 29.0865],
        }
    )
    matches = match_records(kept, new, MatchRule())
    assert matches[["record_id", "site_id", "match_rule"]].values.tolist() == [
        ["namesake", "S", "name_and_distance"]
    ]


def test_name_score_ignores_accents_case_and_word_order():
    assert name_score("Mille bêches", "MILLE BECHES") == 100
    assert name_score("D2 Bibatama", "Bibatama D2") == 100
    assert name_score("Kalungu", "Beta") < 50


# --- the warehouse built with IPIS files --------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_ipis(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny_ipis")
    sample, reference = tiny_world(folder)
    db = folder / "w.duckdb"
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=_inputs(FIXTURE_FORMATS))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_build_keeps_the_accounting_and_the_declared_checks(tiny_ipis):
    files = tiny_ipis.execute(
        "select format, rows_read, rows_loaded, rows_rejected from meta.files where format like 'ipis%' "
        "order by rows_read"
    ).fetchall()
    assert files == [
        ("ipis_armed_group_zones", 5, 3, 2),
        ("ipis", 9, 5, 4),
        ("ipis_datacamp", 13, 6, 7),
        ("ipis", 15, 7, 8),
    ]
    assert undeclared(tiny_ipis) == []
    assert failures(tiny_ipis) == []


def test_visits_of_one_pcode_become_one_site_with_its_history(tiny_ipis):
    site = tiny_ipis.execute(
        "select name, pcode, n_visits, first_visit, last_visit, workers, minerals, armed_presence, source, "
        "source_ref from core.sites where site_id = 'IPIS-codmine90003'"
    ).fetchone()
    assert site[:8] == (
        "Kalungu II",
        "codmine90003",
        2,
        date(2015, 1, 1),
        date(2017, 8, 11),
        150,
        ["gold", "diamond"],
        "Maï-Maï Kifuafua; unidentified armed actor",
    )
    assert site[8] == "ipis" and site[9].endswith("visits.csv line 7")
    visits = tiny_ipis.execute(
        "select visit_id, date_approx, armed_groups from core.site_visits "
        "where ipis_site_id = 'IPIS-codmine90003' order by visit_date"
    ).fetchall()
    # 'Pas de présence armée' is IPIS's answer for no actor; 1 January 2015 gives the year only
    assert visits == [
        ("IPIS-V-1005", True, []),
        ("IPIS-V-1006", False, ["Maï-Maï Kifuafua", "unidentified armed actor"]),
    ]


def test_ipis_words_become_minrisk_values(tiny_ipis):
    rows = tiny_ipis.execute(
        "select visit_id, minerals, mineral_routes, qualification, itsci, child_labour from core.site_visits "
        "where visit_id in ('IPIS-V-1001', 'IPIS-V-1003', 'IPIS-V-1006', 'IPIS-V-1007') order by visit_id"
    ).fetchall()
    route = {"mineral": "coltan", "selling_point": "Gtown", "final_destination": "Goma"}
    assert rows == [
        ("IPIS-V-1001", ["coltan", "cassiterite"], [route], "yellow", False, False),  # Jaune, Non, 0
        ("IPIS-V-1003", ["cassiterite", "coltan"], [], "green", True, False),  # Vert, Oui, non
        ("IPIS-V-1006", ["gold", "diamond"], [], None, None, None),  # Or, Diamant; 'peut-être' is no answer
        (
            "IPIS-V-1007",
            ["cassiterite", "wolframite"],
            [{"mineral": "cassiterite", "selling_point": "Nzibira", "final_destination": "Bukavu"}],
            None,
            True,
            None,
        ),
    ]


def test_armed_presence_is_the_latest_visit_that_recorded_actors(tiny_ipis):
    # Mugerero: FDLR in 2012, Yakutumba and FARDC in 2015, nobody in 2017 -> no presence, as of 2017
    row = tiny_ipis.execute(
        "select n_visits, armed_presence, armed_presence_reported, child_labour from core.sites "
        "where site_id = 'IPIS-codmine91001'"
    ).fetchone()
    assert row == (3, None, None, False)


def test_site_extract_rows_become_visits_by_site_and_date(tiny_ipis):
    rows = tiny_ipis.execute(
        "select ipis_site_id, count(*), list(minerals order by visit_date), any_value(armed_groups) "
        "from core.site_visits where source_format = 'ipis_datacamp' group by all order by 1"
    ).fetchall()
    by_site = {r[0].split("@")[0]: r[1:] for r in rows}
    assert by_site["IPIS-DC-mabanga"][:2] == (2, [["gold"], ["gold"]])  # two dates, one site
    assert by_site["IPIS-DC-koweit"][:2] == (1, [["coltan", "cassiterite"]])  # two rows, one visit
    assert all(r[2] is None for r in by_site.values())  # the extract does not record armed actors


def test_sample_sites_absorb_their_ipis_records(tiny_ipis):
    matches = tiny_ipis.execute(
        "select ipis_site_id, site_id, match_rule from core.site_matches "
        "where match_rule <> 'none' order by 1"
    ).fetchall()
    assert matches == [
        ("IPIS-DC-alpha@-1.500,29.001", "S-COD-ALPHA", "name_and_distance"),
        ("IPIS-codmine90001", "S-COD-ALPHA", "name_and_distance"),
        ("IPIS-codmine90002", "S-COD-BETA", "name_and_distance"),
    ]
    alpha = tiny_ipis.execute(
        "select name, lat, pcode, n_visits, first_visit, last_visit, armed_presence, qualification, source "
        "from core.sites where site_id = 'S-COD-ALPHA'"
    ).fetchone()
    # the curated row keeps its name, position and the later presence report; IPIS adds the history
    assert alpha == (
        "Alpha mine",
        -1.5,
        "codmine90001",
        3,
        date(2016, 3, 14),
        date(2024, 6, 1),
        "Group X",
        "red",
        "curated",
    )
    ids = [r[0] for r in tiny_ipis.execute("select site_id from core.sites").fetchall()]
    assert len(ids) == len(set(ids)) == 3 + 8  # 3 sample sites, 8 IPIS sites of their own
    # Kalungu lies 1.35 km from Beta under another name: a site of its own
    assert "IPIS-codmine90003" in ids


def test_interference_maps_to_annex_ii(tiny_ipis):
    rows = tiny_ipis.execute(
        "select actor, actor_kind, interference, annex_ii_paragraph from core.site_interference "
        "where visit_id = 'IPIS-V-1002' order by all"
    ).fetchall()
    assert rows == [
        ("FARDC", "public_security_forces", "buying", 5),
        ("FARDC", "public_security_forces", "presence", 5),
        ("Nyatura", "non_state_armed_group", "entrance_tax", 3),
        ("Nyatura", "non_state_armed_group", "forced_labour", 1),
        ("Nyatura", "non_state_armed_group", "presence", 3),
        ("Nyatura", "non_state_armed_group", "roadblocks", 3),
        ("Nyatura", "non_state_armed_group", "taxation", 3),
    ]
    site = tiny_ipis.execute(
        "select distinct site_id from core.site_interference where visit_id = 'IPIS-V-1002'"
    )
    assert site.fetchall() == [("S-COD-ALPHA",)]


def test_reported_presence_scores_while_it_is_recent(tiny_ipis):
    def presence_points(as_of: str) -> float:
        return tiny_ipis.execute(
            "select presence_points from marts.place_risk_at(?::DATE) where place_id = 'IPIS-codmine90003'",
            [as_of],
        ).fetchone()[0]

    assert presence_points("2017-08-10") == 0  # before the visit that reported it
    assert presence_points("2018-06-01") == 10
    assert presence_points("2021-01-01") == 0  # three years on, the report has expired


def test_ipis_terms_do_not_contradict_each_other():
    import unicodedata

    def key(text: str) -> str:
        return unicodedata.normalize("NFKD", text.strip().lower()).encode("ascii", "ignore").decode()

    seen: dict[tuple[str, str], str] = {}
    with open(HERE.parent / "datasets" / "reference" / "ipis_terms.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert seen.setdefault((row["field"], key(row["term"])), row["value"]) == row["value"], row


def _square(x1: float, y1: float, x2: float, y2: float) -> list:
    return [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]


def test_points_in_shape_follows_the_even_odd_rule():
    with_hole = {"type": "Polygon", "coordinates": [_square(0, 0, 10, 10), _square(4, 4, 6, 6)]}
    lat, lon = [5, 2, 5, 11, 5], [5, 2, 8, 5, -1]  # in the hole, inside, inside, north, west
    assert points_in_shape(lat, lon, with_hole).tolist() == [False, True, True, False, False]
    two_parts = {"type": "MultiPolygon", "coordinates": [[_square(0, 0, 1, 1)], [_square(5, 5, 6, 6)[:-1]]]}
    assert points_in_shape([0.5, 5.5, 3], [0.5, 5.5, 3], two_parts).tolist() == [True, True, False]


def test_sites_in_zones_get_the_group_unless_a_later_report_says_otherwise(tiny_ipis):
    rows = tiny_ipis.execute(
        "select split_part(site_id, '@', 1), armed_presence, armed_presence_reported from core.sites "
        "where site_id like 'IPIS-DC-%' order by 1"
    ).fetchall()
    assert rows == [
        ("IPIS-DC-koweit", None, None),  # in the zone's hole
        ("IPIS-DC-luwowo", "Nyatura", date(2016, 1, 1)),  # the zone's own date ('2016')
        ("IPIS-DC-mabanga", "ADF", date(2015, 7, 1)),  # no date in the file: the web map's 2015
    ]
    # Beta lies in no zone; Alpha's curated 2024 report is later than any zone
    assert tiny_ipis.execute(
        "select armed_presence from core.sites where site_id = 'S-COD-ALPHA'"
    ).fetchone() == ("Group X",)


def test_real_zones_agree_with_an_independent_point_in_polygon():
    mpath = pytest.importorskip("matplotlib.path")
    if not (ZONES_REAL.exists() and DATACAMP_REAL.exists()):
        pytest.skip("the real IPIS files are not in ../shared/data")
    con = _con()
    [stats] = registry.get("ipis_armed_group_zones").load(con, ZONES_REAL, 1)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (29, 29, 0)
    points = json.loads(DATACAMP_REAL.read_text())["features"]
    lon = [f["geometry"]["coordinates"][0] for f in points]
    lat = [f["geometry"]["coordinates"][1] for f in points]
    total = 0
    for (text,) in con.execute("select geometry from staging.ipis_armed_group_zones").fetchall():
        shape = json.loads(text)
        ours = points_in_shape(lat, lon, shape)
        polygons = [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]
        theirs = ours & False
        for ring in (r for polygon in polygons for r in polygon):  # even-odd over every ring
            theirs ^= mpath.Path(ring).contains_points(list(zip(lon, lat, strict=True)))
        assert (ours == theirs).all()
        total += ours.sum()
    assert total > 500  # about half the mapped sites lay in a zone of some armed group


# --- the real extract with the bundled sample ---------------------------------------------------------


@pytest.fixture(scope="module")
def sample_ipis(tmp_path_factory):
    if not DATACAMP_REAL.exists():
        pytest.skip(f"{DATACAMP_REAL} is not here (../shared/data holds the real IPIS files)")
    db = tmp_path_factory.mktemp("sample_ipis") / "w.duckdb"
    inputs = {DATACAMP_REAL: "ipis_datacamp"}
    if ZONES_REAL.exists():
        inputs[ZONES_REAL] = "ipis_armed_group_zones"
    build(db, inputs=_inputs(inputs))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_real_extract_minerals_match_the_published_counts(sample_ipis):
    counts = dict(
        sample_ipis.execute(
            "select m, count(*) from (select unnest(minerals) as m from core.site_visits) group by m"
        ).fetchall()
    )
    assert counts == {
        "gold": 1472,
        "cassiterite": 476,
        "coltan": 112,
        "wolframite": 33,
        "diamond": 46,
        "copper": 4,
    }


def test_real_extract_sites_are_places_linked_and_scored(sample_ipis):
    n_sites, n_ipis = sample_ipis.execute(
        "select count(*), count(*) filter (where source = 'ipis') from core.sites"
    ).fetchone()
    n_matched = sample_ipis.execute(
        "select count(*) from core.site_matches where match_rule <> 'none'"
    ).fetchone()
    assert n_ipis == 2143 - n_matched[0] and n_sites == 50 + n_ipis
    assert (
        sample_ipis.execute("select count(*) from core.places where place_id like 'IPIS-%'").fetchone()[0]
        == n_ipis
    )
    scored, with_events, linked = sample_ipis.execute(
        "select count(*), count(*) filter (where n_events > 0), "
        "(select count(distinct place_id) from core.event_links where place_id like 'IPIS-%') "
        "from marts.place_risk where place_id like 'IPIS-%'"
    ).fetchone()
    assert scored == n_ipis  # every IPIS site gets a score
    assert with_events > 1000 and linked >= with_events  # and most have linked events in the window
    assert undeclared(sample_ipis) == [] and failures(sample_ipis) == []


def test_rubaya_and_bisie_are_not_duplicated(sample_ipis):
    matched = dict(
        sample_ipis.execute(
            "select ipis_name, site_id from core.site_matches "
            "where site_id like 'S-COD-RUBAYA%' or site_id like 'S-COD-BISIE%' or site_id like 'S-COD-MUMBA%'"
        ).fetchall()
    )
    assert matched == {
        "D2 Bibatama": "S-COD-RUBAYA-BIBATAMA",
        "D4 Gakombe": "S-COD-RUBAYA-GAKOMBE",
        "Luwowo/Gasasa": "S-COD-RUBAYA-LUWOWO",
        "D3 Bibatama": "S-COD-MUMBA-BIBATAMA-D3",
        "Bisie Mpama": "S-COD-BISIE-MPAMA-NORTH",
    }
    names = [r[0] for r in sample_ipis.execute("select name from core.sites").fetchall()]
    for ipis_name in matched:
        assert ipis_name not in names
    # the curated Rubaya row keeps its M23/AFC report (2024) over IPIS's older visit
    assert sample_ipis.execute(
        "select armed_presence, n_visits, first_visit from core.sites where site_id = 'S-COD-RUBAYA-GAKOMBE'"
    ).fetchone() == ("M23/AFC", 1, date(2017, 3, 26))


def test_real_zones_give_presence_for_the_years_they_describe(sample_ipis):
    if not ZONES_REAL.exists():
        pytest.skip(f"{ZONES_REAL} is not here")
    with_presence = sample_ipis.execute(
        "select count(*) from core.sites where source = 'ipis' and armed_presence_reported = '2015-07-01'"
    ).fetchone()[0]
    assert with_presence > 500
    counted = sample_ipis.execute(
        "select count(*) filter (where presence_points > 0) from marts.place_risk_at('2016-06-01'::DATE)"
    ).fetchone()[0]
    assert counted >= with_presence  # within three years of the zones' date, their presence scores
