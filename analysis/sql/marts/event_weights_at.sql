-- Table macro event_weights_at(as_of_date): every event known at the date (an incident recorded by several
-- sources once) with the factors of its weight that do not depend on a place:
-- weight = type weight × 0.5^(age / half-life) × precision weight × (1 + fatality_weight × ln(1 + fatalities))
--          × source weight. Place risk multiplies it by the distance kernel; hotspots sum it per grid cell.
with params as (
  select
    max(number) filter (where key = 'scoring.half_life_days') as half_life_days,
    max(number) filter (where key = 'scoring.fatality_weight') as fatality_weight
  from meta.params
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

factors as (
  select
    e.*,
    as_of_date::DATE - e.event_date as age_days,
    coalesce(ts.weight, tt.weight) as type_weight,
    pow(0.5, (as_of_date::DATE - e.event_date) / p.half_life_days) as age_factor,
    coalesce(pw.weight, 0.3) as precision_factor,  -- unknown precision: treat as a general area
    1 + p.fatality_weight * ln(1 + coalesce(e.fatalities, 0)) as fatality_factor,
    coalesce(sw.weight, 1.0) as source_factor
  from events as e
  cross join params as p
  left join type_weights as ts on ts.event_type = e.event_type and ts.sub_event_type = e.sub_event_type
  left join type_weights as tt on tt.event_type = e.event_type and tt.sub_event_type = '*'
  left join precision_weights as pw
    on pw.source_family = e.precision_family and pw.precision = e.geo_precision
  left join source_weights as sw on sw.source = e.source
),

final as (
  select *, type_weight * age_factor * precision_factor * fatality_factor * source_factor as weight
  from factors
)

select * from final
