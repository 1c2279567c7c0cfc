-- Where each site's output goes: every hub it passes, through which first hub, down the hub-to-hub legs to
-- the hub where the chain ends (a port, an airport, a smelter town): the paths of site_path_risk_at summed
-- per hub, so the network has one walk. share: fraction of the site's output passing the hub on paths from
-- this first hub; exit_share: fraction leaving the chain there. The paths do not depend on the date; the
-- build's as-of date only picks a date for the macro.
with steps as (
  select * from marts.site_path_risk_at($as_of::DATE)
),

hub_steps as (
  select h.site_id, f.place_id as first_hub_id, h.place_id as hub_id, h.step, h.share, h.is_exit
  from steps as h
  join steps as f on f.site_id = h.site_id and f.path_no = h.path_no and f.step = 1
  where h.step >= 1
),

final as (
  select
    site_id,
    first_hub_id,
    hub_id,
    min(step)::INTEGER as depth,
    sum(share) as share,
    coalesce(sum(share) filter (where is_exit), 0) as exit_share
  from hub_steps
  group by site_id, first_hub_id, hub_id
  order by site_id, first_hub_id, depth, hub_id
)

select * from final
