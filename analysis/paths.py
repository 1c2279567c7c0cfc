"""Where minrisk finds its inputs and writes its outputs by default."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SQL_DIR = PACKAGE_DIR / "sql"
SCHEMA_DIR = SQL_DIR / "schema"
DEFAULT_CONFIG = PACKAGE_DIR / "config" / "defaults.toml"

# Relative to the working directory, as the CLI documents: run minrisk from the project folder.
DEFAULT_DB = Path("datasets/warehouse.duckdb")
DEFAULT_REPORT = Path("reports/risk-report.html")


def project_dir() -> Path:
    """The checkout that holds datasets/: the working directory if it has one, else the package's parent."""
    cwd = Path.cwd()
    if (cwd / "datasets" / "sample").is_dir():
        return cwd
    return PACKAGE_DIR.parent


def sample_dir() -> Path:
    return project_dir() / "datasets" / "sample"


def reference_dir() -> Path:
    return project_dir() / "datasets" / "reference"
