"""Re-export attribution (Kastner, Kastner, Nonhebel and Erb 2011, Ecological Economics 70: 1032–1040).

A country's exports are a mix of its own production and its imports, in proportion to its supply. Solving
the mass balance over the whole trade matrix attributes every country's supply to countries of origin.
A country that exports more than it produces and imports has a deficit that no recorded source explains:
it enters as its own pseudo-origin, "unexplained via <country>" — the laundering indicator of DOMAIN.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

UNEXPLAINED = "_U"  # origin code prefix: "_U:RWA" = unexplained surplus exported via Rwanda


def origin_matrix(production: np.ndarray, Z: np.ndarray) -> np.ndarray:
    """M[k, j]: tonnes of origin k in the supply of country j (supply = production + imports).

    Mass balance: M = diag(p) + M · B with B = diag(1/x) · Z (the share of i's supply exported to j),
    so M = diag(p) · (I − B)⁻¹. `production` must already include any deficit (see attribute()).
    """
    x = production + Z.sum(axis=0)  # supply: own production + imports
    inv = np.divide(1.0, x, out=np.zeros_like(x, dtype=float), where=x > 0)
    B = inv[:, np.newaxis] * Z
    return np.diag(production) @ np.linalg.inv(np.eye(len(x)) - B)


def attribute(production: pd.Series, flows: pd.DataFrame) -> pd.DataFrame:
    """Origins of every country's supply and domestic use.

    production: tonnes by country code; flows: columns exporter, importer, tonnes (one commodity, one year).
    Returns one row per (country, origin): supply_t (origin's tonnes in the country's supply), share (of
    that supply), exports_t and use_t (what the country keeps: supply − exports, split by the same shares).
    A country whose exports exceed production + imports gets the deficit as origin "_U:<country>".
    """
    countries = sorted(set(production.index) | set(flows["exporter"]) | set(flows["importer"]))
    idx = {c: i for i, c in enumerate(countries)}
    n = len(countries)
    Z = np.zeros((n, n))
    for row in flows.itertuples(index=False):
        if row.exporter != row.importer:
            Z[idx[row.exporter], idx[row.importer]] += row.tonnes
    p = np.array([float(production.get(c, 0.0)) for c in countries])
    exports, imports = Z.sum(axis=1), Z.sum(axis=0)
    deficit = np.clip(exports - (p + imports), 0, None)  # exports no recorded source can cover
    # Each deficit is a pseudo-origin of its own: give it an extra column in the origin dimension.
    M = origin_matrix(p + deficit, Z)  # rows: origin country, cols: supplier country
    supply = p + deficit + imports
    rows = []
    for j, country in enumerate(countries):
        if supply[j] <= 0:
            continue
        for k, origin in enumerate(countries):
            amount = M[k, j]
            if amount <= 1e-12:
                continue
            own = p[k] / (p[k] + deficit[k]) if p[k] + deficit[k] > 0 else 0.0
            for code, part in ((origin, own), (f"{UNEXPLAINED}:{origin}", 1 - own)):
                if part * amount > 1e-12:
                    rows.append((country, code, part * amount))
    out = pd.DataFrame(rows, columns=["country", "origin", "supply_t"])
    totals = out.groupby("country")["supply_t"].transform("sum")
    out["share"] = out["supply_t"] / totals
    use = pd.Series(supply - exports, index=countries).clip(lower=0)
    out["use_t"] = out["share"] * out["country"].map(use)
    out["exports_t"] = out["share"] * out["country"].map(pd.Series(exports, index=countries))
    return out.sort_values(["country", "supply_t"], ascending=[True, False]).reset_index(drop=True)
