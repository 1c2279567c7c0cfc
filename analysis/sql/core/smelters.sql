-- Smelters and refiners by RMI smelter id (CID).
with sample_smelters as (
  select * from staging.sample_smelters
),

final as (
  select
    cid,
    name,
    metal,
    case metal when 'Tin' then 'Sn' when 'Tantalum' then 'Ta' when 'Tungsten' then 'W' when 'Gold' then 'Au'
    end as metal_symbol,
    country_iso3,
    city,
    rmap_status,
    status_as_of,
    source_ref
  from sample_smelters
)

select * from final
