"""One incident recorded by several sources: are two nearby, same-day records about the same actors, and
which record is the primary? Pure functions; the build step is analysis/warehouse/duplicates.py.

Actors are compared as ACLED and UCDP write them: "ADF: Allied Democratic Forces" (acronym: name) against
"ADF", "Military Forces of Democratic Republic of Congo (2001-)" against "Government of DR Congo (Zaire)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd
from rapidfuzz import fuzz, utils

from . import countries
from .sources.event_checks import known_iso3

# Generic sides: actors that are not a named group. State forces and civilians are named differently by
# every source but mean the same side; an unidentified group says nothing about who it was.
SIDES = (
    ("state", re.compile(r"^(?:(?:military|police|armed) forces|government) of (.+)$")),
    ("civilians", re.compile(r"^civilians\b")),
    ("crowd", re.compile(r"^(?:rioters|protesters)\b")),
    ("unidentified", re.compile(r"^unidentified\b")),
)
MATCHING_SIDES = ("state", "civilians", "crowd")
_BRACKETS = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class Actors:
    names: frozenset[str]  # named groups, each as written and, for "ACR: Name", as ACR and as Name
    sides: frozenset[str]  # generic sides among the actors; state forces with their country: 'state COD'


@cache
def _country(text: str) -> str | None:
    code = countries.to_iso3(text) if text.strip() else None
    return code if code in known_iso3() else None


def _drop_qualifiers(text: str) -> str:
    """ACLED brackets years "(2001-)" and countries "(Democratic Republic of Congo)", which say nothing
    about who the group is, but also factions "(Yakutumba)", which do: keep only the latter."""

    def keep(match: re.Match) -> str:
        inner = match.group(1).strip()
        return " " if not inner or re.fullmatch(r"[\d\s-]+", inner) or _country(inner) else f" {inner} "

    return _BRACKETS.sub(keep, text)


def actors(*fields: str | None) -> Actors:
    """The actors of one record from its actor fields; a field may list several (',' or ';')."""
    names, sides = set(), set()
    for field in fields:
        for part in re.split(r"[;,]", field or ""):
            raw = " ".join(part.split()).lower()
            if not raw:
                continue
            kind, found = next(((k, m) for k, p in SIDES if (m := p.search(raw))), (None, None))
            if kind == "state":
                country = _country(_BRACKETS.sub(" ", found.group(1)))
                sides.add(f"state {country}" if country else "state")
            elif kind:
                sides.add(kind)
            elif text := " ".join(_drop_qualifiers(raw).split()):
                names.add(text)
                if ":" in text:
                    names.update(v.strip() for v in text.split(":", 1) if v.strip())
    return Actors(frozenset(names), frozenset(sides))


def actor_match(a: Actors, b: Actors, min_score: float) -> tuple[float | None, str | None]:
    """(score, rule): rule is None when the actors are not compatible.

    Both records name groups: compatible when some pair of names scores at least `min_score` (rapidfuzz
    token-set ratio, 0-100). Otherwise (one record names no group): compatible when both involve the same
    generic side (the same country's state forces, civilians, a crowd) and do not name different states'
    forces; the score is then None.
    """
    if a.names and b.names:
        score = max(
            fuzz.token_set_ratio(x, y, processor=utils.default_process) for x in a.names for y in b.names
        )
        return float(score), ("named actor" if score >= min_score else None)
    states = [{s for s in x.sides if s.startswith("state")} for x in (a, b)]
    if all(states) and not states[0] & states[1]:
        return None, None  # different states' forces: not the same incident
    shared = sorted(s for s in a.sides & b.sides if s.startswith(MATCHING_SIDES))
    return None, (f"same side: {', '.join(shared)}" if shared else None)


DUPLICATE_COLUMNS = [
    "event_id",
    "duplicate_of",
    "matched_event_id",
    "source",
    "matched_source",
    "distance_km",
    "day_gap",
    "actor_score",
    "actor_rule",
]


def choose_primaries(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each duplicate record with the record it matched and the primary it counts as (`duplicate_of`).

    `pairs` holds compatible candidate pairs: event_id_a/_b, source_a/_b, priority_a/_b (1 = preferred),
    distance_km, day_gap, actor_score, actor_rule. The lower-priority record of a pair is the duplicate.
    Pairs are taken greedily, closest in time, then space, then actors first; a record is the duplicate of
    one record only, and a record absorbs at most one record of each other source, so two records of one
    source (which that source says are distinct incidents) never collapse into one.
    """
    if pairs.empty:
        return pd.DataFrame(columns=DUPLICATE_COLUMNS)
    flip = pairs["priority_a"] > pairs["priority_b"]
    hi = {c: pairs[f"{c}_a"].where(~flip, pairs[f"{c}_b"]) for c in ("event_id", "source", "priority")}
    lo = {c: pairs[f"{c}_b"].where(~flip, pairs[f"{c}_a"]) for c in ("event_id", "source", "priority")}
    oriented = pd.DataFrame(
        {
            "event_id": lo["event_id"],
            "matched_event_id": hi["event_id"],
            "source": lo["source"],
            "matched_source": hi["source"],
            "lo_priority": lo["priority"],
            "hi_priority": hi["priority"],
            "distance_km": pairs["distance_km"],
            "day_gap": pairs["day_gap"],
            "actor_score": pairs["actor_score"],
            "actor_rule": pairs["actor_rule"],
            "_score": pairs["actor_score"].fillna(0.0),
        }
    ).sort_values(
        ["lo_priority", "hi_priority", "day_gap", "distance_km", "_score", "matched_event_id", "event_id"],
        ascending=[True, True, True, True, False, True, True],
    )
    matched_to: dict[str, int] = {}
    absorbed: set[tuple[str, str]] = set()
    for i, row in zip(oriented.index, oriented.itertuples(index=False), strict=True):
        if row.event_id in matched_to or (row.matched_event_id, row.source) in absorbed:
            continue
        matched_to[row.event_id] = i
        absorbed.add((row.matched_event_id, row.source))
    out = oriented.loc[list(matched_to.values())].copy()
    direct = dict(zip(out["event_id"], out["matched_event_id"], strict=True))
    out["duplicate_of"] = [_root(e, direct) for e in out["event_id"]]
    return out[DUPLICATE_COLUMNS].sort_values("event_id").reset_index(drop=True)


def _root(event_id: str, direct: dict[str, str]) -> str:
    """Follow duplicate → matched record up to a record that is no one's duplicate (priorities only rise)."""
    while event_id in direct:
        event_id = direct[event_id]
    return event_id
