"""Adding the user's own files: format detection, meta.inputs, unchanged files, new versions, errors."""

import duckdb
import pytest

from analysis.cli import EXIT_INPUT, main
from analysis.sources import registry
from analysis.sources.errors import InputError
from analysis.warehouse.build import build
from analysis.warehouse.inputs import ingest

from .cmrt_writer import write_cmrt
from .conftest import TINY_AS_OF, tiny_world

ROWS = [{"metal": "Tantalum", "name": "Tiny Tantalum Works", "cid": "CID900001"}]


@pytest.fixture
def world(tmp_path):
    sample, reference = tiny_world(tmp_path / "w")
    db = tmp_path / "w.duckdb"
    build(db, as_of=TINY_AS_OF, sample_dir=sample, reference_dir=reference)
    return db, {"sample_dir": sample, "reference_dir": reference}


def _buyers(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(
            con.execute(
                "select b.name, count(s.excel_row) from core.buyers b left join core.buyer_smelters s "
                "using (buyer_id) group by all"
            ).fetchall()
        )
    finally:
        con.close()


def test_ingest_adds_then_ignores_unchanged_then_replaces_new_version(world, tmp_path):
    db, kw = world
    cmrt = write_cmrt(tmp_path / "acme.xlsx", "Acme Capacitors", ROWS)
    result, notes = ingest(db, [cmrt], **kw)
    assert result is not None and result.as_of == TINY_AS_OF  # the requested as-of is kept
    assert any("format rmi_cmrt (detected from its headers)" in n for n in notes)
    assert _buyers(db)["Acme Capacitors"] == 1

    result, notes = ingest(db, [cmrt], **kw)
    assert result is None and any("unchanged (same sha256)" in n for n in notes)

    write_cmrt(cmrt, "Acme Capacitors", ROWS * 3)  # the supplier sends a new version
    result, notes = ingest(db, [cmrt], **kw)
    assert any("new version" in n for n in notes)
    assert _buyers(db)["Acme Capacitors"] == 3  # replaced, not added to


def test_same_content_under_another_name_is_not_loaded_twice(world, tmp_path):
    db, kw = world
    first = write_cmrt(tmp_path / "a.xlsx", "Acme", ROWS)
    ingest(db, [first], **kw)
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(first.read_bytes())
    result, notes = ingest(db, [copy], **kw)
    assert result is None and any("already ingested" in n for n in notes)


def test_registered_input_that_disappears_is_named(world, tmp_path):
    db, kw = world
    cmrt = write_cmrt(tmp_path / "gone.xlsx", "Gone Ltd", ROWS)
    ingest(db, [cmrt], **kw)
    cmrt.unlink()
    other = write_cmrt(tmp_path / "other.xlsx", "Other Ltd", ROWS)
    with pytest.raises(InputError, match="gone.xlsx"):
        ingest(db, [other], **kw)


def test_unknown_and_undetectable_formats(tmp_path):
    with pytest.raises(InputError, match="unknown format 'nope'"):
        registry.get("nope")
    odd = tmp_path / "odd.csv"
    odd.write_text("alpha,beta\n1,2\n")
    with pytest.raises(InputError, match=r"odd\.csv: format not recognised .* Pass --format NAME"):
        registry.detect(odd)


def test_cli_build_with_user_file_only_then_rejects_and_sources(tmp_path, capsys):
    cmrt = write_cmrt(tmp_path / "s.xlsx", "Solo Buyer", ROWS + [{"metal": "Copper", "name": "X"}])
    db = tmp_path / "solo.duckdb"
    assert main(["build", "--db", str(db), "--no-sample", "--with", str(cmrt), "--quiet"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from core.events").fetchone()[0] == 0
    assert con.execute("select name from core.buyers").fetchall() == [("Solo Buyer",)]
    con.close()
    assert main(["rejects", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "s.xlsx" in out and "Copper" in out
    assert main(["sources"]) == 0
    assert "rmi_cmrt" in capsys.readouterr().out


def test_cli_ingest_of_an_unreadable_file(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("alpha,beta\n1,2\n")
    assert main(["ingest", str(bad), "--db", str(tmp_path / "x.duckdb")]) == EXIT_INPUT
    assert "format not recognised" in capsys.readouterr().err
