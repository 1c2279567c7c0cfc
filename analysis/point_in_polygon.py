"""Which points lie inside a GeoJSON Polygon or MultiPolygon: ray casting with the even-odd rule.

A point is inside when a ray from it crosses the area's rings (outer boundaries and holes alike) an odd
number of times, so holes and the parts of a MultiPolygon need no special case. Coordinates are treated as
planar (lon, lat), which is exact enough for zones drawn by hand on a web map. Points exactly on an edge
may fall on either side.
"""

from __future__ import annotations

import numpy as np


def rings(geometry: dict) -> list[np.ndarray]:
    """Every ring of a Polygon or MultiPolygon as an (n, 2) array of [lon, lat], closed."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for polygon in polygons:
        for ring in polygon:
            points = np.asarray([pt[:2] for pt in ring], dtype=float)
            if not np.array_equal(points[0], points[-1]):
                points = np.vstack([points, points[:1]])
            out.append(points)
    return out


def points_in_shape(lat: np.ndarray, lon: np.ndarray, geometry: dict) -> np.ndarray:
    """Boolean array: is (lat[i], lon[i]) inside the Polygon or MultiPolygon `geometry`?"""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    inside = np.zeros(lat.shape, dtype=bool)
    all_rings = rings(geometry)
    if not all_rings or lat.size == 0:
        return inside
    corners = np.vstack(all_rings)
    box = (
        (lon >= corners[:, 0].min())
        & (lon <= corners[:, 0].max())
        & (lat >= corners[:, 1].min())
        & (lat <= corners[:, 1].max())
    )
    idx = np.flatnonzero(box)
    if idx.size == 0:
        return inside
    px, py = lon[idx, None], lat[idx, None]
    crossings = np.zeros(idx.size, dtype=int)
    for ring in all_rings:
        x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
        straddles = (y1 > py) != (y2 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
        crossings += np.count_nonzero(straddles & (px < x_at), axis=1)
    inside[idx] = crossings % 2 == 1
    return inside
