-- Table macro buyer_flow_links_at(buyer, as_of_date): the links of a Sankey diagram of a buyer's metal,
-- origin → first hub → export point (the hub where the chain ends) → smelter → buyer; metal whose path is
-- not traced (origins without scored sites, sites without routes) goes from its origin straight to the
-- smelter. share: fraction of the buyer's contained metal on the link; contribution: the exposure points it
-- carries (share × origin risk), so each layer's contributions add up to the buyer's exposure.
with flows as (
  select * from marts.buyer_site_flows_at(buyer, as_of_date)
),

links as (
  select buyer_id, buyer_name, metal, 1 as step, 'origin' as source_layer, origin_iso3 as source_id,
    origin_name as source_name, 'hub' as target_layer, first_hub_id as target_id, first_hub_name as target_name,
    share, share * origin_risk as contribution
  from flows where first_hub_id is not null
  union all
  select buyer_id, buyer_name, metal, 2, 'hub', first_hub_id, first_hub_name, 'export', exit_hub_id,
    exit_hub_name || ' (' || exit_country_iso3 || ')', share, share * origin_risk
  from flows where first_hub_id is not null
  union all
  select buyer_id, buyer_name, metal, 3, 'export', exit_hub_id, exit_hub_name || ' (' || exit_country_iso3 || ')',
    'smelter', smelter_id, smelter_name, share, share * origin_risk
  from flows where first_hub_id is not null
  union all
  select buyer_id, buyer_name, metal, 3, 'origin', origin_iso3, origin_name, 'smelter', smelter_id, smelter_name,
    share, share * origin_risk
  from flows where first_hub_id is null
  union all
  select buyer_id, buyer_name, metal, 4, 'smelter', smelter_id, smelter_name, 'buyer', buyer_id, buyer_name,
    share, share * origin_risk
  from flows
),

final as (
  select
    as_of_date::DATE as as_of, buyer_id, buyer_name, metal, step, source_layer, source_id, source_name,
    target_layer, target_id, target_name, sum(share) as share, sum(contribution) as contribution,
    sum(contribution) / nullif(sum(share), 0) as risk
  from links
  group by all
  order by buyer_id, metal, step, share desc, source_id, target_id
)

select * from final
