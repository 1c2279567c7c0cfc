-- smelter origin mix at the build's as-of date (see smelter_origin_mix_at for the method).
with computed as (
  select * from marts.smelter_origin_mix_at($as_of)
),

final as (
  select * from computed
)

select * from final
