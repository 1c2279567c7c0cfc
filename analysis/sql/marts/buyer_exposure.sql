-- Every buyer's exposure at the build's as-of date (see buyer_exposure_at for the method).
with computed as (
  select * from marts.buyer_exposure_at(null, $as_of)
),

final as (
  select * from computed
)

select * from final
