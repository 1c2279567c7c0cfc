#!/usr/bin/env python3
"""Write datasets/sample/example_buyer_cmrt.xlsx: a FICTITIOUS buyer's CMRT.

The workbook follows the layout of the RMI Conflict Minerals Reporting Template
revision 6.x (sheet "Declaration" with the company name in D8; sheet "Smelter List"
with its header on row 4, columns A-Q, data from row 5). It is built from scratch
with openpyxl: nothing is copied from the RMI template. The company is invented;
the smelters are real RMI facilities (CIDs from datasets/sample/smelters.csv), and
the mine and recycled-feed entries are illustrative declarations, not facts about
those smelters.

Deterministic: fixed document properties (2025-06-30) and fixed timestamps inside
the zip container, so the file is byte-identical on every run.

Usage (from the repository root)::

    .venv/bin/python scripts/make_example_cmrt.py [--out PATH]
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from analysis.sources.cmrt import HEADER_LABELS

FIXED = datetime(2025, 6, 30, 0, 0, 0)
COMPANY = "Example Electronics Ltd (fictitious example buyer)"
NOTE = "Fictitious company compiled by minrisk for the bundled sample"

HEADER = HEADER_LABELS

ILLUSTRATIVE = "Illustrative entry in a fictitious CMRT (minrisk sample); not a statement about this smelter."

# (CID or "", metal, look-up value, name, country, city, state/province,
#  mines, mine countries, recycled, comment)
ROWS = [
    (
        "CID003387",
        "Tin",
        "Luna Smelter, Ltd.",
        "Luna Smelter, Ltd.",
        "RWANDA",
        "Kigali",
        "City of Kigali",
        "Rutongo; Musha",
        "RWANDA; CONGO, DEMOCRATIC REPUBLIC OF THE",
        "No",
        ILLUSTRATIVE,
    ),
    (
        "CID001277",
        "Tantalum",
        "Ningxia Orient Tantalum Industry Co., Ltd.",
        "Ningxia Orient Tantalum Industry Co., Ltd.",
        "CHINA",
        "Shizuishan City",
        "Ningxia Huizi Zizhiqu",
        "",
        "",
        "No",
        "",
    ),
    (
        "CID000914",
        "Tantalum",
        "JiuJiang JinXin Nonferrous Metals Co., Ltd.",
        "JiuJiang JinXin Nonferrous Metals Co., Ltd.",
        "CHINA",
        "Jiujiang",
        "Jiangxi Sheng",
        "",
        "",
        "No",
        "",
    ),
    (
        "CID002557",
        "Tantalum",
        "Global Advanced Metals Boyertown",
        "Global Advanced Metals Boyertown",
        "UNITED STATES OF AMERICA",
        "Boyertown",
        "Pennsylvania",
        "Wodgina",
        "AUSTRALIA",
        "No",
        ILLUSTRATIVE,
    ),
    (
        "CID001105",
        "Tin",
        "Malaysia Smelting Corporation (MSC)",
        "Malaysia Smelting Corporation (MSC)",
        "MALAYSIA",
        "Butterworth",
        "Pulau Pinang",
        "",
        "",
        "No",
        "",
    ),
    ("CID001898", "Tin", "Thaisarco", "Thaisarco", "THAILAND", "Amphur Muang", "Phuket", "", "", "No", ""),
    (
        "CID001482",
        "Tin",
        "PT Timah Tbk Mentok",
        "PT Timah Tbk Mentok",
        "INDONESIA",
        "Mentok",
        "Kepulauan Bangka Belitung",
        "",
        "",
        "No",
        "",
    ),
    (
        "CID002180",
        "Tin",
        "Tin Smelting Branch of Yunnan Tin Co., Ltd.",
        "Tin Smelting Branch of Yunnan Tin Co., Ltd.",
        "CHINA",
        "Gejiu",
        "Yunnan Sheng",
        "",
        "",
        "No",
        "",
    ),
    (
        "CID001142",
        "Tin",
        "Metallic Resources, Inc.",
        "Metallic Resources, Inc.",
        "UNITED STATES OF AMERICA",
        "Twinsburg",
        "Ohio",
        "recycled",
        "recycled",
        "Yes",
        ILLUSTRATIVE,
    ),
    # Name only, no identification number: exercises name resolution (standard name "Minsur", CID001182).
    (
        "",
        "Tin",
        "Smelter not listed",
        "Minsur S.A. (Pisco smelter)",
        "PERU",
        "Paracas",
        "Ica",
        "",
        "",
        "No",
        "Supplier gave the name only; smelter id to be resolved",
    ),
]


def build() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Declaration"
    ws["B2"] = "Conflict Minerals Reporting Template (CMRT) - layout of revision 6.5"
    ws["B2"].font = Font(bold=True, size=14)
    ws["B4"] = NOTE
    ws["B6"] = "Mandatory fields are marked with an asterisk (*)."
    labels = [
        (8, "Company Name (*):", COMPANY),
        (9, "Declaration Scope or Class (*):", "A. Company"),
        (10, "Description of Scope:", "All products of the company (fictitious)"),
        (11, "Company Unique ID:", "EXAMPLE-0001"),
        (12, "Company Unique ID Authority:", "minrisk sample (fictitious)"),
        (13, "Address:", "1 Example Street, Exampletown (fictitious)"),
        (14, "Contact Name (*):", "A. Example (fictitious)"),
        (15, "Email - Contact (*):", "compliance@example.com"),
        (16, "Phone - Contact (*):", "+00 000 000 000"),
        (17, "Authorizer (*):", "B. Example (fictitious)"),
        (18, "Title - Authorizer:", "Head of Compliance"),
        (19, "Email - Authorizer (*):", "compliance@example.com"),
        (20, "Phone - Authorizer (*):", "+00 000 000 000"),
        (21, "Effective Date (*):", date(2025, 6, 30)),
        (22, "Note:", NOTE),
    ]
    for row, label, value in labels:
        ws.cell(row=row, column=3, value=label).font = Font(bold=True)
        c = ws.cell(row=row, column=4, value=value)
        if isinstance(value, date):
            c.number_format = "yyyy-mm-dd"
    ws.column_dimensions["C"].width = 38
    ws.column_dimensions["D"].width = 60

    sl = wb.create_sheet("Smelter List")
    sl["A1"] = "Smelter List - Conflict Minerals Reporting Template, layout of revision 6.5"
    sl["A1"].font = Font(bold=True, size=13)
    sl["A2"] = (
        "Instructions: enter one smelter per row from row 5. Give the RMI smelter identification number "
        "(CID) where known; otherwise select 'Smelter not listed' and enter the name and country."
    )
    sl["A3"] = "Fields marked (*) are mandatory. " + NOTE + "."
    for col, h in enumerate(HEADER, start=1):
        c = sl.cell(row=4, column=col, value=h)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, (cid, metal, lookup, name, country, city, state, mines, mine_c, recycled, comment) in enumerate(
        ROWS, start=5
    ):
        values = [
            cid,
            metal,
            lookup,
            name,
            country,
            cid,
            "RMI" if cid else "",
            "",
            city,
            state,
            "",
            "",
            "",
            mines,
            mine_c,
            recycled,
            comment,
        ]
        for col, v in enumerate(values, start=1):
            sl.cell(row=i, column=col, value=v if v != "" else None)
    for col in range(1, len(HEADER) + 1):
        sl.column_dimensions[sl.cell(row=4, column=col).column_letter].width = 24

    props = wb.properties
    props.creator = "minrisk contributors"
    props.title = "Example buyer CMRT (fictitious)"
    props.created = FIXED
    props.modified = FIXED
    props.lastModifiedBy = "minrisk contributors"
    return wb


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx container with fixed entry timestamps (and fixed modified date)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl may stamp the save time into dcterms:modified; pin it.
                payload = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2025-06-30T00:00:00Z\g<2>",
                    payload,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=(2025, 6, 30, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, payload)
    return out.getvalue()


def main() -> None:
    here = Path(__file__).resolve().parent
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--out", type=Path, default=here.parent / "datasets" / "sample" / "example_buyer_cmrt.xlsx"
    )
    args = p.parse_args()
    buf = io.BytesIO()
    build().save(buf)
    args.out.write_bytes(normalise_zip(buf.getvalue()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
