-- Hotspots of each region: 0.5° grid cells (the PRIO-GRID cells of UCDP GED and of Berman et al. 2017,
-- about 55 km, near the linking radius) ranked by the weighted events of the last reports.recent_days.
-- An event weighs what marts.event_weights_at says: its contribution to a place without the distance kernel.
-- The year before gives the comparison (counts, not decayed weights).
with params as (
  select max(number) filter (where key = 'reports.recent_days') as recent_days from meta.params
),

members as (
  select region, member_id as event_id from marts.region_members where member_kind = 'event'
),

events as (
  select * from marts.event_weights_at($as_of)
),

cell_places as (
  -- The three riskiest places of each cell name it in tables.
  select grid_row, grid_col, string_agg(name, '; ' order by score desc, name) filter (where rn <= 3) as places
  from (
    select name, score,
      floor((lat + 90) / 0.5)::INTEGER as grid_row, floor((lon + 180) / 0.5)::INTEGER as grid_col,
      row_number() over (
        partition by floor((lat + 90) / 0.5), floor((lon + 180) / 0.5) order by score desc, name
      ) as rn
    from marts.place_risk
  )
  group by all
),

weighted as (
  select
    m.region, e.*,
    floor((e.lat + 90) / 0.5)::INTEGER as grid_row,  -- PRIO-GRID row, 0 at the south pole
    floor((e.lon + 180) / 0.5)::INTEGER as grid_col,
    e.age_days <= p.recent_days as recent
  from members as m
  join events as e on e.event_id = m.event_id
  cross join params as p
  where e.age_days <= 2 * p.recent_days
),

cells as (
  select
    region, grid_row, grid_col,
    count(*) filter (where recent)::INTEGER as n_events,
    coalesce(sum(fatalities) filter (where recent), 0)::INTEGER as fatalities,
    coalesce(sum(weight) filter (where recent), 0) as intensity,
    coalesce(sum(weight) filter (where recent and is_synthetic), 0)
      / nullif(sum(weight) filter (where recent), 0) as synthetic_share,
    count(*) filter (where not recent)::INTEGER as n_events_prev,
    coalesce(sum(fatalities) filter (where not recent), 0)::INTEGER as fatalities_prev,
    mode(event_type) filter (where recent) as main_event_type,
    mode(actor1) filter (where recent) as main_actor,
    max(event_date) filter (where recent) as last_event_date
  from weighted
  group by all
  having count(*) filter (where recent) > 0
),

named as (
  select c.*, p.places
  from cells as c
  left join cell_places as p on p.grid_row = c.grid_row and p.grid_col = c.grid_col
),

final as (
  select
    $as_of::DATE as as_of, region,
    row_number() over (partition by region order by intensity desc, n_events desc, grid_row, grid_col)::INTEGER
      as rank,
    grid_row * 720 + grid_col + 1 as gid,  -- PRIO-GRID cell id
    -90 + 0.5 * grid_row as min_lat,
    -180 + 0.5 * grid_col as min_lon,
    -90 + 0.5 * grid_row + 0.25 as lat,
    -180 + 0.5 * grid_col + 0.25 as lon,
    n_events, fatalities, intensity, synthetic_share, n_events_prev, fatalities_prev, main_event_type,
    main_actor, last_event_date, places
  from named
  order by region, rank
)

select * from final
