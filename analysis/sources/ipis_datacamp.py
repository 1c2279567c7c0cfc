"""IPIS site extract without site codes (e.g. ipis_cod_mines_datacamp.geojson): one point per site with
the date of its visit, its name, worker count and main mineral, no armed-group fields.

The extract has no `pcode`: core.site_visits derives a stable site id from the name and the coordinates
rounded to 0.001° (≈ 110 m), so a later visit of the same place joins its history.
"""

from __future__ import annotations

from pathlib import Path

from .ipis_common import field_names, load_layer
from .registry import Format

TABLE = "staging.ipis_datacamp"


def _detect(path: Path) -> bool:
    names = field_names(path)
    return {"visit_date", "name", "mineral"} <= names and not {"vid", "pcode"} & names


FORMAT = Format(
    name="ipis_datacamp",
    title="IPIS artisanal mining sites, one point per site without site code (e.g. the DataCamp extract)",
    tables=(TABLE,),
    columns="visit_date, name, mineral, coordinates (Point geometry or latitude/longitude); n_workers",
    detect=_detect,
    load=lambda con, path, build_id: [load_layer(con, path, TABLE, build_id, "ipis_datacamp")],
    priority=25,
    example="minrisk ingest ipis_cod_mines_datacamp.geojson",
)
