"""`minrisk report KIND`: default file names, subjects, past dates, usage errors and the PNG export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from analysis.reports import export


@pytest.fixture
def in_tmp(sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder holding a copy of the sample warehouse (reports/ lands there)."""
    shutil.copyfile(sample_db, tmp_path / "w.duckdb")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "w.duckdb"


@pytest.mark.parametrize(
    ("argv", "written"),
    [
        ([], "reports/risk-report.html"),
        (["buyer"], "reports/buyer-example-electronics-ltd-fictitious-example-buyer.html"),
        (["region"], "reports/region-eastern-drc.html"),
        (["region", "--region", "KIVUS"], "reports/region-kivus.html"),
        (["place", "--place", "Goma"], "reports/place-goma.html"),
    ],
)
def test_default_output_names(in_tmp: Path, capsys: pytest.CaptureFixture, argv: list, written: str) -> None:
    assert main(["report", *argv, "--db", str(in_tmp)]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"report: {written}"
    assert (in_tmp.parent / written).stat().st_size > 100_000


def test_past_as_of_and_explicit_out(in_tmp: Path) -> None:
    out = in_tmp.parent / "deep" / "bukavu.html"
    argv = ["report", "place", "--place", "h-cod-bukavu", "--as-of", "2025-01-15", "--db", str(in_tmp)]
    assert main([*argv, "--out", str(out)]) == EXIT_OK
    html = out.read_text(encoding="utf-8")
    assert '<time datetime="2025-01-15">' in html and "Hub dossier: Bukavu" in html
    assert "No armed group holds it now." in html  # M23/AFC took Bukavu a month later


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["place"], "needs --place NAME"),
        (["place", "--place", "Bukavo"], "unknown place 'Bukavo'; did you mean: Bukavu (H-COD-BUKAVU)"),
        (["region", "--region", "Atlantis"], "unknown region 'Atlantis'"),
        (["buyer", "--place", "Goma"], "--place does not apply to `minrisk report buyer`"),
    ],
)
def test_usage_errors(in_tmp: Path, capsys: pytest.CaptureFixture, argv: list, message: str) -> None:
    assert main(["report", *argv, "--db", str(in_tmp)]) == EXIT_USAGE
    assert message in capsys.readouterr().err


def test_png_without_a_browser_is_a_clear_error(
    in_tmp: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "find_browser", lambda: None)
    assert main(["report", "region", "--png", "--db", str(in_tmp)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "PNG export needs Chrome or Chromium" in err and "the HTML report was written" in err
    assert (in_tmp.parent / "reports" / "region-eastern-drc.html").is_file()
    assert not list((in_tmp.parent / "reports").glob("*.png"))


def test_find_browser_honours_browser_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    assert export.find_browser() is None


def test_png_export_writes_every_figure(in_tmp: Path, capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("kaleido")
    if export.find_browser() is None:
        pytest.skip("no Chrome or Chromium for kaleido")
    assert main(["report", "place", "--place", "Goma", "--png", "--db", str(in_tmp)]) == EXIT_OK
    pngs = sorted((in_tmp.parent / "reports").glob("place-goma-*.png"))
    assert [p.name for p in pngs] == [
        "place-goma-02-where-it-is-and-what-it-trades-with.png",
        "place-goma-03-score-and-its-parts-last-24-months.png",
        "place-goma-04-events-nearby-last-730-days.png",
    ]
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert capsys.readouterr().out.count("figure: ") == 3
