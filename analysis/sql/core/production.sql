-- Mine production, tonnes of contained metal, by country, year and metal.
with sample_production as (
  select * from staging.sample_production
),

final as (
  select country_iso3, year, metal, tonnes as tonnes_metal, basis, coalesce(estimate, false) as estimate,
    source_ref
  from sample_production
  where tonnes is not null
)

select * from final
