-- Trade hubs: trading centres, border posts, airports, ports and smelter towns.
with sample_hubs as (
  select * from staging.sample_hubs
),

final as (
  select hub_id, name, kind, country_iso3, lat, lon, coalesce(coords_approx, true) as coords_approx, source_ref
  from sample_hubs
)

select * from final
