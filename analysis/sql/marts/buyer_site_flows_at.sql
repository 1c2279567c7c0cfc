-- Table macro buyer_site_flows_at(buyer, as_of_date): a buyer's contained metal split down to the paths it
-- may have taken: declared smelter ← country of origin ← mine site ← first hub → hub where the chain ends.
-- share = the fraction of the buyer's metal on the row (per metal, and 'All' over all declared smelters; each
-- smelter counts equally as a CMRT states no volumes). A country of origin with scored sites of the metal is
-- split over its sites by output (as origin_risk_at weighs them) and each site over its paths
-- (site_path_risk_at); a site without routes keeps its share with no hub. Other origins have no site.
-- `buyer` matches a buyer id or name (case-insensitive), or null for all buyers.
with buyers as (
  select * from core.buyers
  where buyer is null or lower(buyer) in (lower(buyer_id), lower(name))
),

smelter_origins as (
  select o.*, b.name as buyer_name
  from marts.buyer_smelter_origins_at(as_of_date) as o
  join buyers as b on b.buyer_id = o.buyer_id
),

origin_risk as (
  select * from marts.origin_risk_at(as_of_date)
),

declared as (
  select distinct buyer_id, excel_row, metal from smelter_origins
),

weights as (
  select buyer_id, excel_row, metal, 1.0 / count(*) over (partition by buyer_id, metal) as weight
  from declared
  union all
  select buyer_id, excel_row, 'All', 1.0 / count(*) over (partition by buyer_id) from declared
),

site_weights as (
  select site_id, country_iso3, metal, share as weight from marts.site_weights()
),

path_steps as (
  select * from marts.site_path_risk_at(as_of_date)
),

-- Each path of a site's output (site_path_risk_at, the paths its risk is taken over): its first hub and the
-- hub where it leaves the chain; a path of the site alone (no route) has neither.
site_paths as (
  select x.site_id, f.place_id as first_hub_id, case when x.step > 0 then x.place_id end as exit_hub_id,
    sum(x.share) as share
  from path_steps as x
  left join path_steps as f on f.site_id = x.site_id and f.path_no = x.path_no and f.step = 1
  where x.is_exit
  group by all
),

origins as (
  select
    o.buyer_id, o.buyer_name, w.metal, o.excel_row, coalesce(o.cid, 'row ' || o.excel_row) as smelter_id,
    o.smelter_name, o.rmap_status, o.metal_symbol, o.origin_iso3, o.origin_risk, r.method as origin_method,
    w.weight * o.share as share
  from smelter_origins as o
  join weights as w on w.buyer_id = o.buyer_id and w.excel_row = o.excel_row
    and w.metal in (o.metal, 'All')
  left join origin_risk as r on r.country_iso3 = o.origin_iso3 and r.metal = o.metal_symbol
),

split as (
  select o.* exclude (share), sw.site_id, sp.first_hub_id, sp.exit_hub_id,
    o.share * coalesce(sw.weight, 1) * coalesce(sp.share, 1) as share
  from origins as o
  left join site_weights as sw
    on o.origin_method = 'sites' and sw.country_iso3 = o.origin_iso3 and sw.metal = o.metal_symbol
  left join site_paths as sp on sp.site_id = sw.site_id
),

final as (
  select
    as_of_date::DATE as as_of, s.buyer_id, s.buyer_name, s.metal, s.excel_row, s.smelter_id, s.smelter_name,
    s.rmap_status, s.origin_iso3, coalesce(c.name, s.origin_iso3) as origin_name, s.origin_risk,
    s.origin_method, s.site_id, s.first_hub_id, fh.name as first_hub_name, s.exit_hub_id,
    xh.name as exit_hub_name, xh.country_iso3 as exit_country_iso3, s.share
  from split as s
  left join core.countries as c on c.iso3 = s.origin_iso3
  left join core.hubs as fh on fh.hub_id = s.first_hub_id
  left join core.hubs as xh on xh.hub_id = s.exit_hub_id
  where s.share > 0
)

select * from final
