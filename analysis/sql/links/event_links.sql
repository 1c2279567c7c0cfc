-- Every (event, place) pair within $radius_km, by a grid-bucket equi-join and exact haversine distance.
-- Cells are radius_km tall and, in longitude, wide enough at the highest |lat| of the data, so any pair
-- within the radius lies in the same or a neighbouring cell: places are replicated into the 3×3 cells
-- around their own and hash-joined to events on the cell. (Pairs across the ±180° meridian are not found.)
with events as (
  select event_id, lat, lon from core.events
),

places as (
  select place_id, place_kind, lat, lon from core.places
),

grid as (
  select
    $radius_km / 111.195 as dlat,  -- km → degrees of latitude
    $radius_km / (111.195 * cos(radians(least(
      greatest((select max(abs(lat)) from events), (select max(abs(lat)) from places)) + $radius_km / 111.195,
      89.0)))) as dlon  -- km → degrees of longitude at the highest latitude of the data
),

event_cells as (
  select e.*, floor(e.lat / g.dlat)::bigint as cy, floor(e.lon / g.dlon)::bigint as cx
  from events as e, grid as g
),

place_cells as (
  select p.*, floor(p.lat / g.dlat)::bigint + dy as cy, floor(p.lon / g.dlon)::bigint + dx as cx
  from places as p, grid as g, range(-1, 2) as r1(dy), range(-1, 2) as r2(dx)
),

candidates as (
  select e.event_id, p.place_id, p.place_kind, e.lat as e_lat, e.lon as e_lon, p.lat as p_lat, p.lon as p_lon
  from event_cells as e
  join place_cells as p on e.cy = p.cy and e.cx = p.cx
  cross join grid as g
  where abs(e.lat - p.lat) <= g.dlat and abs(e.lon - p.lon) <= g.dlon
),

final as (
  select event_id, place_id, place_kind, core.haversine_km(e_lat, e_lon, p_lat, p_lon) as distance_km
  from candidates
  where core.haversine_km(e_lat, e_lon, p_lat, p_lon) <= $radius_km
)

select * from final
