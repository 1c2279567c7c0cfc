"""The notebook API on the tiny world: polars results, as-of dates, place and buyer look-ups, explanations."""

from datetime import date

import polars as pl
import pytest

import analysis as mr


@pytest.fixture
def wh(tiny_db):
    with mr.open(tiny_db) as warehouse:
        yield warehouse


def test_place_risk_is_polars_and_follows_as_of(wh):
    now = wh.place_risk()
    assert isinstance(now, pl.DataFrame) and now["score"].is_sorted(descending=True)
    before = wh.place_risk(as_of="2024-12-31").filter(pl.col("place_id") == "S-COD-ALPHA")
    assert before["controlled_by"][0] is None
    assert wh.place_risk(kind="hub")["place_kind"].unique().to_list() == ["hub"]
    assert isinstance(now.to_pandas().iloc[0]["score"], float)


def test_buyer_exposure_by_name_or_all(wh):
    one = wh.buyer_exposure("tiny buyer ltd")
    assert set(one["metal"]) == {"All", "Tantalum", "Tin"}
    assert wh.buyer_exposure()["buyer_id"].unique().to_list() == ["B-TINY-BUYER-LTD"]
    with pytest.raises(LookupError, match="unknown buyer 'Nobody'"):
        wh.buyer_exposure("Nobody")


def test_events_near_respects_days_and_radius(wh):
    assert wh.events_near("Alpha mine", days=31)["event_id"].to_list() == ["curated:T-1", "curated:T-2"]
    assert wh.events_near("S-COD-ALPHA", days=800, radius_km=1).height == 4  # T-1, T-2, T-6, T-7 at the site


def test_explain_place_and_buyer(wh):
    place = wh.explain("Alpha mine")
    assert place["score"]["controlled_by"][0] == "Group X"
    assert place["events"]["contribution"].sum() == pytest.approx(place["score"]["intensity"][0])
    buyer = wh.explain("Tiny Buyer", as_of=date(2025, 1, 31))  # a unique part of the name is enough
    exposure = buyer["exposure"].filter(pl.col("metal") == "All")["exposure"][0]
    assert buyer["origins"]["contribution"].sum() == pytest.approx(exposure)
    # The places' points plus the origins not scored by sites make up the exposure too.
    unscored = buyer["origins"].join(
        wh.sql("select country_iso3 as origin_iso3 from marts.origin_risk where method = 'sites'"),
        on="origin_iso3",
        how="anti",
    )
    assert buyer["places"]["points"].sum() + unscored["contribution"].sum() == pytest.approx(exposure)
    assert set(buyer["places"]["role"]) <= {"mine site", "first hub", "downstream hub"}
    assert buyer["events"]["points"].sum() <= buyer["places"]["points"].sum() + 1e-9


def test_stages(wh):
    hubs = wh.stages(metal="Ta", stage="hub")
    assert set(hubs["node_id"]) == {"H-COD-GTOWN", "H-RWA-KTOWN"}
    assert set(wh.stages()["stage"]) >= {"site", "hub", "origin", "country", "smelter", "buyer"}
    # Before Group X took Alpha (tiny world: 2025-01-01) its metal carried less risk.
    before = wh.stages(metal="Ta", stage="site", as_of="2024-12-31")
    assert set(before["as_of"]) == {date(2024, 12, 31)}
    now = wh.stages(metal="Ta", stage="site").filter(pl.col("node_id") == "S-COD-ALPHA")["multiplier"][0]
    then = before.filter(pl.col("node_id") == "S-COD-ALPHA")["multiplier"][0]
    assert then < now


def test_unknown_place_suggests_names(wh):
    with pytest.raises(LookupError, match="did you mean: Alpha mine"):
        wh.explain("Alfa mine")
