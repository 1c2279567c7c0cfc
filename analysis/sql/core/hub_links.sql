-- Hub-to-hub legs down the chain, with the share of the upstream hub's throughput on each leg: the bundled
-- sample's and the user's (core.network_refs, resolved). A hub's legs come from one source: the user's legs
-- from a hub replace the sample's.
with user_hub_links as (
  select from_id as from_hub_id, to_id as to_hub_id, share, assumed, source_ref
  from core.network_refs
  where kind = 'hub_link' and reason is null
),

all_hub_links as (
  select from_hub_id, to_hub_id, share, assumed, source_ref from staging.sample_hub_links as s
  where not exists (select 1 from user_hub_links as u where u.from_hub_id = s.from_hub_id)
  union all
  select * from user_hub_links
),

shares as (
  select
    *,
    count(*) over (partition by from_hub_id) as n_legs,
    sum(share) over (partition by from_hub_id) as stated_total,
    count(share) over (partition by from_hub_id) as n_stated
  from all_hub_links
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
