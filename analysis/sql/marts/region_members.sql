-- The sites, hubs and events of each region in reference.regions: by province (admin1, in any of its
-- listed spellings; case, accents and punctuation ignored) where the place or event has one, else by the
-- province's box. The country must match either way, so a Rwandan town inside a Kivu box stays out.
with regions as (
  select * from reference.regions
),

region_keys as (
  select distinct region, country_iso3,
    regexp_replace(lower(strip_accents(trim(spelling))), '[^a-z0-9]+', '', 'g') as admin1_key
  from (
    select region, country_iso3,
      unnest(list_append(string_split(coalesce(admin1_aliases, ''), ';'), admin1)) as spelling
    from regions
  )
  where trim(spelling) <> ''
),

members as (
  select 'site' as member_kind, site_id as member_id, country_iso3, admin1, lat, lon from core.sites
  union all
  select 'hub', hub_id, country_iso3, null, lat, lon from core.hubs
  union all
  select 'event', event_id, country_iso3, admin1, lat, lon from core.events
  where duplicate_of is null  -- an incident in several sources counts once
),

keyed as (
  select *,
    nullif(regexp_replace(lower(strip_accents(trim(coalesce(admin1, '')))), '[^a-z0-9]+', '', 'g'), '')
      as admin1_key
  from members
),

by_admin1 as (
  select k.region, m.member_kind, m.member_id, 'admin1' as matched_by
  from keyed as m
  join region_keys as k on k.country_iso3 = m.country_iso3 and k.admin1_key = m.admin1_key
),

by_box as (
  select r.region, m.member_kind, m.member_id, 'box' as matched_by
  from keyed as m
  join regions as r
    on r.country_iso3 = m.country_iso3
    and m.lat between r.min_lat and r.max_lat
    and m.lon between r.min_lon and r.max_lon
  where m.admin1_key is null
),

final as (
  select distinct * from (select * from by_admin1 union all select * from by_box)
  order by region, member_kind, member_id
)

select * from final
