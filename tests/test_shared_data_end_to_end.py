"""Issue "Read what analysts really have", done-when: every event, site and smelter file of ../shared/data
goes into one warehouse in one command, and the scores and the report include them."""

import duckdb
import pytest

from analysis.cli import main

from .conftest import SHARED_DATA

FILES = [
    "conflict/acled_hdx_conflict_data_uga.csv",
    "conflict/acled_drc_2018-08-01_2018-11-26.csv",
    "conflict/ucdp_ged_23.1_sample1000.csv",
    "mines/ipis_cod_mines_datacamp.geojson",
    "mines/ipis_webmap_armed_groups_v2.geojson",
    "smelters/rmi_cmrt_6.5_smelter_lookup.csv",
    "trade/usgs_mcs2026_world_mine_production_tantalum_tin.csv",
]


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    paths = [SHARED_DATA / f for f in FILES]
    missing = [p for p in paths if not p.exists()]
    if missing:
        pytest.skip(f"shared data not available: {missing[0]}")
    folder = tmp_path_factory.mktemp("all")
    db = folder / "all.duckdb"
    assert main(["ingest", *map(str, paths), "--db", str(db), "--quiet"]) == 0
    return db, folder


def test_every_file_is_loaded_and_accounted_for(everything):
    db, _ = everything
    con = duckdb.connect(str(db), read_only=True)
    files = con.execute(
        "select path, format, sum(rows_read), sum(rows_loaded), sum(rows_rejected) from meta.files "
        "where path like '%shared/data%' group by all"
    ).fetchall()
    assert {p.split("shared/data/")[1] for p, *_ in files} == set(FILES)
    assert all(read == loaded + rejected and loaded > 0 for _, _, read, loaded, rejected in files)
    sources = dict(con.execute("select source, count(*) from core.events group by all").fetchall())
    assert sources["acled"] >= 6000 and sources["ucdp"] == 1000 and sources["curated"] >= 40
    assert con.execute("select count(*) from core.sites where source = 'ipis'").fetchone()[0] > 2000
    assert con.execute("select count(*) from core.smelters").fetchone()[0] > 300


def test_scores_use_the_ingested_events(everything):
    db, _ = everything
    con = duckdb.connect(str(db), read_only=True)
    # As of the end of the 2018 ACLED export, places near Beni and Butembo carry ACLED/UCDP events.
    n = con.execute(
        "select count(*) from marts.place_risk_contributions_at(DATE '2018-11-30') "
        "where source in ('acled', 'ucdp')"
    ).fetchone()[0]
    assert n > 100
    top = con.execute(
        "select place_id from marts.place_risk_at(DATE '2018-11-30') order by score desc limit 20"
    ).fetchall()
    assert top


def test_report_lists_the_ingested_files(everything):
    db, folder = everything
    out = folder / "report.html"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    for name in (
        "acled_drc_2018-08-01_2018-11-26.csv",
        "ucdp_ged_23.1_sample1000.csv",
        "ipis_cod_mines_datacamp.geojson",
        "rmi_cmrt_6.5_smelter_lookup.csv",
    ):
        assert name in html
