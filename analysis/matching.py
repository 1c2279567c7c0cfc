"""Resolve a supplier's declared smelters to RMI smelter ids (CIDs): by id, else by fuzzy name."""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process, utils

STRONG_MATCH = 90.0  # at or above: accepted as the same facility
WEAK_MATCH = 75.0  # between weak and strong: reported for review, never guessed


def _resolve_one(metal: str, smelter_id: str | None, name: str | None, smelters: pd.DataFrame):
    cid = (smelter_id or "").strip().upper()
    if cid in set(smelters["cid"]):
        return cid, "id", 100.0, cid
    pool = smelters[smelters["metal"] == metal]
    if not name or pool.empty:
        return None, "unresolved", None, None
    _, score, candidate = process.extractOne(
        name,
        dict(zip(pool["cid"], pool["name"], strict=True)),
        scorer=fuzz.token_set_ratio,
        processor=utils.default_process,
    )
    if score >= STRONG_MATCH:
        return candidate, "name", score, candidate
    if score >= WEAK_MATCH:
        return None, "weak name", score, candidate
    return None, "unresolved", score, None


def resolve_smelters(declared: pd.DataFrame, smelters: pd.DataFrame) -> pd.DataFrame:
    """Add cid, match_method ('id', 'name', 'weak name', 'unresolved'), match_score and match_candidate.

    `declared` has metal, smelter_id, smelter_name, smelter_lookup; `smelters` has cid, name, metal.
    A weak match keeps its candidate for review but leaves cid empty: it is reported, not guessed.
    """
    resolved = [
        _resolve_one(r.metal, r.smelter_id, r.smelter_name or r.smelter_lookup, smelters)
        for r in declared.itertuples(index=False)
    ]
    out = declared.copy()
    cols = ["cid", "match_method", "match_score", "match_candidate"]
    out[cols] = pd.DataFrame(resolved, columns=cols, index=out.index) if resolved else None
    return out
