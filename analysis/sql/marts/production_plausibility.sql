-- Production plausibility (the laundering gap): per country, metal and year, can the country's own mine
-- production plus its imports explain its exports? Ores and concentrates only (HS 26xx), in tonnes of
-- contained metal. unexplained_t = exports − (production + imports); > 0 means more leaves than is mined or
-- enters on record. Uncertainty band (docs/methodology.md): production ± trade.production_band when USGS
-- marks it as an estimate, flows ± trade.flow_band when the quantity or the metal content is approximate;
-- the low end takes exports at their lowest and production + imports at their highest.
with params as (
  select
    coalesce(max(number) filter (where key = 'trade.production_band'), 0.2) as production_band,
    coalesce(max(number) filter (where key = 'trade.flow_band'), 0.25) as flow_band,
    coalesce(max(value) filter (where key = 'trade.attribute_surplus'), 'True') = 'True' as attribute_surplus
  from meta.params
),

ore_codes as (
  select code, metal, approx as factor_approx from reference.metal_content where code_type = 'hs' and code like '26%'
),

ore_flows as (
  select f.year, f.reporter_iso3, f.partner_iso3, f.flow, f.metal, f.metal_t, f.source,
    f.approx or o.factor_approx as approx,
    case f.source when 'comtrade' then 1 when 'baci' then 2 else 3 end as source_rank
  from core.trade_flows as f join ore_codes as o on o.code = f.hs_code
  where f.flow in ('X', 'M') and f.metal_t is not null
),

country_flows as (
  -- each flow seen from both of its countries: the reporter's own record and the partner's mirror
  select year, metal, reporter_iso3 as country, flow, true as own, metal_t, approx, source, source_rank
  from ore_flows
  union all
  select year, metal, partner_iso3, case flow when 'X' then 'M' else 'X' end, false, metal_t, approx, source,
    source_rank
  from ore_flows
),

best_source as (
  -- one source per country, metal and year (Comtrade > BACI > sample), so no flow counts twice
  select country, metal, year, min(source_rank) as source_rank from country_flows group by all
),

by_direction as (
  -- a country's own record of a direction where it has one, else its partners' records of it
  select c.country, c.metal, c.year, c.flow, any_value(c.source) as source,
    coalesce(sum(c.metal_t) filter (where c.own), sum(c.metal_t) filter (where not c.own)) as tonnes,
    coalesce(sum(c.metal_t * c.approx::INTEGER) filter (where c.own),
      sum(c.metal_t * c.approx::INTEGER) filter (where not c.own)) as approx_t,
    case when count(*) filter (where c.own) > 0 then 'own' else 'mirror' end as record
  from country_flows as c join best_source as b using (country, metal, year, source_rank)
  group by all
),

trade as (
  select country, metal, year, any_value(source) as trade_source,
    coalesce(sum(tonnes) filter (where flow = 'X'), 0) as exports_t,
    coalesce(sum(approx_t) filter (where flow = 'X'), 0) as exports_approx_t,
    any_value(record) filter (where flow = 'X') as exports_record,
    coalesce(sum(tonnes) filter (where flow = 'M'), 0) as imports_t,
    coalesce(sum(approx_t) filter (where flow = 'M'), 0) as imports_approx_t,
    any_value(record) filter (where flow = 'M') as imports_record
  from by_direction
  group by all
),

production_years as (
  -- a year USGS covers for the metal: a country it does not list produced nothing that year
  select distinct metal, year from core.production
),

production as (
  select country_iso3 as country, metal, year, tonnes_metal, estimate from core.production
),

candidate_weights as (
  select country_iso3 as country, candidate_origin,
    weight / sum(weight) over (partition by country_iso3) as weight  -- normalised per country
  from reference.surplus_attribution
),

candidates as (
  select country, string_agg(candidate_origin || ' ' || round(100 * weight) || ' %', ', '
    order by weight desc, candidate_origin) as candidate_origins
  from candidate_weights
  group by all
),

balance as (
  select t.*,
    case when y.year is not null then coalesce(p.tonnes_metal, 0) end as production_t,
    coalesce(p.estimate, false) as production_estimate
  from trade as t
  left join production_years as y on y.metal = t.metal and y.year = t.year
  left join production as p on p.country = t.country and p.metal = t.metal and p.year = t.year
  where t.country not like '\_%' escape '\' and t.country <> 'WLD'
),

final as (
  select
    b.country as country_iso3, b.metal, b.year,
    b.production_t, b.production_estimate, b.imports_t, b.exports_t,
    b.exports_t - (b.production_t + b.imports_t) as unexplained_t,
    (b.exports_t - (b.production_t + b.imports_t)) / nullif(b.exports_t, 0) as unexplained_share,
    b.exports_t / nullif(b.production_t + b.imports_t, 0) as export_cover_ratio,
    -- low end: exports at their lowest, production and imports at their highest (high end: the reverse)
    (b.exports_t - pr.flow_band * b.exports_approx_t)
      - (b.production_t * (1 + pr.production_band * b.production_estimate::INTEGER)
        + b.imports_t + pr.flow_band * b.imports_approx_t) as unexplained_low_t,
    (b.exports_t + pr.flow_band * b.exports_approx_t)
      - (b.production_t * (1 - pr.production_band * b.production_estimate::INTEGER)
        + b.imports_t - pr.flow_band * b.imports_approx_t) as unexplained_high_t,
    b.trade_source, b.exports_record, b.imports_record,
    case when pr.attribute_surplus then c.candidate_origins end as surplus_attributed_to,
    'tonnes of contained ' || b.metal as basis
  from balance as b
  cross join params as pr
  left join candidates as c on c.country = b.country
)

select *, unexplained_low_t > 0 as significant from final order by metal, year, country_iso3
