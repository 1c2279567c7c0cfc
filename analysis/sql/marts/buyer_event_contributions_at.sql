-- Table macro buyer_event_contributions_at(buyer, as_of_date): the conflict events behind a buyer's
-- exposure, with their own notes. A place's points (buyer_place_contributions_at) split over its score's
-- components: the intensity part over its events by their share of its intensity, the control part to the
-- event that set the control (a takeover, or the retaking or release that ended it); presence reports are
-- not events and keep their part. An event near several places sums what it carries through each.
with places as (
  select * from marts.buyer_place_contributions_at(buyer, as_of_date) where points > 0
),

place_risk as (
  select * from marts.place_risk_at(as_of_date)
),

contributions as (
  select place_id, event_id, contribution / sum(contribution) over (partition by place_id) as share_of_place
  from marts.place_risk_contributions_at(as_of_date)
  where contribution > 0
),

components as (
  select p.*, r.intensity_points, r.control_points, r.control_event_id,
    r.intensity_points + r.control_points + r.presence_points as total_points
  from places as p
  join place_risk as r on r.place_id = p.place_id
),

via_intensity as (
  select c.buyer_id, c.buyer_name, c.metal, k.event_id, c.place_id, c.name as place_name, 'intensity' as via,
    c.points * c.intensity_points / c.total_points * k.share_of_place as points
  from components as c
  join contributions as k on k.place_id = c.place_id
  where c.total_points > 0
),

via_control as (
  select buyer_id, buyer_name, metal, control_event_id, place_id, name, 'control',
    points * control_points / total_points
  from components
  where total_points > 0 and control_points > 0 and control_event_id is not null
),

per_event as (
  select buyer_id, buyer_name, metal, event_id, sum(points) as points,
    string_agg(distinct via, ', ') as via,
    count(distinct place_id) as n_places,
    arg_max(place_name, points) as main_place
  from (select * from via_intensity union all select * from via_control)
  group by all
),

final as (
  select
    as_of_date::DATE as as_of, p.buyer_id, p.buyer_name, p.metal, p.event_id, e.event_date, e.event_type,
    e.sub_event_type, e.actor1, e.actor2, e.fatalities, e.location, e.notes, e.source, e.is_synthetic,
    p.via, p.n_places, p.main_place, p.points
  from per_event as p
  join core.events as e on e.event_id = p.event_id
  order by p.buyer_id, p.metal, p.points desc, p.event_id
)

select * from final
