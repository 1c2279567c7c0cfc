"""The bundled sample is honest and reproducible: provenance for every file, synthetic rows flagged,
and the generated files exactly what their seeded scripts write."""

import csv
import subprocess
import sys
import tomllib

from .conftest import ROOT

SAMPLE = ROOT / "datasets" / "sample"


def test_every_sample_file_has_provenance():
    provenance = tomllib.loads((SAMPLE / "sources.toml").read_text())["files"]
    files = {p.name for p in SAMPLE.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert files == set(provenance)
    for name, entry in provenance.items():
        assert {"title", "producer", "licence", "method", "synthetic"} <= entry.keys(), name


def _rows(name: str) -> list[dict]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_synthetic_rows_are_flagged_everywhere():
    rows = _rows("events_synthetic.csv")
    assert rows and all(r["source"] == "synthetic" and r["notes"].startswith("SYNTHETIC") for r in rows)
    curated = _rows("events.csv")
    assert all(r["source"] == "curated" and r["source_ref"].strip() for r in curated)


def test_synthetic_events_never_carry_control_meaning():
    rows = _rows("events_synthetic.csv")
    control = {
        "Non-state actor overtakes territory",
        "Government regains territory",
        "Non-violent transfer of territory",
    }
    assert not [r for r in rows if r["sub_event_type"] in control]


def test_synthetic_generator_is_reproducible(tmp_path):
    out = tmp_path / "events_synthetic.csv"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "generate_synthetic_events.py"),
            "--sample-dir",
            str(SAMPLE),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == (SAMPLE / "events_synthetic.csv").read_bytes()


def test_example_cmrt_is_reproducible(tmp_path):
    out = tmp_path / "cmrt.xlsx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_example_cmrt.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == (SAMPLE / "example_buyer_cmrt.xlsx").read_bytes()


def test_every_reference_file_has_provenance():
    folder = ROOT / "datasets" / "reference"
    provenance = tomllib.loads((folder / "sources.toml").read_text())["files"]
    assert {p.name for p in folder.glob("*.csv")} == set(provenance)
