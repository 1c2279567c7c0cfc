-- origin risk at the build's as-of date (see origin_risk_at for the method).
with computed as (
  select * from marts.origin_risk_at($as_of)
),

final as (
  select * from computed
)

select * from final
