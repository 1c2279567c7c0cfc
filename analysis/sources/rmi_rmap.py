"""RMI's lists of smelters and refiners with their RMAP assessment status (the Conformant and the Active
facility lists, downloadable from responsiblemineralsinitiative.org as CSV or XLSX), or any list of that
shape.

Headers vary between downloads and years, so each column has the spellings seen or plausible (schema/rmi.yml:
`Smelter ID` / `Facility ID` / `CID`, `Assessment Status` / `RMAP Status` / `Status`, …). In a workbook every
sheet whose first rows hold such a header is read (a list per status or per metal), each row keeping its
sheet.
The status is kept as written; reference.rmap_status_map maps it to Conformant / Active / Not enrolled, and a
status the map does not know rejects the row (add it to the map, with a rationale, to accept it).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl

from ..schema import table
from ..sqlgen import Binds
from ..warehouse.meta import FileStats
from .csv_table import load_csv, load_raw_rows
from .errors import InputError
from .registry import Format
from .rmi_rows import (
    cell_text,
    cid_reason,
    find_columns,
    has_required,
    raw_rows_table,
    required_names,
    set_country_iso3,
)
from .text import peek_header

NAME = "rmi_rmap_facilities"
TABLE = "staging.rmi_rmap_facilities"
STATUS_MAP = "reference.rmap_status_map"
XLSX = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 15  # downloads put a title and a date above the header


def _header_row(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    spec = table(TABLE)
    for number, values in enumerate(rows, 1):
        found = find_columns([cell_text(v) for v in values], spec)
        if all(c.name in found for c in spec.columns if c.required):
            return number, found
    return None


def read_workbook(path: Path) -> list[tuple[int, dict]]:
    """(Excel row, {column: text, sheet}) of every sheet that has a facility-list header in its first rows."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an xlsx
        raise InputError(f"{path}: cannot be opened as an .xlsx workbook: {exc}") from exc
    records, sheets = [], 0
    try:
        for sheet in workbook.worksheets:
            found = _header_row(
                list(sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True))
            )
            if found is None:
                continue
            sheets += 1
            header_row, at = found
            for number, values in enumerate(
                sheet.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
            ):
                record = {name: cell_text(values[i]) if i < len(values) else None for name, i in at.items()}
                if any(record.values()):
                    records.append((number, {**record, "sheet": sheet.title}))
    finally:
        workbook.close()
    if not sheets:
        raise InputError(
            f"{path}: no sheet has a header naming {required_names(table(TABLE))} (or their aliases, "
            f"schema/rmi.yml) in its first {HEADER_SEARCH_ROWS} rows"
        )
    return records


def _extra_reasons(binds: Binds) -> list[str]:
    unknown = binds("status: not in reference.rmap_status_map (add it there with a rationale), got ")
    return [
        cid_reason(binds),
        f"case when status is not null and lower(trim(status)) not in "
        f"(select lower(trim(status)) from {STATUS_MAP}) then {unknown} || status end",
    ]


def load(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> list[FileStats]:
    spec = table(TABLE)
    if Path(path).suffix.lower() in XLSX:
        raw = raw_rows_table(con, spec, read_workbook(path))
        stats = load_raw_rows(con, raw, path, spec, build_id, NAME, extra_reasons=_extra_reasons)
    else:
        stats = load_csv(
            con, path, spec, build_id, NAME, allow_missing_optional=True, extra_reasons=_extra_reasons
        )
    return [set_country_iso3(con, TABLE, stats, build_id)]


def detect(path: Path) -> bool:
    if path.suffix.lower() in XLSX:
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            if "Declaration" in workbook.sheetnames:  # a CMRT: rmi_cmrt
                return False
            return any(
                _header_row(list(s.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True)))
                for s in workbook.worksheets
            )
        finally:
            workbook.close()
    return has_required(peek_header(path), table(TABLE))


FORMAT = Format(
    name=NAME,
    title="RMI RMAP facility list (Conformant / Active smelters and refiners with their status), CSV or XLSX",
    tables=(TABLE,),
    columns=(
        "Metal, Smelter ID (or Facility ID, CID), Standard Smelter Name (or Facility Name), Country, "
        "RMAP Status (or Assessment Status, Status); optional Status Date, City, State / Province"
    ),
    detect=detect,
    load=load,
    priority=25,
    example="minrisk ingest rmap_conformant_facilities.csv",
)
