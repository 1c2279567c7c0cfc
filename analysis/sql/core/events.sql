-- Conflict events in ACLED's taxonomy, whatever the source. event_id = source + ':' + the source's own id.
with sample_events as (
  select * from staging.sample_events
),

final as (
  select
    source || ':' || event_id as event_id,
    source,
    event_id as source_event_id,
    event_date,
    coalesce(date_precision, 1) as date_precision,
    event_type,
    sub_event_type,
    actor1,
    actor2,
    fatalities,
    coalesce(fatalities_approx, false) as fatalities_approx,
    country_iso3,
    admin1,
    admin2,
    location,
    lat,
    lon,
    coalesce(geo_precision, 3) as geo_precision,
    'acled' as precision_family,  -- the sample codes precision on ACLED's 1-3 scale
    notes,
    source_ref,
    source = 'synthetic' as is_synthetic
  from sample_events
)

select * from final
