-- Trade flows as each reporter states them, with the contained metal of each flow.
with sample_trade_flows as (
  select * from staging.sample_trade_flows
),

metal_content as (
  select * from reference.metal_content where code_type = 'hs'
),

final as (
  select
    f.year,
    f.reporter_iso3,
    f.partner_iso3,
    f.flow,
    f.hs_code,
    m.metal,
    f.quantity_t,
    f.quantity_t * m.metal_content_factor as metal_t,  -- tonnes of product → tonnes of contained metal
    f.value_usd,
    coalesce(f.approx, false) as approx,
    f.source_ref
  from sample_trade_flows as f
  left join metal_content as m on m.code = f.hs_code
)

select * from final
