"""CEPII BACI's country-code file, a format of its own so that `minrisk ingest` detects it (the reader is in
baci.py, beside the flows it serves)."""

from __future__ import annotations

from .baci import CODES, detect_codes, load_baci_country_codes
from .registry import Format

FORMAT = Format(
    name="baci_country_codes",
    title="CEPII BACI country-code file (country_code, country_name, country_iso2, country_iso3)",
    tables=(CODES,),
    columns="country_code, country_name, country_iso3 (older: country_name_abbreviation, iso_3digit_alpha)",
    detect=detect_codes,
    load=lambda con, path, build_id: [load_baci_country_codes(con, path, build_id)],
    priority=30,
    example="minrisk ingest country_codes_V202501.csv",
)
