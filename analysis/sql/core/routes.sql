-- Which sites feed which hubs: the bundled sample's routes and the user's (core.network_refs, resolved).
-- A site's routes come from one source: the user's rows for a site replace the sample's. A site with no
-- stated shares splits its output equally (marked assumed).
with user_routes as (
  select from_id as site_id, to_id as hub_id, share, assumed, source_ref
  from core.network_refs
  where kind = 'route' and reason is null
),

all_routes as (
  select site_id, hub_id, share, assumed, source_ref from staging.sample_routes as s
  where not exists (select 1 from user_routes as u where u.site_id = s.site_id)
  union all
  select * from user_routes
),

shares as (
  select
    site_id,
    hub_id,
    share,
    count(*) over (partition by site_id) as n_hubs,
    sum(share) over (partition by site_id) as stated_total,
    count(share) over (partition by site_id) as n_stated,
    assumed,
    source_ref
  from all_routes
),

final as (
  select
    site_id,
    hub_id,
    -- Unstated shares split what the stated ones leave, equally.
    coalesce(share, greatest(1 - coalesce(stated_total, 0), 0) / nullif(n_hubs - n_stated, 0)) as share,
    coalesce(assumed, false) or share is null as assumed,
    source_ref
  from shares
)

select * from final
