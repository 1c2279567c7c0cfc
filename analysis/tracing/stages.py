"""Multi-tier propagation of origin risk through a stage graph (mine origin → supplying country → smelter →
buyer) with the Leontief algebra of analysis.tracing.iomath: A = Z·diag(1/x), L = (I − A)⁻¹, M = S·L.

Z[i, j] is the contained metal node i delivers to node j; x_j the node's throughput (its inputs, or its
output for an origin); F the risk emitted at the origins (risk × tonnes), so S is each origin's risk per
tonne and M[j] the risk per tonne of metal at node j, all tiers upstream included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .iomath import calc_A, calc_L, calc_M, calc_S


def stage_multipliers(edges: pd.DataFrame, origin_risk: pd.DataFrame) -> pd.DataFrame:
    """edges: source, target, tonnes (one metal); origin_risk: node, risk (the origins' risk per tonne).

    Returns one row per node: node, throughput_t, direct_risk (per tonne, origins only) and multiplier.
    """
    nodes = sorted(set(edges["source"]) | set(edges["target"]) | set(origin_risk["node"]))
    idx = {n: i for i, n in enumerate(nodes)}
    Z = np.zeros((len(nodes), len(nodes)))
    for row in edges.itertuples(index=False):
        Z[idx[row.source], idx[row.target]] += row.tonnes
    inputs, outputs = Z.sum(axis=0), Z.sum(axis=1)
    risk = np.zeros(len(nodes))
    for row in origin_risk.itertuples(index=False):
        risk[idx[row.node]] = row.risk
    is_origin = inputs <= 0
    x = np.where(is_origin, outputs, inputs)  # an origin's throughput is what it ships
    F = (risk * x * is_origin)[np.newaxis, :]
    S = calc_S(F, x)
    M = calc_M(S, calc_L(calc_A(Z, x)))
    return pd.DataFrame({"node": nodes, "throughput_t": x, "direct_risk": S[0], "multiplier": M[0]})
