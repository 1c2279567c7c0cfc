"""Write a small workbook in the RMI CMRT 6.x layout (Declaration + Smelter List, header on row 4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from analysis.sources.cmrt import HEADER_LABELS as HEADER

FIELDS = [
    "id_input",
    "metal",
    "lookup",
    "name",
    "country",
    "cid",
    "id_source",
    "street",
    "city",
    "state",
    "contact",
    "email",
    "next_steps",
    "mines",
    "mine_countries",
    "recycled",
    "comments",
]


def write_cmrt(path: Path, company: str, rows: list[dict]) -> Path:
    wb = openpyxl.Workbook()
    decl = wb.active
    decl.title = "Declaration"
    decl["B8"], decl["D8"] = "Company Name (*):", company
    sheet = wb.create_sheet("Smelter List")
    sheet["A1"] = "Smelter List"
    for col, label in enumerate(HEADER, 1):
        sheet.cell(row=4, column=col, value=label)
    for r, row in enumerate(rows, 5):
        for col, field in enumerate(FIELDS, 1):
            sheet.cell(row=r, column=col, value=row.get(field))
    wb.save(path)
    return path


def fill_template(template: Path, path: Path, company: str, rows: list[dict]) -> Path:
    """A copy of RMI's own CMRT template filled in as a supplier would: Declaration!D8 and Smelter List
    cells from row 5, each row a {column letter: value} dict."""
    shutil.copyfile(template, path)
    wb = openpyxl.load_workbook(path)
    wb["Declaration"]["D8"] = company
    sheet = wb["Smelter List"]
    for r, values in enumerate(rows, 5):
        for col, value in values.items():
            sheet[f"{col}{r}"] = value
    wb.save(path)
    return path
