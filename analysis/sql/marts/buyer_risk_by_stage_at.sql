-- Table macro buyer_risk_by_stage_at(buyer, as_of_date): where a buyer's exposure enters the chain. The
-- points of the mine sites, the first hubs and the hubs further down (buyer_place_contributions_at: each adds
-- what it raises the worst score on the metal's way), then the origins no site scores: countries at their
-- baseline, metal of unknown origin (pooled), exports no production explains (the laundering gap, '_U:'),
-- recycled or scrap. The points add up to the buyer's exposure; share is the fraction of the buyer's metal
-- behind a stage (null for hubs: the same tonne passes several).
with places as (
  select buyer_id, buyer_name, metal, role, sum(points) as points, sum(metal_share) as metal_share
  from marts.buyer_place_contributions_at(buyer, as_of_date)
  group by all
),

untraced as (
  select buyer_id, buyer_name, metal,
    case
      when origin_iso3 = '_R' then 'recycled or scrap'
      when origin_iso3 like '\_U:%' escape '\' then 'unexplained surplus (laundering gap)'
      when origin_iso3 = '_X' or origin_method like 'pooled%' then 'unknown origin (pooled)'
      else 'countries without site data (baseline)'
    end as stage,
    share, share * origin_risk as points
  from marts.buyer_site_flows_at(buyer, as_of_date)
  where site_id is null
),

stages as (
  select buyer_id, buyer_name, metal,
    case role when 'mine site' then 'mine sites' when 'first hub' then 'first hubs'
      else 'hubs further down the chain' end as stage,
    case when role = 'mine site' then metal_share end as share, points
  from places
  union all
  select buyer_id, buyer_name, metal, stage, sum(share), sum(points) from untraced group by all
),

final as (
  select
    as_of_date::DATE as as_of, buyer_id, buyer_name, metal, stage,
    case stage
      when 'mine sites' then 1 when 'first hubs' then 2 when 'hubs further down the chain' then 3
      when 'countries without site data (baseline)' then 4 when 'unexplained surplus (laundering gap)' then 5
      when 'unknown origin (pooled)' then 6 else 7
    end as stage_order,
    share, points
  from stages
  order by buyer_id, metal, stage_order
)

select * from final
