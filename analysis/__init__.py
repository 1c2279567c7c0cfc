"""minrisk: conflict-risk analysis of the tin, tantalum and tungsten supply chain of eastern DR Congo.

import analysis as mr
mr.build("datasets/warehouse.duckdb")           # from the bundled sample
wh = mr.open("datasets/warehouse.duckdb")       # read-only, analyst-friendly methods
wh.place_risk(as_of="2025-02-01")               # polars DataFrames
con = mr.connect("datasets/warehouse.duckdb")   # a plain DuckDB connection for SQL
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Warehouse, build, connect, open  # noqa: E402

__all__ = ["Warehouse", "__version__", "build", "connect", "open"]
