-- Table macro origin_risk_at(as_of_date): the risk (0-100) of a tonne of metal mined in a country.
-- For a country with scored sites of the metal: the weighted mean over its sites (site_weights: reported
-- output, else the country's median, else equal) of each site's path risk: the score of the worst place its
-- output passes, the site or any hub down the chain, averaged over its paths (site_path_risk_at).
-- Other countries: the reference baseline.
-- '_X' (unknown origin), and countries with neither sites nor baseline, get the world production-weighted
-- mean of the known origins (pooled, as Trase).
with site_weights as (
  select * from marts.site_weights()
),

path_risk as (
  select site_id, sum(share * increment) as path_risk
  from marts.site_path_risk_at(as_of_date)
  group by site_id
),

site_scores as (
  select w.site_id, w.country_iso3, w.metal, w.weight, p.path_risk
  from site_weights as w
  join path_risk as p on p.site_id = w.site_id
),

from_sites as (
  select
    country_iso3, metal, sum(weight * path_risk) / nullif(sum(weight), 0) as risk, 'sites' as method,
    count(*)::INTEGER as n_sites
  from site_scores
  group by country_iso3, metal
),

metals as (
  select distinct metal from reference.metal_content
),

countries as (
  select country_iso3 from reference.country_baseline_risk where country_iso3 <> '_X'
  union select country_iso3 from core.production where country_iso3 <> 'WLD'
  union select partner_iso3 from core.trade_flows where partner_iso3 <> '_X'
  union select reporter_iso3 from core.trade_flows
),

baseline as (
  select c.country_iso3, m.metal, b.baseline_risk as risk, 'baseline' as method, 0 as n_sites
  from countries as c
  cross join metals as m
  left join reference.country_baseline_risk as b on b.country_iso3 = c.country_iso3
  where not exists (
    select 1 from from_sites as s where s.country_iso3 = c.country_iso3 and s.metal = m.metal
  )
),

known as (
  select * from from_sites
  union all
  select * from baseline
),

production_year as (
  select metal, coalesce(max(year) filter (where year < year(as_of_date::DATE)), min(year)) as year
  from core.production
  group by metal
),

pooled as (
  select
    '_X' as country_iso3, k.metal,
    sum(p.tonnes_metal * k.risk) / nullif(sum(p.tonnes_metal) filter (where k.risk is not null), 0) as risk,
    'pooled' as method, 0 as n_sites
  from known as k
  join production_year as y on y.metal = k.metal
  join core.production as p on p.country_iso3 = k.country_iso3 and p.metal = k.metal and p.year = y.year
  where k.risk is not null
  group by k.metal
),

final as (
  -- A country with neither scored sites nor a baseline is treated like unknown origin: pooled risk.
  select
    as_of_date::DATE as as_of, k.country_iso3, k.metal, coalesce(k.risk, p.risk) as risk,
    case when k.risk is null then 'pooled (no sites, no baseline)' else k.method end as method, k.n_sites
  from known as k
  left join pooled as p on p.metal = k.metal
  union all
  select as_of_date::DATE, * from pooled
)

select * from final
