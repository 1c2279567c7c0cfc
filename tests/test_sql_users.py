"""SQL users and scripts: the real duckdb command-line client on the warehouse, `minrisk sql`, `minrisk
alerts`, reading while a build runs, and the README's own examples."""

import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from analysis.cli import main
from analysis.warehouse.build import build

from .conftest import ROOT

CLI = shutil.which("duckdb", path=str(Path(sys.executable).parent)) or shutil.which("duckdb")


def _duckdb_cli(db: Path, sql: str) -> str:
    if not CLI:
        pytest.skip("the duckdb command-line client (pip package duckdb-cli) is not installed")
    out = subprocess.run([CLI, "-readonly", "-csv", str(db), "-c", sql], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_macros_work_in_the_duckdb_cli(sample_db):
    hubs = _duckdb_cli(
        sample_db,
        "select name, controlled_by from marts.place_risk_at(DATE '2025-02-01') "
        "where place_kind = 'hub' order by score desc limit 3",
    )
    assert "Goma" in hubs and "M23" in hubs
    exposure = _duckdb_cli(
        sample_db,
        "select metal, round(exposure, 1) from marts.buyer_exposure_at("
        "'Example Electronics Ltd (fictitious example buyer)', DATE '2025-03-01')",
    )
    assert exposure.splitlines()[0].startswith("metal") and "All" in exposure


def test_readme_sql_examples_run_in_the_duckdb_cli(sample_db):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, flags=re.S)
    statements = [
        s.strip()
        for block in blocks
        for s in block.split(";")
        if s.strip() and not all(line.strip().startswith("--") for line in s.strip().splitlines())
    ]
    assert len(statements) >= 4
    for statement in statements:
        assert _duckdb_cli(sample_db, statement).count("\n") >= 2, statement  # a header and rows


def test_readme_python_example_runs(sample_db):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, flags=re.S).group(1)
    code = block.replace('mr.build("datasets/warehouse.duckdb")', "None").replace(
        '"datasets/warehouse.duckdb"', repr(str(sample_db))
    )
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example


def test_minrisk_sql_formats(sample_db, tmp_path, capsys):
    query = "select name, score from marts.place_risk order by score desc limit 2"
    assert main(["sql", query, "--db", str(sample_db), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and set(rows[0]) == {"name", "score"}
    assert (
        main(["sql", query, "--db", str(sample_db), "--format", "csv", "--out", str(tmp_path / "r.csv")]) == 0
    )
    assert (tmp_path / "r.csv").read_text().startswith("name,score\n")
    parquet = tmp_path / "r.parquet"
    assert main(["sql", query, "--db", str(sample_db), "--format", "parquet", "--out", str(parquet)]) == 0
    assert duckdb.execute("select count(*) from read_parquet(?)", [str(parquet)]).fetchone()[0] == 2
    assert main(["sql", "select * from nowhere", "--db", str(sample_db)]) == 2
    assert "query failed" in capsys.readouterr().err


def test_minrisk_alerts_as_json(sample_db, capsys):
    assert (
        main(
            [
                "alerts",
                "--db",
                str(sample_db),
                "--since",
                "2025-01-01",
                "--as-of",
                "2025-02-15",
                "--type",
                "control",
                "--format",
                "json",
            ]
        )
        == 0
    )
    alerts = json.loads(capsys.readouterr().out)
    taken = {a["subject_name"] for a in alerts if a["direction"] == "up"}
    assert "Goma" in taken and all(a["alert_type"] == "control" for a in alerts)


def test_build_json_for_scripts(tmp_path, capsys):
    assert main(["build", "--db", str(tmp_path / "w.duckdb"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["build_id"] == 1 and all(
        f["rows_read"] == f["rows_loaded"] + f["rows_rejected"] for f in summary["files"]
    )


def test_reading_while_a_build_runs(tmp_path):
    db = tmp_path / "w.duckdb"
    build(db)
    reader = duckdb.connect(str(db), read_only=True)
    before = reader.execute("select count(*) from marts.place_risk").fetchone()[0]
    errors, results = [], []

    def rebuild():
        try:
            results.append(build(db))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    thread = threading.Thread(target=rebuild)
    thread.start()
    while thread.is_alive():  # the reader keeps working on the old file while the new one is written
        assert reader.execute("select count(*) from marts.place_risk").fetchone()[0] == before
    thread.join()
    assert not errors and results[0].build_id == 2
    reader.close()
    with duckdb.connect(str(db), read_only=True) as fresh:
        assert fresh.execute("select max(build_id) from meta.builds").fetchone()[0] == 2


def test_readme_terminal_examples_run(sample_db, tmp_path, monkeypatch, capsys):
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Terminal and scripts", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if "|" not in line]
    commands = [c for c in commands if c and c[0] == "minrisk"]
    assert len(commands) >= 4
    monkeypatch.chdir(tmp_path)  # --out files land here
    for argv in commands:
        assert main([*argv[1:], "--db", str(sample_db)]) == 0, argv
    assert (tmp_path / "exposure.csv").read_text().startswith("as_of,buyer_id")
