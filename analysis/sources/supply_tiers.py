"""User-provided supply tiers downstream of the declaring buyers: a CSV of (supplier, customer, metal, share)
rows, e.g. a buyer → a component maker → a brand (docs/formats/supply_tiers.md).

The share is the fraction of the customer's metal that comes from the supplier; marts.stage_multipliers turns
the rows into company nodes of the stage graph. Shares outside 0–1, unknown metals and a company supplying
itself are rejected row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..sqlgen import Binds
from ..warehouse.meta import FileStats
from .csv_table import load_csv
from .registry import Format
from .text import peek_header

NAME = "supply_tiers"
TABLE = "staging.supply_tiers"
DETECT = {"supplier", "customer", "share"}


def _extra_reasons(binds: Binds) -> list[str]:
    same = binds("customer: the same company as the supplier, got ")
    return [f"case when lower(trim(supplier)) = lower(trim(customer)) then {same} || customer end"]


def load(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> list[FileStats]:
    spec = table(TABLE)
    return [
        load_csv(con, path, spec, build_id, NAME, allow_missing_optional=True, extra_reasons=_extra_reasons)
    ]


def detect(path: Path) -> bool:
    if Path(path).suffix.lower() not in (".csv", ".tsv", ".txt"):
        return False
    return {h.strip() for h in peek_header(path)} >= DETECT


FORMAT = Format(
    name=NAME,
    title="Supply tiers beyond the CMRT buyers (supplier → customer shares of a metal), CSV",
    tables=(TABLE,),
    columns="supplier, customer, metal (Tin/Tantalum/Tungsten or Sn/Ta/W), share (0-1); optional tier_name, "
    "source_ref",
    detect=detect,
    load=load,
    priority=30,
    example="minrisk ingest tiers.csv",
)
