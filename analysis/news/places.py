"""Places named in a sentence, matched against a gazetteer: datasets/reference/gazetteer_aliases.csv (towns,
provinces and countries of the region, with aliases) plus the warehouse's own sites and hubs."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..paths import reference_dir

# geo precision on ACLED's scale: 1 the town itself, 3 a region (province); countries are not resolved
PRECISION = {"site": 1, "hub": 1, "city": 1, "town": 1, "admin1": 3}
# "1,600km west of Goma": Goma is a reference point, not where the event happened
_REFERENCE_POINT = re.compile(
    r"\d[\d,.]*\s*(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+){0,2}(?:of|from)\s+$", re.IGNORECASE
)


@dataclass(frozen=True)
class Place:
    alias: str
    name: str
    kind: str  # city, town, admin1, country, site, hub
    country_iso3: str
    admin1: str | None
    lat: float | None
    lon: float | None

    @property
    def resolved(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def geo_precision(self) -> int:
        return PRECISION.get(self.kind, 3)


def read_gazetteer(path: Path | None = None) -> tuple[Place, ...]:
    """The reference gazetteer, one Place per alias."""
    with open(path or reference_dir() / "gazetteer_aliases.csv", newline="", encoding="utf-8") as f:
        return tuple(
            Place(
                row["alias"],
                row["name"],
                row["kind"],
                row["country_iso3"],
                row["admin1"] or None,
                float(row["lat"]) if row["lat"] else None,
                float(row["lon"]) if row["lon"] else None,
            )
            for row in csv.DictReader(f)
        )


@cache
def default_gazetteer() -> tuple[Place, ...]:
    return read_gazetteer()


def _pattern(alias: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w-]){re.escape(alias)}(?![\w-])"
    )  # case-sensitive: place names are proper nouns


def find_places(sentence: str, gazetteer: tuple[Place, ...]) -> list[Place]:
    """Places named in the sentence, in order of appearance, longest alias first at a position; mentions that
    are only a distance reference ("1,600km west of Goma") are left out."""
    hits: dict[int, Place] = {}
    for place in sorted(gazetteer, key=lambda p: -len(p.alias)):
        for match in _pattern(place.alias).finditer(sentence):
            if _REFERENCE_POINT.search(sentence[: match.start()]):
                continue
            covered = any(s <= match.start() < s + len(p.alias) for s, p in hits.items())
            if not covered:
                hits[match.start()] = place
    return [hits[k] for k in sorted(hits)]


def best_place(places: list[Place]) -> Place | None:
    """Where the event happened: the first town or site named, else the first province, else the first
    country (unresolved: no coordinates)."""
    for kinds in (("site", "hub", "city", "town"), ("admin1",), ("country",)):
        for place in places:
            if place.kind in kinds:
                return place
    return None
