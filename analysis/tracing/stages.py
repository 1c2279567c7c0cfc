"""Multi-tier propagation of risk through a stage graph (mine site → hubs → origin → supplying country →
smelter → buyer → further companies) with the Leontief algebra of analysis.tracing.iomath:
A = Z·diag(1/x), L = (I − A)⁻¹, M = S·L.

Z[i, j] is the contained metal node i delivers to node j; x_j the node's throughput (its inputs, or its
output for a node with none); F the risk emitted at each node (risk per tonne × tonnes), so S is the risk a
node adds per tonne and M[j] the risk per tonne of metal at node j, all tiers upstream included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from .iomath import calc_A, calc_L, calc_M, calc_S

EDGE_COLUMNS = ["metal", "source", "target", "tonnes"]


def flow_matrix(edges: pd.DataFrame, extra_nodes=()) -> tuple[list[str], np.ndarray]:
    """The sorted node names and Z[i, j], the tonnes node i delivers to node j (parallel edges add up)."""
    nodes = sorted(set(edges["source"]) | set(edges["target"]) | set(extra_nodes))
    idx = {n: i for i, n in enumerate(nodes)}
    Z = np.zeros((len(nodes), len(nodes)))
    rows = edges["source"].map(idx).to_numpy(dtype=int)
    cols = edges["target"].map(idx).to_numpy(dtype=int)
    np.add.at(Z, (rows, cols), edges["tonnes"].to_numpy(dtype=float))
    return nodes, Z


def stage_multipliers(edges: pd.DataFrame, node_risk: pd.DataFrame) -> pd.DataFrame:
    """edges: source, target, tonnes (one metal); node_risk: node, risk (the risk each listed node adds per
    tonne passing it: an origin's risk, a site's score, what a hub adds).

    Returns one row per node: node, throughput_t, direct_risk (per tonne) and multiplier.
    """
    nodes, Z = flow_matrix(edges, extra_nodes=node_risk["node"])
    idx = {n: i for i, n in enumerate(nodes)}
    inputs, outputs = Z.sum(axis=0), Z.sum(axis=1)
    risk = np.zeros(len(nodes))
    for row in node_risk.itertuples(index=False):
        risk[idx[row.node]] = row.risk
    x = np.where(
        inputs > 0, inputs, outputs
    )  # a node without inputs (a site, an origin) passes what it ships
    F = (risk * x)[np.newaxis, :]
    S = calc_S(F, x)
    M = calc_M(S, calc_L(calc_A(Z, x)))
    return pd.DataFrame({"node": nodes, "throughput_t": x, "direct_risk": S[0], "multiplier": M[0]})


def closed_cycles(edges: pd.DataFrame) -> list[list[str]]:
    """Groups of nodes that get all their metal from each other (a cycle no origin feeds): there, I − A is
    singular and no multiplier exists. A cycle that metal enters from outside is fine: Leontief solves it."""
    nodes, Z = flow_matrix(edges)
    n, labels = connected_components(Z > 0, directed=True, connection="strong")
    closed = []
    for component in range(n):
        members = np.flatnonzero(labels == component)
        inside = Z[np.ix_(members, members)]
        cyclic = len(members) > 1 or inside[0, 0] > 0
        if cyclic and np.isclose(inside.sum(axis=0), Z[:, members].sum(axis=0)).all():
            closed.append([nodes[i] for i in members])
    return closed


def site_hub_edges(paths: pd.DataFrame, origin_tonnes: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tiers above an origin: mine site → first hub → … → the hub where the metal leaves the chain →
    'origin:<country>' (pure: frames in, frames out).

    paths: one row per step of marts.site_path_risk_at joined to marts.site_weights (metal, origin, site_id,
    site_share, path_no, step, place_id, share, increment). origin_tonnes: (metal, origin) → tonnes the origin
    ships in the graph; its sites share them by weight. A hub is a node per country of origin
    ('hub:<id>@<origin>'), so metal of different origins is not pooled at a hub (each origin keeps its own
    risk). Returns the edges (metal, source, target, tonnes) and each site's and hub's node_risk (metal, node,
    risk): the score increments of site_path_risk_at per tonne passing the node.
    """
    if paths.empty:
        return pd.DataFrame(columns=EDGE_COLUMNS), pd.DataFrame(columns=["metal", "node", "risk"])
    p = paths.sort_values(["metal", "site_id", "path_no", "step"]).copy()
    keys = pd.MultiIndex.from_arrays([p["metal"], p["origin"]])
    p["tonnes"] = p["site_share"] * p["share"] * origin_tonnes.reindex(keys).fillna(1.0).to_numpy()
    p["node"] = np.where(p["step"] == 0, "site:" + p["place_id"], "hub:" + p["place_id"] + "@" + p["origin"])
    path = [p["metal"], p["site_id"], p["path_no"]]
    p["target"] = p.groupby(path)["node"].shift(-1).fillna("origin:" + p["origin"])
    edges = p.rename(columns={"node": "source"})[EDGE_COLUMNS]
    emitted = p.assign(points=p["tonnes"] * p["increment"]).groupby(["metal", "node"], as_index=False)
    risk = emitted[["points", "tonnes"]].sum()
    risk["risk"] = risk["points"] / risk["tonnes"].where(risk["tonnes"] > 0)
    return edges, risk[["metal", "node", "risk"]].fillna({"risk": 0.0})
