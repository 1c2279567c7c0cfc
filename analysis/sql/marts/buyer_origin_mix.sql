-- buyer origin mix at the build's as-of date (see buyer_origin_mix_at for the method).
with computed as (
  select * from marts.buyer_origin_mix_at($as_of)
),

final as (
  select * from computed
)

select * from final
