"""Bad input: every bad row is rejected with file, line, column and reason; nothing is lost or half-loaded."""

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from analysis.schema import table
from analysis.sources.csv_table import load_csv
from analysis.sources.errors import InputError
from analysis.warehouse import meta
from analysis.warehouse.build import build

from .conftest import HERE, tiny_world

EVENTS = HERE / "fixtures" / "tiny" / "sample" / "events.csv"
SPEC = table("staging.sample_events")


def _cases():
    with open(HERE / "cases" / "bad_event_values.tsv", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _con():
    con = duckdb.connect()
    meta.create(con)
    return con


def _with_value(tmp_path: Path, line: int, column: str, value: str) -> Path:
    with open(EVENTS, newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[line - 2][column] = value
    out = tmp_path / "events.csv"
    with open(out, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    return out


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c['column']}={c['value']!r}")
def test_bad_value_is_rejected_with_its_reason(tmp_path, case):
    path = _with_value(tmp_path, 4, case["column"], case["value"])
    con = _con()
    stats = load_csv(con, path, SPEC, 1, "sample_csv")
    assert (stats.rows_read, stats.rows_loaded, stats.rows_rejected) == (7, 6, 1)
    line, column, reason = con.execute("select line, column_name, reason from meta.rejects").fetchone()
    assert (line, column) == (4, case["column"])
    assert case["expected_reason"] in reason
    assert con.execute("select count(*) from staging.sample_events").fetchone()[0] == 6


def test_duplicate_key_rejects_the_later_row(tmp_path):
    path = _with_value(tmp_path, 5, "event_id", "T-2")  # line 5 repeats line 3's id
    con = _con()
    stats = load_csv(con, path, SPEC, 1, "sample_csv")
    assert stats.rows_rejected == 1
    assert con.execute("select line, reason from meta.rejects").fetchone() == (
        5,
        "duplicate key (event_id) first seen on line 3",
    )


def test_missing_column_names_file_and_column(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS.read_text().replace("fatalities,", "deaths,", 1))
    with pytest.raises(InputError, match=r"events\.csv: missing column\(s\) fatalities"):
        load_csv(_con(), path, SPEC, 1, "sample_csv")


def test_a_build_with_a_broken_file_loses_nothing_and_keeps_the_old_warehouse(tmp_path):
    sample, reference = tiny_world(tmp_path / "w")
    db = tmp_path / "w.duckdb"
    build(db, sample_dir=sample, reference_dir=reference)
    first = db.read_bytes()
    (sample / "sites.csv").write_text("site_id,name\nS-1,only two columns\n")
    with pytest.raises(InputError, match="sites.csv: missing column"):
        build(db, sample_dir=sample, reference_dir=reference)
    assert db.read_bytes() == first  # the failed build did not touch the warehouse
    assert not list(tmp_path.glob("*.building*"))


def test_accounting_invariant_holds_for_every_file(tmp_path):
    sample, reference = tiny_world(tmp_path / "w")
    shutil.copyfile(_with_value(tmp_path, 3, "lat", "-123"), sample / "events.csv")
    db = tmp_path / "w.duckdb"
    build(db, sample_dir=sample, reference_dir=reference)
    con = duckdb.connect(str(db), read_only=True)
    files = con.execute("select path, rows_read, rows_loaded, rows_rejected from meta.files").fetchall()
    assert all(read == loaded + rejected for _, read, loaded, rejected in files)
    rejected = con.execute("select path, line, column_name from meta.rejects").fetchall()
    assert rejected == [(str(sample / "events.csv"), 3, "lat")]
    # CMRT rows are counted too
    assert any(p.endswith(".xlsx") and read == 4 for p, read, _, _ in files)
