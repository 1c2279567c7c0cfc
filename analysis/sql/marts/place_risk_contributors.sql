-- Why each place scores what it does: every event's contribution at the build's as-of date.
with contributions as (
  select * from marts.place_risk_contributions_at($as_of)
),

final as (
  select
    *,
    contribution / sum(contribution) over (partition by place_id) as share_of_place
  from contributions
  order by place_id, contribution desc
)

select * from final
