-- Where each site's output goes: every hub it passes, through which first hub (core.routes), following the
-- hub-to-hub legs (core.hub_links) to the hub where the chain ends (a port, an airport, a smelter town).
-- share: fraction of the site's output passing the hub on this path; exit_share: fraction leaving the chain
-- there (a hub's output not assigned to any leg stays at it). Paths stop after 12 legs, so a cycle in the
-- legs cannot run away.
with routes as (
  select * from core.routes
),

legs as (
  select * from core.hub_links
),

outgoing as (
  select from_hub_id as hub_id, sum(share) as out_share from legs group by from_hub_id
),

recursive_paths as (
  with recursive walk(site_id, first_hub_id, hub_id, share, depth) as (
    select site_id, hub_id, hub_id, share, 1 from routes where share > 0
    union all
    select w.site_id, w.first_hub_id, l.to_hub_id, w.share * l.share, w.depth + 1
    from walk as w
    join legs as l on l.from_hub_id = w.hub_id
    where w.depth < 12 and l.share > 0
  )
  select * from walk
),

summed as (
  select site_id, first_hub_id, hub_id, sum(share) as share, min(depth) as depth
  from recursive_paths
  group by all
),

final as (
  select
    s.site_id,
    s.first_hub_id,
    s.hub_id,
    s.depth,
    s.share,
    s.share * greatest(1 - coalesce(o.out_share, 0), 0) as exit_share
  from summed as s
  left join outgoing as o on o.hub_id = s.hub_id
  order by s.site_id, s.first_hub_id, s.depth, s.hub_id
)

select * from final
