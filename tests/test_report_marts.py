"""The marts behind the buyer, region and place reports, on the bundled sample: flows that add up, histories
that match the macros, regions, hotspots, follow-up flags and alerts with their thresholds."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from analysis.paths import SQL_DIR
from analysis.warehouse.as_of import build_as_of
from analysis.warehouse.build import run_mart_tables


@pytest.fixture(scope="module")
def as_of(sample_db: Path) -> date:
    with duckdb.connect(str(sample_db), read_only=True) as con:
        return build_as_of(con)


@pytest.fixture
def scratch(sample_db: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A writable copy of the sample warehouse."""
    shutil.copyfile(sample_db, tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_history_is_place_risk_at_on_each_month(sample: duckdb.DuckDBPyConnection, as_of: date) -> None:
    dates = [d for (d,) in rows(sample, "select distinct scored_on from marts.place_risk_history order by 1")]
    assert len(dates) == 25 and dates[-1] == as_of and all(d.day == 1 for d in dates[:-1])
    for day in (dates[0], dates[11], dates[-1]):
        diff = rows(
            sample,
            "select count(*), max(abs(h.score - r.score)), "
            "count(*) filter (where h.controlled_by is distinct from r.controlled_by) "
            "from marts.place_risk_history as h join marts.place_risk_at(?) as r using (place_id) "
            "where h.scored_on = ?",
            day,
            day,
        )[0]
        assert diff[0] == rows(sample, "select count(*) from core.places")[0][0]
        assert diff[1] < 1e-9 and diff[2] == 0, day


def test_site_paths_carry_all_of_each_routed_sites_output(sample: duckdb.DuckDBPyConnection) -> None:
    bad = rows(
        sample,
        "select r.site_id, r.total, p.exits from "
        "(select site_id, sum(share) as total from core.routes group by 1) as r "
        "join (select site_id, sum(exit_share) as exits from marts.site_hub_paths group by 1) as p "
        "using (site_id) "
        "where abs(r.total - p.exits) > 1e-9",
    )
    assert bad == []


def test_flows_add_up_to_the_exposure(sample: duckdb.DuckDBPyConnection, as_of: date) -> None:
    exposure = dict(rows(sample, "select metal, exposure from marts.buyer_exposure"))
    layers = rows(
        sample,
        "select metal, step, sum(share), sum(contribution) "
        "from marts.buyer_flow_links_at(null, ?) group by all",
        as_of,
    )
    for metal, step, share, contribution in layers:
        if step >= 3:  # every unit of metal reaches a smelter and the buyer; only part is traced to hubs
            assert share == pytest.approx(1.0) and contribution == pytest.approx(exposure[metal]), (
                metal,
                step,
            )
    places = dict(
        rows(
            sample,
            "select metal, sum(points) from marts.buyer_place_contributions_at(null, ?) group by 1",
            as_of,
        )
    )
    untraced = dict(
        rows(
            sample,
            "select metal, sum(share * origin_risk) from marts.buyer_site_flows_at(null, ?) "
            "where site_id is null group by 1",
            as_of,
        )
    )
    for metal, total in exposure.items():
        assert places.get(metal, 0) + untraced.get(metal, 0) == pytest.approx(total), metal
    events = dict(
        rows(
            sample,
            "select metal, sum(points) from marts.buyer_event_contributions_at(null, ?) group by 1",
            as_of,
        )
    )
    assert all(0 < events[m] <= places[m] + 1e-9 for m in events)


def test_stages_add_up_to_the_exposure(sample: duckdb.DuckDBPyConnection, as_of: date) -> None:
    exposure = dict(rows(sample, "select metal, exposure from marts.buyer_exposure"))
    stages = rows(
        sample,
        "select metal, stage, share, points from marts.buyer_risk_by_stage_at(null, ?) "
        "order by metal, stage_order",
        as_of,
    )
    totals: dict[str, float] = {}
    for metal, _, _, points in stages:
        totals[metal] = totals.get(metal, 0.0) + points
    assert totals == pytest.approx(exposure)
    shares: dict[str, float] = {}
    for metal, stage, share, _ in stages:
        assert (share is None) == ("hub" in stage), stage  # the same tonne passes several hubs
        shares[metal] = shares.get(metal, 0.0) + (share or 0.0)
    assert shares == pytest.approx({m: 1.0 for m in exposure})  # sites and untraced origins: all the metal
    assert {s for _, s, _, _ in stages} >= {"mine sites", "first hubs", "hubs further down the chain"}


def test_event_contributions_carry_the_events_own_notes(
    sample: duckdb.DuckDBPyConnection, as_of: date
) -> None:
    top = rows(
        sample,
        "select c.notes = e.notes, c.via from marts.buyer_event_contributions_at(null, ?) as c "
        "join core.events as e using (event_id) where c.metal = 'All' order by c.points desc limit 1",
        as_of,
    )[0]
    assert top[0] and "control" in top[1]  # the takeover that set a place's control carries most


def test_region_membership(sample: duckdb.DuckDBPyConnection) -> None:
    members = {
        (r, k, m)
        for r, k, m in rows(sample, "select region, member_kind, member_id from marts.region_members")
    }
    for hub in ("H-COD-GOMA", "H-COD-BUNIA", "H-COD-KINDU", "H-COD-KALEMIE", "H-COD-MANONO", "H-COD-UVIRA"):
        assert ("Eastern DRC", "hub", hub) in members, hub
    for hub in (
        "H-RWA-GISENYI",
        "H-COD-LUBUMBASHI",
        "H-BDI-BUJUMBURA",
        "H-KEN-MOMBASA",
    ):  # other country / far
        assert ("Eastern DRC", "hub", hub) not in members, hub
    assert ("Kivus", "hub", "H-COD-KALEMIE") not in members and ("Kivus", "hub", "H-COD-GOMA") in members
    kinshasa = rows(sample, "select event_id from core.events where admin1 = 'Kinshasa' limit 1")[0][0]
    assert ("Eastern DRC", "event", kinshasa) not in members


def test_region_matches_other_spellings_and_falls_back_to_the_box(scratch: duckdb.DuckDBPyConnection) -> None:
    scratch.execute("update core.sites set admin1 = 'NORTH  KIVU' where site_id = 'S-COD-BISIE-MPAMA-NORTH'")
    scratch.execute("update core.sites set admin1 = null where site_id = 'S-COD-NYUNZU-KISENGO'")
    scratch.execute("update core.sites set admin1 = 'Haut-Katanga' where site_id = 'S-COD-KALEHE-NUMBI'")
    sql = (SQL_DIR / "marts" / "region_members.sql").read_text()
    got = {
        (m, how)
        for m, how in rows(scratch, f"select member_id, matched_by from ({sql}) where region = 'Eastern DRC'")
    }
    assert ("S-COD-BISIE-MPAMA-NORTH", "admin1") in got
    assert ("S-COD-NYUNZU-KISENGO", "box") in got
    assert not any(m == "S-COD-KALEHE-NUMBI" for m, _ in got)  # a stated province outside the region wins


def test_hotspots_are_prio_grid_cells(sample: duckdb.DuckDBPyConnection, as_of: date) -> None:
    goma = rows(
        sample,
        "select gid, min_lat, min_lon from marts.region_hotspots where region = 'Eastern DRC' "
        "and -1.68 between min_lat and min_lat + 0.5 and 29.22 between min_lon and min_lon + 0.5",
    )
    assert goma == [(127139, -2.0, 29.0)]  # PRIO-GRID: row 176 from the south × 720 + column 418 + 1
    n_cells, n_events = rows(
        sample, "select count(*), sum(n_events) from marts.region_hotspots where region = 'Eastern DRC'"
    )[0]
    recent = rows(
        sample,
        "select count(*) from marts.recent_events as e join marts.region_members as m "
        "on m.member_kind = 'event' and m.member_id = e.event_id and m.region = 'Eastern DRC'",
    )[0][0]
    assert n_events == recent and n_cells > 10
    ranks = [
        r
        for (r,) in rows(
            sample, "select rank from marts.region_hotspots where region = 'Kivus' order by rank"
        )
    ]
    assert ranks == list(range(1, len(ranks) + 1))


def test_follow_up_reasons(scratch: duckdb.DuckDBPyConnection, as_of: date) -> None:
    flags = dict(rows(scratch, "select smelter_name, reasons from marts.buyer_smelter_followup"))
    assert flags["Luna Smelter, Ltd."].startswith("sources from covered countries: ")
    assert flags["PT Timah Tbk Mentok"] == ""  # Indonesian supply, Conformant: nothing to follow up
    scratch.execute(
        "update core.buyer_smelters set rmap_status = 'Active', mine_names = 'Bibatama; Nowhere', "
        "mine_countries = ['COD'] where smelter_name = 'PT Timah Tbk Mentok'"
    )
    run_mart_tables(scratch, as_of)
    reasons = rows(
        scratch, "select reasons from marts.buyer_smelter_followup where smelter_name = 'PT Timah Tbk Mentok'"
    )[0][0]
    assert "not RMAP Conformant (Active)" in reasons
    assert "sources from covered countries: COD 100 %" in reasons
    assert "declared mine near a high-risk place: Bibatama → " in reasons and "km)" in reasons


def test_control_events_explain_place_control(sample: duckdb.DuckDBPyConnection) -> None:
    missing = rows(
        sample,
        "select p.place_id from marts.place_risk as p where p.control_event_id is not null and not exists "
        "(select 1 from marts.place_control_events as c where c.place_id = p.place_id "
        "and c.event_id = p.control_event_id)",
    )
    assert missing == []
    goma = rows(
        sample,
        "select control_effect, event_date from marts.place_control_events "
        "where place_id = 'H-COD-GOMA' order by event_date desc limit 1",
    )
    assert goma == [("gain", date(2025, 1, 27))]


def test_alerts_between_two_dates(sample: duckdb.DuckDBPyConnection) -> None:
    alerts = rows(
        sample,
        "select alert_type, subject_id, direction, state_after, event_date from marts.alerts_at(?, ?)",
        date(2025, 1, 1),
        date(2025, 3, 1),
    )
    assert ("control", "H-COD-GOMA", "up", "M23: March 23 Movement", date(2025, 1, 27)) in alerts
    assert any(a[0] == "tier" and a[1] == "H-COD-GOMA" and a[2] == "up" for a in alerts)
    deadly = [a for a in alerts if a[0] == "deadly"]
    assert deadly and all(date(2025, 1, 1) < a[4] <= date(2025, 3, 1) for a in deadly)
    assert {a[0] for a in alerts} <= {"tier", "control", "deadly", "exposure"}


def test_alert_thresholds_are_parameters(scratch: duckdb.DuckDBPyConnection, as_of: date) -> None:
    since = as_of - timedelta(days=90)

    def kinds() -> set[str]:
        return {
            k for (k,) in rows(scratch, "select distinct alert_type from marts.alerts_at(?, ?)", since, as_of)
        }

    assert "deadly" in kinds() and "exposure" not in kinds()
    scratch.execute("update meta.params set number = -100 where key = 'alerts.exposure_rise_points'")
    scratch.execute("update meta.params set number = 100000 where key = 'alerts.deadly_min_fatalities'")
    assert "exposure" in kinds() and "deadly" not in kinds()
    n_buyer_metals = rows(scratch, "select count(*) from marts.buyer_exposure")[0][0]
    n_alerts = rows(
        scratch, "select count(*) from marts.alerts_at(?, ?) where alert_type = 'exposure'", since, as_of
    )[0][0]
    assert n_alerts == n_buyer_metals
