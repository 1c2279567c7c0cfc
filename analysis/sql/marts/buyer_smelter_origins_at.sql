-- Table macro buyer_smelter_origins_at(as_of_date): for each smelter a buyer declares, the mix of origins
-- and their risk. Precedence: 100 % recycled → '_R'; mine countries declared in the CMRT → equal shares
-- of those; smelter resolved to an RMI id → its country's supply mix (smelter_origin_mix_at); otherwise
-- unknown ('_X'). Unknown origin carries the pooled risk, so opaque sourcing never looks cleaner.
with buyer_smelters as (
  select * from core.buyer_smelters
),

trade_mix as (
  select * from marts.smelter_origin_mix_at(as_of_date)
),

origin_risk as (
  select * from marts.origin_risk_at(as_of_date)
),

recycled as (
  select buyer_id, excel_row, '_R' as origin, 1.0 as share, 'recycled' as basis
  from buyer_smelters where recycled
),

declared as (
  select buyer_id, excel_row, unnest(mine_countries) as origin, 1.0 / len(mine_countries) as share,
    'declared' as basis
  from buyer_smelters where not recycled and len(mine_countries) > 0
),

statistical as (
  select b.buyer_id, b.excel_row, m.origin, m.share,
    case
      when m.origin = '_X' then 'pooled unknown'
      when m.origin like '\_U:%' escape '\' then 'unexplained surplus'  -- exports no recorded source covers
      else 'trade statistics'
    end as basis
  from buyer_smelters as b
  join trade_mix as m on m.cid = b.cid
  where not b.recycled and len(b.mine_countries) = 0
),

unresolved as (
  select buyer_id, excel_row, '_X', 1.0, 'pooled unknown'
  from buyer_smelters where not recycled and len(mine_countries) = 0 and cid is null
),

origins as (
  select * from recycled
  union all select * from declared
  union all select * from statistical
  union all select * from unresolved
),

pooled as (
  select metal, risk from origin_risk where country_iso3 = '_X'
),

final as (
  select
    as_of_date::DATE as as_of,
    b.buyer_id, b.excel_row, b.cid, coalesce(b.smelter_name, b.declared_name) as smelter_name, b.metal,
    b.metal_symbol, b.rmap_status, o.origin as origin_iso3, o.share, o.basis,
    -- An origin without a known or baseline risk gets the pooled risk of the metal, never zero.
    coalesce(r.risk, p.risk) as origin_risk,
    o.share * coalesce(r.risk, p.risk) as contribution
  from origins as o
  join buyer_smelters as b on b.buyer_id = o.buyer_id and b.excel_row = o.excel_row
  left join origin_risk as r on r.country_iso3 = o.origin and r.metal = b.metal_symbol
  left join pooled as p on p.metal = b.metal_symbol
)

select * from final
