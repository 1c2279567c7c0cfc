"""Load the features of a GeoJSON FeatureCollection into a declared table: one feature, one row.

A feature's properties are matched to the table's columns by name or alias (case-insensitive), like a CSV
header; a Point geometry gives the `lat` and `lon` columns (GeoJSON order is [lon, lat]), and a feature
without geometry may still carry them as properties. A table with a `geometry` column takes areas instead:
the Polygon or MultiPolygon, as GeoJSON text. Values are then validated and loaded exactly as a
CSV's are (csv_table.load_raw_rows): each row lands in the table or in meta.rejects with its reasons, and
`line` is the feature's position in the file (1-based), so rows read = rows loaded + rows rejected holds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd

from ..schema import Table
from ..sqlgen import quote_ident
from ..warehouse.meta import FileStats, record_rejects
from .csv_table import ExtraReasons, header_mapping, load_raw_rows
from .errors import InputError

GEOMETRY_COLUMNS = ("lat", "lon")
SHAPE_COLUMN = "geometry"
_HEAD = 65536


def looks_like_geojson(path: Path) -> bool:
    """Cheap: the file starts with a JSON object that mentions features."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"features"' in head


def first_property_names(path: Path) -> set[str]:
    """Lower-cased property names of the first feature, from the file's first 64 KB (format detection)."""
    with open(path, "rb") as fh:
        head = fh.read(_HEAD).decode("utf-8", errors="replace")
    start = head.find('"features"')  # a "crs" member before the features has "properties" too
    found = re.compile(r'"properties"\s*:\s*\{').search(head, max(start, 0))
    if start < 0 or not found:
        return set()
    try:
        props, _ = json.JSONDecoder().raw_decode(head, found.end() - 1)
    except ValueError:
        return set()
    return {str(k).strip().lower() for k in props} if isinstance(props, dict) else set()


def read_features(path: Path) -> list:
    """The features of a FeatureCollection; whole-file problems raise InputError."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable GeoJSON file: {exc}") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError(f"{path}: expected a GeoJSON FeatureCollection, got {str(data)[:60]!r}")
    features = data.get("features")
    if not isinstance(features, list):
        raise InputError(f"{path}: the FeatureCollection has no 'features' list")
    return features


def _text(value) -> str | None:
    """A property value as the text a CSV would hold: 150.0 → '150', true → 'true', objects as JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _point(geometry) -> tuple[str | None, str | None, str | None]:
    """(lat, lon, problem) of a feature's geometry; no geometry is not a problem (properties may say)."""
    if geometry is None:
        return None, None, None
    kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind != "Point":
        return None, None, f"geometry: expected a Point, got {kind}"
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return None, None, f"geometry: expected Point coordinates [lon, lat], got {json.dumps(coords)}"
    return _text(float(coords[1])), _text(float(coords[0])), None


def _ring_ok(ring) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(
            isinstance(pt, list)
            and len(pt) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in pt[:2])
            for pt in ring
        )
    )


def _shape(geometry) -> tuple[str | None, str | None]:
    """(GeoJSON text, problem) of an area: a Polygon or MultiPolygon whose rings have 4+ [lon, lat] points."""
    kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return None, f"geometry: expected a Polygon or MultiPolygon, got {kind}"
    polygons = [coords] if kind == "Polygon" else coords
    if (
        not isinstance(polygons, list)
        or not polygons
        or not all(
            isinstance(rings, list) and rings and all(_ring_ok(r) for r in rings) for rings in polygons
        )
    ):
        return None, f"geometry: {kind} rings must be lists of 4 or more [lon, lat] points"
    return json.dumps(geometry), None


def feature_rows(
    features: list, spec: Table, path: Path, allow_missing_optional: bool = True
) -> tuple[pd.DataFrame, list[dict]]:
    """(rows: all-text columns named as the spec, plus `_line`; rejects) of a FeatureCollection's features."""
    names: dict[str, None] = {}
    for feature in features:
        if isinstance(feature, dict) and isinstance(feature.get("properties"), dict):
            names.update(dict.fromkeys(map(str, feature["properties"])))
    # lat/lon come from the geometry; a property of that name (or alias) is the fallback for features without.
    lower = {n.lower() for n in names}
    from_geometry = [
        c.name
        for c in spec.columns
        if c.name in GEOMETRY_COLUMNS and not any(a.lower() in lower for a in (c.name, *c.aliases))
    ]
    # A table with a `geometry` column takes areas (Polygon, MultiPolygon) as GeoJSON text instead of points.
    areas = any(c.name == SHAPE_COLUMN for c in spec.columns)
    if areas:
        from_geometry.append(SHAPE_COLUMN)
    mapping = header_mapping([*names, *from_geometry], spec, path, allow_missing_optional)
    rows, rejects = [], []
    for line, feature in enumerate(features, 1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            kind = feature.get("type") if isinstance(feature, dict) else type(feature).__name__
            rejects.append(
                _reject(line, "feature", f"feature: expected a GeoJSON Feature, got {kind}", feature)
            )
            continue
        props = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        if areas:
            shape, problem = _shape(feature.get("geometry"))
            lat = lon = None
        else:
            lat, lon, problem = _point(feature.get("geometry"))
        if problem:
            rejects.append(_reject(line, "geometry", problem, feature))
            continue
        row = {"_line": line}
        for col in spec.columns:
            source = mapping.get(col.name)
            row[col.name] = _text(props.get(source)) if source in props else None
        for col, value in zip(GEOMETRY_COLUMNS, (lat, lon), strict=True):
            if col in row and value is not None:
                row[col] = value
        if areas:
            row[SHAPE_COLUMN] = shape
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["_line", *(c.name for c in spec.columns)], dtype=object)
    return frame, rejects


def _reject(line: int, column: str, reason: str, feature) -> dict:
    return {"line": line, "column_name": column, "reason": reason, "raw": json.dumps(feature)[:2000]}


def load_geojson(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: Table,
    build_id: int,
    fmt: str,
    allow_missing_optional: bool = True,
    extra_reasons: ExtraReasons | None = None,
) -> FileStats:
    """Append the valid features of `path` to table `spec.name` and reject the rest, with reasons."""
    frame, rejects = feature_rows(read_features(path), spec, path, allow_missing_optional)
    cols = ", ".join(f"{quote_ident(c.name)}::VARCHAR as {quote_ident(c.name)}" for c in spec.columns)
    con.register("_features", frame)
    try:
        con.execute(
            f"create or replace temp table _raw_rows as select _line::BIGINT as _line, {cols} from _features"
        )
    finally:
        con.unregister("_features")
    stats = load_raw_rows(con, "_raw_rows", path, spec, build_id, fmt, extra_reasons)
    bad = [(r["line"], r["column_name"], r["reason"], r["raw"]) for r in rejects]
    record_rejects(con, build_id, path, spec.name, bad)
    n = len(rejects)
    return FileStats(
        str(path), fmt, spec.name, stats.rows_read + n, stats.rows_loaded, stats.rows_rejected + n
    )
