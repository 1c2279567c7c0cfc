"""USGS Mineral Commodity Summaries production tables: printed values, both layouts, rejects with reasons,
the real MCS 2026 table, and core.production (the user's file replaces the sample, never adds to it)."""

import pytest

from analysis.sources import registry
from analysis.sources.errors import InputError
from analysis.sources.usgs import load_usgs, parse_amount

from .conftest import SHARED_DATA
from .trade_helpers import FIXTURES, bare_con, build_with, rejects

REAL = SHARED_DATA / "trade" / "usgs_mcs2026_world_mine_production_tantalum_tin.csv"
INVENTED = FIXTURES / "usgs" / "usgs_mcs_tungsten_invented.csv"
LONG = FIXTURES / "usgs" / "usgs_long_tantalum.csv"

# printed value → (tonnes, flag, printed as an estimate), from the MCS conventions
AMOUNTS = [
    ("1,300", 1300.0, None, False),
    ("294000", 294000.0, None, False),
    ("—", 0.0, "zero", False),
    ("-", 0.0, "zero", False),
    ("W", None, "withheld", False),
    ("NA", None, "not_available", False),
    ("", None, "not_available", False),
    ("<1", 0.5, "less_than", False),
    (">6,000,000", 6000000.0, "at_least", False),
    ("e1,100", 1100.0, None, True),
    ("2.5", 2.5, None, False),
]


@pytest.mark.parametrize(("printed", "tonnes", "flag", "estimated"), AMOUNTS)
def test_printed_values(printed, tonnes, flag, estimated):
    assert parse_amount(printed) == (tonnes, flag, estimated)


@pytest.mark.parametrize("printed", ["about 700", "1.300,5", "abc", "12 t"])
def test_unreadable_values_raise(printed):
    with pytest.raises(ValueError, match="expected a number"):
        parse_amount(printed)


def _staging(con, path):
    return {
        (r[0], r[1], r[2]): r[3:]
        for r in con.execute(
            "select country_iso3, metal, year, tonnes, estimate, flag, raw, exclusion "
            "from staging.usgs_production where _file = ?",
            [str(path)],
        ).fetchall()
    }


def test_invented_wide_table_rows_flags_and_rejects():
    con = bare_con()
    stats = load_usgs(con, INVENTED, 7)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (13, 7, 6)
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected
    rows = _staging(con, INVENTED)
    assert len(rows) == 7 * 2  # two year columns each
    assert rows[("USA", "W", 2023)][:3] == (None, False, "withheld")  # W: NULL, never 0
    assert rows[("COD", "W", 2023)][:3] == (None, False, "not_available")
    assert rows[("COD", "W", 2024)][:3] == (0.5, True, "less_than")
    assert rows[("CHN", "W", 2024)][:3] == (67000.0, True, None)
    assert rows[("RWA", "W", 2023)][0] == 1050.0  # footnote mark dropped from 'Rwanda³'
    assert rows[("WLD", "W", 2024)][0] == 79000.0
    assert "not in core.production" in rows[("_O", "W", 2023)][4]
    reasons = rejects(con, INVENTED)
    assert "units: expected metric tons of contained metal" in reasons[7]  # tungsten oxide (WO3)
    assert "country: 'Atlantis'" in reasons[8]
    assert "commodity: 'niobium'" in reasons[9]
    assert "production_2024: expected a number" in reasons[10] and "about 700" in reasons[10]
    assert "disagrees with the printed value '5300'" in reasons[11]
    assert "duplicate of line 3" in reasons[12]
    columns = {c for (c,) in con.execute("select distinct column_name from meta.rejects").fetchall()}
    assert columns == {"units", "country", "commodity", "production_2024"}


def test_long_layout():
    con = bare_con()
    stats = load_usgs(con, LONG, 1)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (5, 4, 1)
    rows = _staging(con, LONG)
    assert rows[("COD", "Ta", 2024)][:2] == (1350.0, False)
    assert rows[("RWA", "Ta", 2025)][:2] == (410.0, True)  # '2025e'
    assert rows[("BDI", "Ta", 2025)][:3] == (None, True, "withheld")
    assert "year: expected YYYY" in rejects(con, LONG)[6]


def test_not_a_production_table(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("commodity,country,units\ntin,Peru,metric tons tin content\n")
    with pytest.raises(InputError, match="odd.csv: not a USGS production table"):
        load_usgs(bare_con(), odd, 1)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not REAL.exists():
        pytest.skip(f"{REAL} is not here (../shared/data is absent)")
    con = build_with(tmp_path_factory.mktemp("usgs") / "w.duckdb", [(REAL, "usgs"), (LONG, "usgs")])
    yield con
    con.close()


def test_real_mcs_2026_table(real):
    assert registry.detect(REAL).name == "usgs"
    read, loaded, rejected = real.execute(
        "select rows_read, rows_loaded, rows_rejected from meta.files where path = ?", [str(REAL.resolve())]
    ).fetchone()
    assert (read, loaded, rejected) == (30, 30, 0)
    rows = _staging(real, REAL.resolve())
    assert len(rows) == 60
    assert rows[("COD", "Ta", 2025)][:2] == (1300.0, True)  # DOMAIN.md: DRC ≈ 1,300 t in 2025e
    assert rows[("RWA", "Ta", 2025)][0] == 400.0
    assert rows[("WLD", "Ta", 2025)][0] == 2500.0
    assert rows[("COD", "Sn", 2025)][0] == 27000.0
    assert rows[("USA", "Ta", 2024)][:3] == (0.0, False, "zero")  # printed '—'
    named = sum(v[0] for k, v in rows.items() if k[1] == "Sn" and k[2] == 2024 and k[0] != "WLD")
    assert named == pytest.approx(294000, rel=0.01)  # the countries and 'Other countries' add up to the world


def test_core_production_user_file_replaces_sample(real):
    dupes = real.execute(
        "select count(*) from (select 1 from core.production "
        "group by country_iso3, year, metal having count(*) > 1)"
    ).fetchone()[0]
    assert dupes == 0
    by_key = {
        (r[0], r[1], r[2]): r[3:]
        for r in real.execute(
            "select country_iso3, metal, year, tonnes_metal, source, source_ref from core.production"
        ).fetchall()
    }
    # The long file (an invented later edition) beats the MCS 2026 table, which beats the sample.
    assert by_key[("COD", "Ta", 2024)][:2] == (1350.0, "usgs")
    assert "MCS 2027" in by_key[("COD", "Ta", 2024)][2]
    assert by_key[("COD", "Ta", 2025)][:2] == (1300.0, "usgs")
    assert "line 8" in by_key[("COD", "Ta", 2025)][2]
    assert by_key[("RWA", "Ta", 2025)][0] == 410.0
    assert ("BDI", "Ta", 2025) not in by_key  # the latest edition withholds it: not filled from another
    assert ("_O", "Sn", 2024) not in by_key  # 'Other countries' stays in staging
    assert by_key[("WLD", "Sn", 2024)][:2] == (294000.0, "usgs")
    assert by_key[("CHN", "W", 2024)][1] == "sample"  # no USGS tungsten table loaded: the sample stays
