"""What-if scenarios on the bundled sample: a captured place raises exposure, an offline mine changes it,
and the user's warehouse is never changed."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from analysis.cli import main
from analysis.tracing.whatif import whatif


def _row(frame, metal):
    return frame.filter(frame["metal"] == metal).row(0, named=True)


def test_rubaya_captured_raises_tantalum_exposure(sample_db):
    # As of 2024-04-01 M23 has not yet taken Rubaya (30 April 2024 in the sample): capture it a month early.
    out = whatif(sample_db, captured=["Rubaya"], as_of=date(2024, 4, 1))
    ta = _row(out, "Tantalum")
    assert ta["exposure_after"] > ta["exposure_before"]
    assert ta["change"] == pytest.approx(ta["exposure_after"] - ta["exposure_before"])
    with duckdb.connect(str(sample_db), read_only=True) as con:
        sources = {r[0] for r in con.execute("select distinct source from core.events").fetchall()}
    assert "whatif" not in sources  # the scenario ran on a copy


def test_bisie_offline_changes_tin_exposure(sample_db):
    out = whatif(sample_db, offline=["Bisie"], as_of=date(2025, 3, 15))
    tin, ta = _row(out, "Tin"), _row(out, "Tantalum")
    assert tin["change"] != pytest.approx(0.0)  # the largest tin mine's low risk no longer dilutes DRC's
    assert ta["change"] == pytest.approx(0.0)  # Bisie produces no tantalum


def test_unknown_place_is_an_error(sample_db):
    with pytest.raises(ValueError, match="no site or hub matches"):
        whatif(sample_db, offline=["Atlantis"])


def test_cli_whatif(sample_db, capsys):
    code = main(
        [
            "whatif",
            "--captured",
            "Rubaya",
            "--as-of",
            "2024-04-01",
            "--db",
            str(sample_db),
            "--format",
            "json",
        ]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["metal"] for r in rows} == {"All", "Tantalum", "Tin"}
    assert main(["whatif", "--db", str(sample_db)]) != 0  # no place given
