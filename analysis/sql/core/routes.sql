-- Which sites feed which hubs. A site with no stated shares splits its output equally (marked assumed).
with sample_routes as (
  select * from staging.sample_routes
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
  from sample_routes
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
