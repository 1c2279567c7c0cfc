"""Actors named in a sentence, as ACLED-style names (datasets/reference/news_actor_aliases.csv). A generic
mention ("the rebels") stands for the rebel group the article names."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import reference_dir

GENERIC_REBEL = "@rebel"
UNIDENTIFIED = "Unidentified Armed Group (Democratic Republic of Congo)"


@dataclass(frozen=True)
class Alias:
    alias: str
    actor: str
    kind: str


def read_aliases(path: Path | None = None) -> tuple[Alias, ...]:
    with open(path or reference_dir() / "news_actor_aliases.csv", newline="", encoding="utf-8") as f:
        return tuple(Alias(r["alias"], r["actor"], r["kind"]) for r in csv.DictReader(f))


@cache
def default_aliases() -> tuple[Alias, ...]:
    return read_aliases()


def _matches(text: str, aliases: tuple[Alias, ...]) -> list[tuple[int, Alias]]:
    found = []
    for a in aliases:
        # acronyms are case-sensitive ("AFC" not "afc"); common nouns match any case
        flags = 0 if a.alias.isupper() or a.alias[0].isupper() and a.kind != "generic" else re.IGNORECASE
        for m in re.finditer(rf"(?<![\w-]){re.escape(a.alias)}(?![\w-])", text, flags):
            found.append((m.start(), a))
    return sorted(found, key=lambda x: x[0])


def article_rebel(text: str, aliases: tuple[Alias, ...]) -> str:
    """The rebel group an article is about: the one it names most often (first named on a tie)."""
    counts: dict[str, int] = {}
    for _, a in _matches(text, aliases):
        if a.kind == "rebel":
            counts[a.actor] = counts.get(a.actor, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else UNIDENTIFIED


def find_actors(sentence: str, aliases: tuple[Alias, ...], rebel: str = UNIDENTIFIED) -> list[str]:
    """Distinct actors in order of first mention; generic rebels become `rebel`."""
    actors: list[str] = []
    for _, a in _matches(sentence, aliases):
        name = rebel if a.actor == GENERIC_REBEL else a.actor
        if name not in actors:
            actors.append(name)
    return actors
