"""Input-output algebra on numpy arrays (after pymrio's iomath: calc_A, calc_L, multipliers).

Pure functions: arrays in, arrays out, no I/O. Nodes are the stages of a supply graph (mines, hubs,
exporting countries, smelters, buyers); Z[i, j] is the flow from node i to node j, x the node totals.
"""

from __future__ import annotations

import numpy as np


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Technical coefficients A = Z · diag(1/x): the share of node j's total that came from node i.

    Nodes with x = 0 get a zero column (nothing flows through them), not a division by zero.
    """
    inv = np.divide(1.0, x, out=np.zeros_like(x, dtype=float), where=x != 0)
    return Z * inv[np.newaxis, :]


def calc_L(A: np.ndarray) -> np.ndarray:
    """Leontief inverse L = (I − A)⁻¹."""
    return np.linalg.inv(np.eye(A.shape[0]) - A)


def calc_x(Z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Node totals: what flows on to other nodes plus final demand, x = Z·1 + y."""
    return Z.sum(axis=1) + y


def calc_S(F: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Intensities S = F · diag(1/x): e.g. risk units per tonne passing through each node."""
    inv = np.divide(1.0, x, out=np.zeros_like(x, dtype=float), where=x != 0)
    return F * inv[np.newaxis, :]


def calc_M(S: np.ndarray, L: np.ndarray) -> np.ndarray:
    """Multipliers M = S · L: the risk embodied per tonne delivered by each node, all tiers upstream."""
    return S @ L
