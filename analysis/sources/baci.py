"""CEPII BACI: reconciled bilateral trade flows `t,i,j,k,v,q` (year, exporter, importer, HS6 product,
value in thousand USD, quantity in tonnes) and BACI's country-code file.

A BACI year file holds about ten million rows of every product: the scan keeps only the HS6 codes of the
3T headings in reference.metal_content (6-digit codes, and the subheadings of its 4-digit codes) inside
read_csv, so the rest is never materialised. Rows read, loaded and rejected count those rows only. Values
may be padded with spaces and a quantity may be 'NA'. Country codes become ISO3 at load time
(reference.trade_country_codes, else ISO 3166 numeric via country_converter); a code that maps to nothing
rejects the row. core.trade_flows prefers the ISO3 of an ingested country-code file when there is one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..sqlgen import quote_ident
from ..warehouse.meta import FileStats
from .csv_table import create_staging, load_csv
from .errors import InputError
from .registry import Format
from .text import peek_header, prepare
from .trade_codes import hs_codes, is_iso3, register_code_map, special_codes

FLOWS = "staging.baci_flows"
CODES = "staging.baci_country_codes"
COLUMNS = ("t", "i", "j", "k", "v", "q")
NEW_CODES_HEADER = {"country_code", "country_name", "country_iso3"}
OLD_CODES_HEADER = {"country_code", "country_name_abbreviation", "iso_3digit_alpha"}

# Line numbers: a single-threaded scan keeps file order, and row_number() over () streams (data row n is
# line n + 1). The product filter runs in the same scan.
SCAN_SQL = """
create or replace temp table _baci as
select * from (
  select row_number() over () + 1 as _line, * from read_csv(
    $path, all_varchar = true, header = true, delim = $delim, quote = '"', parallel = false
  )
)
where list_contains($codes, lpad(trim(k), 6, '0')) or list_contains($headings, left(lpad(trim(k), 6, '0'), 4))
"""

TYPED_SQL = """
create or replace temp table _baci_typed as
with rows as (
  select
    _line,
    try_cast(trim(t) as INTEGER) as year,
    try_cast(trim(i) as INTEGER) as exporter_code,
    try_cast(trim(j) as INTEGER) as importer_code,
    lpad(trim(k), 6, '0') as hs6,
    try_cast(trim(v) as DOUBLE) as value_kusd,
    case when upper(trim(q)) in ('NA', '') then null else try_cast(trim(q) as DOUBLE) end as quantity_t,
    upper(trim(q)) in ('NA', '') or try_cast(trim(q) as DOUBLE) is not null as q_ok,
    to_json(struct_pack(t, i, j, k, v, q)) as _raw
  from _baci
),

mapped as (
  select r.*, e.iso3 as exporter_iso3, m.iso3 as importer_iso3
  from rows as r
  left join _baci_codes as e on e.code = r.exporter_code
  left join _baci_codes as m on m.code = r.importer_code
),

final as (
  select *,
    case
      when year is null or year not between 1950 and 2100 then 'year'
      when exporter_code is null or exporter_iso3 is null then 'exporter_code'
      when importer_code is null or importer_iso3 is null then 'importer_code'
      when value_kusd is null or value_kusd < 0 then 'value_kusd'
      when not q_ok or quantity_t < 0 then 'quantity_t'
    end as reject_column,
    case
      when year is null or year not between 1950 and 2100 then 't: expected a year, got ' || trim(_raw->>'t')
      when exporter_code is null then 'i: expected a numeric country code, got ' || trim(_raw->>'i')
      when exporter_iso3 is null then 'i: exporter code ' || exporter_code
        || ' is neither in reference.trade_country_codes nor an ISO 3166 numeric code'
      when importer_code is null then 'j: expected a numeric country code, got ' || trim(_raw->>'j')
      when importer_iso3 is null then 'j: importer code ' || importer_code
        || ' is neither in reference.trade_country_codes nor an ISO 3166 numeric code'
      when value_kusd is null or value_kusd < 0 then 'v: expected a value ≥ 0 in thousand USD, got '
        || coalesce(trim(_raw->>'v'), '')
      when not q_ok or quantity_t < 0 then 'q: expected tonnes ≥ 0 or NA, got ' || trim(_raw->>'q')
    end as reject_reason,
    case
      when exporter_iso3 in ('WLD', '_X') then 'exporter is not a country'
      when not list_contains($codes, hs6) then 'HS6 code ' || hs6
        || ' is not in reference.metal_content (no defensible metal content): not in core.trade_flows'
    end as exclusion
  from mapped
)

select * from final
"""


def _filter_codes(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """(6-digit codes, 4-digit headings) of reference.metal_content."""
    codes = hs_codes(con)
    return [c for c in codes if len(c) == 6], [c for c in codes if len(c) == 4]


def load_baci(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Load the 3T rows of one BACI data file into staging.baci_flows; bad rows into meta.rejects."""
    text = prepare(path)
    try:
        header = [h.lower() for h in text.header]
        if not set(COLUMNS) <= set(header):
            raise InputError(
                f"{path}: a BACI file needs columns {', '.join(COLUMNS)}; it has {', '.join(header)}"
            )
        six, four = _filter_codes(con)
        con.execute(
            SCAN_SQL, {"path": str(text.path), "delim": text.delimiter, "codes": six + four, "headings": four}
        )
    finally:
        if text.path != Path(path):
            text.path.unlink(missing_ok=True)
    codes = con.execute(
        "select distinct try_cast(trim(i) as INTEGER) from _baci union "
        "select distinct try_cast(trim(j) as INTEGER) from _baci"
    ).fetchall()
    register_code_map(con, "_baci_codes", [(c, None) for (c,) in codes if c is not None])
    con.execute(TYPED_SQL, {"codes": six})
    names = create_staging(con, table(FLOWS))
    cols = ", ".join(quote_ident(n) for n in names)
    con.execute(
        f"insert into {FLOWS} select {cols}, $p, _line from _baci_typed where reject_reason is null",
        {"p": str(path)},
    )
    con.execute(
        "insert into meta.rejects select $build, $p, $t, _line, reject_column, reject_reason, _raw "
        "from _baci_typed where reject_reason is not null",
        {"build": build_id, "p": str(path), "t": FLOWS},
    )
    read, rejected = con.execute(
        "select count(*), count(*) filter (where reject_reason is not null) from _baci_typed"
    ).fetchone()
    for tmp in ("_baci", "_baci_typed", "_baci_codes"):
        con.execute(f"drop table {tmp}")
    return FileStats(str(path), "baci", FLOWS, read, read - rejected, rejected)


def load_baci_country_codes(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Load BACI's country-code file; iso3 = the reference's code, else BACI's ISO3 when it is a real one."""
    stats = load_csv(con, path, table(CODES), build_id, "baci_country_codes", allow_missing_optional=True)
    special = special_codes(con)
    rows = con.execute(f"select _line, country_code, country_iso3 from {CODES} where _file = ?", [str(path)])
    updates = [
        [special.get(code) or (iso.strip().upper() if is_iso3(iso) else None), str(path), line]
        for line, code, iso in rows.fetchall()
    ]
    if updates:
        con.executemany(f"update {CODES} set iso3 = ? where _file = ? and _line = ?", updates)
    return stats


def _detect_flows(path: Path) -> bool:
    return peek_header(path) == list(COLUMNS)


def detect_codes(path: Path) -> bool:
    header = set(peek_header(path))
    return header >= NEW_CODES_HEADER or header >= OLD_CODES_HEADER


FORMAT = Format(
    name="baci",
    title="CEPII BACI bilateral trade flows (t, i, j, k, v, q), filtered to the 3T HS6 codes",
    tables=(FLOWS,),
    columns="t, i, j, k, v, q",
    detect=_detect_flows,
    load=lambda con, path, build_id: [load_baci(con, path, build_id)],
    priority=30,
    example="minrisk ingest BACI_HS17_Y2023_V202501.csv country_codes_V202501.csv",
)
