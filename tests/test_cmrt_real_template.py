"""The CMRT reader on RMI's own template (revision 6.5, ../shared/data), filled in by the test as a supplier
would: header on row 4, data from row 5, company name in the Declaration sheet. Skipped where absent."""

import shutil

import pytest

from analysis.sources.cmrt import read_smelter_list
from analysis.sources.errors import InputError

from .cmrt_writer import fill_template
from .conftest import SHARED_DATA

TEMPLATE = SHARED_DATA / "smelters" / "RMI_CMRT_6.5.xlsx"
pytestmark = pytest.mark.skipif(not TEMPLATE.exists(), reason=f"{TEMPLATE} not available")


def _filled(tmp_path, company, rows):
    return fill_template(TEMPLATE, tmp_path / "supplier_cmrt.xlsx", company, rows)


def test_filled_template_reads_company_and_rows(tmp_path):
    path = _filled(
        tmp_path,
        "Acme Capacitors GmbH",
        [
            {
                "A": "CID003387",
                "B": "Tin",
                "C": "Luna Smelter, Ltd.",
                "D": "Luna Smelter, Ltd.",
                "E": "RWANDA",
                "F": "CID003387",
                "O": "RWANDA; CONGO, DEMOCRATIC REPUBLIC OF THE",
                "P": "No",
            },
            {"B": "Tantalum", "C": "Smelter not listed", "D": "Some Unlisted Tantalum Co", "E": "CHINA"},
            {"B": "Copper", "D": "Not a 3TG metal", "E": "CHILE"},
        ],
    )
    rows, rejects = read_smelter_list(path)
    assert [r["company_name"] for r in rows] == ["Acme Capacitors GmbH"] * 2
    assert rows[0]["smelter_id"] == "CID003387" and rows[0]["mine_countries"].startswith("RWANDA;")
    assert rows[1]["smelter_name"] == "Some Unlisted Tantalum Co" and rows[1]["smelter_id"] is None
    assert [(r["excel_row"], r["column_name"]) for r in rejects] == [(7, "metal")]
    assert "expected one of Gold, Tantalum, Tin, Tungsten, got 'Copper'" in rejects[0]["reason"]


def test_unfilled_template_names_the_missing_company(tmp_path):
    path = tmp_path / "empty.xlsx"
    shutil.copyfile(TEMPLATE, path)
    with pytest.raises(InputError, match="names no company"):
        read_smelter_list(path)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("smelter,metal\n")
    with pytest.raises(InputError, match=r"fake\.xlsx: cannot be opened as an \.xlsx workbook"):
        read_smelter_list(path)
