-- Mine production, tonnes of contained metal, by country, year and metal: the bundled sample and the
-- user's USGS Mineral Commodity Summaries tables. For a (country, year, metal) a USGS file of the user
-- replaces the sample (never both: no double counting), even where it prints W or NA; among USGS files
-- the latest edition wins, then a final figure over an estimate. Withheld or unavailable figures (NULL
-- tonnes) and 'Other countries' stay in staging only.
with sample_production as (
  select * from staging.sample_production
),

usgs_production as (
  select * from staging.usgs_production where exclusion is null
),

usgs_ranked as (
  select *,
    row_number() over (
      partition by country_iso3, year, metal
      order by try_cast(regexp_extract(source_edition, '(\d{4})', 1) as INTEGER) desc nulls last, estimate,
        _file desc, _line
    ) as pick
  from usgs_production
),

usgs as (
  select country_iso3, year, metal, tonnes, basis, estimate, flag, 'usgs' as source,
    concat_ws(', ', 'USGS ' || coalesce(source_edition, 'Mineral Commodity Summaries'), commodity,
      country || ' ' || year || (case when estimate then 'e' else '' end) || ' printed "' || raw || '"',
      regexp_extract(_file, '[^/\\]+$') || ' line ' || _line) as source_ref
  from usgs_ranked
  where pick = 1
),

sample as (
  select s.country_iso3, s.year, s.metal, s.tonnes, s.basis, coalesce(s.estimate, false) as estimate,
    null::VARCHAR as flag, 'sample' as source, s.source_ref
  from sample_production as s
  where not exists (
    select 1 from usgs as u where u.country_iso3 = s.country_iso3 and u.year = s.year and u.metal = s.metal
  )
),

combined as (
  select * from usgs
  union all
  select * from sample
),

final as (
  select country_iso3, year, metal, tonnes as tonnes_metal, basis, estimate, flag, source, source_ref
  from combined
  where tonnes is not null
)

select * from final
