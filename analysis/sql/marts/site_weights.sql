-- Table macro site_weights(): each mine site's weight in its country's output of a metal, one rule for
-- origin_risk_at, buyer_site_flows_at and the stage graph: the reported output (t/yr), else the country's
-- median for the metal, else equal. share sums to 1 per country and metal (null when every weight is 0, e.g.
-- every site taken offline by `minrisk whatif`).
with minerals as (
  select code as mineral, metal from reference.metal_content where code_type = 'mineral'
),

site_minerals as (
  select site_id, country_iso3, output_t_per_year, unnest(minerals) as mineral from core.sites
),

site_metals as (
  select distinct s.site_id, s.country_iso3, m.metal, s.output_t_per_year
  from site_minerals as s
  join minerals as m on m.mineral = s.mineral
),

weighted as (
  select
    site_id, country_iso3, metal, output_t_per_year,
    coalesce(
      output_t_per_year,
      median(output_t_per_year) over (partition by country_iso3, metal),
      1
    ) as weight,
    case
      when output_t_per_year is not null then 'reported output'
      when median(output_t_per_year) over (partition by country_iso3, metal) is not null
        then 'country median'
      else 'equal'
    end as weight_basis
  from site_metals
),

final as (
  select *, weight / nullif(sum(weight) over (partition by country_iso3, metal), 0) as share
  from weighted
)

select * from final
