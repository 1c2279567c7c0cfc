"""A supplier's RMI Conflict Minerals Reporting Template (.xlsx, revision 6.x): its Smelter List rows.

The "Smelter List" sheet has its header on row 4 and data from row 5, columns A-Q in a fixed order.
Columns are read by position: cached header labels may be in another language than English.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl

from ..warehouse.meta import FileStats
from .errors import InputError
from .registry import Format

SMELTER_SHEET = "Smelter List"
DECLARATION_SHEET = "Declaration"
FIRST_DATA_ROW = 5
METALS = ("Gold", "Tantalum", "Tin", "Tungsten")

# The English header labels of row 4, columns A-Q, as in the template.
HEADER_LABELS = (
    "Smelter Identification Number Input Column",
    "Metal (*)",
    "Smelter Look-up (*)",
    "Smelter Name (1)",
    "Smelter Country (*)",
    "Smelter Identification",
    "Source of Smelter Identification Number",
    "Smelter Street",
    "Smelter City",
    "Smelter Facility Location: State / Province",
    "Smelter Contact Name",
    "Smelter Contact Email",
    "Proposed next steps",
    'Name of Mine(s) or if recycled or scrap sourced, enter "recycled" or "scrap"',
    'Location (Country) of Mine(s) or if recycled or scrap sourced, enter "recycled" or "scrap"',
    "Does 100% of the smelter's feedstock originate from recycled or scrap sources?",
    "Comments",
)

# Column letter → staging column, from the CMRT 6.x Smelter List (A-Q).
COLUMNS = {
    "A": "id_input",
    "B": "metal",
    "C": "smelter_lookup",
    "D": "smelter_name",
    "E": "smelter_country",
    "F": "smelter_id",
    "G": "id_source",
    "H": "street",
    "I": "city",
    "J": "state_province",
    "K": "contact_name",
    "L": "contact_email",
    "M": "next_steps",
    "N": "mine_names",
    "O": "mine_countries",
    "P": "recycled",
    "Q": "comments",
}
STAGING_COLUMNS = (
    "file",
    "excel_row",
    "company_name",
    "metal",
    "smelter_lookup",
    "smelter_name",
    "smelter_country",
    "smelter_id",
    "id_source",
    "city",
    "mine_names",
    "mine_countries",
    "recycled",
    "comments",
)


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def company_name(workbook: openpyxl.Workbook, path: Path) -> str:
    """The declaring company: the value right of the 'Company Name' label, else cell D8 as in the template."""
    if DECLARATION_SHEET not in workbook.sheetnames:
        raise InputError(f"{path}: no '{DECLARATION_SHEET}' sheet; is this an RMI CMRT?")
    sheet = workbook[DECLARATION_SHEET]
    for row in sheet.iter_rows(min_row=1, max_row=40, max_col=10):
        cells = [_text(c.value) for c in row]
        for i, text in enumerate(cells):
            if text and text.lower().startswith("company name"):
                value = next((v for v in cells[i + 1 :] if v), None)
                if value:
                    return value
    value = _text(sheet["D8"].value)
    if not value:
        raise InputError(f"{path}: sheet '{DECLARATION_SHEET}' names no company (expected in D8)")
    return value


def read_smelter_list(path: Path) -> tuple[list[dict], list[dict]]:
    """(rows, rejects) of the Smelter List; each reject has excel_row, column_name and reason."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an xlsx
        raise InputError(f"{path}: cannot be opened as an .xlsx workbook: {exc}") from exc
    try:
        company = company_name(workbook, path)
        if SMELTER_SHEET not in workbook.sheetnames:
            raise InputError(f"{path}: no '{SMELTER_SHEET}' sheet; is this an RMI CMRT (revision 6.x)?")
        sheet = workbook[SMELTER_SHEET]
        rows, rejects = [], []
        for excel_row, values in enumerate(
            sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(COLUMNS), values_only=True), FIRST_DATA_ROW
        ):
            record = {name: _text(v) for name, v in zip(COLUMNS.values(), values, strict=False)}
            if not any(record.values()):
                continue  # the template's empty rows are not data
            reason = None
            if record["metal"] not in METALS:
                reason = (
                    "metal",
                    f"Metal (*) (column B): expected one of {', '.join(METALS)}, got {record['metal']!r}",
                )
            elif not (record["smelter_id"] or record["smelter_name"] or record["smelter_lookup"]):
                reason = ("smelter_name", "no smelter identification (F), name (D) or look-up (C)")
            if reason:
                rejects.append(
                    {
                        "excel_row": excel_row,
                        "column_name": reason[0],
                        "reason": reason[1],
                        "raw": json.dumps(record),
                    }
                )
                continue
            rows.append({"file": str(path), "excel_row": excel_row, "company_name": company, **record})
        return rows, rejects
    finally:
        workbook.close()


def load_cmrt(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    rows, rejects = read_smelter_list(path)
    cols = ", ".join(f"{c} {'INTEGER' if c == 'excel_row' else 'VARCHAR'}" for c in STAGING_COLUMNS)
    con.execute(f"create table if not exists staging.cmrt_smelter_list ({cols}, _file VARCHAR, _line BIGINT)")
    if rows:
        con.executemany(
            f"insert into staging.cmrt_smelter_list values ({', '.join('?' * (len(STAGING_COLUMNS) + 2))})",
            [[r.get(c) for c in STAGING_COLUMNS] + [str(path), r["excel_row"]] for r in rows],
        )
    if rejects:
        con.executemany(
            "insert into meta.rejects values (?, ?, 'staging.cmrt_smelter_list', ?, ?, ?, ?)",
            [[build_id, str(path), r["excel_row"], r["column_name"], r["reason"], r["raw"]] for r in rejects],
        )
    n = len(rows) + len(rejects)
    return FileStats(str(path), "rmi_cmrt", "staging.cmrt_smelter_list", n, len(rows), len(rejects))


def _detect(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return SMELTER_SHEET in workbook.sheetnames and DECLARATION_SHEET in workbook.sheetnames
    finally:
        workbook.close()


FORMAT = Format(
    name="rmi_cmrt",
    title="RMI Conflict Minerals Reporting Template (CMRT 6.x .xlsx) filled in by a supplier",
    tables=("staging.cmrt_smelter_list",),
    columns="sheets 'Declaration' (company name, D8) and 'Smelter List' (header row 4, columns A-Q)",
    detect=_detect,
    load=lambda con, path, build_id: [load_cmrt(con, path, build_id)],
    priority=10,
    example="minrisk ingest supplier_cmrt.xlsx",
)
