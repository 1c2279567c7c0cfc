-- Table macro buyer_origin_mix_at(as_of_date): a buyer's metal by country of origin, per metal and for
-- all metals ('All'); each declared smelter counts equally (a CMRT states no volumes).
with smelter_origins as (
  select * from marts.buyer_smelter_origins_at(as_of_date)
),

buyers as (
  select * from core.buyers
),

countries as (
  select * from core.countries
),

n_smelters as (
  select buyer_id, metal, count(distinct excel_row) as n from smelter_origins group by all
  union all
  select buyer_id, 'All', count(distinct excel_row) from smelter_origins group by all
),

summed as (
  select buyer_id, metal, origin_iso3, sum(share) as share_sum, sum(contribution) as contribution_sum,
    string_agg(distinct basis, ', ') as basis
  from smelter_origins
  group by all
  union all
  select buyer_id, 'All', origin_iso3, sum(share), sum(contribution), string_agg(distinct basis, ', ')
  from smelter_origins
  group by all
),

final as (
  select
    as_of_date::DATE as as_of,
    s.buyer_id,
    b.name as buyer_name,
    s.metal,
    s.origin_iso3,
    case
      when s.origin_iso3 like '\_U:%' escape '\'
      then 'Unexplained surplus via ' || coalesce(via.name, substr(s.origin_iso3, 4))
      else coalesce(c.name, s.origin_iso3)
    end as origin_name,
    s.share_sum / n.n as share,
    s.contribution_sum / nullif(s.share_sum, 0) as origin_risk,
    s.contribution_sum / n.n as contribution,
    s.basis
  from summed as s
  join n_smelters as n on n.buyer_id = s.buyer_id and n.metal = s.metal
  join buyers as b on b.buyer_id = s.buyer_id
  left join countries as c on c.iso3 = s.origin_iso3
  left join countries as via on via.iso3 = substr(s.origin_iso3, 4)
  order by s.buyer_id, s.metal, contribution desc
)

select * from final
