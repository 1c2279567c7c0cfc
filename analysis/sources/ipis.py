"""IPIS artisanal mining site visits in eastern DR Congo (the open-data visits layer, CSV or GeoJSON).

IPIS (International Peace Information Service, Antwerp) publishes every survey visit to a mining site:
`vid` keys the visit, `pcode` the site across visits. The basic layer has `visit_date, name, workers_numb,
mineral1..3, armed_group1..2, interference, childunder15, forced_labour_armed_group1..3` and coordinates
(`latitude`/`longitude` columns in the CSV, a Point in GeoJSON); richer releases add per armed actor the
frequency and each kind of interference, the official qualification, iTSCi presence, selling points and
final destinations, roadblocks. Whatever columns are present are read, the rest stay NULL
(schema/ipis.yml lists each column and the other names it may carry).
"""

from __future__ import annotations

from pathlib import Path

from .ipis_common import field_names, load_layer
from .registry import Format

TABLE = "staging.ipis_visits"


def _detect(path: Path) -> bool:
    names = field_names(path)
    return {"vid", "pcode", "visit_date"} <= names


FORMAT = Format(
    name="ipis",
    title="IPIS artisanal mining site visits, eastern DR Congo (open-data visits layer, CSV or GeoJSON)",
    tables=(TABLE,),
    columns="vid, pcode, visit_date, name, coordinates (latitude/longitude or Point geometry); "
    "optional workers_numb, mineral1..3, armed_group1..3, interference, childunder15, ...",
    detect=_detect,
    load=lambda con, path, build_id: [load_layer(con, path, TABLE, build_id, "ipis")],
    priority=20,
    example="minrisk ingest cod_mines_curated_all_opendata_p_ipis.csv",
)
