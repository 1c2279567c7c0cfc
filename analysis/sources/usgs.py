"""USGS Mineral Commodity Summaries: world mine production by country, tonnes of contained metal.

Two layouts. Wide, as the MCS table is transcribed: `commodity, country, production_2024_t,
production_2025e_t, …, production_2024_raw, …, units, source_edition, source_pdf` (a year column ending in
'e' holds estimates; `_raw` keeps the printed string, `_t` a number). Long: `country, year, commodity (or
metal), tonnes, units`. Either is unpivoted to one staging row per (country, commodity, year). Printed
values follow the MCS conventions: '—' zero, 'W' withheld, 'NA' not available, '<1' less than one unit,
'1,300' thousands separators. Withheld and unavailable values load as NULL tonnes with a flag, never as 0.
The tables are small, so this reader works row by row in Python.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb

from ..countries import to_iso3
from ..schema import table
from ..warehouse.meta import FileStats, record_rejects
from .csv_table import append_staging
from .errors import InputError
from .registry import Format
from .text import peek_header, prepare
from .trade_codes import is_iso3

TABLE = "staging.usgs_production"
METALS = ("Sn", "Ta", "W")
YEAR_COLUMN = re.compile(r"^production_(\d{4})(e?)_(t|raw)$")
DASHES = {"—", "–", "-", "--"}  # MCS prints a dash for zero
AMOUNT = re.compile(
    r"^(?P<op>[<>])?\s*(?P<e1>e)?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*(?P<e2>e)?$"
)
UNITS = re.compile(
    r"^metric tons?\s+(?:of\s+)?(?P<what>[a-z ]*?)\s*content$|^(?:tonnes|metric tons) of contained metal$"
)
# The table's non-country rows.
WORLD = re.compile(r"^world\b", re.I)
OTHERS = re.compile(r"^other countries\b", re.I)
OTHERS_EXCLUSION = (
    "'Other countries' is the sum of unnamed producers, not an origin: kept here so the table adds up to "
    "the world total, not in core.production"
)
TRUE_WORDS = ("true", "yes", "1", "e")
FOOTNOTE = re.compile(r"[\s\d¹²³⁴⁵⁶⁷⁸⁹⁰,*]+$")  # 'United States³', 'China 4'


def parse_amount(raw: str) -> tuple[float | None, str | None, bool]:
    """(tonnes, flag, printed as an estimate) of one printed MCS value; ValueError when it is none."""
    text = raw.strip()
    if text in DASHES:
        return 0.0, "zero", False
    if text.upper() == "W":
        return None, "withheld", False
    if text.upper() in ("NA", ""):
        return None, "not_available", False
    match = AMOUNT.match(text)
    if not match:
        raise ValueError(f"expected a number, '—', 'W', 'NA' or '<N', got {raw!r}")
    value = float(match["num"].replace(",", "") + (match["frac"] or ""))
    estimated = bool(match["e1"] or match["e2"])
    if match["op"] == "<":
        return value / 2, "less_than", estimated  # somewhere in [0, N): the middle
    if match["op"] == ">":
        return value, "at_least", estimated
    return value, None, estimated


def _number(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _disagrees(number: float | None, tonnes: float | None, flag: str | None) -> bool:
    """The transcribed number (`_t`) contradicts the printed value: another figure, or a figure where
    the print says W or NA (0 beside W / NA is how some transcriptions write a blank)."""
    if number is None:
        return False
    if flag in (None, "zero"):
        return abs(number - (tonnes or 0)) > 0.5
    return tonnes is None and number != 0


def _country(label: str) -> tuple[str | None, str | None]:
    """(iso3, exclusion) of a row label."""
    name = FOOTNOTE.sub("", label.strip())
    if WORLD.match(name):
        return "WLD", None
    if OTHERS.match(name):
        return "_O", OTHERS_EXCLUSION
    code = to_iso3(name)
    return (code, None) if is_iso3(code) else (None, None)


def _values(record: dict[str, str], layout: str, years: dict) -> list[tuple[int, bool, str, float | None]]:
    """(year, estimate column, printed value, numeric column value) of each year of one line."""
    if layout == "long":
        year = (record.get("year") or "").strip()
        if not re.fullmatch(r"\d{4}e?", year):
            raise ValueError(f"year: expected YYYY, got {year!r}")
        estimate = year.endswith("e") or (record.get("estimate") or "").strip().lower() in TRUE_WORDS
        return [(int(year[:4]), estimate, record.get("tonnes") or "", None)]
    out = []
    for (year, estimate), cols in sorted(years.items()):
        raw = record.get(cols.get("raw", ""), "") or ""
        number = record.get(cols.get("t", ""), "") or ""
        printed = raw if raw.strip() else number
        out.append((year, estimate, printed, _number(number) if raw.strip() else None))
    return out


def _line_rows(record: dict, layout: str, years: dict, metals: dict[str, str]) -> list[dict]:
    """The staging rows of one line; ValueError('column: why') when the line cannot load."""
    commodity = (record.get("commodity") or record.get("metal") or "").strip()
    metal = commodity if commodity in METALS else metals.get(commodity.lower())
    if metal is None:
        raise ValueError(
            f"commodity: {commodity!r} is not in reference.commodity_metals (tantalum, tin, tungsten)"
        )
    units = (record.get("units") or "").strip()
    match = UNITS.match(units.lower())
    if not match:
        raise ValueError(
            f"units: expected metric tons of contained metal ('metric tons … content'), got {units!r}"
        )
    what = (match["what"] or "").strip()
    if what and what in metals and metals[what] != metal:
        raise ValueError(f"units: {units!r} do not match commodity {commodity!r}")
    label = (record.get("country") or "").strip()
    iso3, exclusion = _country(label)
    if iso3 is None:
        raise ValueError(f"country: {label!r} is not a country country_converter knows")
    rows = []
    for year, estimate_col, printed, number in _values(record, layout, years):
        try:
            tonnes, flag, estimated = parse_amount(printed)
        except ValueError as exc:
            raise ValueError(f"production_{year}: {exc}") from None
        if _disagrees(number, tonnes, flag):
            raise ValueError(
                f"production_{year}: the number {number:g} disagrees with the printed value {printed!r}"
            )
        rows.append(
            {
                "country": label,
                "country_iso3": iso3,
                "commodity": commodity,
                "metal": metal,
                "year": year,
                "tonnes": tonnes,
                "estimate": estimate_col or estimated,
                "flag": flag,
                "raw": printed.strip(),
                "units": units,
                "basis": "contained metal",
                "source_edition": (record.get("source_edition") or "").strip() or None,
                "source_pdf": (record.get("source_pdf") or "").strip() or None,
                "layout": layout,
                "exclusion": exclusion,
            }
        )
    return rows


def _layout(header: list[str], path: Path) -> tuple[str, dict]:
    years: dict[tuple[int, bool], dict[str, str]] = {}
    for name in header:
        if m := YEAR_COLUMN.match(name):
            years.setdefault((int(m[1]), m[2] == "e"), {})[m[3]] = name
    names = set(header)
    has_metal = bool({"commodity", "metal"} & names)
    if years and has_metal and {"country", "units"} <= names:
        return "wide", years
    if {"country", "year", "tonnes", "units"} <= names and has_metal:
        return "long", {}
    raise InputError(
        f"{path}: not a USGS production table: needs commodity (or metal), country, units and either "
        "production_YYYY[e]_t / production_YYYY[e]_raw columns or year and tonnes; "
        f"the file has: {', '.join(header)}"
    )


def read_table(path: Path, metals: dict[str, str]) -> tuple[list[dict], list[dict], int]:
    """(staging rows, rejected lines, data lines read) of one USGS file."""
    text = prepare(path)
    try:
        with open(text.path, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter=text.delimiter)
            header = [h.strip().lower() for h in next(reader)]
            layout, years = _layout(header, path)
            rows, rejects, seen, read = [], [], {}, 0
            for values in reader:
                if not any(v.strip() for v in values):
                    continue
                read += 1
                line = reader.line_num
                record = dict(zip(header, values, strict=False))
                try:
                    line_rows = _line_rows(record, layout, years, metals)
                    for r in line_rows:
                        key = (r["country_iso3"], r["metal"], r["year"])
                        if key in seen:
                            raise ValueError(
                                f"country: duplicate of line {seen[key]} for {key[0]} {key[1]} {key[2]}"
                            )
                except ValueError as exc:
                    column, _, _ = str(exc).partition(":")
                    rejects.append(
                        {"line": line, "column": column, "reason": str(exc), "raw": json.dumps(record)}
                    )
                    continue
                for r in line_rows:
                    seen[(r["country_iso3"], r["metal"], r["year"])] = line
                    rows.append({**r, "_line": line})
    finally:
        if text.path != Path(path):
            text.path.unlink(missing_ok=True)
    return rows, rejects, read


def load_usgs(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Load one USGS production table into staging.usgs_production; bad lines into meta.rejects."""
    metals = dict(
        con.execute("select lower(trim(commodity)), metal from reference.commodity_metals").fetchall()
    )
    rows, rejects, read = read_table(path, metals)
    append_staging(con, table(TABLE), path, rows)
    bad = [(r["line"], r["column"], r["reason"], r["raw"]) for r in rejects]
    record_rejects(con, build_id, path, TABLE, bad)
    return FileStats(str(path), "usgs", TABLE, read, read - len(rejects), len(rejects))


def _detect(path: Path) -> bool:
    header = set(peek_header(path))
    wide = any(YEAR_COLUMN.match(h) for h in header) and "country" in header
    return wide and "units" in header and bool({"commodity", "metal"} & header)


FORMAT = Format(
    name="usgs",
    title="USGS Mineral Commodity Summaries world mine production table (tonnes of contained metal)",
    tables=(TABLE,),
    columns="commodity, country, production_YYYY[e]_t and/or production_YYYY[e]_raw, units "
    "(or long: country, year, commodity, tonnes, units)",
    detect=_detect,
    load=lambda con, path, build_id: [load_usgs(con, path, build_id)],
    priority=40,
    example="minrisk ingest usgs_mcs2026_world_mine_production_tantalum_tin.csv",
)
