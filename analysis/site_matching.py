"""Recognise the same mining site in several sources: close enough, or close and similarly named.

Two records are the same site when they lie within `radius_km` of each other whatever their names, or
within `name_radius_km` and their names match (rapidfuzz token-set ratio of the accent-free names at least
`min_name_score`). Sources come in tiers of precedence (the curated sample, then IPIS's coded sites, then
IPIS's uncoded extract): each tier's records are matched one-to-one against the sites kept so far, name
matches first, then by distance, and those left unmatched are kept as sites of their own.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, utils

from .sqlgen import EARTH_RADIUS_KM, KM_PER_DEGREE_LAT

MATCH_COLUMNS = [
    "record_id",
    "site_id",
    "match_rule",
    "distance_km",
    "name_score",
    "record_name",
    "site_name",
]


@dataclass(frozen=True)
class MatchRule:
    radius_km: float = 0.5
    name_radius_km: float = 2.0
    min_name_score: float = 85.0

    @classmethod
    def from_params(cls, params: dict) -> MatchRule:
        return cls(
            float(params["sites.match_radius_km"]),
            float(params["sites.match_name_radius_km"]),
            float(params["sites.match_min_name_score"]),
        )


def name_score(a: str | None, b: str | None) -> float:
    """0-100: how alike two site names are, ignoring case, accents, punctuation and word order."""

    def clean(text: str | None) -> str:
        folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
        return utils.default_process(folded)

    return float(fuzz.token_set_ratio(clean(a), clean(b)))


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km, element-wise, on the same sphere as the SQL's core.haversine_km."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def pairs_within(kept: pd.DataFrame, new: pd.DataFrame, max_km: float) -> pd.DataFrame:
    """(site_id, record_id, distance_km) for every kept site and new record within `max_km`.

    Grid buckets as in core.event_links: cells max_km tall and, in longitude, wide enough at the highest
    latitude of the data; kept sites are replicated into the 3×3 cells around theirs.
    """
    empty = pd.DataFrame({"site_id": [], "record_id": [], "distance_km": []})
    if kept.empty or new.empty:
        return empty
    dlat = max_km / KM_PER_DEGREE_LAT
    top = min(max(kept["lat"].abs().max(), new["lat"].abs().max()) + dlat, 89.0)
    dlon = max_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(top)))
    k = kept.assign(cy=np.floor(kept["lat"] / dlat).astype(int), cx=np.floor(kept["lon"] / dlon).astype(int))
    shifts = pd.DataFrame([(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)], columns=["dy", "dx"])
    k = k.merge(shifts, how="cross").assign(cy=lambda d: d.cy + d.dy, cx=lambda d: d.cx + d.dx)
    n = new.assign(cy=np.floor(new["lat"] / dlat).astype(int), cx=np.floor(new["lon"] / dlon).astype(int))
    pairs = k.merge(n, on=["cy", "cx"], suffixes=("_site", "_record"))
    pairs["distance_km"] = haversine_km(
        pairs["lat_site"], pairs["lon_site"], pairs["lat_record"], pairs["lon_record"]
    )
    pairs = pairs[pairs["distance_km"] <= max_km]
    out = pairs.rename(columns={"id_site": "site_id", "id_record": "record_id"})
    return out[["site_id", "record_id", "distance_km", "name_site", "name_record"]].reset_index(drop=True)


def match_records(kept: pd.DataFrame, new: pd.DataFrame, rule: MatchRule) -> pd.DataFrame:
    """One-to-one matches of `new` records (id, name, lat, lon) to `kept` sites: MATCH_COLUMNS."""
    pairs = pairs_within(kept, new, max(rule.radius_km, rule.name_radius_km))
    if pairs.empty:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    pairs["name_score"] = [
        name_score(a, b) for a, b in zip(pairs["name_site"], pairs["name_record"], strict=True)
    ]
    named = (pairs["name_score"] >= rule.min_name_score) & (pairs["distance_km"] <= rule.name_radius_km)
    pairs["match_rule"] = np.where(named, "name_and_distance", "distance")
    pairs["unnamed"] = ~named
    pairs = pairs[named | (pairs["distance_km"] <= rule.radius_km)]
    # Name-confirmed pairs first, then the closest: a pit 300 m away with another name does not take the
    # site from its namesake 1 km away.
    pairs = pairs.sort_values(
        ["unnamed", "distance_km", "name_score", "site_id", "record_id"],
        ascending=[True, True, False, True, True],
    )
    taken_sites, taken_records, rows = set(), set(), []
    for pair in pairs.itertuples(index=False):
        if pair.site_id in taken_sites or pair.record_id in taken_records:
            continue
        taken_sites.add(pair.site_id)
        taken_records.add(pair.record_id)
        rows.append(
            (
                pair.record_id,
                pair.site_id,
                pair.match_rule,
                pair.distance_km,
                pair.name_score,
                pair.name_record,
                pair.name_site,
            )
        )
    return pd.DataFrame(rows, columns=MATCH_COLUMNS)


def resolve_tiers(tiers: list[pd.DataFrame], rule: MatchRule) -> pd.DataFrame:
    """For every record of tiers[1:] (id, name, lat, lon), the site it belongs to: MATCH_COLUMNS, with
    match_rule 'none' (and site_id = its own id) for a record kept as a site of its own."""
    kept = (
        tiers[0][["id", "name", "lat", "lon"]]
        if tiers
        else pd.DataFrame(columns=["id", "name", "lat", "lon"])
    )
    out = []
    for tier in tiers[1:]:
        matched = match_records(kept, tier, rule)
        alone = tier[~tier["id"].isin(matched["record_id"])]
        own = pd.DataFrame(
            {
                "record_id": alone["id"],
                "site_id": alone["id"],
                "match_rule": "none",
                "distance_km": np.nan,
                "name_score": np.nan,
                "record_name": alone["name"],
                "site_name": alone["name"],
            }
        )
        out += [matched, own]
        kept = pd.concat([kept, alone[["id", "name", "lat", "lon"]]], ignore_index=True)
    if not out:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    frames = [f for f in out if not f.empty]
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MATCH_COLUMNS)
    return result.sort_values("record_id", ignore_index=True)
