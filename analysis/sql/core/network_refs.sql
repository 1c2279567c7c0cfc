-- The user's routes and hub links (staging.trade_routes, staging.trade_hub_links) with their site and hub
-- references resolved: an id, else a name that names exactly one site or hub (case-insensitive). Rows whose
-- reference resolves to nothing keep a null id and a reason: they go to meta.rejects (network_steps.py).
with trade_routes as (
  select * from staging.trade_routes
),

trade_hub_links as (
  select * from staging.trade_hub_links
),

site_keys as (
  select site_id as key, site_id from core.sites
  union all
  select lower(trim(name)), any_value(site_id) from core.sites group by lower(trim(name)) having count(*) = 1
),

hub_keys as (
  select hub_id as key, hub_id from core.hubs
  union all
  select lower(trim(name)), any_value(hub_id) from core.hubs group by lower(trim(name)) having count(*) = 1
),

refs as (
  select 'route' as kind, r.site_id as from_ref, r.hub_id as to_ref,
    coalesce(s1.site_id, s2.site_id) as from_id, coalesce(h1.hub_id, h2.hub_id) as to_id,
    r.share, r.assumed, r.source_ref, r._file, r._line
  from trade_routes as r
  left join site_keys as s1 on s1.key = r.site_id
  left join site_keys as s2 on s2.key = lower(trim(r.site_id))
  left join hub_keys as h1 on h1.key = r.hub_id
  left join hub_keys as h2 on h2.key = lower(trim(r.hub_id))
  union all
  select 'hub_link', l.from_hub_id, l.to_hub_id,
    coalesce(f1.hub_id, f2.hub_id), coalesce(t1.hub_id, t2.hub_id),
    l.share, l.assumed, l.source_ref, l._file, l._line
  from trade_hub_links as l
  left join hub_keys as f1 on f1.key = l.from_hub_id
  left join hub_keys as f2 on f2.key = lower(trim(l.from_hub_id))
  left join hub_keys as t1 on t1.key = l.to_hub_id
  left join hub_keys as t2 on t2.key = lower(trim(l.to_hub_id))
),

final as (
  select
    kind, from_ref, to_ref, from_id, to_id, share, assumed,
    coalesce(source_ref, regexp_extract(_file, '[^/\\]+$') || ' line ' || _line) as source_ref,
    case
      when from_id is null and kind = 'route' then 'site_id: no site has the id or name ' || from_ref
      when from_id is null then 'from_hub_id: no hub has the id or name ' || from_ref
      when to_id is null and kind = 'route' then 'hub_id: no hub has the id or name ' || to_ref
      when to_id is null then 'to_hub_id: no hub has the id or name ' || to_ref
      when kind = 'hub_link' and from_id = to_id then 'to_hub_id: the same hub as from_hub_id, ' || to_ref
    end as reason,
    _file, _line
  from refs
)

select * from final
