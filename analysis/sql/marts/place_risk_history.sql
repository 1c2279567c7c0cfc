-- How risk moved: every place's score and its components on the 1st of each of the last
-- reports.history_months months up to the build's as-of date, and on the as-of date itself.
with params as (
  select max(number) filter (where key = 'reports.history_months')::INTEGER as history_months
  from meta.params
),

dates as (
  select unnest(generate_series(
    date_trunc('month', $as_of::DATE) - to_months(params.history_months - 1),
    date_trunc('month', $as_of::DATE),
    interval 1 month
  ))::DATE as scored_on
  from params
  union
  select $as_of::DATE
),

scored as (
  select d.scored_on, r.*
  from dates as d, lateral marts.place_risk_at(d.scored_on) as r  -- one scoring per date
),

final as (
  select
    $as_of::DATE as as_of, scored_on, place_id, place_kind, name, score, tier, intensity, intensity_points,
    control_points, presence_points, controlled_by, control_since, n_events, fatalities, synthetic_share
  from scored
  order by place_id, scored_on
)

select * from final
