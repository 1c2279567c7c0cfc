-- Mining sites, one row per real site whatever the source: the bundled sample's curated sites, and the
-- IPIS sites (core.site_visits) that core.site_matches did not recognise as one of them.
-- A curated site keeps its id, name, position and stated values; IPIS adds its visit history (pcode,
-- visits, first and last visit) and fills what the curated row leaves empty. An IPIS-only site shows its
-- latest visit. Armed presence is the latest report's, among the curated row, IPIS's visits and the zones of
-- armed-group influence the site lies in.
with sample_sites as (
  select * from staging.sample_sites
),

visits as (
  select * from core.site_visits
),

matches as (
  select * from core.site_matches
),

zones as (
  select * from core.site_zones
),

site_visits as (
  select v.*, m.site_id
  from visits as v
  join matches as m on m.ipis_site_id = v.ipis_site_id
),

-- Reports of armed presence (or of its absence); rank breaks ties of one date: curated, visit, zone.
presence_reports as (
  select
    site_id,
    nullif(armed_presence, '') as armed_presence,
    armed_presence_reported as reported,
    coalesce(armed_presence_reported, last_visit) as report_date,  -- a curated visit reports what it saw
    1 as rank
  from sample_sites
  union all
  -- the latest IPIS visit that recorded armed actors (the site extract records none: unknown, not absent)
  select
    site_id,
    nullif(arg_max(array_to_string(armed_groups, '; '), (visit_date, visit_id)), ''),
    max(visit_date),
    max(visit_date),
    2
  from site_visits
  where armed_groups is not null
  group by site_id
  union all
  -- zones are keyed by the site's own id: a sample site's, or an IPIS site's that stands alone
  select site_id, string_agg(distinct armed_group, '; ' order by armed_group), max(reported), max(reported), 3
  from zones
  group by site_id
),

presence as (
  select site_id, armed_presence, case when armed_presence is not null then reported end as armed_presence_reported
  from presence_reports
  qualify row_number() over (partition by site_id order by report_date desc nulls last, rank) = 1
),

history as (
  select
    site_id,
    arg_max(pcode, (visit_date, visit_id)) filter (where pcode is not null) as pcode,
    count(*)::INTEGER as n_visits,
    min(visit_date) as first_visit,
    max(visit_date) as last_visit,
    arg_max(workers, (visit_date, visit_id)) filter (where workers is not null) as workers,
    arg_max(qualification, (visit_date, visit_id)) filter (where qualification is not null) as qualification,
    arg_max(child_labour, (visit_date, visit_id)) filter (where child_labour is not null) as child_labour,
    arg_max(visit_id, (visit_date, visit_id)) as latest_visit_id
  from site_visits
  group by site_id
),

latest as (
  select v.*
  from site_visits as v
  join history as h on h.latest_visit_id = v.visit_id
),

curated as (
  select
    s.site_id,
    s.name,
    s.country_iso3,
    s.province as admin1,
    s.territory as admin2,
    s.lat,
    s.lon,
    coalesce(s.coords_approx, true) as coords_approx,
    string_split(lower(s.minerals), ';').list_transform(lambda m: trim(m)) as minerals,
    coalesce(s.workers, h.workers) as workers,
    s.output_t_per_year,
    s.output_basis,
    p.armed_presence,
    p.armed_presence_reported,
    greatest(s.last_visit, h.last_visit) as last_visit,
    h.pcode,
    coalesce(h.n_visits, 0) as n_visits,
    h.first_visit,
    h.qualification,
    h.child_labour,
    s.source,
    s.source_ref
  from sample_sites as s
  left join history as h on h.site_id = s.site_id
  left join presence as p on p.site_id = s.site_id
),

ipis_only as (
  select
    l.site_id,
    l.name,
    'COD' as country_iso3,  -- IPIS's layers read here are the DR Congo's (coordinates checked on load)
    l.admin1,
    l.admin2,
    l.lat,
    l.lon,
    true as coords_approx,  -- hand-held GPS at the site entrance, or placed from the village
    l.minerals,
    h.workers,
    null::DOUBLE as output_t_per_year,
    null::VARCHAR as output_basis,
    p.armed_presence,
    p.armed_presence_reported,
    h.last_visit,
    h.pcode,
    h.n_visits,
    h.first_visit,
    h.qualification,
    h.child_labour,
    l.source,
    l.source_ref
  from latest as l
  join history as h on h.site_id = l.site_id
  left join presence as p on p.site_id = l.site_id
  where l.site_id not in (select site_id from sample_sites)
),

final as (
  select * from curated
  union all by name
  select * from ipis_only
)

select * from final
