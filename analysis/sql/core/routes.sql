-- Which sites feed which hubs: the bundled sample's routes and the user's (core.network_refs, resolved),
-- and optionally the nearest hub of a site without any.
-- A site's routes come from one source: the user's rows for a site replace the sample's. A site with no
-- stated shares splits its output equally (marked assumed).
with user_routes as (
  select from_id as site_id, to_id as hub_id, share, assumed, source_ref
  from core.network_refs
  where kind = 'route' and reason is null
),

stated_routes as (
  select site_id, hub_id, share, assumed, source_ref from staging.sample_routes as s
  where not exists (select 1 from user_routes as u where u.site_id = s.site_id)
  union all
  select * from user_routes
),

-- With network.nearest_hub_km > 0, a site no route mentions sells to its nearest hub within that distance
-- (an assumption, marked as such): e.g. IPIS sites loaded without routes reach IPIS's trading points.
nearest_hub as (
  select s.site_id, h.hub_id, 1.0 as share, true as assumed,
    'assumed: nearest hub, ' || round(core.haversine_km(s.lat, s.lon, h.lat, h.lon), 1)
      || ' km (network.nearest_hub_km = ' || p.radius_km || ')' as source_ref
  from core.sites as s
  cross join (
    select max(number) filter (where key = 'network.nearest_hub_km') as radius_km from meta.params
  ) as p
  join core.hubs as h
    on p.radius_km > 0 and core.haversine_km(s.lat, s.lon, h.lat, h.lon) <= p.radius_km
  where not exists (select 1 from stated_routes as r where r.site_id = s.site_id)
  qualify row_number() over (
    partition by s.site_id order by core.haversine_km(s.lat, s.lon, h.lat, h.lon), h.hub_id
  ) = 1
),

all_routes as (
  select * from stated_routes
  union all
  select * from nearest_hub
),

shares as (
  select
    site_id,
    hub_id,
    share,
    count(*) over (partition by site_id) as n_hubs,
    sum(share) over (partition by site_id) as stated_total,
    count(share) over (partition by site_id) as n_stated,
    assumed,
    source_ref
  from all_routes
),

final as (
  select
    site_id,
    hub_id,
    -- Unstated shares split what the stated ones leave, equally.
    coalesce(share, greatest(1 - coalesce(stated_total, 0), 0) / nullif(n_hubs - n_stated, 0)) as share,
    coalesce(assumed, false) or share is null as assumed,
    source_ref
  from shares
)

select * from final
