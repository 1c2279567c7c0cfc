-- Smelters and refiners by RMI smelter id (CID): one row per CID, whichever sources know it.
-- Sources: RMI's smelter look-up, RMI's RMAP facility lists, the bundled sample's compiled smelters.csv.
-- Identity (name, metal, country, city): the look-up's standard name first (RMI's versioned reference), then
-- the RMAP list, then the sample. Status: the RMAP list first (latest status date, then file order), then the
-- sample's compiled status; a facility known only from the look-up has status 'Unknown': its absence from a
-- loaded list (perhaps the Conformant list alone, or one metal) does not prove it is not enrolled.
with sample_smelters as (
  select * from staging.sample_smelters
),

lookup_rows as (
  select * from staging.rmi_smelter_lookup
),

rmap_rows as (
  select * from staging.rmi_rmap_facilities
),

status_map as (
  select lower(trim(status)) as status_key, rmap_status from reference.rmap_status_map
),

lookup as (
  select
    smelter_id as cid,
    first(metal order by _file, _line) as metal,
    first(standard_smelter_name order by _file, _line) as name,
    first(country_iso3 order by _file, _line) as country_iso3,
    first(city order by _file, _line) as city,
    first(_file || ':' || _line order by _file, _line) as source_ref
  from lookup_rows
  group by smelter_id
),

rmap as (
  select
    r.smelter_id as cid,
    first(r.metal order by r.status_date desc nulls last, r._file, r._line) as metal,
    first(r.standard_smelter_name order by r.status_date desc nulls last, r._file, r._line) as name,
    first(r.country_iso3 order by r.status_date desc nulls last, r._file, r._line) as country_iso3,
    first(r.city order by r.status_date desc nulls last, r._file, r._line) as city,
    first(m.rmap_status order by r.status_date desc nulls last, r._file, r._line) as rmap_status,
    first(r.status order by r.status_date desc nulls last, r._file, r._line) as rmap_status_given,
    first(r.status_date order by r.status_date desc nulls last, r._file, r._line) as status_as_of,
    first(r._file || ':' || r._line order by r.status_date desc nulls last, r._file, r._line) as source_ref
  from rmap_rows as r
  join status_map as m on m.status_key = lower(trim(r.status))
  group by r.smelter_id
),

sample as (
  select cid, metal, name, country_iso3, city, rmap_status, status_as_of, source_ref from sample_smelters
),

cids as (
  select cid from lookup
  union select cid from rmap
  union select cid from sample
),

final as (
  select
    c.cid,
    coalesce(l.name, r.name, s.name) as name,
    coalesce(l.metal, r.metal, s.metal) as metal,
    case coalesce(l.metal, r.metal, s.metal)
      when 'Tin' then 'Sn' when 'Tantalum' then 'Ta' when 'Tungsten' then 'W' when 'Gold' then 'Au'
    end as metal_symbol,
    coalesce(l.country_iso3, r.country_iso3, s.country_iso3) as country_iso3,
    coalesce(l.city, r.city, s.city) as city,
    coalesce(r.rmap_status, s.rmap_status, 'Unknown') as rmap_status,
    coalesce(r.rmap_status_given, s.rmap_status) as rmap_status_given,
    case when r.cid is not null then r.status_as_of else s.status_as_of end as status_as_of,
    case when r.cid is not null then 'rmap list' when s.cid is not null then 'sample' else 'none' end
      as status_source,
    concat_ws(', ',
      case when l.cid is not null then 'look-up' end,
      case when r.cid is not null then 'rmap list' end,
      case when s.cid is not null then 'sample' end
    ) as sources,
    coalesce(l.source_ref, r.source_ref, s.source_ref) as source_ref
  from cids as c
  left join lookup as l on l.cid = c.cid
  left join rmap as r on r.cid = c.cid
  left join sample as s on s.cid = c.cid
  order by c.cid
)

select * from final
