"""Benchmarks. Machines here are noisy, so each result is a ratio against a baseline run in the same process.

    make bench            # or: .venv/bin/python bench/run.py [--events N] [--places N]

1. linking: the grid-bucket join of core.event_links against a brute-force cross join with the same
   haversine filter (baseline); both must find the same pairs.
2. scoring: place_risk_at over the bundled sample's events replicated to --scoring-events, against a
   distance-weighted count over the same links (baseline): the cost of the type, age, precision,
   fatality and source weights, control and tiers on top of reading the links.
3. paths: origin_risk_at on the bundled sample's sites copied to --sites, each routed to --routes-per-site
   random hubs (then on down the sample's hub links), against place_risk_at on the same warehouse
   (baseline): the cost of walking every site's paths and taking the worst place on each
   (marts.site_path_risk_at).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analysis.config import load_params
from analysis.sqlgen import haversine_macro_sql
from analysis.warehouse import meta
from analysis.warehouse.build import _sql_step
from analysis.warehouse.steps import STEPS

RESULTS = Path(__file__).parent / "results"


def _timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _world(n_events: int, n_places: int, seed: int = 1) -> duckdb.DuckDBPyConnection:
    rng = np.random.default_rng(seed)
    con = duckdb.connect()
    meta.create(con)
    meta.write_params(con, load_params())
    con.execute(haversine_macro_sql())
    events = pd.DataFrame(
        {  # eastern DRC-sized box
            "event_id": [f"e{i}" for i in range(n_events)],
            "lat": rng.uniform(-9, 2, n_events),
            "lon": rng.uniform(25, 31, n_events),
        }
    )
    places = pd.DataFrame(
        {
            "place_id": [f"p{i}" for i in range(n_places)],
            "place_kind": "site",
            "lat": rng.uniform(-9, 2, n_places),
            "lon": rng.uniform(25, 31, n_places),
        }
    )
    con.register("_events", events)
    con.register("_places", places)
    con.execute("create table core.events as select * from _events")
    con.execute("create table core.places as select * from _places")
    return con


def bench_linking(n_events: int, n_places: int) -> dict:
    con = _world(n_events, n_places)
    step = next(s for s in STEPS if s.creates == "core.event_links")
    radius = 50.0

    def grid():
        _sql_step(con, step, {"radius_km": radius})

    def brute():
        con.execute(
            "create or replace table brute as select e.event_id, p.place_id "
            "from core.events e, core.places p where core.haversine_km(e.lat, e.lon, p.lat, p.lon) <= ?",
            [radius],
        )

    t_grid, t_brute = _timed(grid), _timed(brute, repeat=1)
    same = (
        con.execute(
            "select count(*) from (select event_id, place_id from core.event_links "
            "except select event_id, place_id from brute) "
        ).fetchone()[0]
        == 0
        and con.execute("select count(*) from brute").fetchone()[0]
        == con.execute("select count(*) from core.event_links").fetchone()[0]
    )
    pairs = con.execute("select count(*) from core.event_links").fetchone()[0]
    return {
        "benchmark": "linking",
        "events": n_events,
        "places": n_places,
        "pairs": pairs,
        "grid_s": round(t_grid, 3),
        "baseline_brute_force_s": round(t_brute, 3),
        "speedup": round(t_brute / t_grid, 1),
        "identical_pairs": same,
    }


def bench_scoring(n_events: int, tmp: Path) -> dict:
    """place_risk_at on the bundled sample with its events replicated (jittered ±0.3°) to `n_events`."""
    from analysis.warehouse.build import build

    db = tmp / "scoring.duckdb"
    build(db)
    con = duckdb.connect(str(db))
    n0 = con.execute("select count(*) from core.events").fetchone()[0]
    copies = max(1, n_events // n0)
    con.execute(
        "create or replace table core.events as select * replace ("
        "e.event_id || '#' || c.i as event_id, e.lat + (random() - 0.5) * 0.6 as lat, "
        "e.lon + (random() - 0.5) * 0.6 as lon) from core.events e, range(?) c(i)",
        [copies],
    )
    step = next(s for s in STEPS if s.creates == "core.event_links")
    _sql_step(con, step, {"radius_km": 50.0})
    links = con.execute("select count(*) from core.event_links").fetchone()[0]
    as_of = con.execute("select as_of from meta.builds order by build_id desc limit 1").fetchall()[0][0]

    def score():
        con.execute("select count(*), sum(score) from marts.place_risk_at(?)", [as_of]).fetchall()

    def baseline():  # the cheapest honest aggregate over the same links: a distance-weighted count
        con.execute(
            "select place_id, sum(exp(-distance_km / 15)) from core.event_links group by 1"
        ).fetchall()

    t_score, t_base = _timed(score), _timed(baseline)
    con.close()
    return {
        "benchmark": "scoring",
        "events": n0 * copies,
        "links": links,
        "place_risk_at_s": round(t_score, 3),
        "baseline_weighted_count_s": round(t_base, 3),
        "ratio": round(t_score / t_base, 1),
    }


def bench_paths(n_sites: int, routes_per_site: int, tmp: Path) -> dict:
    """origin_risk_at with the sample's sites copied to `n_sites`, each routed to `routes_per_site` random
    hubs, vs place_risk_at."""
    from analysis.warehouse.build import build

    db = tmp / "paths.duckdb"
    build(db)
    con = duckdb.connect(str(db))
    copies = max(1, n_sites // con.execute("select count(*) from core.sites").fetchone()[0])
    for table, key in (("core.sites", "site_id"), ("core.places", "place_id")):
        kind = "" if table == "core.sites" else "where place_kind = 'site'"
        con.execute(
            f"insert into {table} select t.* replace (t.{key} || '#' || c.i as {key}) "
            f"from {table} as t, range(1, ?) as c(i) {kind}",
            [copies],
        )
    con.execute(
        "create or replace table core.routes as "
        "select s.site_id, h.hub_id, 1.0 / ? as share, true as assumed, 'bench' as source_ref "
        "from core.sites as s, "
        "lateral (select hub_id from core.hubs order by hash(s.site_id || hub_id) limit ?) as h",
        [routes_per_site, routes_per_site],
    )
    as_of = con.execute("select as_of from meta.builds order by build_id desc limit 1").fetchall()[0][0]
    steps = con.execute("select count(*) from marts.site_path_risk_at(?)", [as_of]).fetchone()[0]
    sites = con.execute("select count(*) from core.sites").fetchone()[0]

    def origin():
        con.execute("select count(*), sum(risk) from marts.origin_risk_at(?)", [as_of]).fetchall()

    def baseline():
        con.execute("select count(*), sum(score) from marts.place_risk_at(?)", [as_of]).fetchall()

    t_origin, t_base = _timed(origin), _timed(baseline)
    con.close()
    return {
        "benchmark": "paths",
        "sites": sites,
        "routes_per_site": routes_per_site,
        "path_steps": steps,
        "origin_risk_at_s": round(t_origin, 3),
        "baseline_place_risk_at_s": round(t_base, 3),
        "ratio": round(t_origin / t_base, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--places", type=int, default=2_000)
    ap.add_argument("--scoring-events", type=int, default=200_000)
    ap.add_argument("--sites", type=int, default=2_000)
    ap.add_argument("--routes-per-site", type=int, default=3)
    args = ap.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = [
            bench_linking(args.events, args.places),
            bench_scoring(args.scoring_events, Path(tmp)),
            bench_paths(args.sites, args.routes_per_site, Path(tmp)),
        ]
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2))
    for r in results:
        print(json.dumps(r))


if __name__ == "__main__":
    main()
