"""A supplier's CMRT: the reader across 6.x layouts and languages, resolution of its smelters to CIDs (by id,
exact alias, fuzzy name; weak matches kept for review, never used), and a build with RMI's real look-up."""

import re

import duckdb
import openpyxl
import pandas as pd
import pytest

from analysis.matching import STRONG_MATCH, AliasIndex, resolve_one, resolve_smelters
from analysis.sources import registry
from analysis.sources.cmrt import HEADER_LABELS, read_smelter_list, recycled_answer, split_mine_countries
from analysis.sources.cmrt_layout import Vocabulary, header_row, vocabulary
from analysis.sources.errors import InputError
from analysis.warehouse.build import build
from analysis.warehouse.checks import failures
from analysis.warehouse.inputs import Input
from analysis.warehouse.meta import sha256_of

from .cmrt_writer import fill_template
from .conftest import ROOT, SHARED_DATA

TEMPLATE = SHARED_DATA / "smelters" / "RMI_CMRT_6.5.xlsx"
REAL_LOOKUP = SHARED_DATA / "smelters" / "rmi_cmrt_6.5_smelter_lookup.csv"
needs_template = pytest.mark.skipif(not TEMPLATE.exists(), reason=f"{TEMPLATE} not available")
DOC = ROOT / "docs" / "formats" / "cmrt.md"

# --- resolution, on a small invented reference -------------------------------------------------------------

SMELTERS = pd.DataFrame(
    [
        ("CID000001", "Alpha Tin Smelting Co., Ltd.", "Tin"),
        ("CID000002", "Pioneer Tin Works 1", "Tin"),
        ("CID000003", "Pioneer Tin Works 2", "Tin"),
        ("CID000004", "Kivu Tantalum Refinery", "Tantalum"),
        ("CID000005", "Kecil Timah Berhad", "Tin"),
    ],
    columns=["cid", "name", "metal"],
)
ALIASES = pd.concat(
    [
        SMELTERS.rename(columns={"name": "alias"})[["metal", "alias", "cid"]],
        pd.DataFrame([("Tin", "ATS", "CID000001")], columns=["metal", "alias", "cid"]),
    ]
)
# metal, declared id, look-up (C), name (D) → method, cid or weak candidate, id flag (start)
CASES = [
    ("Tin", "CID000001", None, None, "id", "CID000001", None),
    ("Tin", " cid000001 ", None, None, "id", "CID000001", None),
    (
        "Tin",
        "CID1",
        None,
        "Alpha Tin Smelting Co., Ltd.",
        "name",
        "CID000001",
        "not a CID (CID + 6 digits): CID1",
    ),
    ("Tin", "CID999999", None, "Nothing Like It", "unresolved", None, "CID not in core.smelters: CID999999"),
    (
        "Tin",
        "CID000004",
        None,
        "Kivu Tantalum Refinery",
        "unresolved",
        None,
        "CID of another metal: CID000004",
    ),
    ("Tin", None, "ATS", None, "name", "CID000001", None),  # an exact alias
    ("Tin", None, "Smelter not listed", "alpha tin smelting co ltd", "name", "CID000001", None),
    ("Tin", None, None, "Alpha Tin Smeltng Co., Ltd.", "name", "CID000001", None),  # a typo
    ("Tin", None, None, "Smelting Alpha Tin Co., Ltd.", "name", "CID000001", None),  # word order
    ("Tin", None, None, "Pioneer Tin Works", "weak name", "CID000002", None),  # which plant? never guessed
    ("Tin", None, None, "Pioneer Tin Works 3", "weak name", "CID000002", None),
    ("Tin", None, None, "Kecil Timah Bhd", "weak name", "CID000005", None),
    ("Tin", None, None, "Kecil Timah", "weak name", "CID000005", None),  # its words all in an alias
    ("Tin", None, None, "Nameless Refining", "unresolved", None, None),
    ("Tin", None, "Smelter not yet identified", None, "unresolved", None, None),
    ("Tantalum", None, None, "Alpha Tin Smelting Co., Ltd.", "unresolved", None, None),  # other metal's name
]


def test_resolution_cases():
    declared = pd.DataFrame(
        [c[:4] for c in CASES], columns=["metal", "smelter_id", "smelter_lookup", "smelter_name"]
    )
    out = resolve_smelters(declared, SMELTERS, ALIASES)
    for case, row in zip(CASES, out.itertuples(index=False), strict=True):
        method, target, flag = case[4:]
        got = row.cid if method in ("id", "name") else row.match_candidate
        assert (row.match_method, got) == (method, target), case
        assert (row.id_flag or "").startswith(flag or ""), case
        assert (row.cid is not None) == (method in ("id", "name")), case  # weak matches are not used
        if method == "weak name":
            assert 75 <= row.match_score < STRONG_MATCH and row.match_alias, case


def test_resolution_without_aliases_uses_smelter_names():
    declared = pd.DataFrame(
        [("Tin", None, None, "ALPHA TIN SMELTING CO LTD")],
        columns=["metal", "smelter_id", "smelter_lookup", "smelter_name"],
    )
    row = resolve_smelters(declared, SMELTERS).iloc[0]
    assert (row.cid, row.match_method, row.match_score) == ("CID000001", "name", 100.0)


def test_a_tie_between_two_cids_is_weak():
    aliases = pd.concat(
        [ALIASES, pd.DataFrame([("Tin", "ATS", "CID000005")], columns=["metal", "alias", "cid"])]
    )
    match = resolve_one(
        "Tin", None, ["ATS"], dict(zip(SMELTERS.cid, SMELTERS.metal, strict=True)), AliasIndex(aliases)
    )
    assert (match.method, match.cid, match.score) == ("weak name", None, 100.0)


@pytest.mark.parametrize(
    "text, codes, unknown",
    [
        ("RWANDA; CONGO, DEMOCRATIC REPUBLIC OF THE", ["COD", "RWA"], []),
        ("RWANDA\nCONGO, DEMOCRATIC REPUBLIC OF THE", ["COD", "RWA"], []),
        ("Rwanda;;  ; Burundi\r\n", ["BDI", "RWA"], []),
        ("Rwanda, Uganda", ["RWA", "UGA"], []),
        ("recycled", ["_R"], []),
        ("Narnia; Rwanda", ["RWA"], ["Narnia"]),
        ("DRC, Rwanda", [], ["DRC, Rwanda"]),
        ("", [], []),
        (None, [], []),
    ],
)
def test_mine_countries(text, codes, unknown):
    assert split_mine_countries(text) == (codes, unknown)


@pytest.mark.parametrize(
    "answer, flag",
    [("Yes", True), ("yes ", True), ("No", False), ("Unknown", None), (None, None), ("maybe", None)],
)
def test_recycled_answers_in_english(answer, flag):
    assert recycled_answer(answer, Vocabulary()) is flag


# --- the reader on workbooks in the 6.x layout ------------------------------------------------------------


def _workbook(path, header_row_number, labels, rows, first_col=1):
    wb = openpyxl.Workbook()
    wb.active.title = "Declaration"
    wb["Declaration"]["D8"] = "Layout Test Ltd"
    sheet = wb.create_sheet("Smelter List")
    for col, label in enumerate(labels or (), first_col):
        sheet.cell(row=header_row_number, column=col, value=label)
    for r, values in enumerate(rows, header_row_number + 1):
        for col, value in enumerate(values, first_col):
            sheet.cell(row=r, column=col, value=value)
    wb.save(path)
    return path


def test_english_header_on_another_row(tmp_path):
    path = _workbook(tmp_path / "c.xlsx", 6, HEADER_LABELS, [(None, "Tin", None, "Some Tin Co", "CHINA")])
    rows, rejects = read_smelter_list(path)
    assert [(r["excel_row"], r["smelter_name"]) for r in rows] == [(7, "Some Tin Co")] and rejects == []


def test_shifted_labels_are_refused(tmp_path):
    path = _workbook(tmp_path / "c.xlsx", 4, HEADER_LABELS, [(None, "Tin", None, "X", "CHINA")], first_col=2)
    with pytest.raises(
        InputError, match=r"c\.xlsx: sheet 'Smelter List' row 4 has the CMRT header labels in other"
    ):
        read_smelter_list(path)


def test_shifted_columns_without_labels_are_refused(tmp_path):
    rows = [("Tin", None, "Some Tin Co", "CHINA"), ("Tantalum", None, "Some Ta Co", "CHINA")]
    path = _workbook(tmp_path / "c.xlsx", 4, None, rows)
    with pytest.raises(InputError, match=r"has the metals in column A, not B: not the CMRT 6\.x layout"):
        read_smelter_list(path)


# --- RMI's own template, filled in by the tests ----------------------------------------------------------


def _filled(path, company, rows):
    return fill_template(TEMPLATE, path, company, rows)


@needs_template
def test_cached_chinese_labels_are_found_by_the_workbooks_own_translations():
    wb = openpyxl.load_workbook(TEMPLATE, read_only=True, data_only=True)
    try:
        vocab = vocabulary(wb, HEADER_LABELS)
        rows = list(wb["Smelter List"].iter_rows(min_row=1, max_row=12, max_col=17, values_only=True))
    finally:
        wb.close()
    assert rows[3][1] != HEADER_LABELS[1]  # the cached label is not English
    assert header_row(rows, vocab, TEMPLATE) == (4, "labels")
    assert recycled_answer("是", vocab) is True and recycled_answer("否", vocab) is False
    assert recycled_answer("Oui", vocab) is True and recycled_answer("未知", vocab) is None


FILLED_ROWS = [
    # 5: by id (typed in A, the template's F formula has no cached value in a script-written copy)
    {
        "A": "CID003387",
        "B": "Tin",
        "E": "RWANDA",
        "N": "Rutongo\nMusha",
        "P": "No",
        "O": "RWANDA\nCONGO, DEMOCRATIC REPUBLIC OF THE",
    },
    # 6: the look-up name chosen in C: an alias of Minsur (CID001182)
    {"B": "Tin", "C": "Funsur Smelter", "E": "PERU", "P": "Yes"},
    # 7: typed name with a typo → fuzzy match
    {
        "B": "Tin",
        "C": "Smelter not listed",
        "D": "Tin Smelting Branch of Yunan Tin Co Ltd",
        "E": "CHINA",
        "O": "CHINA; MYANMAR",
    },
    # 8: a weak match, for review
    {"B": "Tin", "C": "Smelter not listed", "D": "Malaysia Smelting Corp", "E": "MALAYSIA"},
    # 9: not in the look-up at all
    {"B": "Tantalum", "C": "Smelter not listed", "D": "Nameless Refining Co", "E": "UNKNOWN"},
    # 10: a declared id that is not a CID: flagged, resolved by name
    {"B": "Tin", "F": "CID3387", "D": "Luna Smelter, Ltd.", "E": "RWANDA"},
    # 11: a CID of another metal: flagged, then no name matches; recycled answered No in Chinese
    {"B": "Tungsten", "F": "CID001182", "D": "Some Tungsten Works", "E": "CHINA", "P": "否"},
    # 12: another alias; a recycled share among the mine countries; recycled answer Unknown
    {"B": "Tin", "C": "ENAF", "O": "BOLIVIA (PLURINATIONAL STATE OF); recycled", "P": "Unknown"},
    # 13: not a 3TG metal: rejected
    {"B": "Cobalt", "D": "Blue Cobalt Refinery", "E": "CONGO, DEMOCRATIC REPUBLIC OF THE"},
    # 14: smelter not yet identified; one mine country no one knows
    {"B": "Tantalum", "C": "Smelter not yet identified", "O": "Narnia; RWANDA"},
    # 15: gold, by alias; recycled answered in Chinese (the workbook's own drop-down words)
    {"B": "Gold", "C": "8853 S.p.A.", "P": "是"},
]
COMPANY = "Acme Capacitors GmbH"


@pytest.fixture(scope="module")
def acme_cmrt(tmp_path_factory):
    """RMI's template filled in as a supplier would (once: openpyxl takes seconds on the 1.5 MB workbook)."""
    if not TEMPLATE.exists():
        pytest.skip(f"{TEMPLATE} not available")
    return _filled(tmp_path_factory.mktemp("acme_cmrt") / "acme_cmrt.xlsx", COMPANY, FILLED_ROWS)


def test_script_written_copy_is_read_by_position(acme_cmrt):
    wb = openpyxl.load_workbook(acme_cmrt, read_only=True, data_only=True)
    try:
        vocab = vocabulary(wb, HEADER_LABELS)
        rows = list(wb["Smelter List"].iter_rows(min_row=1, max_row=12, max_col=17, values_only=True))
    finally:
        wb.close()
    assert rows[3] == (None,) * 17  # openpyxl keeps the formulas, not their cached labels
    assert header_row(rows, vocab, acme_cmrt) == (4, "position")
    rows, rejects = read_smelter_list(acme_cmrt)
    assert [r["excel_row"] for r in rows] == [5, 6, 7, 8, 9, 10, 11, 12, 14, 15]
    assert {r["company_name"] for r in rows} == {COMPANY}
    assert [(r["excel_row"], r["recycled"], r["recycled_flag"]) for r in rows if r["recycled"]] == [
        (5, "No", False),
        (6, "Yes", True),
        (11, "否", False),
        (12, "Unknown", None),
        (15, "是", True),
    ]
    assert [(r["excel_row"], r["column_name"]) for r in rejects] == [(13, "metal")]


@pytest.fixture(scope="module")
def acme(acme_cmrt, tmp_path_factory):
    """A build with the bundled sample, RMI's real look-up and the filled template."""
    if not REAL_LOOKUP.exists():
        pytest.skip(f"{REAL_LOOKUP} not available")
    if not (ROOT / "datasets" / "sample" / "events.csv").exists():
        pytest.skip("the bundled sample is not in datasets/sample")
    inputs = [
        Input(REAL_LOOKUP, "rmi_smelter_lookup", sha256_of(REAL_LOOKUP)),
        Input(acme_cmrt, registry.detect(acme_cmrt).name, sha256_of(acme_cmrt)),
    ]
    db = tmp_path_factory.mktemp("acme") / "acme.duckdb"
    build(db, inputs=inputs)  # with the bundled sample
    con = duckdb.connect(str(db), read_only=True)
    yield con, acme_cmrt
    con.close()


def test_filled_template_rows_read_and_rejected(acme):
    con, cmrt = acme
    files = con.execute(
        "select format, rows_read, rows_loaded, rows_rejected from meta.files where path = ?", [str(cmrt)]
    ).fetchall()
    assert files == [("rmi_cmrt", 11, 10, 1)]
    assert con.execute(
        "select line, column_name from meta.rejects where path = ?", [str(cmrt)]
    ).fetchall() == [(13, "metal")]


def test_filled_template_resolved_through_aliases(acme):
    con, _ = acme
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select s.excel_row, s.cid, s.match_method, s.match_candidate, s.match_alias, s.id_flag "
            "from core.buyer_smelters as s join core.buyers as b using (buyer_id) where b.name = ?",
            [COMPANY],
        ).fetchall()
    }
    assert rows[5] == ("CID003387", "id", "CID003387", None, None)
    assert rows[6] == ("CID001182", "name", "CID001182", "Funsur Smelter", None)
    assert rows[7][:4] == ("CID002180", "name", "CID002180", "Tin Smelting Branch of Yunnan Tin Co., Ltd.")
    assert rows[8][:4] == (None, "weak name", "CID001105", "Malaysia Smelting Corporation (MSC)")
    assert rows[9][:2] == (None, "unresolved")
    assert rows[10][:2] == ("CID003387", "name") and rows[10][4].startswith("not a CID (CID + 6 digits)")
    assert rows[11][:2] == (None, "unresolved") and rows[11][4] == "CID of another metal: CID001182 is Tin"
    assert rows[12][:4] == ("CID000438", "name", "CID000438", "ENAF")
    assert rows[14][:2] == (None, "unresolved")
    assert rows[15][:2] == ("CID002763", "name")


def test_filled_template_mine_countries_and_recycled(acme):
    con, _ = acme
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select excel_row, mine_countries, unmatched_mine_countries, recycled, recycled_declared, "
            "declared_country_iso3, match_score from core.buyer_smelters where declaration_file like '%acme%'"
        ).fetchall()
    }
    assert rows[5][:5] == (["COD", "RWA"], None, False, False, "RWA")
    assert rows[6][2:4] == (True, True)
    assert rows[7][0] == ["CHN", "MMR"] and 94 <= rows[7][5] < 100
    assert rows[9][4] is None and rows[9][3] is None  # "UNKNOWN" is no country; recycled not answered
    assert rows[12][:4] == (["BOL", "_R"], None, False, None)  # Unknown: not a claim of recycled feed
    assert rows[14][:2] == (["RWA"], "Narnia")
    assert rows[15][2:4] == (True, True)


def test_filled_template_buyer_in_the_marts(acme):
    con, _ = acme
    buyer = con.execute("select buyer_id from core.buyers where name = ?", [COMPANY]).fetchone()[0]
    metals = {
        r[0]
        for r in con.execute("select metal from marts.buyer_exposure where buyer_id = ?", [buyer]).fetchall()
    }
    assert {"All", "Tin", "Tantalum", "Gold"} <= metals
    smelters = con.execute(
        "select count(*), count(*) filter (where rmap_status = 'Conformant') "
        "from marts.buyer_smelter_exposure where buyer_id = ?",
        [buyer],
    ).fetchone()
    assert smelters[0] == 10 and smelters[1] >= 2  # Luna and Minsur carry the sample's compiled status
    assert [
        f
        for f in failures(con)
        if f.startswith(("core.smelter", "core.buyer", "staging.rmi", "staging.cmrt"))
    ] == []


def test_documented_review_query_lists_what_needs_a_look(acme):
    con, _ = acme
    query = re.search(r"```sql\n(.*?)```", DOC.read_text(), re.S).group(1)
    rows = con.execute(query).fetchall()
    acme_rows = sorted(r[1] for r in rows if r[0] == COMPANY)
    assert acme_rows == [8, 9, 10, 11, 14]
    assert any(r[0].startswith("Example Electronics") for r in rows)  # the sample's Minsur (Pisco smelter)


# --- the resolution rules measured on RMI's real look-up --------------------------------------------------


@pytest.fixture(scope="module")
def real_aliases():
    if not REAL_LOOKUP.exists():
        pytest.skip(f"{REAL_LOOKUP} not available")
    raw = pd.read_csv(REAL_LOOKUP, dtype=str, keep_default_na=False)
    raw = raw[raw.smelter_id != ""]
    names = pd.concat(
        [
            raw[["metal", "smelter_lookup_alias", "smelter_id"]].set_axis(["metal", "alias", "cid"], axis=1),
            raw[["metal", "standard_smelter_name", "smelter_id"]].set_axis(["metal", "alias", "cid"], axis=1),
        ]
    )
    return names.drop_duplicates()


def test_every_listed_name_resolves_to_its_own_cid(real_aliases):
    metals = dict(zip(real_aliases.cid, real_aliases.metal, strict=False))
    index = AliasIndex(real_aliases)
    wrong = [
        (r.alias, r.cid)
        for r in real_aliases.itertuples()
        if resolve_one(r.metal, None, [r.alias], metals, index).cid != r.cid
    ]
    assert len(real_aliases) == 629 and wrong == []


def test_varied_names_resolve_right_or_go_to_review(real_aliases):
    metals = dict(zip(real_aliases.cid, real_aliases.metal, strict=False))
    index = AliasIndex(real_aliases)
    outcomes = []
    for r in real_aliases.itertuples():
        words = r.alias.split()
        for variant in (r.alias.upper(), re.sub(r"[^\w\s]", "", r.alias), " ".join(words[1:] + words[:1])):
            m = resolve_one(r.metal, None, [variant], metals, index)
            outcomes.append("right" if m.cid == r.cid else "wrong" if m.cid else "review")
    assert outcomes.count("wrong") == 0 and outcomes.count("right") / len(outcomes) > 0.8


def test_a_facility_missing_from_the_reference_never_matches_another(real_aliases):
    strong = []
    for (metal, cid), group in real_aliases.groupby(["metal", "cid"]):
        others = real_aliases[(real_aliases.metal == metal) & (real_aliases.cid != cid)]
        metals = dict.fromkeys(others.cid, metal)
        match = resolve_one(metal, None, [group.alias.iloc[0]], metals, AliasIndex(others))
        if match.cid:
            strong.append((group.alias.iloc[0], match))
    assert strong == []
