-- Table macro place_risk_contributions_at(as_of_date): each event's contribution to each place's intensity.
-- contribution = type weight × exp(−distance / kernel) × 0.5^(age / half-life) × precision weight
--                × (1 + fatality_weight × ln(1 + fatalities)) × source weight
with params as (
  select
    max(number) filter (where key = 'scoring.kernel_km') as kernel_km,
    max(number) filter (where key = 'scoring.half_life_days') as half_life_days,
    max(number) filter (where key = 'scoring.lookback_days') as lookback_days,
    max(number) filter (where key = 'scoring.fatality_weight') as fatality_weight
  from meta.params
),

links as (
  select * from core.event_links
),

events as (
  select * from core.events
  where event_date <= as_of_date::DATE and duplicate_of is null  -- one incident in several sources: once
),

type_weights as (
  select * from reference.event_type_weights
),

precision_weights as (
  select * from reference.geo_precision_weights
),

source_weights as (
  select * from reference.source_weights
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
    as_of_date::DATE - e.event_date as age_days,
    coalesce(ts.weight, tt.weight) as type_weight,
    exp(-l.distance_km / p.kernel_km) as distance_factor,
    pow(0.5, (as_of_date::DATE - e.event_date) / p.half_life_days) as age_factor,
    coalesce(pw.weight, 0.3) as precision_factor,  -- unknown precision: treat as a general area
    1 + p.fatality_weight * ln(1 + coalesce(e.fatalities, 0)) as fatality_factor,
    coalesce(sw.weight, 1.0) as source_factor
  from links as l
  join events as e on e.event_id = l.event_id
  cross join params as p
  left join type_weights as ts on ts.event_type = e.event_type and ts.sub_event_type = e.sub_event_type
  left join type_weights as tt on tt.event_type = e.event_type and tt.sub_event_type = '*'
  left join precision_weights as pw
    on pw.source_family = e.precision_family and pw.precision = e.geo_precision
  left join source_weights as sw on sw.source = e.source
  where as_of_date::DATE - e.event_date <= p.lookback_days
),

final as (
  select
    as_of_date::DATE as as_of,
    *,
    type_weight * distance_factor * age_factor * precision_factor * fatality_factor * source_factor
      as contribution
  from weighted
)

select * from final
