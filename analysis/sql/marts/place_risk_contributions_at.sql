-- Table macro place_risk_contributions_at(as_of_date): each event's contribution to each place's intensity.
-- contribution = exp(−distance / kernel) × the event's weight (event_weights_at: type × age × precision
--                × fatalities × source), for events no older than lookback_days
with params as (
  select
    max(number) filter (where key = 'scoring.kernel_km') as kernel_km,
    max(number) filter (where key = 'scoring.lookback_days') as lookback_days
  from meta.params
),

links as (
  select * from core.event_links
),

events as (
  select * from marts.event_weights_at(as_of_date)
),

weighted as (
  select
    l.place_id,
    l.place_kind,
    e.event_id,
    e.event_date,
    e.event_type,
    e.sub_event_type,
    e.actor1,
    e.actor2,
    e.fatalities,
    e.location,
    e.source,
    e.is_synthetic,
    l.distance_km,
    e.age_days,
    e.type_weight,
    exp(-l.distance_km / p.kernel_km) as distance_factor,
    e.age_factor,
    e.precision_factor,
    e.fatality_factor,
    e.source_factor,
    e.weight
  from links as l
  join events as e on e.event_id = l.event_id
  cross join params as p
  where e.age_days <= p.lookback_days
),

final as (
  select
    as_of_date::DATE as as_of,
    * exclude (weight),
    distance_factor * weight as contribution
  from weighted
)

select * from final
