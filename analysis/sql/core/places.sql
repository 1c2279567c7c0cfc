-- Sites and hubs in one table: the places events are linked to and risk is scored for.
with sites as (
  select * from core.sites
),

hubs as (
  select * from core.hubs
),

final as (
  select
    site_id as place_id, 'site' as place_kind, name, 'mine' as kind, country_iso3, lat, lon,
    array_to_string(minerals, ';') as minerals, armed_presence, armed_presence_reported
  from sites
  union all
  select
    hub_id, 'hub', name, kind, country_iso3, lat, lon, null, null, null
  from hubs
)

select * from final
