-- Table macro origin_risk_at(as_of_date): the risk (0-100) of a tonne of metal mined in a country.
-- For a country with scored sites of the metal: the output-weighted mean over its sites of
-- greatest(site risk, share-weighted risk of the hubs the site feeds); weights are the reported output
-- (the country's median where unknown, else equal). Other countries: the reference baseline.
-- '_X' (unknown origin), and countries with neither sites nor baseline, get the world production-weighted
-- mean of the known origins (pooled, as Trase).
with place_risk as (
  select * from marts.place_risk_at(as_of_date)
),

minerals as (
  select code as mineral, metal from reference.metal_content where code_type = 'mineral'
),

site_minerals as (
  select site_id, country_iso3, output_t_per_year, unnest(minerals) as mineral from core.sites
),

site_metals as (
  select s.site_id, s.country_iso3, m.metal, s.output_t_per_year
  from site_minerals as s
  join minerals as m on m.mineral = s.mineral
),

hub_path as (
  select r.site_id, sum(r.share * pr.score) / nullif(sum(r.share), 0) as hub_risk
  from core.routes as r
  join place_risk as pr on pr.place_id = r.hub_id
  group by r.site_id
),

site_scores as (
  select
    sm.*,
    pr.score as site_risk,
    hp.hub_risk,
    greatest(pr.score, coalesce(hp.hub_risk, 0)) as path_risk,
    coalesce(
      sm.output_t_per_year,
      median(sm.output_t_per_year) over (partition by sm.country_iso3, sm.metal),
      1
    ) as weight
  from site_metals as sm
  join place_risk as pr on pr.place_id = sm.site_id
  left join hub_path as hp on hp.site_id = sm.site_id
),

from_sites as (
  select
    country_iso3, metal, sum(weight * path_risk) / sum(weight) as risk, 'sites' as method,
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
