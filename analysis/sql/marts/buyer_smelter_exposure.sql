-- Each smelter a buyer declares, with its exposure (Σ origin share × risk) and how its origins are known.
with smelter_origins as (
  select * from marts.buyer_smelter_origins_at($as_of)
),

buyer_smelters as (
  select * from core.buyer_smelters
),

per_smelter as (
  select
    as_of, buyer_id, excel_row, sum(contribution) as exposure,
    coalesce(sum(share) filter (where origin_iso3 = '_X'), 0) as unknown_share,
    string_agg(distinct basis, ', ') as basis,
    string_agg(origin_iso3, ', ' order by share desc) as origins
  from smelter_origins
  group by all
),

final as (
  select
    p.as_of, p.buyer_id, p.excel_row, b.cid, coalesce(b.smelter_name, b.declared_name) as smelter_name,
    b.metal, b.smelter_country_iso3, b.rmap_status, b.match_method, b.match_score, p.exposure,
    p.unknown_share, p.basis, p.origins
  from per_smelter as p
  join buyer_smelters as b on b.buyer_id = p.buyer_id and b.excel_row = p.excel_row
  order by p.buyer_id, p.exposure desc
)

select * from final
