-- Table macro alerts_at(since_date, as_of_date): what changed between two dates, one row per alert.
--   tier      a place's score crossed a tier threshold (direction up or down)
--   control   a place's holder changed: taken (up), given up or retaken (down), or passed to another group (up)
--   deadly    events with at least alerts.deadly_min_fatalities within alerts.deadly_radius_km of a place,
--             dated after since_date and up to as_of_date (one row per place: count, total, deadliest)
--   exposure  a buyer's exposure (per metal and for all metals) rose by more than alerts.exposure_rise_points
-- Scores and exposures on both dates come from the macros, so any two dates can be compared.
with params as (
  select
    max(number) filter (where key = 'alerts.deadly_radius_km') as deadly_radius_km,
    max(number) filter (where key = 'alerts.deadly_min_fatalities') as deadly_min_fatalities,
    max(number) filter (where key = 'alerts.exposure_rise_points') as exposure_rise_points
  from meta.params
),

risk_before as (
  select * from marts.place_risk_at(since_date)
),

risk_after as (
  select * from marts.place_risk_at(as_of_date)
),

tier_order as (
  select * from (values ('low', 0), ('medium', 1), ('high', 2), ('severe', 3)) as t(tier, tier_rank)
),

tier_alerts as (
  select
    'tier' as alert_type, a.place_kind as subject_kind, a.place_id as subject_id, a.name as subject_name,
    a.country_iso3, a.lat, a.lon, null::VARCHAR as metal,
    case when ta.tier_rank > tb.tier_rank then 'up' else 'down' end as direction,
    b.score as value_before, a.score as value_after, b.tier as state_before, a.tier as state_after,
    a.top_event_id as event_id, null::DATE as event_date,
    printf('score %.0f → %.0f, tier %s → %s', b.score, a.score, b.tier, a.tier) as detail
  from risk_after as a
  join risk_before as b on b.place_id = a.place_id
  join tier_order as ta on ta.tier = a.tier
  join tier_order as tb on tb.tier = b.tier
  where a.tier <> b.tier
),

control_alerts as (
  select
    'control', a.place_kind, a.place_id, a.name, a.country_iso3, a.lat, a.lon, null::VARCHAR,
    case when a.controlled_by is null then 'down' else 'up' end,
    b.control_points, a.control_points,
    coalesce(b.controlled_by, 'no armed group'), coalesce(a.controlled_by, 'no armed group'),
    a.control_event_id, e.event_date,
    case
      when b.controlled_by is null then 'taken by ' || a.controlled_by
      when a.controlled_by is null then 'no longer held by ' || b.controlled_by
      else 'passed from ' || b.controlled_by || ' to ' || a.controlled_by
    end
  from risk_after as a
  join risk_before as b on b.place_id = a.place_id
  left join core.events as e on e.event_id = a.control_event_id
  where a.controlled_by is distinct from b.controlled_by
),

deadly_events as (
  select l.place_id, l.distance_km, e.event_id, e.event_date, e.event_type, coalesce(e.fatalities, 0) as fatalities
  from core.event_links as l
  join core.events as e on e.event_id = l.event_id
  cross join params as p
  where e.event_date > since_date::DATE and e.event_date <= as_of_date::DATE
    and coalesce(e.fatalities, 0) >= p.deadly_min_fatalities
    and l.distance_km <= p.deadly_radius_km
    and e.duplicate_of is null  -- an incident in several sources counts once
),

deadly_alerts as (
  select
    'deadly', pl.place_kind, pl.place_id, pl.name, pl.country_iso3, pl.lat, pl.lon, null::VARCHAR, 'up',
    null::DOUBLE, sum(d.fatalities)::DOUBLE, null::VARCHAR, null::VARCHAR,
    arg_max(d.event_id, (d.fatalities, d.event_date)), arg_max(d.event_date, (d.fatalities, d.event_date)),
    printf(
      '%d deadly event(s), %d fatalities within %.0f km; deadliest %s: %s, %d fatalities, %.1f km away',
      count(*), sum(d.fatalities), any_value(p.deadly_radius_km),
      strftime(arg_max(d.event_date, (d.fatalities, d.event_date)), '%Y-%m-%d'),
      arg_max(d.event_type, (d.fatalities, d.event_date)), max(d.fatalities),
      arg_max(d.distance_km, (d.fatalities, d.event_date))
    )
  from deadly_events as d
  join core.places as pl on pl.place_id = d.place_id
  cross join params as p
  group by pl.place_kind, pl.place_id, pl.name, pl.country_iso3, pl.lat, pl.lon
),

exposure_alerts as (
  -- "+ 0": DuckDB 2.0 binds a bare macro parameter handed to a grouping macro as a column (Binder Error).
  select
    'exposure', 'buyer', a.buyer_id, a.buyer_name, null::VARCHAR, null::DOUBLE, null::DOUBLE, a.metal, 'up',
    b.exposure, a.exposure, null::VARCHAR, null::VARCHAR, null::VARCHAR, null::DATE,
    printf('exposure %.1f → %.1f (+%.1f points), %s', b.exposure, a.exposure, a.exposure - b.exposure,
      case when a.metal = 'All' then 'all metals' else a.metal end)
  from marts.buyer_exposure_at(null, as_of_date + 0) as a
  join marts.buyer_exposure_at(null, since_date + 0) as b on b.buyer_id = a.buyer_id and b.metal = a.metal
  cross join params as p
  where a.exposure - b.exposure > p.exposure_rise_points
),

final as (
  select since_date::DATE as since, as_of_date::DATE as as_of, *
  from (
    select * from tier_alerts  -- first: its column names name the union's
    union all select * from control_alerts
    union all select * from deadly_alerts
    union all select * from exposure_alerts
  )
  order by
    list_position(['control', 'tier', 'deadly', 'exposure'], alert_type), direction = 'down',
    value_after desc nulls last, subject_id, metal
)

select * from final
