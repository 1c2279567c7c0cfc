"""notebooks/analyst-walkthrough.ipynb runs top to bottom on the bundled sample (nbclient), without error."""

import os

import pytest

from .conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def test_walkthrough_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("MINRISK_DB", str(tmp_path / "walkthrough.duckdb"))
    notebook = nbformat.read(ROOT / "notebooks" / "analyst-walkthrough.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    client.execute(env=dict(os.environ))
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Goma" in text and "exposure" in text
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)  # figures render
