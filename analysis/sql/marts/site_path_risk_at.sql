-- Table macro site_path_risk_at(as_of_date): every way a mine site's output may take, step by step (step 0
-- the site, then its first hub (core.routes) and the hubs down the chain (core.hub_links) to the hub where the
-- metal leaves it), and the risk each place adds.
-- A tonne carries the score of the worst place on its way: running_max. A place adds what it raises that
-- maximum: increment. share: the fraction of the site's output on the path (output not routed is a path of
-- the site alone; a leg back to a hub already on the path is not followed; shares are scaled to sum to 1 per
-- site). So Σ share × increment over a site's rows is its path risk (origin_risk_at), and over a place's rows
-- the points that place adds (buyer_place_contributions_at, the stage graph).
with place_risk as (
  select place_id, score from marts.place_risk_at(as_of_date)
),

routes as (
  select * from core.routes where share > 0
),

legs as (
  select * from core.hub_links where share > 0
),

outgoing as (
  select from_hub_id as hub_id, least(sum(share), 1) as out_share from legs group by from_hub_id
),

walks as (
  with recursive walk(site_id, hubs, hub_id, share) as (
    select site_id, [hub_id], hub_id, share from routes
    union all
    select w.site_id, list_append(w.hubs, l.to_hub_id), l.to_hub_id, w.share * l.share
    from walk as w
    join legs as l on l.from_hub_id = w.hub_id
    where len(w.hubs) < 12 and not list_contains(w.hubs, l.to_hub_id)
  )
  select * from walk
),

-- A path ends where metal leaves the chain: the part of a walk's share its last hub does not pass on.
hub_paths as (
  select w.site_id, w.hubs, w.share * (1 - coalesce(o.out_share, 0)) as share
  from walks as w
  left join outgoing as o on o.hub_id = w.hub_id
),

unrouted as (
  select s.site_id, []::VARCHAR[] as hubs, greatest(1 - coalesce(sum(r.share), 0), 0) as share
  from core.sites as s
  left join routes as r on r.site_id = s.site_id
  group by s.site_id
),

paths as (
  select
    site_id, hubs, share / sum(share) over (partition by site_id) as share,
    row_number() over (partition by site_id order by hubs) as path_no
  from (select * from hub_paths union all select * from unrouted)
  where share > 0
),

steps as (
  select site_id, path_no, share, 0 as step, site_id as place_id, len(hubs) as n_hubs from paths
  union all
  select site_id, path_no, share, generate_subscripts(hubs, 1) as step, unnest(hubs) as place_id,
    len(hubs) as n_hubs
  from paths
),

scored as (
  select
    s.*, coalesce(pr.score, 0) as score,
    max(coalesce(pr.score, 0)) over (
      partition by s.site_id, s.path_no order by s.step rows between unbounded preceding and current row
    ) as running_max
  from steps as s
  left join place_risk as pr on pr.place_id = s.place_id
),

final as (
  select
    as_of_date::DATE as as_of, site_id, path_no, step, place_id,
    case when step = 0 then 'mine site' when step = 1 then 'first hub' else 'downstream hub' end as role,
    step = n_hubs as is_exit, share, score, running_max,
    running_max - coalesce(lag(running_max) over (partition by site_id, path_no order by step), 0)
      as increment
  from scored
  order by site_id, path_no, step
)

select * from final
