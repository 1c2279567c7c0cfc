-- Mining sites, one row per site, whatever the source.
with sample_sites as (
  select * from staging.sample_sites
),

final as (
  select
    site_id,
    name,
    country_iso3,
    province as admin1,
    territory as admin2,
    lat,
    lon,
    coalesce(coords_approx, true) as coords_approx,
    string_split(lower(minerals), ';').list_transform(lambda m: trim(m)) as minerals,
    workers,
    output_t_per_year,
    output_basis,
    nullif(armed_presence, '') as armed_presence,
    armed_presence_reported,
    last_visit,
    source,
    source_ref
  from sample_sites
)

select * from final
