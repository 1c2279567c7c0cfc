"""IPIS zones of armed-group influence (the web map's layer, e.g. ipis_webmap_armed_groups_v2.geojson):
polygons, each with the armed group (`Groupe armé`) whose zone it was, about 2015.

Sites inside a zone get that group as a reported armed presence dated when the zones were drawn (the
file's `date` property, else ZONES_DATE), which counts when no later report on the site says otherwise.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..warehouse.meta import FileStats
from .geojson_table import first_property_names, load_geojson, looks_like_geojson
from .registry import Format

TABLE = "staging.ipis_armed_group_zones"
# The web map v2 layer has no date; IPIS published it with its 2015 mapping of armed groups around mines.
ZONES_DATE = "2015-07-01"


def load_zones(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    stats = load_geojson(con, path, table(TABLE), build_id, "ipis_armed_group_zones")
    con.execute(
        f"update {TABLE} set reported = ?::DATE where reported is null and _file = ?", [ZONES_DATE, str(path)]
    )
    return stats


def _detect(path: Path) -> bool:
    return looks_like_geojson(path) and bool({"groupe armé", "groupe_arme"} & first_property_names(path))


FORMAT = Format(
    name="ipis_armed_group_zones",
    title="IPIS zones of armed-group influence (polygons with 'Groupe armé', about 2015)",
    tables=(TABLE,),
    columns="GeoJSON Polygon or MultiPolygon features with property 'Groupe armé'",
    detect=_detect,
    load=lambda con, path, build_id: [load_zones(con, path, build_id)],
    priority=30,
    example="minrisk ingest ipis_webmap_armed_groups_v2.geojson",
)
