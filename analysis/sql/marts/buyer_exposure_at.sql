-- Table macro buyer_exposure_at(buyer, as_of_date): exposure (0-100) = Σ origin share × origin risk,
-- per metal and for all metals; `buyer` matches a buyer id or name (case-insensitive), or null for all.
with origin_mix as (
  select * from marts.buyer_origin_mix_at(as_of_date)
),

smelters as (
  select buyer_id, metal, count(distinct excel_row) as n from core.buyer_smelters group by all
  union all
  select buyer_id, 'All', count(distinct excel_row) from core.buyer_smelters group by all
),

final as (
  select
    as_of_date::DATE as as_of,
    m.buyer_id,
    m.buyer_name,
    m.metal,
    sum(m.contribution) as exposure,
    -- Unexplained surplus ('_U:<country>') is not known origin either: it only says where it passed.
    1 - coalesce(sum(m.share) filter (where m.origin_iso3 = '_X' or m.origin_iso3 like '\_U:%' escape '\'), 0)
      as known_share,
    coalesce(sum(m.share) filter (where m.origin_iso3 = '_X' or m.origin_iso3 like '\_U:%' escape '\'), 0)
      as unknown_share,
    any_value(s.n)::INTEGER as n_smelters
  from origin_mix as m
  join smelters as s on s.buyer_id = m.buyer_id and s.metal = m.metal
  where buyer is null or lower(buyer) in (lower(m.buyer_id), lower(m.buyer_name))
  group by m.buyer_id, m.buyer_name, m.metal
  order by m.buyer_id, m.metal = 'All' desc, m.metal
)

select * from final
