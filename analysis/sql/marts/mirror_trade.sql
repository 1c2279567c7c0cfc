-- Mirror trade: for each exporter, importer, HS code and year, what the exporter declares (flow X) next to
-- what the importer declares (flow M, trade.mirror_lag_years later), in tonnes of contained metal. Both sides
-- come from the same source family (Comtrade vs Comtrade, sample vs sample): mixing families would turn
-- differences of method into gaps. BACI is one reconciled figure per pair, not two declarations, so it has
-- no mirror. Partners that are not countries ('_X' areas n.e.s., '_R' …) cannot be mirrored and are left out.
with params as (
  select coalesce(max(number) filter (where key = 'trade.mirror_lag_years'), 0)::INTEGER as lag from meta.params
),

flows as (
  select * from core.trade_flows
  where source <> 'baci' and flow in ('X', 'M')
    and reporter_iso3 not like '\_%' escape '\' and partner_iso3 not like '\_%' escape '\'
),

exporter_side as (
  select f.source, f.year, f.year + p.lag as import_year, f.reporter_iso3 as exporter_iso3,
    f.partner_iso3 as importer_iso3, f.hs_code, f.metal, sum(f.metal_t) as exported_t, bool_or(f.approx) as approx
  from flows as f cross join params as p
  where f.flow = 'X'
  group by all
),

importer_side as (
  select f.source, f.year - p.lag as export_year, f.year, f.partner_iso3 as exporter_iso3,
    f.reporter_iso3 as importer_iso3, f.hs_code, f.metal, sum(f.metal_t) as imported_t, bool_or(f.approx) as approx
  from flows as f cross join params as p
  where f.flow = 'M'
  group by all
),

paired as (
  select
    coalesce(x.source, m.source) as source,
    coalesce(x.year, m.export_year) as year,  -- the export year; the import record is lag years later
    coalesce(m.year, x.import_year) as import_year,
    coalesce(x.exporter_iso3, m.exporter_iso3) as exporter_iso3,
    coalesce(x.importer_iso3, m.importer_iso3) as importer_iso3,
    coalesce(x.hs_code, m.hs_code) as hs_code,
    coalesce(x.metal, m.metal) as metal,
    x.exported_t,
    m.imported_t,
    coalesce(x.approx, false) or coalesce(m.approx, false) as approx
  from exporter_side as x
  full outer join importer_side as m
    on m.source = x.source and m.year = x.import_year and m.exporter_iso3 = x.exporter_iso3
    and m.importer_iso3 = x.importer_iso3 and m.hs_code = x.hs_code
),

final as (
  select
    source, year, import_year, exporter_iso3, importer_iso3, hs_code, metal,
    exported_t,
    imported_t,
    imported_t - exported_t as gap_t,  -- > 0: the importer records more than the exporter declares
    imported_t / nullif(exported_t, 0) as gap_ratio,
    exported_t is null or imported_t is null as one_side_only,
    case when exported_t is null then 'importer' when imported_t is null then 'exporter' else 'both' end
      as reported_by,
    approx,
    'tonnes of contained ' || metal as basis
  from paired
)

select * from final order by metal, year, exporter_iso3, importer_iso3, hs_code, source
