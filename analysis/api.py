"""The small public surface for notebooks and scripts."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .paths import DEFAULT_DB
from .warehouse.build import BuildResult
from .warehouse.build import build as _build


def build(db_path: Path | str = DEFAULT_DB, **kwargs) -> BuildResult:
    """Build the warehouse from the bundled sample; see `analysis.warehouse.build.build` for options."""
    return _build(db_path, **kwargs)


def connect(db_path: Path | str = DEFAULT_DB, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a built warehouse (read-only by default, so a running build can swap in a new file)."""
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no warehouse here; build one with `minrisk build --db {path}`")
    return duckdb.connect(str(path), read_only=read_only)
