-- Table macro buyer_place_contributions_at(buyer, as_of_date): the sites and hubs a buyer's metal may come
-- from or pass through, with the share of the buyer's contained metal (metal_share) and the exposure points
-- each place accounts for. A tonne from a country scored by its sites carries the score of the worst place
-- on its way (site_path_risk_at): the site gets its own score, and each hub down the chain what it raises
-- that running maximum. So a buyer's points over all places, plus the contributions of origins without
-- scored sites, add up to its exposure.
with flows as (
  select * from marts.buyer_site_flows_at(buyer, as_of_date) where site_id is not null
),

place_risk as (
  select * from marts.place_risk_at(as_of_date)
),

path_steps as (
  select * from marts.site_path_risk_at(as_of_date)
),

site_shares as (
  select buyer_id, buyer_name, metal, site_id, sum(share) as share
  from flows
  group by all
),

steps as (
  select
    s.buyer_id, s.buyer_name, s.metal, p.place_id, p.role, s.share * p.share as metal_share,
    s.share * p.share * p.increment as points
  from site_shares as s
  join path_steps as p on p.site_id = s.site_id
),

summed as (
  select
    buyer_id, buyer_name, metal, place_id,
    -- A hub can be the first for one site and further down the chain for another.
    case
      when bool_or(role = 'mine site') then 'mine site'
      when bool_or(role = 'first hub') then 'first hub'
      else 'downstream hub'
    end as role,
    sum(metal_share) as metal_share,
    sum(points) as points
  from steps
  group by buyer_id, buyer_name, metal, place_id
),

final as (
  select
    as_of_date::DATE as as_of, r.buyer_id, r.buyer_name, r.metal, r.place_id, p.place_kind, p.name,
    p.country_iso3, r.role, p.score, p.tier, p.controlled_by, r.metal_share, r.points
  from summed as r
  join place_risk as p on p.place_id = r.place_id
  order by r.buyer_id, r.metal, r.points desc, r.metal_share desc, r.place_id
)

select * from final
