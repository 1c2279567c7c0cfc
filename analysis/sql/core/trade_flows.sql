-- Trade flows as each reporter states them, with the contained metal of each flow, from every source:
-- the sample's estimates ('sample'), UN Comtrade records ('comtrade', each reporter's own view, so both
-- sides of a pair are here for mirror analysis) and CEPII BACI ('baci': one reconciled flow per pair,
-- shown as the exporter's export 'X' to the importer). Sources overlap: consumers pick one per flow
-- (see marts/smelter_origin_mix_at.sql and docs/scoring.md §4). Staging rows with an `exclusion` (partner
-- World, sub-breakdowns, HS codes without metal content, …) are not here.
with sample_trade_flows as (
  select * from staging.sample_trade_flows
),

comtrade_flows as (
  select * from staging.comtrade_flows where exclusion is null
),

baci_flows as (
  select * from staging.baci_flows where exclusion is null
),

baci_country_codes as (
  -- one row per code: the file whose name sorts last (BACI names carry the release, V202501 > V202401)
  select country_code, iso3 from staging.baci_country_codes
  where iso3 is not null
  qualify row_number() over (
    partition by country_code order by regexp_extract(_file, '[^/\\]+$') desc, _file desc
  ) = 1
),

metal_content as (
  select * from reference.metal_content where code_type = 'hs'
),

exporter_grades as (
  select * from reference.ore_grades_by_exporter where code_type = 'hs'
),

sample as (
  select year, reporter_iso3, partner_iso3, flow, hs_code, quantity_t, value_usd,
    coalesce(approx, false) as approx, source_ref, 'sample' as source
  from sample_trade_flows
),

comtrade_by_file as (
  -- several partner codes can share an ISO3 (e.g. 899 and 839 are both '_X'): summed within a file
  select _file, layout, ref_year as year, reporter_iso3, partner_iso3, flow, hs_code,
    sum(quantity_t) as quantity_t, sum(primary_value_usd) as value_usd, bool_or(approx) as approx,
    'UN Comtrade, ' || regexp_extract(_file, '[^/\\]+$') || ' line ' || string_agg(_line::VARCHAR, ', ' order by _line)
      as source_ref
  from comtrade_flows
  group by _file, layout, ref_year, reporter_iso3, partner_iso3, flow, hs_code
),

comtrade as (
  -- the same record in two files is used once: Comtrade Plus over the legacy layout, then the file whose
  -- name sorts last
  select year, reporter_iso3, partner_iso3, flow, hs_code, quantity_t, value_usd, approx, source_ref,
    'comtrade' as source
  from comtrade_by_file
  qualify row_number() over (
    partition by year, reporter_iso3, partner_iso3, flow, hs_code
    order by layout = 'plus' desc, regexp_extract(_file, '[^/\\]+$') desc, _file desc
  ) = 1
),

baci_by_file as (
  select b._file, b.year, coalesce(e.iso3, b.exporter_iso3) as reporter_iso3,
    coalesce(i.iso3, b.importer_iso3) as partner_iso3, b.hs6 as hs_code,
    sum(b.quantity_t) as quantity_t,
    sum(b.value_kusd) * 1000 as value_usd,  -- thousand USD → USD
    'CEPII BACI, ' || regexp_extract(b._file, '[^/\\]+$') || ' line ' || string_agg(b._line::VARCHAR, ', ' order by b._line)
      as source_ref
  from baci_flows as b
  left join baci_country_codes as e on e.country_code = b.exporter_code
  left join baci_country_codes as i on i.country_code = b.importer_code
  group by b._file, b.year, coalesce(e.iso3, b.exporter_iso3), coalesce(i.iso3, b.importer_iso3), b.hs6
),

baci as (
  -- two releases of the same year: the file whose name sorts last (the newer release) is used
  select year, reporter_iso3, partner_iso3, 'X' as flow, hs_code, quantity_t, value_usd, false as approx,
    source_ref, 'baci' as source
  from baci_by_file
  qualify row_number() over (
    partition by year, reporter_iso3, partner_iso3, hs_code
    order by regexp_extract(_file, '[^/\\]+$') desc, _file desc
  ) = 1
),

combined as (
  select * from sample
  union all select * from comtrade
  union all select * from baci
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
    -- tonnes of product → tonnes of contained metal, at the exporter's own grade where it is known
    f.quantity_t * coalesce(g.metal_content_factor, m.metal_content_factor) as metal_t,
    coalesce(g.metal_content_factor, m.metal_content_factor) as metal_content_factor,
    case when g.metal_content_factor is not null then 'exporter grade' else 'standard grade' end as grade_basis,
    f.value_usd,
    f.approx,
    f.source_ref,
    f.source
  from combined as f
  left join metal_content as m on m.code = f.hs_code
  left join exporter_grades as g on g.code = f.hs_code
    and g.exporter_iso3 = case when f.flow in ('M', 'RM') then f.partner_iso3 else f.reporter_iso3 end
)

select * from final
