"""Resolve a supplier's declared smelters to RMI smelter ids (CIDs): by id, else by name and alias.

1. The declared id (column F, else A) when it is a CID of the declared metal that core.smelters knows.
   Anything else is flagged (`id_flag`) and the row goes on to name matching.
2. The look-up name (column C, unless a placeholder such as 'Smelter not listed') and the typed name (D)
   against every alias of the metal (core.smelter_aliases: RMI's look-up aliases and standard names, and the
   names core.smelters gives each CID), normalised (case; dots and apostrophes dropped so 'H.C.' = 'HC';
   other punctuation a space) and scored with rapidfuzz's token_sort_ratio (word order does not matter,
   every word counts).
   - STRONG_MATCH or more, and no other CID within AMBIGUITY_MARGIN: a match ('name').
   - WEAK_MATCH to STRONG_MATCH, or a tie between CIDs: 'weak name', the candidate kept for review, never
     used.
   - below WEAK_MATCH: 'unresolved'.
   Two kinds of pair are at most weak (SUBSET_SCORE): names whose numbers differ ('Unit 1' / 'Unit 2': RMI
   lists numbered plants of one company as different facilities), and names whose words are all in the other
   name ('Minsur S.A. (Pisco smelter)' / 'Minsur': worth a look, but 'Xiamen Tungsten Co., Ltd.' and
   'Xiamen Tungsten (H.C.) Co., Ltd.' are two CIDs).

Why these numbers, measured on RMI's CMRT 6.5 look-up (349 CIDs, 629 names; the checks that hold them are in
tests/test_source_cmrt.py): every listed name resolves to its own CID; 2,663 varied names (lower case, no
punctuation, no legal form, two words swapped, a letter dropped) resolve to the right CID 85 % of the time
and never to a wrong one, the rest are weak (391, their candidate right 98 % of the time) or unresolved (11).
With each facility taken out of the reference,
its name matches no other CID (53 weak, for review); the closest call scores 93.6 ('Xiamen Tungsten Co.,
Ltd.'), hence 94 and not 90. Legal forms are not stripped: 'H.C. Starck Co., Ltd.', 'H.C. Starck Ltd.' and
'H.C. Starck Inc.' are three CIDs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

STRONG_MATCH = 94.0  # at or above (and unambiguous): accepted as the same facility
WEAK_MATCH = 75.0  # from here to STRONG_MATCH: reported for review, never guessed
AMBIGUITY_MARGIN = 2.0  # another CID scoring within this of the best makes the match ambiguous
SUBSET_SCORE = STRONG_MATCH - 1  # the score given to a weak-only pair (subset names, different numbers)
CID_RE = re.compile(r"^CID\d{6}$")
PLACEHOLDERS = {"smelter not listed", "smelter not yet identified"}  # the CMRT look-up's non-answers
_NUMBERS = re.compile(r"\d+")
_DROPPED = re.compile(r"[.'\u2019]")
_NON_WORD = re.compile(r"[\W_]+")
_CANDIDATES = 10


@dataclass(frozen=True)
class Match:
    cid: str | None
    method: str  # 'id', 'name', 'weak name', 'unresolved'
    score: float | None
    candidate: str | None  # the CID matched, or the weak match's CID for review
    alias: str | None  # the alias the name match (or candidate) was made on
    id_flag: str | None  # why a declared id was not used


class AliasIndex:
    """The aliases of each metal, normalised once."""

    def __init__(self, aliases: pd.DataFrame) -> None:
        self.by_metal: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for metal, group in aliases.groupby("metal"):
            rows = [(normalise_name(a), a, c) for a, c in zip(group["alias"], group["cid"], strict=True)]
            rows = [r for r in rows if r[0]]
            self.by_metal[metal] = ([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])

    def scores(self, metal: str, name: str) -> dict[str, tuple[float, str]]:
        """Best (score, alias) per CID for `name` among the metal's aliases."""
        processed, originals, cids = self.by_metal.get(metal, ([], [], []))
        query = normalise_name(name)
        if not query or not processed:
            return {}
        numbers = sorted(_NUMBERS.findall(query))
        near = {
            i
            for scorer in (fuzz.token_sort_ratio, fuzz.token_set_ratio)
            for _, _, i in process.extract(query, processed, scorer=scorer, processor=None, limit=_CANDIDATES)
        }
        best: dict[str, tuple[float, str]] = {}
        for i in near:
            score = fuzz.token_sort_ratio(query, processed[i])
            if fuzz.token_set_ratio(query, processed[i]) >= STRONG_MATCH:
                score = max(score, SUBSET_SCORE)  # one name's words all in the other: for review only
            if sorted(_NUMBERS.findall(processed[i])) != numbers:
                score = min(score, SUBSET_SCORE)
            if score > best.get(cids[i], (-1.0, ""))[0]:
                best[cids[i]] = (score, originals[i])
        return best


def normalise_name(name: str) -> str:
    """Lower case; dots and apostrophes dropped ('H.C.' = 'HC'); other punctuation a space; one space."""
    text = _DROPPED.sub("", name.lower())
    return " ".join(_NON_WORD.sub(" ", text).split())


def _text(value) -> str | None:
    """A cell from a DataFrame: None for missing (None, NaN, NA) or blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def normalise_cid(text: str | None) -> str | None:
    """'cid 003387 ' → 'CID003387'; None when blank."""
    if text is None:
        return None
    cleaned = re.sub(r"\s+", "", str(text)).upper()
    return cleaned or None


def _by_id(metal: str, declared: str | None, metals: dict[str, str]) -> tuple[str | None, str | None]:
    """(cid, None) when the declared id resolves, else (None, flag or None when nothing was declared)."""
    cid = normalise_cid(declared)
    if cid is None:
        return None, None
    if not CID_RE.match(cid):
        return None, f"not a CID (CID + 6 digits): {declared}"
    if cid not in metals:
        return None, f"CID not in core.smelters: {cid}"
    if metals[cid] != metal:
        return None, f"CID of another metal: {cid} is {metals[cid]}"
    return cid, None


def resolve_one(
    metal: str, declared_id: str | None, names: list[str], metals: dict[str, str], index: AliasIndex
) -> Match:
    cid, flag = _by_id(metal, declared_id, metals)
    if cid:
        return Match(cid, "id", 100.0, cid, None, None)
    best: dict[str, tuple[float, str]] = {}
    for name in names:
        if name and name.strip().lower() not in PLACEHOLDERS:
            for c, found in index.scores(metal, name).items():
                if found[0] > best.get(c, (-1.0, ""))[0]:
                    best[c] = found
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
    if not ranked:
        return Match(None, "unresolved", None, None, None, flag)
    top_cid, (top, alias) = ranked[0]
    runner_up = ranked[1][1][0] if len(ranked) > 1 else None
    top = round(top, 1)
    if top >= STRONG_MATCH and (runner_up is None or top - runner_up > AMBIGUITY_MARGIN):
        return Match(top_cid, "name", top, top_cid, alias, flag)
    if top >= WEAK_MATCH:
        return Match(None, "weak name", top, top_cid, alias, flag)
    return Match(None, "unresolved", top, None, None, flag)


def resolve_smelters(
    declared: pd.DataFrame, smelters: pd.DataFrame, aliases: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add cid, match_method, match_score, match_candidate, match_alias and id_flag to `declared`.

    `declared` has metal, smelter_id, smelter_name, smelter_lookup (and optionally id_input); `smelters` has
    cid, name, metal; `aliases` has metal, alias, cid (the smelters' own names when not given).
    """
    if aliases is None:
        aliases = smelters.rename(columns={"name": "alias"})[["metal", "alias", "cid"]]
    index = AliasIndex(aliases)
    metals = dict(zip(smelters["cid"], smelters["metal"], strict=True))
    has_input = "id_input" in declared.columns
    matches = [
        resolve_one(
            r.metal,
            _text(r.smelter_id) or (_text(r.id_input) if has_input else None),
            [_text(r.smelter_lookup), _text(r.smelter_name)],
            metals,
            index,
        )
        for r in declared.itertuples(index=False)
    ]
    out = declared.copy()
    out["cid"] = [m.cid for m in matches]
    out["match_method"] = [m.method for m in matches]
    out["match_score"] = pd.array([m.score for m in matches], dtype="Float64")
    out["match_candidate"] = [m.candidate for m in matches]
    out["match_alias"] = [m.alias for m in matches]
    out["id_flag"] = [m.id_flag for m in matches]
    return out
