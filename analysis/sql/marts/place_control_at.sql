-- Table macro place_control_at(as_of_date): who controls each place. The latest takeover or retaking
-- within control_radius_km, in the same country, decides: a takeover ('gain') that the state has not
-- reversed since means the place is held by that armed group.
with params as (
  select max(number) filter (where key = 'scoring.control_radius_km') as control_radius_km
  from meta.params
),

type_weights as (
  select * from reference.event_type_weights where control_effect in ('gain', 'loss')
),

control_events as (
  select e.event_id, e.event_date, e.actor1, e.country_iso3, e.is_synthetic, t.control_effect
  from core.events as e
  join type_weights as t on t.event_type = e.event_type and t.sub_event_type = e.sub_event_type
  where e.event_date <= as_of_date::DATE
),

nearby as (
  select p.place_id, c.*, l.distance_km
  from core.event_links as l
  join control_events as c on c.event_id = l.event_id
  join core.places as p on p.place_id = l.place_id and p.country_iso3 = c.country_iso3
  cross join params
  where l.distance_km <= params.control_radius_km
),

latest as (
  select *, row_number() over (partition by place_id order by event_date desc, distance_km, event_id) as rn
  from nearby
),

final as (
  select
    place_id,
    case when control_effect = 'gain' then actor1 end as controlled_by,
    case when control_effect = 'gain' then event_date end as control_since,
    control_effect as last_control_change,
    event_date as last_control_change_date,
    event_id as control_event_id
  from latest
  where rn = 1
)

select * from final
