-- Hub-to-hub legs down the chain, with the share of the upstream hub's throughput on each leg.
with sample_hub_links as (
  select * from staging.sample_hub_links
),

shares as (
  select
    *,
    count(*) over (partition by from_hub_id) as n_legs,
    sum(share) over (partition by from_hub_id) as stated_total,
    count(share) over (partition by from_hub_id) as n_stated
  from sample_hub_links
),

final as (
  select
    from_hub_id,
    to_hub_id,
    coalesce(share, greatest(1 - coalesce(stated_total, 0), 0) / nullif(n_legs - n_stated, 0)) as share,
    coalesce(assumed, false) or share is null as assumed,
    source_ref
  from shares
)

select * from final
