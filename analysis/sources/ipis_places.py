"""IPIS web map place index (e.g. ipis_webmap_search_places.json): a JSON array of every named place of
IPIS's eastern-DRC map, `{"s": name, "i": type, "x": lon, "y": lat}`. Every entry is staged; the trading
points (type `pdv`, points de vente) become hubs in core.hubs (docs/formats/ipis.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from ..schema import table
from ..sources.csv_table import load_raw_rows
from ..warehouse.meta import FileStats
from .errors import InputError
from .ipis_common import drc_coordinate_reasons
from .registry import Format

TABLE = "staging.ipis_places"
KEYS = {"s": "name", "i": "place_type", "y": "lat", "x": "lon"}


def _detect(path: Path) -> bool:
    if Path(path).suffix.lower() != ".json":
        return False
    with open(path, encoding="utf-8-sig") as f:
        head = f.read(400).lstrip()
    return head.startswith("[") and all(f'"{k}"' in head for k in KEYS)


def load(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> list[FileStats]:
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InputError(f'{path}: expected a JSON array of places like {{"s": name, "i": type, ...}}')
    frame = pd.DataFrame(
        {
            "_line": range(1, len(entries) + 1),  # the entry's number in the array
            **{col: [None if e.get(k) is None else str(e[k]) for e in entries] for k, col in KEYS.items()},
        }
    )
    con.register("_places", frame)
    try:
        con.execute("create or replace temp table _raw_rows as select * from _places")
    finally:
        con.unregister("_places")
    spec = table(TABLE)
    return [load_raw_rows(con, "_raw_rows", path, spec, build_id, "ipis_places", drc_coordinate_reasons)]


FORMAT = Format(
    name="ipis_places",
    title="IPIS web map place index (JSON); its trading points (pdv) become hubs",
    tables=(TABLE,),
    columns='a JSON array of {"s": name, "i": type, "x": lon, "y": lat}',
    detect=_detect,
    load=load,
    priority=25,
    example="minrisk ingest ipis_webmap_search_places.json",
)
