"""The command line: help with examples, builds, reports, and clear errors with documented exit codes."""

import json
import subprocess
import sys

import pytest

from analysis.cli import EXIT_INPUT, EXIT_NO_WAREHOUSE, EXIT_USAGE, main

from .conftest import tiny_world


def test_help_has_examples_and_exit_codes():
    out = subprocess.run([sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "minrisk build --as-of 2025-02-01" in out.stdout and "exit codes" in out.stdout


@pytest.mark.parametrize("command", ["build", "report"])
def test_every_subcommand_takes_db(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "--db PATH" in capsys.readouterr().out


def test_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--as-of", "31/01/2025"])
    assert exit_.value.code == EXIT_USAGE
    assert "expected a date YYYY-MM-DD" in capsys.readouterr().err


def test_report_without_warehouse(tmp_path, capsys):
    assert main(["report", "--db", str(tmp_path / "none.duckdb")]) == EXIT_NO_WAREHOUSE
    assert "minrisk build" in capsys.readouterr().err


def test_build_with_bad_config(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[linking]\nradius = 3\n")
    assert main(["build", "--db", str(tmp_path / "w.duckdb"), "--config", str(cfg)]) == EXIT_INPUT
    assert "unknown parameter 'linking.radius'" in capsys.readouterr().err


def test_build_then_report_for_past_date_and_unknown_buyer(tmp_path, monkeypatch, capsys):
    sample, reference = tiny_world(tmp_path)
    monkeypatch.setattr("analysis.warehouse.build.default_sample_dir", lambda: sample)
    monkeypatch.setattr("analysis.warehouse.build.default_reference_dir", lambda: reference)
    db, out = tmp_path / "w.duckdb", tmp_path / "r.html"
    assert main(["build", "--db", str(db), "--quiet"]) == 0
    assert main(["report", "--db", str(db), "--out", str(out), "--as-of", "2024-12-31"]) == 0
    html = out.read_text()
    assert "2024-12-31" in html
    # the report for a past date did not change the warehouse's own as-of
    import duckdb

    assert (
        str(
            duckdb.connect(str(db), read_only=True)
            .execute("select as_of from marts.place_risk limit 1")
            .fetchone()[0]
        )
        == "2025-02-15"
    )
    assert main(["report", "--db", str(db), "--buyer", "Nobody Inc"]) == EXIT_USAGE
    assert "Tiny Buyer Ltd" in capsys.readouterr().err


def test_explain_a_buyer_and_a_place(tiny_db, capsys):
    assert main(["explain", "Tiny Buyer", "--db", str(tiny_db), "--format", "json"]) == 0
    parts = json.loads(capsys.readouterr().out)
    assert list(parts) == ["exposure", "origins", "smelters", "places", "events"]
    assert {r["metal"] for r in parts["exposure"]} == {"All", "Tantalum", "Tin"}
    assert main(["explain", "Alpha mine", "--db", str(tiny_db), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "Score" in out and "Alpha" in out
    assert main(["explain", "Atlantis", "--db", str(tiny_db)]) == EXIT_USAGE
