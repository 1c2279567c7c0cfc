"""What the IPIS layouts share: reading a CSV or a GeoJSON file into a staging table, and the checks that
keep a site's coordinates plausible for a DR Congo layer."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..sqlgen import Binds
from ..warehouse.meta import FileStats
from .csv_table import load_csv
from .geojson_table import first_property_names, load_geojson, looks_like_geojson
from .text import peek_header

# DR Congo's extent in degrees, rounded outward from Natural Earth's admin-0 outline (lon 12.18 .. 31.31,
# lat -13.46 .. 5.39). IPIS's DRC layers only hold sites inside the country.
DRC_LAT = (-13.5, 5.4)
DRC_LON = (12.2, 31.4)


def drc_coordinate_reasons(binds: Binds) -> list[str]:
    """Reasons, as SQL over typed `lat`/`lon`, for a point no DRC mining site can have."""
    s, n, w, e = (binds(v) for v in (*DRC_LAT, *DRC_LON))
    inside = f"(lat between {s} and {n} and lon between {w} and {e})"
    swapped = f"(lon between {s} and {n} and lat between {w} and {e})"
    at = "' (lat ' || lat || ', lon ' || lon || ')'"
    return [
        f"""case
          when lat = 0 and lon = 0 then {binds("lat: (0, 0) is a placeholder, not a location")}
          when not {inside} and {swapped} then
            {binds("lat: latitude and longitude look swapped: the point lies in the DR Congo once exchanged")}
            || {at}
          when not {inside} then
            {
            binds(
                f"lon: outside the DR Congo (lat {DRC_LAT[0]} .. {DRC_LAT[1]}, lon {DRC_LON[0]} .. "
                f"{DRC_LON[1]})"
            )
        } || {at}
        end"""
    ]


def field_names(path: Path) -> set[str]:
    """Lower-cased column names of a CSV, or property names of a GeoJSON's first feature."""
    path = Path(path)
    if looks_like_geojson(path):
        return first_property_names(path)
    return set(peek_header(path))


def load_layer(
    con: duckdb.DuckDBPyConnection, path: Path, table_name: str, build_id: int, fmt: str
) -> FileStats:
    """Load a CSV or GeoJSON IPIS file into `table_name`, rejecting implausible DRC coordinates too."""
    spec = table(table_name)
    if looks_like_geojson(Path(path)):
        return load_geojson(con, path, spec, build_id, fmt, extra_reasons=drc_coordinate_reasons)
    return load_csv(
        con, path, spec, build_id, fmt, allow_missing_optional=True, extra_reasons=drc_coordinate_reasons
    )
