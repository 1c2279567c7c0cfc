"""A supplier's RMI Conflict Minerals Reporting Template (.xlsx, revision 6.x): its Smelter List rows.

The "Smelter List" sheet has its header on row 4 and data from row 5, columns A-Q in a fixed order. Columns
are read by position: cached header labels may be in another language than English, or absent; the header
row and the column order are checked by cmrt_layout (labels in any of the workbook's languages, then data).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import openpyxl

from .. import countries
from ..schema import table
from ..warehouse.meta import FileStats, record_rejects
from .cmrt_layout import Vocabulary, check_metal_column, header_row, normalise, vocabulary
from .csv_table import append_staging
from .errors import InputError
from .registry import Format

SMELTER_SHEET = "Smelter List"
DECLARATION_SHEET = "Declaration"
TABLE = "staging.cmrt_smelter_list"
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
# Mine countries are ';'-separated, or one per line; never split on ',' first: RMI's own country names carry
# one ('CONGO, DEMOCRATIC REPUBLIC OF THE').
MINE_COUNTRY_SEPARATORS = re.compile(r"[;\r\n]+")


def _text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def company_name(workbook: openpyxl.Workbook, path: Path, vocab: Vocabulary | None = None) -> str:
    """The declaring company: the value right of the 'Company Name' label (in any of the workbook's
    languages), else cell D8 as in the template."""
    if DECLARATION_SHEET not in workbook.sheetnames:
        raise InputError(f"{path}: no '{DECLARATION_SHEET}' sheet; is this an RMI CMRT?")
    labels = (vocab or Vocabulary()).company_labels
    sheet = workbook[DECLARATION_SHEET]
    for row in sheet.iter_rows(min_row=1, max_row=40, max_col=10):
        cells = [_text(c.value) for c in row]
        for i, text in enumerate(cells):
            if text and (normalise(text) in labels or text.lower().startswith("company name")):
                value = next((v for v in cells[i + 1 :] if v), None)
                if value:
                    return value
    value = _text(sheet["D8"].value)
    if not value:
        raise InputError(f"{path}: sheet '{DECLARATION_SHEET}' names no company (expected in D8)")
    return value


def recycled_answer(text: str | None, vocab: Vocabulary) -> bool | None:
    """Column P: Yes → True, No → False, blank, Unknown or anything else → None (the raw answer is kept)."""
    return vocab.answers.get(normalise(text)) if text else None


def split_mine_countries(text: str | None) -> tuple[list[str], list[str]]:
    """(ISO3 codes, names not recognised) of a CMRT mine-country cell: ';' or line breaks separate countries;
    a part that is no country but whose ','-separated pieces all are ('Rwanda, Uganda') is split on ','."""
    found, unknown = [], []
    for part in MINE_COUNTRY_SEPARATORS.split(text or ""):
        part = part.strip()
        if not part:
            continue
        code = countries.to_iso3(part)
        pieces = (
            [countries.to_iso3(p) for p in part.split(",") if p.strip()] if not code and "," in part else []
        )
        if code:
            found.append(code)
        elif pieces and all(pieces):
            found.extend(pieces)
        else:
            unknown.append(part)
    return sorted(set(found)), unknown


# Personal data of the smelter's contact person: not needed for the analysis, so never stored.
NOT_KEPT = ("contact_name", "contact_email")


def _reject(excel_row: int, column: str, reason: str, record: dict) -> dict:
    raw = {k: v for k, v in record.items() if k not in NOT_KEPT}
    return {"excel_row": excel_row, "column_name": column, "reason": reason, "raw": json.dumps(raw)}


def _check(record: dict) -> tuple[str, str] | None:
    """(column, reason) when a Smelter List row cannot be a declared smelter."""
    if record["metal"] not in METALS:
        return "metal", f"Metal (*) (column B): expected one of {', '.join(METALS)}, got {record['metal']!r}"
    if not (record["smelter_id"] or record["id_input"] or record["smelter_name"] or record["smelter_lookup"]):
        return "smelter_name", "no smelter identification (F or A), name (D) or look-up (C)"
    return None


def read_smelter_list(path: Path) -> tuple[list[dict], list[dict]]:
    """(rows, rejects) of the Smelter List; each reject has excel_row, column_name and reason."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an xlsx
        raise InputError(f"{path}: cannot be opened as an .xlsx workbook: {exc}") from exc
    try:
        vocab = vocabulary(workbook, HEADER_LABELS)
        company = company_name(workbook, path, vocab)
        if SMELTER_SHEET not in workbook.sheetnames:
            raise InputError(f"{path}: no '{SMELTER_SHEET}' sheet; is this an RMI CMRT (revision 6.x)?")
        sheet = workbook[SMELTER_SHEET]
        head = list(
            sheet.iter_rows(min_row=1, max_row=FIRST_DATA_ROW + 7, max_col=len(COLUMNS), values_only=True)
        )
        first = header_row(head, vocab, path)[0] + 1
        records = []
        for excel_row, values in enumerate(
            sheet.iter_rows(min_row=first, max_col=len(COLUMNS), values_only=True), first
        ):
            record = {name: _text(v) for name, v in zip(COLUMNS.values(), values, strict=False)}
            if any(record.values()):  # the template's empty rows are not data
                records.append((excel_row, record))
    finally:
        workbook.close()
    check_metal_column(records, METALS, path)
    rows, rejects = [], []
    for excel_row, record in records:
        canonical = next((m for m in METALS if m.lower() == (record["metal"] or "").lower()), None)
        record["metal"] = canonical or record["metal"]
        problem = _check(record)
        if problem:
            rejects.append(_reject(excel_row, *problem, record))
            continue
        flag = recycled_answer(record["recycled"], vocab)
        rows.append(
            {
                "file": str(path),
                "excel_row": excel_row,
                "company_name": company,
                **record,
                "recycled_flag": flag,
            }
        )
    return rows, rejects


def load_cmrt(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    rows, rejects = read_smelter_list(path)
    append_staging(con, table(TABLE), path, rows, line_key="excel_row")
    bad = [(r["excel_row"], r["column_name"], r["reason"], r["raw"]) for r in rejects]
    record_rejects(con, build_id, path, TABLE, bad)
    n = len(rows) + len(rejects)
    return FileStats(str(path), "rmi_cmrt", TABLE, n, len(rows), len(rejects))


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
    tables=(TABLE,),
    columns="sheets 'Declaration' (company name, D8) and 'Smelter List' (header row 4, columns A-Q)",
    detect=_detect,
    load=lambda con, path, build_id: [load_cmrt(con, path, build_id)],
    priority=10,
    example="minrisk ingest supplier_cmrt.xlsx",
)
