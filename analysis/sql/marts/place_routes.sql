-- Every place's trade links in both directions: the hubs a site feeds (core.routes), the sites feeding a
-- hub, and a hub's legs to the next hubs and from the previous ones (core.hub_links), with shares.
with routes as (
  select * from core.routes
),

legs as (
  select * from core.hub_links
),

places as (
  select place_id, place_kind, name, kind, country_iso3 from core.places
),

directed as (
  select site_id as place_id, 'feeds' as direction, hub_id as other_id, share, assumed, source_ref from routes
  union all
  select hub_id, 'fed by', site_id, share, assumed, source_ref from routes
  union all
  select from_hub_id, 'sends to', to_hub_id, share, assumed, source_ref from legs
  union all
  select to_hub_id, 'receives from', from_hub_id, share, assumed, source_ref from legs
),

final as (
  select
    d.place_id, d.direction, d.other_id, o.name as other_name, o.place_kind as other_place_kind,
    o.kind as other_kind, o.country_iso3 as other_country_iso3, d.share, d.assumed, d.source_ref
  from directed as d
  join places as o on o.place_id = d.other_id
  order by d.place_id, d.direction, d.share desc, d.other_id
)

select * from final
