"""UN Comtrade records as downloaded: Comtrade Plus / the API (camelCase headers) or the legacy website and
bulk download ("Trade Flow Code", "Netweight (kg)", …), one reporter's view per row.

The declared columns (schema/comtrade.yml) carry both layouts' header names as aliases, so csv_table reads
and types either. Then, on this file's rows only: country codes become ISO3 (trade_codes), the flow and the
net weight are normalised, rows whose reporter or partner maps to no country and duplicate records are moved
to meta.rejects (the counts follow), and every kept row that must not reach core.trade_flows — partner
World, sub-breakdowns, monthly records, HS codes without a metal content, HS totals of more detailed lines —
says why in `exclusion`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..schema import table
from ..sqlgen import quote_ident
from ..warehouse.meta import FileStats
from .csv_table import load_csv
from .registry import Format
from .text import peek_header
from .trade_codes import hs_codes, register_code_map

TABLE = "staging.comtrade_flows"
PLUS_HEADERS = {"reportercode", "partnercode", "flowcode", "cmdcode"}
LEGACY_HEADERS = {"reporter code", "partner code", "trade flow code", "commodity code"}
# Columns computed here, not read from the file.
DERIVED = ("layout", "flow", "reporter_iso3", "partner_iso3", "hs_code", "quantity_t", "approx", "exclusion")
UNKNOWN_CODE = (
    " is neither in reference.trade_country_codes nor an ISO 3166 numeric code country_converter knows"
)
# One Comtrade record: a second row with this key is a duplicate.
RECORD_KEY = (
    "ref_year, period, reporter_code, partner_code, partner2_code, flow, hs_code, customs_code, mot_code, "
    "mos_code"
)

DERIVE_SQL = f"""
create or replace temp table _ct as
with rows as (
  select * exclude ({", ".join(DERIVED)}) from {TABLE} where _file = $path
),

normalised as (
  select
    r.* replace (coalesce(r.freq, case when length(trim(r.period)) = 6 then 'M' else 'A' end) as freq),
    $layout as layout,
    case upper(trim(r.flow_code)) when '1' then 'M' when '2' then 'X' when '3' then 'RX' when '4' then 'RM'
      else upper(trim(r.flow_code)) end as flow,
    rc.iso3 as reporter_iso3,
    pc.iso3 as partner_iso3,
    trim(r.cmd_code) as hs_code,
    -- kg → tonnes; the quantity stands in when it is in kg and the net weight is missing or zero
    coalesce(
      nullif(r.net_wgt_kg, 0),
      case when r.qty_unit_code = 8 or lower(trim(r.qty_unit)) in ('kg', 'weight in kilograms')
        then r.qty end,
      r.net_wgt_kg
    ) / 1000 as quantity_t,
    coalesce(r.is_net_wgt_estimated, false) or coalesce(r.estimation_flag in (4, 6), false) as approx
  from rows as r
  left join _ct_codes as rc on rc.code = r.reporter_code and rc.iso is not distinct from r.reporter_iso
  left join _ct_codes as pc on pc.code = r.partner_code and pc.iso is not distinct from r.partner_iso
),

keyed as (
  select *,
    count(*) over record as n_same,
    min(hash(net_wgt_kg, qty, primary_value_usd)) over record
      <> max(hash(net_wgt_kg, qty, primary_value_usd)) over record as conflicting,
    min(_line) over record as first_line,
    string_agg(_line::VARCHAR, ', ') over record as lines
  from normalised
  window record as (partition by {RECORD_KEY})
),

rejected as (
  select *,
    case
      when reporter_iso3 is null then 'reporter_code'
      when partner_iso3 is null then 'partner_code'
      when n_same > 1 and (conflicting or _line > first_line) then 'record key'
    end as reject_column,
    case
      when reporter_iso3 is null then 'reporter_code: ' || reporter_code
        || ' (' || coalesce(reporter_desc, '?') || ')' || $unknown_code
      when partner_iso3 is null then 'partner_code: ' || partner_code
        || ' (' || coalesce(partner_desc, '?') || ')' || $unknown_code
      when n_same > 1 and conflicting then 'conflicting duplicates: lines ' || lines
        || ' give different net weight, quantity or value for the same record; none is used'
      when n_same > 1 and _line > first_line then 'duplicate of line ' || first_line || ' (same values)'
    end as reject_reason
  from keyed
),

kept as (
  select * from rejected where reject_reason is null
),

detailed as (
  -- HS totals whose more detailed lines are also in this file: summing both would count the flow twice.
  select a._line, string_agg(distinct b.hs_code, ', ' order by b.hs_code) as detail
  from kept as a
  join kept as b
    on b.ref_year = a.ref_year and b.period is not distinct from a.period
    and b.reporter_code = a.reporter_code and b.partner_code = a.partner_code and b.flow = a.flow
    and b.partner2_code is not distinct from a.partner2_code
    and b.customs_code is not distinct from a.customs_code
    and b.mot_code is not distinct from a.mot_code and b.mos_code is not distinct from a.mos_code
    and length(b.hs_code) > length(a.hs_code) and starts_with(b.hs_code, a.hs_code)
  group by a._line
),

final as (
  select r.*,
    case
      when r.reject_reason is not null then null
      when r.reporter_iso3 in ('WLD', '_X') then 'reporter '
        || coalesce(r.reporter_desc, r.reporter_code::VARCHAR) || ' is an aggregate, not a country'
      when r.partner_iso3 = 'WLD' then 'partner World (code 0) is the total of this reporter''s partner '
        || 'rows: kept here as an aggregate, never summed with them'
      when r.flow not in ('M', 'X', 'RM', 'RX') then 'flow ' || r.flow
        || ' is a breakdown of imports or exports; only M, X, RM and RX go to core.trade_flows'
      when r.freq = 'M' then 'monthly record: core.trade_flows is annual (download annual data, freqCode A)'
      when coalesce(r.partner2_code, 0) <> 0
        or upper(coalesce(nullif(trim(r.customs_code), ''), 'C00')) <> 'C00' or coalesce(r.mot_code, 0) <> 0
        or coalesce(nullif(trim(r.mos_code), ''), '0') <> '0'
        then 'breakdown by second partner, customs procedure, mode of transport or supply: '
          || 'the totals record (partner2 0, customs C00, mot 0, mos 0) is the one used'
      when not list_contains($hs_codes, r.hs_code) then 'HS code ' || r.hs_code
        || ' is not in reference.metal_content (no defensible metal content): not in core.trade_flows'
      when d.detail is not null then 'HS ' || r.hs_code || ' is the total of the more detailed lines '
        || d.detail || ' also in this file: those are used, not their total'
    end as exclusion
  from rejected as r
  left join detailed as d on d._line = r._line
)

select * from final
"""


def _layout(header: list[str]) -> str:
    return "plus" if set(header) >= PLUS_HEADERS else "legacy"


def load_comtrade(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Load one Comtrade CSV into staging.comtrade_flows; bad rows and duplicates into meta.rejects."""
    spec = table(TABLE)
    stats = load_csv(con, path, spec, build_id, "comtrade", allow_missing_optional=True)
    pairs = con.execute(
        f"select distinct reporter_code, reporter_iso from {TABLE} where _file = $p "
        f"union select distinct partner_code, partner_iso from {TABLE} where _file = $p",
        {"p": str(path)},
    ).fetchall()
    register_code_map(con, "_ct_codes", pairs)
    con.execute(
        DERIVE_SQL,
        {
            "path": str(path),
            "layout": _layout(peek_header(path)),
            "hs_codes": hs_codes(con),
            "unknown_code": UNKNOWN_CODE,
        },
    )
    cols = ", ".join(quote_ident(c.name) for c in spec.columns)
    con.execute(f"delete from {TABLE} where _file = $p", {"p": str(path)})
    con.execute(f"insert into {TABLE} select {cols}, _file, _line from _ct where reject_reason is null")
    con.execute(
        "insert into meta.rejects select $build, $path, $table, _line, reject_column, reject_reason, "
        f"to_json(struct_pack({cols})) from _ct where reject_reason is not null",
        {"build": build_id, "path": str(path), "table": TABLE},
    )
    moved = con.execute("select count(*) from _ct where reject_reason is not null").fetchone()[0]
    con.execute("drop table _ct")
    con.execute("drop table _ct_codes")
    return FileStats(
        stats.path,
        stats.format,
        TABLE,
        stats.rows_read,
        stats.rows_loaded - moved,
        stats.rows_rejected + moved,
    )


def _detect(path: Path) -> bool:
    header = set(peek_header(path))
    return header >= PLUS_HEADERS or header >= LEGACY_HEADERS


FORMAT = Format(
    name="comtrade",
    title="UN Comtrade trade records (Comtrade Plus / API CSV, or legacy website / bulk download CSV)",
    tables=(TABLE,),
    columns="refYear/Year, reporterCode/Reporter Code, partnerCode/Partner Code, flowCode/Trade Flow Code, "
    "cmdCode/Commodity Code, netWgt/Netweight (kg), primaryValue/Trade Value (US$)",
    detect=_detect,
    load=lambda con, path, build_id: [load_comtrade(con, path, build_id)],
    priority=40,
    example="minrisk ingest comtrade_3t_2023.csv",
)
