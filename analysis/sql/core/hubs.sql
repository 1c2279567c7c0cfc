-- Trade hubs: trading centres, border posts, airports, ports and smelter towns. The bundled sample's, and
-- the user's own (staging.trade_hubs; a user hub with a sample hub's id replaces it; within the user's
-- files the last row of an id wins), and the trading points (pdv) of IPIS's place index (staging.ipis_places)
-- that lie farther than network.hub_merge_km from all of those (closer, they are the same hub).
with params as (
  select max(number) filter (where key = 'network.hub_merge_km') as merge_km from meta.params
),

sample_hubs as (
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

trading_points as (
  select *, regexp_replace(strip_accents(lower(trim(name))), '[^a-z0-9]+', '-', 'g') as slug
  from staging.ipis_places
  where place_type = 'pdv'
  qualify row_number() over (
    partition by lower(trim(name)), round(lat, 3), round(lon, 3) order by _file desc, _line
  ) = 1
),

ipis_hubs as (
  select
    'H-IPIS-' || upper(trim(slug, '-'))
      || case when count(*) over (partition by slug) > 1
        then '-' || row_number() over (partition by slug order by lat, lon) else '' end as hub_id,
    upper(trim(name)[1]) || trim(name)[2:] as name,  -- IPIS writes names in lower case
    'trading_centre' as kind, 'COD' as country_iso3, lat, lon, false as coords_approx,
    'IPIS web map place index, trading point (pdv) "' || name || '", entry ' || _line || ' of '
      || regexp_extract(_file, '[^/\\]+$') || ' (attribution: IPIS)' as source_ref
  from trading_points as t
  where not exists (
    select 1 from combined as c, params as p
    where core.haversine_km(c.lat, c.lon, t.lat, t.lon) <= p.merge_km
  )
),

final as (
  select hub_id, name, kind, country_iso3, lat, lon, coalesce(coords_approx, true) as coords_approx, source_ref
  from combined
  union all
  select * from ipis_hubs
)

select * from final
