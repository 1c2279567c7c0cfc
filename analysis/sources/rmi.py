"""RMI's smelter look-up: every name the supply chain uses for a smelter or refiner (its aliases), with the
facility's standard name, country and RMI smelter id (CID).

It ships inside every CMRT as the sheet "Smelter Look-up" (header on row 4, columns A-I: metal, alias,
standard name, country, smelter id, source of id, street, city, state/province; data from row 5) and is often
passed around as a CSV. A CSV is recognised by its header; a CMRT workbook is recognised as the supplier's
declaration (format rmi_cmrt), so its look-up sheet is read only when asked for:
`--format rmi_smelter_lookup`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl

from ..schema import table
from ..warehouse.meta import FileStats
from .csv_table import load_csv, load_raw_rows
from .errors import InputError
from .registry import Format
from .rmi_rows import (
    CID_RE,
    METALS,
    cell_text,
    cid_reason,
    find_columns,
    has_required,
    raw_rows_table,
    required_names,
    set_country_iso3,
)
from .text import peek_header

NAME = "rmi_smelter_lookup"
TABLE = "staging.rmi_smelter_lookup"
SHEET = "Smelter Look-up"
XLSX = (".xlsx", ".xlsm")
# The sheet's columns A-I in the template (its cached labels may be in any of its languages, or absent).
SHEET_COLUMNS = (
    "metal",
    "smelter_lookup_alias",
    "standard_smelter_name",
    "country",
    "smelter_id",
    "source_of_id",
    "street",
    "city",
    "state_province",
)
HEADER_SEARCH_ROWS = 20


def _is_data(values: tuple) -> bool:
    """A look-up data row by position: a 3TG metal in column A and a CID in column E."""
    return (
        len(values) >= 5 and cell_text(values[0]) in METALS and bool(CID_RE.match(cell_text(values[4]) or ""))
    )


def sheet_layout(rows: list[tuple], path: Path) -> tuple[int, dict[str, int]]:
    """(header row, column → position) of a look-up sheet, from the first rows.

    English labels are matched by name; otherwise (labels in another language, or formulas without cached
    values) the template's positions A-I hold when the first data row has a metal in A and a CID in E.
    """
    spec = table(TABLE)
    for number, values in enumerate(rows, 1):
        found = find_columns([cell_text(v) for v in values], spec)
        if all(c.name in found for c in spec.columns if c.required):
            return number, found
        if _is_data(values):
            return number - 1, {name: i for i, name in enumerate(SHEET_COLUMNS)}
    raise InputError(
        f"{path}: sheet '{SHEET}' has neither a header naming {required_names(spec)} nor, in its first "
        f"{HEADER_SEARCH_ROWS} rows, a data row with a metal in column A and a smelter id (CID) in column E"
    )


def read_sheet(path: Path) -> list[tuple[int, dict]]:
    """(Excel row, {column: text}) for every non-empty row under the header of the look-up sheet."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an xlsx
        raise InputError(f"{path}: cannot be opened as an .xlsx workbook: {exc}") from exc
    try:
        if SHEET not in workbook.sheetnames:
            raise InputError(f"{path}: no sheet '{SHEET}'; the workbook has {', '.join(workbook.sheetnames)}")
        sheet = workbook[SHEET]
        head = list(sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True))
        header_row, at = sheet_layout(head, path)
        records = []
        for number, values in enumerate(
            sheet.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1
        ):
            record = {name: cell_text(values[i]) if i < len(values) else None for name, i in at.items()}
            if any(record.values()):
                records.append((number, record))
        return records
    finally:
        workbook.close()


def load(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> list[FileStats]:
    spec = table(TABLE)
    if Path(path).suffix.lower() in XLSX:
        raw = raw_rows_table(con, spec, read_sheet(path))
        stats = load_raw_rows(con, raw, path, spec, build_id, NAME, extra_reasons=lambda b: [cid_reason(b)])
    else:
        stats = load_csv(
            con,
            path,
            spec,
            build_id,
            NAME,
            allow_missing_optional=True,
            extra_reasons=lambda b: [cid_reason(b)],
        )
    return [set_country_iso3(con, TABLE, stats, build_id)]


def detect(path: Path) -> bool:
    if path.suffix.lower() in XLSX:
        # A standalone look-up workbook; a CMRT (with its Declaration) is the supplier's declaration instead.
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            return SHEET in workbook.sheetnames and "Declaration" not in workbook.sheetnames
        finally:
            workbook.close()
    return has_required(peek_header(path), table(TABLE))


FORMAT = Format(
    name=NAME,
    title="RMI smelter look-up: aliases → standard name, country, CID (CSV, or a CMRT's look-up sheet)",
    tables=(TABLE,),
    columns=(
        "metal, smelter_lookup_alias, standard_smelter_name, country, smelter_id (+ source_of_id, street, "
        f"city, state_province); or the sheet '{SHEET}' of a CMRT .xlsx (pass --format {NAME})"
    ),
    detect=detect,
    load=load,
    priority=20,
    example=f"minrisk ingest rmi_smelter_lookup.csv  |  minrisk ingest RMI_CMRT_6.5.xlsx --format {NAME}",
)
