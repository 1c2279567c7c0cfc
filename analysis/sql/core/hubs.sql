-- Trade hubs: trading centres, border posts, airports, ports and smelter towns. The bundled sample's, and
-- the user's own (staging.trade_hubs; a user hub with a sample hub's id replaces it; within the user's
-- files the last row of an id wins).
with sample_hubs as (
  select * from staging.sample_hubs
),

trade_hubs as (
  select * from staging.trade_hubs
  qualify row_number() over (partition by hub_id order by _file desc, _line desc) = 1
),

combined as (
  select hub_id, name, kind, country_iso3, lat, lon, coords_approx,
    coalesce(source_ref, regexp_extract(_file, '[^/\\]+$') || ' line ' || _line) as source_ref
  from trade_hubs
  union all
  select hub_id, name, kind, country_iso3, lat, lon, coords_approx, source_ref
  from sample_hubs as s
  where not exists (select 1 from trade_hubs as t where t.hub_id = s.hub_id)
),

final as (
  select hub_id, name, kind, country_iso3, lat, lon, coalesce(coords_approx, true) as coords_approx, source_ref
  from combined
)

select * from final
