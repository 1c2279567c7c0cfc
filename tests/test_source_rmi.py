"""RMI reference data: the smelter look-up (CSV, or the sheet of a CMRT), RMAP facility lists, and
core.smelters / core.smelter_aliases built from them with the sample's smelters."""

import csv
from datetime import date

import duckdb
import openpyxl
import pytest

from analysis.schema import table
from analysis.sources import registry
from analysis.sources.csv_table import load_csv
from analysis.sources.errors import InputError
from analysis.warehouse import meta
from analysis.warehouse.build import build
from analysis.warehouse.checks import failures
from analysis.warehouse.inputs import Input
from analysis.warehouse.meta import sha256_of

from .conftest import HERE, ROOT, SHARED_DATA, TINY_AS_OF, tiny_world

FIXTURES = HERE / "fixtures" / "rmi"
LOOKUP = FIXTURES / "smelter_lookup.csv"
RMAP = FIXTURES / "rmap_facilities.csv"
REAL_LOOKUP = SHARED_DATA / "smelters" / "rmi_cmrt_6.5_smelter_lookup.csv"
TEMPLATE = SHARED_DATA / "smelters" / "RMI_CMRT_6.5.xlsx"
needs_real = pytest.mark.skipif(not REAL_LOOKUP.exists(), reason=f"{REAL_LOOKUP} not available")
needs_template = pytest.mark.skipif(not TEMPLATE.exists(), reason=f"{TEMPLATE} not available")
MY_TABLES = ("staging.rmi_", "core.smelters", "core.smelter_aliases", "core.buyer_smelters", "reference.rmap")


@pytest.fixture
def con():
    con = duckdb.connect()
    meta.create(con)
    spec = table("reference.rmap_status_map")
    load_csv(con, ROOT / "datasets" / "reference" / "rmap_status_map.csv", spec, 1, "reference_csv")
    yield con
    con.close()


def _load(con, path, fmt):
    (stats,) = registry.get(fmt).load(con, path, 1)
    rejects = dict(
        con.execute(
            "select line, reason from meta.rejects where path = ? order by line", [str(path)]
        ).fetchall()
    )
    loaded = con.execute(f"select count(*) from {stats.table_name} where _file = ?", [str(path)]).fetchone()[
        0
    ]
    # The accounting invariant, and every count backed by rows.
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected
    assert (loaded, len(rejects)) == (stats.rows_loaded, stats.rows_rejected)
    return stats, rejects


def test_formats_are_detected_from_headers_and_sheets():
    assert registry.detect(LOOKUP).name == "rmi_smelter_lookup"
    assert registry.detect(RMAP).name == "rmi_rmap_facilities"


@needs_template
def test_a_cmrt_is_the_declaration_its_lookup_sheet_only_on_request():
    assert registry.detect(REAL_LOOKUP).name == "rmi_smelter_lookup"
    assert registry.detect(TEMPLATE).name == "rmi_cmrt"


def test_lookup_fixture_rows_loaded_and_rejected_with_reasons(con):
    stats, rejects = _load(con, LOOKUP, "rmi_smelter_lookup")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (17, 11, 6)
    assert sorted(rejects) == [13, 14, 15, 16, 17, 18]
    assert "smelter_id: required value is missing" in rejects[13]  # RMI's placeholder "Smelter not listed"
    assert rejects[14] == "country: not a country name that country_converter knows: ATLANTIS"
    assert rejects[15].startswith("smelter_id: expected an RMI smelter id (CID and 6 digits")
    assert rejects[16] == "duplicate key (metal, smelter_lookup_alias) first seen on line 6"
    assert rejects[17].startswith("metal: expected one of Gold, Tantalum, Tin, Tungsten, got Copper")
    assert rejects[18].endswith("knows: Unknown")
    iso3 = dict(con.execute("select smelter_id, country_iso3 from staging.rmi_smelter_lookup").fetchall())
    assert [iso3[c] for c in ("CID900104", "CID900105", "CID900106", "CID900107", "CID900108")] == [
        "KOR",
        "VNM",
        "TWN",
        "COD",
        "USA",
    ]
    column = con.execute("select column_name from meta.rejects where line = 14").fetchone()[0]
    assert column == "country"


@needs_real
def test_real_lookup_csv(con):
    with open(REAL_LOOKUP, newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    assert len(raw) == 637 and len({(r["metal"], r["smelter_id"]) for r in raw}) == 353
    stats, rejects = _load(con, REAL_LOOKUP, "rmi_smelter_lookup")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (637, 629, 8)
    # The rejects are RMI's placeholders, one "not listed" and one "not yet identified" per metal.
    placeholders = {r["smelter_lookup_alias"] for r in raw if not r["smelter_id"]}
    assert placeholders == {"Smelter not listed", "Smelter not yet identified"}
    assert all("smelter_id: required value is missing" in reason for reason in rejects.values())
    pairs, luna, drc = con.execute(
        "select count(distinct (metal, smelter_id)), "
        "any_value(country_iso3) filter (where smelter_id = 'CID003387'), "
        "count(*) filter (where country_iso3 = 'COD') from staging.rmi_smelter_lookup"
    ).fetchone()
    assert (pairs, luna, drc) == (349, "RWA", 1)


@needs_template
@needs_real
def test_template_lookup_sheet_reads_like_the_csv(con):
    stats, rejects = _load(con, TEMPLATE, "rmi_smelter_lookup")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (637, 629, 8)
    assert sorted(rejects) == [329, 330, 396, 397, 551, 552, 640, 641]  # Excel rows: header on row 4
    from_sheet = con.execute(
        "select metal, smelter_lookup_alias, smelter_id, country_iso3 from staging.rmi_smelter_lookup"
    ).fetchall()
    _load(con, REAL_LOOKUP, "rmi_smelter_lookup")
    from_csv = con.execute(
        "select metal, smelter_lookup_alias, smelter_id, country_iso3 from staging.rmi_smelter_lookup "
        "where _file = ?",
        [str(REAL_LOOKUP)],
    ).fetchall()
    assert sorted(from_sheet) == sorted(from_csv)


def _lookup_workbook(path, header_row, header, rows, extra_sheet=None):
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Smelter Look-up"
    if header:
        for col, label in enumerate(header, 1):
            sheet.cell(row=header_row, column=col, value=label)
    for r, values in enumerate(rows, header_row + 1):
        for col, value in enumerate(values, 1):
            sheet.cell(row=r, column=col, value=value)
    if extra_sheet:
        wb.create_sheet(extra_sheet)
    wb.save(path)
    return path


def test_lookup_workbook_by_position_when_labels_are_not_cached(con, tmp_path):
    # As a script-written copy of the template: formulas in row 4 have no cached labels.
    path = _lookup_workbook(
        tmp_path / "lookup.xlsx",
        4,
        None,
        [
            (
                "Tin",
                "Kecil Timah Berhad",
                "Tiny Tin Smelter",
                "MALAYSIA",
                "CID900002",
                "RMI",
                None,
                "Ipoh",
                None,
            ),
            ("Tin", "Ghost Tin", "Ghost Tin", "NARNIA", "CID900115", "RMI", None, None, None),
        ],
    )
    assert registry.detect(path).name == "rmi_smelter_lookup"
    stats, rejects = _load(con, path, "rmi_smelter_lookup")
    assert (stats.rows_loaded, list(rejects)) == (1, [6])


def test_lookup_workbook_by_english_header_in_any_column_order(con, tmp_path):
    # The template's English labels (as Excel caches them in English), in another order.
    header = (
        "Smelter ID",
        "Metal",
        "Smelter Look-up (*)",
        "Standard Smelter Names",
        "Smelter Facility Location: Country",
    )
    path = _lookup_workbook(
        tmp_path / "lookup.xlsx",
        2,
        header,
        [("CID900105", "Tungsten", "HTW", "Highland Tungsten Works", "VIET NAM")],
    )
    _load(con, path, "rmi_smelter_lookup")
    row = con.execute(
        "select smelter_id, smelter_lookup_alias, country_iso3 from staging.rmi_smelter_lookup"
    ).fetchone()
    assert row == ("CID900105", "HTW", "VNM")


def test_lookup_workbook_without_header_or_data_is_refused(con, tmp_path):
    path = _lookup_workbook(tmp_path / "notes.xlsx", 1, ("Note", "Text"), [("a", "b")])
    with pytest.raises(InputError, match=r"notes\.xlsx: sheet 'Smelter Look-up' has neither a header naming"):
        registry.get("rmi_smelter_lookup").load(con, path, 1)
    other = _lookup_workbook(tmp_path / "other.xlsx", 1, None, [])
    other_wb = openpyxl.load_workbook(other)
    other_wb["Smelter Look-up"].title = "Sheet1"
    other_wb.save(other)
    with pytest.raises(InputError, match=r"other\.xlsx: no sheet 'Smelter Look-up'; the workbook has Sheet1"):
        registry.get("rmi_smelter_lookup").load(con, other, 1)


def test_rmap_fixture_rows_loaded_and_rejected_with_reasons(con):
    stats, rejects = _load(con, RMAP, "rmi_rmap_facilities")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (14, 6, 8)
    assert sorted(rejects) == list(range(8, 16))
    assert rejects[8] == "country: not a country name that country_converter knows: NARNIA"
    assert rejects[9].startswith("smelter_id: expected an RMI smelter id")
    assert rejects[10] == "status: required value is missing"
    assert rejects[11] == (
        "status: not in reference.rmap_status_map (add it there with a rationale), got Pending review"
    )
    assert rejects[12].startswith("metal: expected one of Gold, Tantalum, Tin, Tungsten, got Cobalt")
    assert rejects[13].startswith("status_date: expected a date %Y-%m-%d or %d %B %Y")
    assert rejects[14] == "duplicate key (metal, smelter_id) first seen on line 4"
    assert rejects[15] == "status_date: expected a value in [2010-01-01, 2100-12-31], got 2125-01-01"
    dates = dict(con.execute("select smelter_id, status_date from staging.rmi_rmap_facilities").fetchall())
    assert dates["CID900002"] == dates["CID900114"] == dates["CID900001"] == date(2025, 9, 30)


def _rmap_workbook(path):
    wb = openpyxl.Workbook()
    conformant = wb.active
    conformant.title = "Conformant"
    conformant["A1"] = "Conformant Smelters & Refiners"
    conformant["A2"] = "List date: 2025-09-30"
    for col, label in enumerate(
        ("Metal", "Smelter ID", "Smelter Name", "Country", "RMAP Status", "Status Date"), 1
    ):
        conformant.cell(row=4, column=col, value=label)
    conformant.append(("Tin", "CID900002", "Tiny Tin Smelter", "MALAYSIA", "Conformant", date(2025, 9, 30)))
    active = wb.create_sheet("Active")
    active.append(("CID", "Facility Name", "Country Location", "Status", "Metal"))
    active.append(
        (
            "CID900107",
            "Great Lakes Coltan Processing",
            "CONGO, DEMOCRATIC REPUBLIC OF THE",
            "Active",
            "Tantalum",
        )
    )
    active.append(("CID900121", "Nowhere Refinery", "ELDORADO", "Active", "Gold"))
    wb.create_sheet("Notes")["A1"] = "Downloaded from the RMI website"
    wb.save(path)
    return path


def test_rmap_workbook_reads_every_sheet_with_a_list(con, tmp_path):
    path = _rmap_workbook(tmp_path / "rmap.xlsx")
    assert registry.detect(path).name == "rmi_rmap_facilities"
    stats, rejects = _load(con, path, "rmi_rmap_facilities")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (3, 2, 1)
    assert rejects == {3: "country: not a country name that country_converter knows: ELDORADO"}
    raw = con.execute("select raw from meta.rejects").fetchone()[0]
    assert '"sheet":"Active"' in raw.replace(" ", "")
    rows = con.execute(
        "select sheet, _line, smelter_id, country_iso3, status_date "
        "from staging.rmi_rmap_facilities order by 1"
    ).fetchall()
    assert rows == [
        ("Active", 2, "CID900107", "COD", None),
        ("Conformant", 5, "CID900002", "MYS", date(2025, 9, 30)),
    ]


def test_rmap_workbook_without_a_list_is_refused(con, tmp_path):
    path = _lookup_workbook(tmp_path / "plain.xlsx", 1, ("Metal", "Name"), [("Tin", "x")])
    with pytest.raises(InputError, match=r"plain\.xlsx: no sheet has a header naming metal, smelter_id"):
        registry.get("rmi_rmap_facilities").load(con, path, 1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The tiny world with the look-up and the RMAP list fixtures."""
    folder = tmp_path_factory.mktemp("rmi")
    sample, reference = tiny_world(folder)
    db = folder / "rmi.duckdb"
    inputs = [Input(p, registry.detect(p).name, sha256_of(p)) for p in (LOOKUP, RMAP)]
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference, inputs=inputs)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_core_smelters_one_row_per_cid_with_documented_precedence(world):
    rows = {
        r[0]: r[1:]
        for r in world.execute(
            "select cid, name, country_iso3, rmap_status, rmap_status_given, status_source, sources, "
            "status_as_of from core.smelters"
        ).fetchall()
    }
    lookup_cids = {f"CID9001{n:02d}" for n in (4, 5, 6, 7, 8, 9)} | {"CID900001", "CID900002"}
    assert set(rows) == lookup_cids | {"CID900003", "CID900114"}  # look-up ∪ RMAP list ∪ sample, once each
    # The RMAP list's status beats the sample's compiled one; the look-up's standard name is kept.
    assert rows["CID900001"] == (
        "Tiny Tantalum Works",
        "CHN",
        "Active",
        "Active",
        "rmap list",
        "look-up, rmap list, sample",
        date(2025, 9, 30),
    )
    assert rows["CID900002"][2:5] == ("Conformant", "Conformant", "rmap list")
    # Statuses other than Conformant / Active are kept as given and mapped by reference.rmap_status_map.
    assert rows["CID900104"][2:4] == ("Not enrolled", "In Communication")
    assert rows["CID900105"][2:4] == ("Not enrolled", "Non-Conformant")
    assert rows["CID900107"][1:4] == ("COD", "Active", "Extended Corrective Action Plan")
    # Known only from the look-up: no list says anything about its status.
    assert rows["CID900106"][2:6] == ("Unknown", None, "none", "look-up")
    assert rows["CID900114"][:4] == ("Harbour Gold Refining", "CHE", "Conformant", "Conformant")
    assert rows["CID900003"][2:6] == ("Not enrolled", "Not enrolled", "sample", "sample")


def test_smelter_aliases_from_lookup_and_names(world):
    aliases = world.execute("select metal, alias, cid, source from core.smelter_aliases").fetchall()
    assert ("Tantalum", "TTW Refinery", "CID900001", "look-up alias") in aliases
    assert ("Tin", "Kecil Timah Berhad", "CID900002", "look-up alias") in aliases
    assert ("Gold", "Harbour Gold Refining", "CID900114", "smelter name") in aliases
    assert ("Tantalum", "Opaque Metals", "CID900003", "smelter name") in aliases
    assert len(aliases) == len(set(aliases))


def test_buyer_sees_the_rmap_status_of_its_smelters(world):
    rows = world.execute(
        "select excel_row, cid, match_method, rmap_status from core.buyer_smelters order by 1"
    ).fetchall()
    assert rows == [
        (5, "CID900001", "id", "Active"),
        (6, "CID900002", "name", "Conformant"),
        (7, None, "unresolved", "Unknown"),
        (8, "CID900002", "id", "Conformant"),
    ]
    statuses = world.execute(
        "select excel_row, rmap_status from marts.buyer_smelter_exposure order by 1"
    ).fetchall()
    assert statuses == [(5, "Active"), (6, "Conformant"), (7, "Unknown"), (8, "Conformant")]


def test_files_accounted_and_checks_hold(world):
    files = world.execute(
        "select f.format, f.rows_read, f.rows_loaded, f.rows_rejected, "
        "(select count(*) from meta.rejects r where r.path = f.path) from meta.files f "
        "where f.format like 'rmi_%' and f.format <> 'rmi_cmrt' order by 1"
    ).fetchall()
    assert files == [("rmi_rmap_facilities", 14, 6, 8, 8), ("rmi_smelter_lookup", 17, 11, 6, 6)]
    assert [f for f in failures(world) if f.startswith(MY_TABLES)] == []


def test_build_from_rmi_files_alone(tmp_path):
    """No sample, no CMRT: core.smelters from the look-up and the list; no buyer, nothing breaks."""
    db = tmp_path / "rmi_only.duckdb"
    inputs = [Input(p, registry.detect(p).name, sha256_of(p)) for p in (LOOKUP, RMAP)]
    build(db, as_of=TINY_AS_OF, sample=False, inputs=inputs)
    con = duckdb.connect(str(db), read_only=True)
    try:
        smelters = con.execute(
            "select count(*), count(*) filter (where sources = 'look-up') from core.smelters"
        )
        assert smelters.fetchone() == (9, 3)  # 8 look-up CIDs + 1 list-only; 3 with no status
        assert con.execute("select count(*) from core.buyer_smelters").fetchone()[0] == 0
        assert [f for f in failures(con) if f.startswith(MY_TABLES)] == []
    finally:
        con.close()
