"""minrisk: conflict-risk analysis of the tin, tantalum and tungsten supply chain of eastern DR Congo.

import analysis as mr
result = mr.build("datasets/warehouse.duckdb")
con = mr.connect("datasets/warehouse.duckdb")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import build, connect  # noqa: E402

__all__ = ["__version__", "build", "connect"]
