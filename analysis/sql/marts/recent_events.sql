-- Events of the last reports.recent_days before the build's as-of date, with the nearest scored place.
with params as (
  select max(number) filter (where key = 'reports.recent_days') as recent_days from meta.params
),

events as (
  select * from core.events where duplicate_of is null  -- an incident in several sources is listed once
),

nearest as (
  select l.event_id, l.place_id, p.name as place_name, l.distance_km,
    row_number() over (partition by l.event_id order by l.distance_km, l.place_id) as rn
  from core.event_links as l
  join core.places as p on p.place_id = l.place_id
),

final as (
  select
    $as_of::DATE as as_of,
    e.event_id, e.event_date, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.fatalities,
    e.location, e.country_iso3, e.lat, e.lon, e.geo_precision, e.notes, e.source, e.source_ref,
    n.place_id as nearest_place_id, n.place_name as nearest_place_name, n.distance_km as nearest_distance_km
  from events as e
  cross join params
  left join nearest as n on n.event_id = e.event_id and n.rn = 1
  where e.event_date <= $as_of::DATE and $as_of::DATE - e.event_date <= params.recent_days
  order by e.event_date desc, e.event_id
)

select * from final
