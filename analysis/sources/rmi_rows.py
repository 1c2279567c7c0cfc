"""What the RMI adapters (smelter look-up, RMAP facility lists) share: finding their columns by header name,
turning workbook rows into the all-text rows the declared checks validate, the smelter id (CID) format, and
the country name → ISO3 check that needs country_converter and so runs on the rows just loaded.

Every row read ends up loaded or in meta.rejects with its reason: rows read = loaded + rejected.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import duckdb
import pandas as pd

from .. import countries
from ..schema import Table
from ..sqlgen import Binds, quote_ident
from ..warehouse.meta import FileStats

CID_PATTERN = r"^CID[0-9]{6}$"  # RMI smelter ids: 'CID' and six digits (CID003387)
CID_RE = re.compile(CID_PATTERN)
METALS = ("Gold", "Tantalum", "Tin", "Tungsten")


def cell_text(value) -> str | None:
    """A workbook cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def column_names(col) -> list[str]:
    return [n.lower() for n in (col.name, *col.aliases)]


def find_columns(labels: list[str | None], spec: Table) -> dict[str, int]:
    """Spec column → position of its header label (name or alias, case-insensitive); first match wins."""
    at = {}
    for i, label in enumerate(labels):
        if label:
            at.setdefault(label.strip().lower(), i)
    found = {}
    for col in spec.columns:
        pos = next((at[n] for n in column_names(col) if n in at), None)
        if pos is not None:
            found[col.name] = pos
    return found


def has_required(header: list[str], spec: Table) -> bool:
    """Whether a (lower-cased) header names every required column of `spec`: format detection."""
    names = {h.strip().lower() for h in header}
    return all(any(n in names for n in column_names(c)) for c in spec.columns if c.required)


def required_names(spec: Table) -> str:
    return ", ".join(c.name for c in spec.columns if c.required)


def raw_rows_table(con: duckdb.DuckDBPyConnection, spec: Table, records: list[tuple[int, dict]]) -> str:
    """Temp table `_raw_rows` (the spec's columns as VARCHAR, and `_line`) from (line, {column: text})."""
    names = [c.name for c in spec.columns]
    frame = pd.DataFrame(
        [[line, *(rec.get(n) for n in names)] for line, rec in records],
        columns=["_line", *names],
        dtype=object,
    )
    con.register("_sheet_rows", frame)
    cols = ", ".join(f"{quote_ident(n)}::VARCHAR as {quote_ident(n)}" for n in names)
    con.execute(
        f"create or replace temp table _raw_rows as select _line::BIGINT as _line, {cols} from _sheet_rows"
    )
    con.unregister("_sheet_rows")
    return "_raw_rows"


def cid_reason(binds: Binds, column: str = "smelter_id") -> str:
    """SQL: a reason when `column` is given but is not an RMI smelter id (extra_reasons of the loaders)."""
    col = quote_ident(column)
    return (
        f"case when {col} is not null and not regexp_full_match(trim({col}), {binds(CID_PATTERN)}) then "
        f"{binds(f'{column}: expected an RMI smelter id (CID and 6 digits, e.g. CID003387), got ')} "
        f"|| {col} end"
    )


def country_iso3(name: str) -> str | None:
    """ISO3 of a smelter's country; None for pseudo-codes (recycled, unknown), which no facility is in."""
    code = countries.to_iso3(name)
    return code if code and code not in countries.PSEUDO else None


def set_country_iso3(
    con: duckdb.DuckDBPyConnection, table: str, stats: FileStats, build_id: int
) -> FileStats:
    """Fill `country_iso3` from `country` for the rows of this file; reject those whose country is unknown."""
    path = stats.path
    names = [
        r[0] for r in con.execute(f"select distinct country from {table} where _file = ?", [path]).fetchall()
    ]
    con.register(
        "_iso3", pd.DataFrame({"country": names, "iso3": [country_iso3(n) for n in names]}, dtype=object)
    )
    con.execute(
        f"update {table} as t set country_iso3 = m.iso3 from _iso3 as m "
        "where t._file = $path and t.country = m.country",
        {"path": path},
    )
    con.unregister("_iso3")
    where = "_file = $path and country_iso3 is null"
    con.execute(
        "insert into meta.rejects select $build, $path, $table, _line, 'country', "
        "'country: not a country name that country_converter knows: ' || country, to_json(t) "
        f"from {table} as t where {where} order by _line",
        {"build": build_id, "path": path, "table": table},
    )
    bad = con.execute(f"select count(*) from {table} where {where}", {"path": path}).fetchone()[0]
    con.execute(f"delete from {table} where {where}", {"path": path})
    return FileStats(
        path, stats.format, table, stats.rows_read, stats.rows_loaded - bad, stats.rows_rejected + bad
    )
