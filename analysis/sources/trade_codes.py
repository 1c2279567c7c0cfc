"""Country codes of trade statistics (UN Comtrade, CEPII BACI) → ISO 3166 alpha-3, and the 3T HS codes.

Both use UN M49-based numeric codes, mostly equal to ISO 3166 numeric. The exceptions (842 USA including
Puerto Rico, 490 'Other Asia, nes' = Taiwan, 899 'Areas, nes', 0 World, …) are data, in
reference.trade_country_codes with a rationale; every other code goes through country_converter.
"""

from __future__ import annotations

import logging
from functools import cache

import country_converter as coco
import duckdb
import pandas as pd

WORLD = "WLD"  # partner 'World': the total of a reporter's partner rows, never summed with them
UNKNOWN = "_X"  # 'Areas, nes' and other unspecified partners: unknown origin


@cache
def _iso_table() -> tuple[dict[int, str], frozenset[str]]:
    logging.getLogger("country_converter").setLevel(logging.ERROR)
    data = coco.CountryConverter().data[["ISO3", "ISOnumeric"]].dropna()
    return {int(n): str(c) for c, n in zip(data["ISO3"], data["ISOnumeric"], strict=True)}, frozenset(
        data["ISO3"]
    )


def is_iso3(code: str | None) -> bool:
    """True for an ISO 3166 alpha-3 code country_converter knows ('S19', 'W00' are not)."""
    return bool(code) and code.strip().upper() in _iso_table()[1]


def special_codes(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """reference.trade_country_codes as {numeric code: iso3}."""
    return dict(con.execute("select code, iso3 from reference.trade_country_codes").fetchall())


def resolve(code: int | None, iso: str | None, special: dict[int, str]) -> str | None:
    """ISO3 (or WLD / _X) of a trade-statistics country: the reference's exceptions first, then the file's
    own ISO column when it holds a real ISO3, then the numeric code as ISO 3166 numeric; None if none."""
    if code is not None and code in special:
        return special[code]
    if iso and is_iso3(iso):
        return iso.strip().upper()
    if code is not None:
        return _iso_table()[0].get(int(code))
    return None


def register_code_map(
    con: duckdb.DuckDBPyConnection, name: str, pairs: list[tuple[int | None, str | None]]
) -> None:
    """Temp table `name` (code, iso, iso3) mapping each distinct (code, ISO column) pair of a file."""
    special = special_codes(con)
    frame = pd.DataFrame(
        [(c, i, resolve(c, i, special)) for c, i in set(pairs)], columns=["code", "iso", "iso3"]
    ).astype({"code": "Int64", "iso": "string", "iso3": "string"})
    con.register("_code_frame", frame)
    con.execute(f"create or replace temp table {name} as select * from _code_frame")
    con.unregister("_code_frame")


def hs_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The HS codes of reference.metal_content (4 or 6 digits)."""
    return [
        r[0]
        for r in con.execute("select code from reference.metal_content where code_type = 'hs'").fetchall()
    ]
