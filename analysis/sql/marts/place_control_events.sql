-- The control history behind place_control_at: every takeover ('gain'), retaking ('loss') and release
-- within scoring.control_radius_km of a place, in the place's country, up to the build's as-of date, with
-- the event's own notes.
with params as (
  select max(number) filter (where key = 'scoring.control_radius_km') as control_radius_km
  from meta.params
),

type_weights as (
  select * from reference.event_type_weights where control_effect in ('gain', 'loss', 'release')
),

events as (
  select * from core.events
  where event_date <= $as_of::DATE and duplicate_of is null  -- an incident in several sources: once
),

final as (
  select
    $as_of::DATE as as_of, p.place_id, e.event_id, e.event_date, t.control_effect, e.actor1, e.actor2,
    e.event_type, e.sub_event_type, e.fatalities, l.distance_km, e.location, e.notes, e.source,
    e.is_synthetic
  from core.event_links as l
  join events as e on e.event_id = l.event_id
  join type_weights as t on t.event_type = e.event_type and t.sub_event_type = e.sub_event_type
  join core.places as p on p.place_id = l.place_id and p.country_iso3 = e.country_iso3
  cross join params
  where l.distance_km <= params.control_radius_km
  order by p.place_id, e.event_date, e.event_id
)

select * from final
