"""Country names and codes, from country_converter (a maintained table), plus the project's pseudo-codes."""

from __future__ import annotations

import logging
from functools import cache

import country_converter as coco

# Pseudo-origins: not countries, but places metal can come from in a declaration or a trade table.
PSEUDO = {"_X": "Unknown origin", "_R": "Recycled or scrap", "WLD": "World"}
RECYCLED_WORDS = {"recycled", "scrap", "recycled/scrap", "recycled or scrap"}
_NOT_FOUND = "<not a country>"


@cache
def _converter() -> coco.CountryConverter:
    logging.getLogger("country_converter").setLevel(logging.ERROR)  # we report misses ourselves
    return coco.CountryConverter()


def to_iso3(name: str) -> str | None:
    """ISO 3166 alpha-3 for a country name or code in any common spelling (RMI writes 'CONGO, DEMOCRATIC
    REPUBLIC OF THE'); '_R' for recycled or scrap; None when the name is not a country."""
    text = name.strip()
    if text.lower() in RECYCLED_WORDS:
        return "_R"
    if text in PSEUDO:
        return text
    # country_converter hands an unknown name back unchanged when not_found is None or '' ('Unknown' →
    # 'Unknown'); a marker that is never a code tells the two apart.
    code = _converter().convert(text, to="ISO3", not_found=_NOT_FOUND)
    return code if isinstance(code, str) and code != _NOT_FOUND else None


def names(iso3_codes: list[str]) -> dict[str, str]:
    real = [c for c in iso3_codes if c not in PSEUDO]
    converted = _converter().convert(real, src="ISO3", to="name_short", not_found=None) if real else []
    if isinstance(converted, str):
        converted = [converted]
    out = {c: n or c for c, n in zip(real, converted, strict=True)}
    out.update({c: PSEUDO[c] for c in iso3_codes if c in PSEUDO})
    return out
