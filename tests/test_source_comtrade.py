"""UN Comtrade in both layouts (Comtrade Plus / API and the legacy download): codes → ISO3, kg → tonnes,
bad rows and duplicates rejected with reasons, aggregates and breakdowns kept out of core, and the origin
mix taking Comtrade's reported records over the sample's estimates without counting a flow twice."""

from datetime import date

import pytest

from analysis.sources import registry
from analysis.sources.comtrade import load_comtrade
from analysis.sources.errors import InputError
from analysis.warehouse.tracing_steps import ORE_FLOWS_SQL

from .trade_helpers import FIXTURES, bare_con, build_with, rejects

PLUS = FIXTURES / "comtrade" / "comtrade_plus_3t_2023.csv"
LEGACY = FIXTURES / "comtrade" / "comtrade_legacy_3t_2022.csv"


def _rows(con, path):
    return con.execute(
        "select _line, flow, reporter_iso3, partner_iso3, hs_code, quantity_t, approx, exclusion "
        "from staging.comtrade_flows where _file = ? order by _line",
        [str(path)],
    ).fetchall()


def test_both_layouts_are_detected():
    assert registry.detect(PLUS).name == "comtrade"
    assert registry.detect(LEGACY).name == "comtrade"


def test_plus_layout_counts_and_rejects():
    con = bare_con()
    stats = load_comtrade(con, PLUS, 1)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (24, 18, 6)
    assert stats.rows_read == stats.rows_loaded + stats.rows_rejected
    assert con.execute("select count(*) from staging.comtrade_flows").fetchone()[0] == 18
    reasons = rejects(con, PLUS)
    assert "net_wgt_kg: expected a value in [0" in reasons[17] and "-5000" in reasons[17]
    assert "reporter_code: 999 (Atlantis) is neither in reference.trade_country_codes" in reasons[18]
    assert "ref_year: expected INTEGER, got 2O23" in reasons[19]
    # the same record twice with different weights: neither is believed
    assert "conflicting duplicates: lines 20, 21" in reasons[20] and reasons[20] == reasons[21]
    assert reasons[23] == "duplicate of line 22 (same values)"  # exact repeat: the first one loads
    assert 22 not in reasons


def test_plus_layout_mapping_and_exclusions():
    con = bare_con()
    load_comtrade(con, PLUS, 1)
    rows = {r[0]: r[1:] for r in _rows(con, PLUS)}
    assert rows[2][:5] == ("M", "CHN", "COD", "261590", 2950.0)  # 2,950,000 kg → 2,950 t
    assert rows[7][5] is True  # isNetWgtEstimated
    assert rows[8][2] == "TWN"  # 490 'Other Asia, nes'
    assert rows[6][2] == "_X"  # 899 'Areas, nes'
    assert rows[15][1] == "USA"  # 842
    assert rows[10][0] == "RX" and rows[10][6] is None  # re-exports kept as such
    assert "partner World (code 0)" in rows[5][6]
    assert "breakdown by second partner, customs procedure, mode of transport" in rows[11][6]
    assert "HS 2609 is the total of the more detailed lines 260900" in rows[13][6]
    assert rows[12][6] is None  # the detailed line is used
    assert "HS code 810330 is not in reference.metal_content" in rows[16][6]
    assert "monthly record" in rows[24][6]
    assert "flow DX" in rows[25][6]


def test_legacy_layout():
    con = bare_con()
    stats = load_comtrade(con, LEGACY, 1)
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (9, 8, 1)
    assert "reporter_code: expected INTEGER, got x12" in rejects(con, LEGACY)[10]
    rows = {r[0]: r[1:] for r in _rows(con, LEGACY)}
    assert rows[2][:4] == ("M", "CHN", "COD", "261590")  # trade flow code 1
    assert rows[4][0] == "RX"  # 3 = re-export
    assert rows[5][2] == "WLD" and "partner World" in rows[5][6]
    assert rows[6][4:6] == (500.0, True)  # Flag 4: net weight estimated
    assert rows[8][4] == 1350.0  # no net weight: the quantity in kg stands in
    assert rows[9][2] == "TWN"  # 490 with an empty ISO column


def test_missing_columns_are_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("refYear,reporterCode,partnerCode,cmdCode\n2023,180,156,261590\n")
    with pytest.raises(InputError, match="missing column.*flow_code"):
        load_comtrade(bare_con(), bad, 1)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("comtrade")
    # A second download of the Plus file with one weight revised: the same record must count once.
    revised = folder / "comtrade_plus_3t_2023_revised.csv"
    revised.write_text(PLUS.read_text().replace(",2950000,False,", ",3000000,False,"))
    files = [(PLUS, "comtrade"), (LEGACY, "comtrade"), (revised, "comtrade")]
    con = build_with(folder / "w.duckdb", files, as_of=date(2024, 6, 1))
    yield con
    con.close()


def test_core_trade_flows_from_comtrade(world):
    flows = world.execute(
        "select reporter_iso3, partner_iso3, flow, hs_code, quantity_t, metal_t, source "
        "from core.trade_flows where source = 'comtrade' and year = 2023"
    ).fetchall()
    assert not [f for f in flows if f[1] == "WLD"]  # the World aggregate never reaches core
    chn_cod = [f for f in flows if f[:4] == ("CHN", "COD", "M", "261590")]
    assert len(chn_cod) == 1 and chn_cod[0][4] == 3000.0  # one record, from the file that sorts last
    assert chn_cod[0][5] == pytest.approx(3000.0 * 0.27)
    assert ("RWA", "CHN", "RX", "261590") in {f[:4] for f in flows}
    assert {f[3] for f in flows} <= {"261590", "260900", "810320"}  # 2609 total and 810330 scrap left out
    n = world.execute("select count(*) from core.trade_flows where source = 'comtrade'").fetchone()[0]
    assert n == 12 + 7  # 2023: 18 loaded − 6 excluded; 2022: 8 loaded − 1 World


def test_origin_mix_prefers_comtrade_and_counts_once(world):
    mix = {
        r[0]: r[1:]
        for r in world.execute(
            "select origin, tonnes, evidence from marts.smelter_origin_mix "
            "where smelter_country = 'CHN' and metal = 'Ta' group by all"
        ).fetchall()
    }
    # The mix is traced back through re-exports (marts.origin_attribution): checked on the flows the
    # attribution reads. China's reported 2023 imports from Comtrade (t × 0.27), not added to the sample's.
    chosen = {
        r[0]: r[1]
        for r in world.execute(
            f"select exporter, tonnes from ({ORE_FLOWS_SQL}) "
            "where importer = 'CHN' and metal = 'Ta' and year = 2023"
        ).fetchall()
    }
    assert chosen["COD"] == pytest.approx(3000.0 * 0.27)
    assert chosen["RWA"] == pytest.approx(1700.0 * 0.27)
    assert chosen["_X"] == pytest.approx(120.0 * 0.27)  # 'Areas, nes' is unknown origin
    assert mix["_X"][0] == pytest.approx(120.0 * 0.27)  # '_X' exports nothing: it stays as it is
    assert mix["COD"][1].startswith("attributed origin (re-export attribution, trade 2023")
    assert "BRA" not in mix  # only the sample had it: the sample is not used for China's 2023 tantalum
    exposure = world.execute("select count(*) from marts.buyer_exposure").fetchone()[0]
    assert exposure > 0
