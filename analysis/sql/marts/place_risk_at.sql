-- Table macro place_risk_at(as_of_date): a 0-100 score for every site and hub, with its components.
-- score = intensity points (saturating in the weighted events nearby) + control points + presence points
with params as (
  select
    max(number) filter (where key = 'scoring.intensity_scale') as intensity_scale,
    max(number) filter (where key = 'scoring.intensity_max_points') as intensity_max_points,
    max(number) filter (where key = 'scoring.control_points') as control_points,
    max(number) filter (where key = 'scoring.presence_points') as presence_points,
    max(number) filter (where key = 'scoring.presence_max_age_days') as presence_max_age_days,
    max(number) filter (where key = 'scoring.tier_medium') as tier_medium,
    max(number) filter (where key = 'scoring.tier_high') as tier_high,
    max(number) filter (where key = 'scoring.tier_severe') as tier_severe
  from meta.params
),

places as (
  select * from core.places
),

contributions as (
  select * from marts.place_risk_contributions_at(as_of_date)
),

control as (
  select * from marts.place_control_at(as_of_date)
),

intensity as (
  select
    place_id,
    sum(contribution) as intensity,
    count(*) as n_events,
    sum(coalesce(fatalities, 0)) as fatalities,
    sum(contribution) filter (where is_synthetic) / nullif(sum(contribution), 0) as synthetic_share,
    arg_max(event_id, contribution) as top_event_id
  from contributions
  group by place_id
),

scored as (
  select
    pl.place_id,
    pl.place_kind,
    pl.name,
    pl.kind,
    pl.country_iso3,
    pl.lat,
    pl.lon,
    pl.minerals,
    coalesce(i.intensity, 0) as intensity,
    p.intensity_max_points * (1 - exp(-coalesce(i.intensity, 0) / p.intensity_scale)) as intensity_points,
    case when c.controlled_by is not null then p.control_points else 0 end as control_points,
    -- Reported presence counts from its report date until it is presence_max_age_days old.
    case
      when pl.armed_presence is not null
        and (pl.armed_presence_reported is null
          or as_of_date::DATE - pl.armed_presence_reported between 0 and p.presence_max_age_days)
      then p.presence_points else 0
    end as presence_points,
    c.controlled_by,
    c.control_since,
    c.control_event_id,
    case
      when pl.armed_presence_reported is null or pl.armed_presence_reported <= as_of_date::DATE
      then pl.armed_presence
    end as armed_presence,
    coalesce(i.n_events, 0)::INTEGER as n_events,
    coalesce(i.fatalities, 0)::INTEGER as fatalities,
    coalesce(i.synthetic_share, 0) as synthetic_share,
    i.top_event_id
  from places as pl
  cross join params as p
  left join intensity as i on i.place_id = pl.place_id
  left join control as c on c.place_id = pl.place_id
),

final as (
  select
    as_of_date::DATE as as_of,
    s.* exclude (controlled_by, control_since, control_event_id, armed_presence, n_events, fatalities,
      synthetic_share, top_event_id),
    least(100, s.intensity_points + s.control_points + s.presence_points) as score,
    case
      when least(100, s.intensity_points + s.control_points + s.presence_points) >= p.tier_severe then 'severe'
      when least(100, s.intensity_points + s.control_points + s.presence_points) >= p.tier_high then 'high'
      when least(100, s.intensity_points + s.control_points + s.presence_points) >= p.tier_medium then 'medium'
      else 'low'
    end as tier,
    s.controlled_by,
    s.control_since,
    s.control_event_id,
    s.armed_presence,
    s.n_events,
    s.fatalities,
    s.synthetic_share,
    s.top_event_id
  from scored as s
  cross join params as p
)

select * from final
