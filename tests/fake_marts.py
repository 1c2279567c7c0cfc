"""A tiny fake warehouse holding exactly the `meta` and `marts` tables the overview reads, and
`hostile_sample()`: a copy of a real built warehouse with hostile strings injected, for the other reports.

`make_fake_marts(con)` fills an open DuckDB connection; it is deterministic. Some strings are hostile on
purpose (a script in an event note, an <img onerror> place name, a javascript: buyer name, an <svg onload>
actor) so report tests can prove that data never runs as code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

AS_OF = date(2025, 6, 30)
XSS_NOTE = "<script>window.__xss=1</script>"
XSS_PLACE = '<img src=x onerror="window.__xss=2">'
XSS_BUYER = 'Shady Metals <a href="javascript:alert(1)">javascript:alert(1)</a>'
XSS_ACTOR = "<svg/onload=window.__xss=3>"
BUYERS = [("B001", XSS_BUYER), ("B002", "Acme Electronics GmbH")]
MAIN_HUBS = {"H01", "H02", "H03", "H05", "H06"}

DDL = """
create schema if not exists meta;
create schema if not exists marts;
create or replace table meta.builds(build_id integer, started_at timestamp, finished_at timestamp,
    as_of date, minrisk_version varchar, parameters varchar);
create or replace table meta.files(build_id integer, path varchar, sha256 varchar, format varchar,
    table_name varchar, rows_read bigint, rows_loaded bigint, rows_rejected bigint,
    min_date date, max_date date);
create or replace table marts.place_risk(as_of date, place_id varchar, place_kind varchar, name varchar,
    kind varchar, country_iso3 varchar, lat double, lon double, minerals varchar, score double,
    tier varchar, intensity double, intensity_points double, control_points double,
    presence_points double, controlled_by varchar, control_since date, armed_presence varchar,
    n_events integer, fatalities integer, synthetic_share double, top_event_id varchar);
create or replace table marts.recent_events(as_of date, event_id varchar, event_date date,
    event_type varchar, sub_event_type varchar, actor1 varchar, actor2 varchar, fatalities integer,
    location varchar, country_iso3 varchar, lat double, lon double, geo_precision integer,
    notes varchar, source varchar, source_ref varchar, nearest_place_id varchar,
    nearest_place_name varchar, nearest_distance_km double);
create or replace table marts.hub_timeline(as_of date, hub_id varchar, hub_name varchar,
    event_id varchar, event_date date, event_type varchar, sub_event_type varchar,
    fatalities integer, distance_km double, source varchar, notes varchar);
create or replace table marts.buyer_exposure(as_of date, buyer_id varchar, buyer_name varchar,
    metal varchar, exposure double, known_share double, unknown_share double, n_smelters integer);
create or replace table marts.buyer_origin_mix(as_of date, buyer_id varchar, buyer_name varchar,
    metal varchar, origin_iso3 varchar, origin_name varchar, share double, origin_risk double,
    contribution double, basis varchar);
"""

# Score = intensity + control + presence points; the place named XSS is filled in below.
PLACES_CSV = """\
place_id,place_kind,name,kind,country_iso3,lat,lon,minerals,ip,cp,pp,controlled_by,control_since
S01,site,Rubaya,mine,COD,-1.56,28.88,coltan,38,30,15,M23/AFC,2024-04-30
S02,site,Bisie,mine,COD,-1.13,27.60,tin,22,0,10,,
S03,site,Nyabibwe,mine,COD,-2.09,28.92,tin,18,0,8,,
S04,site,Numbi,mine,COD,-1.93,28.95,coltan;tin,30,30,12,M23/AFC,2025-02-01
S05,site,Lemera,mine,COD,-2.93,28.97,coltan,20,0,15,,
S06,site,Kalima,mine,COD,-2.56,26.62,tin,6,0,0,,
S07,site,Punia,mine,COD,-1.47,26.44,tin,9,0,5,,
S08,site,Manono,mine,COD,-7.30,27.42,tin;coltan,4,0,0,,
S09,site,Kisengo,mine,COD,-6.07,27.73,coltan,7,0,5,,
S10,site,XSS,mine,COD,-0.52,29.05,coltan,26,20,10,XSS,2023-11-05
H01,hub,Goma,trading_centre,COD,-1.68,29.22,,28,30,10,M23/AFC,2025-01-27
H02,hub,Bukavu,trading_centre,COD,-2.51,28.86,,24,30,8,M23/AFC,2025-02-16
H03,hub,Bunagana,border_post,COD,-1.28,29.60,,20,30,5,M23/AFC,2022-06-13
H04,hub,Kigali,airport,RWA,-1.96,30.14,,0,0,0,,
H05,hub,Uvira,port,COD,-3.40,29.14,,21,0,10,,
H06,hub,Walikale,town,COD,-1.42,28.05,,17,0,12,,
H07,hub,Kalemie,port,COD,-5.93,29.19,,5,0,0,,
"""
EVENT_TYPES = [
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Strategic developments", "Change to group/activity"),
    ("Protests", "Peaceful protest"),
]
ACTORS = [
    "M23: March 23 Movement",
    "Military Forces of the Democratic Republic of Congo (2019-)",
    "Wazalendo",
    "Raia Mutomboki",
    "FDLR: Democratic Forces for the Liberation of Rwanda",
    "Civilians (Democratic Republic of Congo)",
]
# Per buyer: (origin iso3, name, origin risk, basis, share of contained metal).
ORIGINS = {
    "B001": [
        ("COD", "DR Congo", 78.0, "declared", 0.34),
        ("RWA", "Rwanda", 55.0, "trade statistics", 0.22),
        ("BDI", "Burundi", 40.0, "trade statistics", 0.08),
        ("IDN", "Indonesia", 12.0, "declared", 0.16),
        ("_X", "Unknown origin", 60.0, "pooled unknown", 0.20),
    ],
    "B002": [
        ("MYS", "Malaysia", 8.0, "declared", 0.30),
        ("BRA", "Brazil", 10.0, "declared", 0.25),
        ("RWA", "Rwanda", 55.0, "trade statistics", 0.10),
        ("CHN", "China", 15.0, "trade statistics", 0.25),
        ("_X", "Unknown origin", 60.0, "pooled unknown", 0.10),
    ],
}
PARAMETERS = {
    "radius_km": 50,
    "window_days": 365,
    "half_life_days": 180,
    "timeline_days": 730,
    "points": {"intensity_max": 50, "control": 30, "presence_max": 20},
    "tiers": {"medium": 25, "high": 50, "severe": 75},
}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _tier(score: float) -> str:
    return "low" if score < 25 else "medium" if score < 50 else "high" if score < 75 else "severe"


def _places() -> list[dict]:
    rows = list(csv.DictReader(io.StringIO(PLACES_CSV)))
    for r in rows:
        for k in ("lat", "lon", "ip", "cp", "pp"):
            r[k] = float(r[k])
        r["name"] = XSS_PLACE if r["name"] == "XSS" else r["name"]
        r["controlled_by"] = XSS_ACTOR if r["controlled_by"] == "XSS" else (r["controlled_by"] or None)
        r["control_since"] = date.fromisoformat(r["control_since"]) if r["control_since"] else None
        r["minerals"] = r["minerals"] or None
    return rows


def _events(rng: random.Random, places: list[dict], as_of: date, synthetic: bool) -> list[dict]:
    """90 events over two years around the places, hubs weighted up; every third is synthetic if asked."""
    pool = places + [p for p in places if p["place_id"] in MAIN_HUBS] * 2
    out = []
    for i in range(90):
        is_synth = synthetic and i % 3 == 2
        place = rng.choice(pool)
        etype, sub = rng.choice(EVENT_TYPES)
        calm = etype in ("Protests", "Strategic developments")
        out.append(
            {
                "event_id": f"{'SYN' if is_synth else 'CUR'}-{i:04d}",
                "event_date": as_of - timedelta(days=rng.randint(1, 729)),
                "event_type": etype,
                "sub_event_type": sub,
                "actor1": rng.choice(ACTORS),
                "actor2": None if etype == "Protests" else rng.choice(ACTORS[-2:]),
                "fatalities": 0 if calm else rng.choice([0, 0, 1, 2, 3, 5, 9, 14]),
                "country_iso3": place["country_iso3"],
                "lat": place["lat"] + rng.uniform(-0.12, 0.12),
                "lon": place["lon"] + rng.uniform(-0.12, 0.12),
                "geo_precision": rng.choice([1, 1, 2]),
                "notes": f"Fake note {i} near {place['place_id']}.",
                "source": "synthetic" if is_synth else "curated",
                "source_ref": "scripts/generate_synthetic_events.py" if is_synth else f"events.csv:{i + 2}",
            }
        )
    out[4].update(
        notes=XSS_NOTE, source="curated", event_id="CUR-XSS1", event_date=as_of - timedelta(days=20)
    )
    out[7].update(
        actor1=XSS_ACTOR, source="curated", event_id="CUR-XSS2", event_date=as_of - timedelta(days=40)
    )
    return out


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    frame = pd.DataFrame(rows)
    con.register("fake_rows", frame)
    try:
        con.execute(f"insert into {table} by name select * from fake_rows")
    finally:
        con.unregister("fake_rows")


def make_fake_marts(con: duckdb.DuckDBPyConnection, as_of: date = AS_OF, synthetic: bool = True) -> None:
    """Create and fill meta.* and marts.* on `con`; `synthetic=False` leaves out every synthetic row."""
    rng = random.Random(20250630)
    con.execute(DDL)
    places = _places()
    builds = [
        (1, datetime(2025, 4, 1, 9), date(2025, 3, 31), "{}"),
        (2, datetime(2025, 7, 1, 8), as_of, json.dumps(PARAMETERS)),
    ]
    _insert(
        con,
        "meta.builds",
        [
            {
                "build_id": b,
                "started_at": t,
                "finished_at": t + timedelta(minutes=3),
                "as_of": d,
                "minrisk_version": "0.1.0",
                "parameters": p,
            }
            for b, t, d, p in builds
        ],
    )
    files = [
        ("datasets/sample/events.csv", "curated", "staging.curated_events", 61, 60, 1),
        ("datasets/sample/sites.csv", "sites", "staging.sites", 10, 10, 0),
        ("datasets/sample/hubs.csv", "hubs", "staging.hubs", 7, 7, 0),
        ("datasets/sample/buyers.xlsx", "cmrt", "staging.cmrt_smelters", 43, 43, 0),
    ]
    if synthetic:
        files.append(
            ("datasets/sample/synthetic_events.csv", "synthetic", "staging.synthetic_events", 30, 30, 0)
        )
    _insert(
        con,
        "meta.files",
        [
            {
                "build_id": 2,
                "path": path,
                "sha256": hashlib.sha256(path.encode()).hexdigest(),
                "format": fmt,
                "table_name": table,
                "rows_read": read,
                "rows_loaded": loaded,
                "rows_rejected": rejected,
                "min_date": as_of - timedelta(days=729),
                "max_date": as_of - timedelta(days=1),
            }
            for path, fmt, table, read, loaded, rejected in files
        ],
    )

    events = _events(rng, places, as_of, synthetic)
    recent = [e for e in events if e["event_date"] > as_of - timedelta(days=365)]
    rows = []
    for e in recent:
        near = min(places, key=lambda p: _km(e["lat"], e["lon"], p["lat"], p["lon"]))
        rows.append(
            {
                **e,
                "as_of": as_of,
                "location": near["name"],
                "nearest_place_id": near["place_id"],
                "nearest_place_name": near["name"],
                "nearest_distance_km": round(_km(e["lat"], e["lon"], near["lat"], near["lon"]), 2),
            }
        )
    _insert(con, "marts.recent_events", rows)

    keep = ("event_id", "event_date", "event_type", "sub_event_type", "fatalities", "source", "notes")
    _insert(
        con,
        "marts.hub_timeline",
        [
            {
                "as_of": as_of,
                "hub_id": h["place_id"],
                "hub_name": h["name"],
                **{k: e[k] for k in keep},
                "distance_km": round(_km(e["lat"], e["lon"], h["lat"], h["lon"]), 2),
            }
            for h in places
            if h["place_id"] in MAIN_HUBS
            for e in events
            if _km(e["lat"], e["lon"], h["lat"], h["lon"]) <= 50
        ],
    )

    rows = []
    for p in places:
        near = [e for e in recent if _km(e["lat"], e["lon"], p["lat"], p["lon"]) <= 50]
        score = p["ip"] + p["cp"] + p["pp"]
        n_syn = sum(e["source"] == "synthetic" for e in near)
        rows.append(
            {
                **{
                    k: p[k]
                    for k in (
                        "place_id",
                        "place_kind",
                        "name",
                        "kind",
                        "country_iso3",
                        "lat",
                        "lon",
                        "minerals",
                        "controlled_by",
                        "control_since",
                    )
                },
                "as_of": as_of,
                "score": score,
                "tier": _tier(score),
                "intensity": p["ip"] / 50,
                "intensity_points": p["ip"],
                "control_points": p["cp"],
                "presence_points": p["pp"],
                "armed_presence": "reported" if p["pp"] else "none reported",
                "n_events": len(near),
                "fatalities": sum(e["fatalities"] for e in near),
                "synthetic_share": round(n_syn / len(near), 3) if near else 0.0,
                "top_event_id": near[0]["event_id"] if near else None,
            }
        )
    _insert(con, "marts.place_risk", rows)

    exposure, mix = [], []
    for bid, bname in BUYERS:
        for metal, scale in (("All", 1.0), ("Tin", 0.9), ("Tantalum", 1.15)):
            origins = [
                (iso, name, min(100.0, risk * scale), basis, s) for iso, name, risk, basis, s in ORIGINS[bid]
            ]
            unknown = sum(s for iso, *_rest, s in origins if iso == "_X")
            exposure.append(
                {
                    "as_of": as_of,
                    "buyer_id": bid,
                    "buyer_name": bname,
                    "metal": metal,
                    "exposure": round(sum(r * s for _, _, r, _, s in origins), 2),
                    "known_share": 1 - unknown,
                    "unknown_share": unknown,
                    "n_smelters": 12 if bid == "B001" else 31,
                }
            )
            mix += [
                {
                    "as_of": as_of,
                    "buyer_id": bid,
                    "buyer_name": bname,
                    "metal": metal,
                    "origin_iso3": iso,
                    "origin_name": name,
                    "share": s,
                    "origin_risk": r,
                    "contribution": round(s * r, 3),
                    "basis": basis,
                }
                for iso, name, r, basis, s in origins
            ]
    _insert(con, "marts.buyer_exposure", exposure)
    _insert(con, "marts.buyer_origin_mix", mix)


# --- A copy of a real built warehouse (the bundled sample) with hostile strings where data text shows. ----
XSS_HUB = '<img src=x onerror="window.__xss=4">Hub'
XSS_SMELTER = '<iframe src="javascript:window.__xss=5"></iframe>Smelter'
XSS_REGION = "<script>window.__xss=6</script>Kivus"


def hostile_sample(source: str | Path, target: str | Path) -> dict[str, str]:
    """Copy the warehouse at `source` to `target`, put hostile text into core and reference rows the reports
    show (an event's notes and actor, a site, a hub, the buyer, a smelter, a region), and recompute the marts.

    Returns the ids touched: site_id (the riskiest site, named XSS_PLACE, held by XSS_ACTOR), event_id (its
    control event: notes XSS_NOTE), hub_id (the hub most of the first buyer's metal passes, XSS_HUB),
    buyer_id (named XSS_BUYER) and region (XSS_REGION, a copy of the Kivus rows).
    """
    from analysis.warehouse.as_of import build_as_of
    from analysis.warehouse.build import run_mart_tables

    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        as_of = build_as_of(con)
        site_id, event_id = con.execute(
            "select place_id, control_event_id from marts.place_risk "
            "where place_kind = 'site' and control_event_id is not null order by score desc, place_id limit 1"
        ).fetchall()[0]
        buyer_id = con.execute("select min(buyer_id) from core.buyers").fetchall()[0][0]
        hub_id = con.execute(
            "select place_id from marts.buyer_place_contributions_at(?, ?) "
            "where place_kind = 'hub' and metal = 'All' order by metal_share desc, place_id limit 1",
            [buyer_id, as_of],
        ).fetchall()[0][0]
        excel_row = con.execute(
            "select min(excel_row) from core.buyer_smelters where buyer_id = ?", [buyer_id]
        ).fetchall()[0][0]
        statements = [
            (
                "update core.events set notes = ?, actor1 = ? where event_id = ?",
                [XSS_NOTE, XSS_ACTOR, event_id],
            ),
            ("update core.sites set name = ? where site_id = ?", [XSS_PLACE, site_id]),
            ("update core.hubs set name = ? where hub_id = ?", [XSS_HUB, hub_id]),
            (
                "update core.places set name = case place_id when ? then ? else ? end "
                "where place_id in (?, ?)",
                [site_id, XSS_PLACE, XSS_HUB, site_id, hub_id],
            ),
            ("update core.buyers set name = ? where buyer_id = ?", [XSS_BUYER, buyer_id]),
            (
                "update core.buyer_smelters set smelter_name = ?, declared_name = ? "
                "where buyer_id = ? and excel_row = ?",
                [XSS_SMELTER, XSS_SMELTER, buyer_id, excel_row],
            ),
            (
                "insert into reference.regions select * replace (? as region) from reference.regions "
                "where region = 'Kivus'",
                [XSS_REGION],
            ),
        ]
        for sql, params in statements:
            con.execute(sql, params)
        run_mart_tables(con, as_of)
        con.execute("checkpoint")
    finally:
        con.close()
    return {
        "site_id": site_id,
        "event_id": event_id,
        "hub_id": hub_id,
        "buyer_id": buyer_id,
        "region": XSS_REGION,
    }
