-- Table macro place_events_at(place, as_of_date): the events linked to one place (its place_id) over the
-- reports.timeline_days before the as-of date, nearest in time first, with distance, notes and the
-- event's contribution to the place's intensity (0 once older than scoring.lookback_days).
with params as (
  select max(number) filter (where key = 'reports.timeline_days') as timeline_days from meta.params
),

links as (
  select * from core.event_links where place_id = place
),

events as (
  select * from core.events
  where event_date <= as_of_date::DATE and duplicate_of is null  -- an incident in several sources: once
),

contributions as (
  select event_id, contribution
  from marts.place_risk_contributions_at(as_of_date)
  where place_id = place
),

final as (
  select
    as_of_date::DATE as as_of, l.place_id, e.event_id, e.event_date, e.event_type, e.sub_event_type,
    e.actor1, e.actor2, e.fatalities, l.distance_km, e.location, e.lat, e.lon, e.notes, e.source, e.source_ref,
    e.is_synthetic, coalesce(c.contribution, 0) as contribution
  from links as l
  join events as e on e.event_id = l.event_id
  cross join params
  left join contributions as c on c.event_id = e.event_id
  where as_of_date::DATE - e.event_date <= params.timeline_days
  order by e.event_date desc, e.event_id
)

select * from final
