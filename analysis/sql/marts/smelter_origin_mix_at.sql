-- Table macro smelter_origin_mix_at(as_of_date): where a smelter's ore comes from, by trade statistics.
-- The smelter country's ore supply in contained metal = its reported ore imports by partner (or, where it
-- reports none, its partners' reported exports to it) + its own mine production, for the latest year
-- before the as-of year (published statistics lag), from one source per importer: Comtrade > BACI > the
-- sample's estimates. No data at all: 100 % unknown origin ('_X').
-- Where marts.origin_attribution traces the smelter country's supply for that year (Kastner et al. 2011,
-- docs/methodology.md), its attributed origins replace the direct partners: tantalum a Chinese smelter buys
-- from Rwanda is traced back to Rwanda's own mines, the DRC and Rwanda's unexplained surplus ('_U:RWA',
-- which takes the pooled risk; with trade.attribute_surplus it is reassigned to its candidate origins).
with smelters as (
  select * from core.smelters
),

ore_codes as (
  select code, metal from reference.metal_content where code_type = 'hs' and code like '26%'
),

ore_flows as (
  select f.*, case when f.flow = 'M' then f.reporter_iso3 else f.partner_iso3 end as importer_iso3,
    case f.source when 'comtrade' then 1 when 'baci' then 2 else 3 end as source_rank
  from core.trade_flows as f join ore_codes as o on o.code = f.hs_code
  where f.flow in ('M', 'X')
),

best_source as (
  -- Sources overlap (Comtrade reported records, BACI, the sample's estimates): per importer, metal and
  -- year only the best source that describes the importer's supply is used, so no flow counts twice.
  select importer_iso3, metal, year, min(source_rank) as source_rank from ore_flows group by all
),

chosen_flows as (
  select f.* from ore_flows as f join best_source as b using (importer_iso3, metal, year, source_rank)
),

trade_year as (
  select metal, coalesce(max(year) filter (where year < year(as_of_date::DATE)), min(year)) as year
  from ore_flows
  group by metal
),

production_year as (
  select metal, coalesce(max(year) filter (where year < year(as_of_date::DATE)), min(year)) as year
  from core.production
  group by metal
),

reported_imports as (
  select f.reporter_iso3 as importer, f.partner_iso3 as origin, f.metal, sum(f.metal_t) as tonnes,
    'reported imports (' || f.source || ')' as evidence
  from chosen_flows as f
  join trade_year as y on y.metal = f.metal and y.year = f.year
  where f.flow = 'M'
  group by all
),

mirror_imports as (
  select f.partner_iso3 as importer, f.reporter_iso3 as origin, f.metal, sum(f.metal_t) as tonnes,
    case f.source when 'baci' then 'BACI flows' else 'partner-reported exports (' || f.source || ')' end
      as evidence
  from chosen_flows as f
  join trade_year as y on y.metal = f.metal and y.year = f.year
  where f.flow = 'X'
    and not exists (
      select 1 from reported_imports as r where r.importer = f.partner_iso3 and r.metal = f.metal
    )
  group by all
),

own_production as (
  select p.country_iso3 as importer, p.country_iso3 as origin, p.metal, p.tonnes_metal as tonnes,
    'own mine production' as evidence
  from core.production as p
  join production_year as y on y.metal = p.metal and y.year = p.year
  where p.tonnes_metal > 0
),

supply as (
  select * from reported_imports
  union all select * from mirror_imports
  union all select * from own_production
),

direct_by_origin as (
  select importer, origin, metal, sum(tonnes) as tonnes, string_agg(distinct evidence, '; ') as evidence
  from supply
  where tonnes > 0
  group by all
),

attributed_by_origin as (
  select a.country as importer, a.origin, a.metal, sum(a.supply_t) as tonnes,
    'attributed origin (re-export attribution, trade ' || a.year || ', production ' || a.production_year
      || coalesce('; unexplained surplus via ' || string_agg(distinct a.via, ', '), '') || ')' as evidence
  from marts.origin_attribution as a
  join trade_year as y on y.metal = a.metal and y.year = a.year
  where a.supply_t > 0
  group by a.country, a.origin, a.metal, a.year, a.production_year
),

supply_by_origin as (
  select * from attributed_by_origin
  union all
  select * from direct_by_origin as d
  where not exists (
    select 1 from attributed_by_origin as a where a.importer = d.importer and a.metal = d.metal
  )
),

mixed as (
  select s.cid, s.metal_symbol as metal, s.country_iso3 as smelter_country, o.origin, o.tonnes,
    o.tonnes / sum(o.tonnes) over (partition by s.cid) as share, o.evidence
  from smelters as s
  join supply_by_origin as o on o.importer = s.country_iso3 and o.metal = s.metal_symbol
),

no_data as (
  select s.cid, s.metal_symbol, s.country_iso3, '_X', null::DOUBLE, 1.0, 'no trade or production data'
  from smelters as s
  where s.cid not in (select cid from mixed)
),

final as (
  select as_of_date::DATE as as_of, *, 'tonnes of contained ' || metal as basis from mixed
  union all
  select as_of_date::DATE, *, 'tonnes of contained ' || metal_symbol from no_data
)

select * from final
