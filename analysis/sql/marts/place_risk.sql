-- Place risk at the build's as-of date (see place_risk_at for the method).
with scored as (
  select * from marts.place_risk_at($as_of)
),

final as (
  select * from scored order by score desc, place_id
)

select * from final
