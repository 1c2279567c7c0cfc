-- Table macro place_control_at(as_of_date): who holds each place. The latest takeover ('gain') within
-- control_radius_km, in the same country, makes its actor1 the holder unless the state has retaken the
-- place since ('loss') or the holder has given it up without fighting ('release' by the same actor).
with params as (
  select max(number) filter (where key = 'scoring.control_radius_km') as control_radius_km
  from meta.params
),

type_weights as (
  select * from reference.event_type_weights where control_effect in ('gain', 'loss', 'release')
),

control_events as (
  select e.event_id, e.event_date, e.actor1, e.country_iso3, t.control_effect
  from core.events as e
  join type_weights as t on t.event_type = e.event_type and t.sub_event_type = e.sub_event_type
  where e.event_date <= as_of_date::DATE
    and e.duplicate_of is null  -- an incident in several sources counts once
),

nearby as (
  select p.place_id, c.*, l.distance_km
  from core.event_links as l
  join control_events as c on c.event_id = l.event_id
  join core.places as p on p.place_id = l.place_id and p.country_iso3 = c.country_iso3
  cross join params
  where l.distance_km <= params.control_radius_km
),

latest_gain as (
  select *
  from nearby
  where control_effect = 'gain'
  qualify row_number() over (partition by place_id order by event_date desc, distance_km, event_id) = 1
),

ended as (
  select g.place_id, n.event_id, n.event_date, n.control_effect
  from latest_gain as g
  join nearby as n
    on n.place_id = g.place_id
    and n.event_date >= g.event_date
    and (n.control_effect = 'loss' or (n.control_effect = 'release' and n.actor1 = g.actor1))
  qualify row_number() over (partition by g.place_id order by n.event_date desc, n.event_id) = 1
),

final as (
  select
    g.place_id,
    case when e.event_id is null then g.actor1 end as controlled_by,
    case when e.event_id is null then g.event_date end as control_since,
    coalesce(e.control_effect, 'gain') as last_control_change,
    coalesce(e.event_date, g.event_date) as last_control_change_date,
    coalesce(e.event_id, g.event_id) as control_event_id
  from latest_gain as g
  left join ended as e on e.place_id = g.place_id
)

select * from final
