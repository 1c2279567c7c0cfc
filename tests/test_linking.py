"""Event ↔ place linking: haversine against known distances; grid join against brute force."""

import duckdb
import numpy as np
import pytest

from analysis.sqlgen import haversine_macro_sql
from analysis.warehouse.build import _sql_step
from analysis.warehouse.steps import STEPS

# Published great-circle distances (spherical Earth, e.g. the Movable Type calculator at
# www.movable-type.co.uk/scripts/latlong.html with R = 6371 km; our R = 6371.0088 km differs by 0.0001 %).
KNOWN = [
    ("Paris–London", 48.8566, 2.3522, 51.5074, -0.1278, 343.5),
    ("New York–Los Angeles", 40.7128, -74.0060, 34.0522, -118.2437, 3935.7),
    ("Sydney–Melbourne", -33.8688, 151.2093, -37.8136, 144.9631, 713.4),
    ("antipodes: half the circumference π × R", 0.0, 0.0, 0.0, 180.0, 20015.1),
    ("same point (Rubaya)", -1.558, 28.884, -1.558, 28.884, 0.0),
]


@pytest.mark.parametrize("name,lat1,lon1,lat2,lon2,km", KNOWN, ids=[k[0] for k in KNOWN])
def test_haversine_known_distances(name, lat1, lon1, lat2, lon2, km):
    con = duckdb.connect()
    con.execute("create schema core")
    con.execute(haversine_macro_sql())
    got = con.execute("select core.haversine_km(?, ?, ?, ?)", [lat1, lon1, lat2, lon2]).fetchone()[0]
    assert got == pytest.approx(km, rel=1e-3, abs=0.05)


def _link(points_events, points_places, radius):
    con = duckdb.connect()
    con.execute("create schema core")
    con.execute(haversine_macro_sql())
    con.execute("create table core.events as select * from points_events")
    con.execute("create table core.places as select *, 'site' as place_kind from points_places")
    step = next(s for s in STEPS if s.creates == "core.event_links")
    _sql_step(con, step, {"radius_km": radius})
    return con


def _brute_force(con, radius):
    return set(
        con.execute(
            "select e.event_id, p.place_id from core.events e, core.places p "
            "where core.haversine_km(e.lat, e.lon, p.lat, p.lon) <= ?",
            [radius],
        ).fetchall()
    )


@pytest.mark.parametrize("lat_range,radius", [((-9, 2), 50.0), ((-9, 2), 5.0), ((55, 70), 25.0)])
def test_grid_join_equals_brute_force(lat_range, radius):
    rng = np.random.default_rng(7)
    import pandas as pd

    points_events = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(3000)],
            "lat": rng.uniform(*lat_range, 3000),
            "lon": rng.uniform(25, 32, 3000),
        }
    )
    points_places = pd.DataFrame(
        {
            "place_id": [f"p{i}" for i in range(200)],
            "lat": rng.uniform(*lat_range, 200),
            "lon": rng.uniform(25, 32, 200),
        }
    )
    con = _link(points_events, points_places, radius)
    linked = set(con.execute("select event_id, place_id from core.event_links").fetchall())
    assert linked == _brute_force(con, radius)
    assert len(linked) > 50  # the test is not vacuous


def test_sample_links_equal_brute_force(sample):
    radius = sample.execute("select number from meta.params where key = 'linking.radius_km'").fetchone()[0]
    linked = set(sample.execute("select event_id, place_id from core.event_links").fetchall())
    brute = set(
        sample.execute(
            "select e.event_id, p.place_id from core.events e, core.places p "
            "where core.haversine_km(e.lat, e.lon, p.lat, p.lon) <= ?",
            [radius],
        ).fetchall()
    )
    assert linked == brute and linked
