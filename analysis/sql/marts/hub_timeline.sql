-- Events within the linking radius of each hub, over the last reports.timeline_days before the as-of date.
with params as (
  select max(number) filter (where key = 'reports.timeline_days') as timeline_days from meta.params
),

hubs as (
  select * from core.hubs
),

links as (
  select * from core.event_links where place_kind = 'hub'
),

events as (
  select * from core.events where duplicate_of is null  -- an incident in several sources counts once
),

final as (
  select
    $as_of::DATE as as_of,
    h.hub_id, h.name as hub_name, e.event_id, e.event_date, e.event_type, e.sub_event_type,
    e.fatalities, l.distance_km, e.source, e.notes
  from links as l
  join hubs as h on h.hub_id = l.place_id
  join events as e on e.event_id = l.event_id
  cross join params
  where e.event_date <= $as_of::DATE and $as_of::DATE - e.event_date <= params.timeline_days
  order by h.hub_id, e.event_date
)

select * from final
