-- Buyers: the companies whose supplier declarations (CMRT) were loaded.
with declarations as (
  select distinct company_name, file from staging.cmrt_smelter_list
),

final as (
  select
    'B-' || trim(upper(regexp_replace(trim(company_name), '[^A-Za-z0-9]+', '-', 'g')), '-') as buyer_id,
    company_name as name,
    file as declaration_file
  from declarations
)

select * from final
