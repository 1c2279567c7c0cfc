-- Table macro buyer_place_contributions_at(buyer, as_of_date): the sites and hubs a buyer's metal may come
-- from or pass through, with the share of the buyer's contained metal (metal_share) and the exposure points
-- each place accounts for. A tonne from a country scored by its sites carries greatest(site score, mean score
-- of its first hubs) (origin_risk_at); the points go to the site when its own score is the greater, else to
-- its first hubs by route share. So a buyer's points over all places, plus the contributions of origins
-- without scored sites, add up to its exposure. Downstream hubs carry metal_share but no points.
with flows as (
  select * from marts.buyer_site_flows_at(buyer, as_of_date) where site_id is not null
),

place_risk as (
  select * from marts.place_risk_at(as_of_date)
),

routes as (
  select * from core.routes where share > 0
),

hub_risk as (
  select r.site_id, sum(r.share * p.score) / nullif(sum(r.share), 0) as hub_risk, sum(r.share) as route_total
  from routes as r
  join place_risk as p on p.place_id = r.hub_id
  group by r.site_id
),

site_shares as (
  select buyer_id, buyer_name, metal, site_id, sum(share) as share
  from flows
  group by all
),

attributed as (
  select s.*, p.score as site_score, h.hub_risk, h.route_total,
    p.score >= coalesce(h.hub_risk, 0) as to_site
  from site_shares as s
  join place_risk as p on p.place_id = s.site_id
  left join hub_risk as h on h.site_id = s.site_id
),

site_rows as (
  select buyer_id, buyer_name, metal, site_id as place_id, 'mine site' as role, share as metal_share,
    case when to_site then share * site_score else 0 end as points
  from attributed
),

hub_points as (
  select a.buyer_id, a.metal, r.hub_id, sum(a.share * r.share / a.route_total * p.score) as points
  from attributed as a
  join routes as r on r.site_id = a.site_id
  join place_risk as p on p.place_id = r.hub_id
  where not a.to_site
  group by all
),

hub_shares as (
  select f.buyer_id, f.buyer_name, f.metal, h.hub_id, max(h.depth = 1) as is_first,
    sum(f.share * h.share) as metal_share
  from (select buyer_id, buyer_name, metal, site_id, sum(share) as share from flows group by all) as f
  join marts.site_hub_paths as h on h.site_id = f.site_id
  group by all
),

hub_rows as (
  select s.buyer_id, s.buyer_name, s.metal, s.hub_id as place_id,
    case when s.is_first then 'first hub' else 'downstream hub' end as role, s.metal_share,
    coalesce(p.points, 0) as points
  from hub_shares as s
  left join hub_points as p on p.buyer_id = s.buyer_id and p.metal = s.metal and p.hub_id = s.hub_id
),

final as (
  select
    as_of_date::DATE as as_of, r.buyer_id, r.buyer_name, r.metal, r.place_id, p.place_kind, p.name,
    p.country_iso3, r.role, p.score, p.tier, p.controlled_by, r.metal_share, r.points
  from (select * from site_rows union all select * from hub_rows) as r
  join place_risk as p on p.place_id = r.place_id
  order by r.buyer_id, r.metal, r.points desc, r.metal_share desc, r.place_id
)

select * from final
