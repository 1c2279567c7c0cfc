-- Which declared smelters need follow-up, and why (one row per smelter a buyer declares, at the build's
-- as-of date): not RMAP Conformant; not identified (origin unknown); sourcing from a US Dodd-Frank §1502
-- covered country (reference.country_baseline_risk); a declared mine (CMRT "Name of Mine(s)", matched to a
-- site by name in the declared mine countries) within reports.mine_radius_km of a high or severe place.
with params as (
  select max(number) filter (where key = 'reports.mine_radius_km') as mine_radius_km from meta.params
),

smelters as (
  select * from core.buyer_smelters
),

origins as (
  select * from marts.buyer_smelter_origins_at($as_of)
),

covered as (
  select country_iso3 from reference.country_baseline_risk where covered_country
),

covered_origins as (
  select o.buyer_id, o.excel_row, sum(o.share) as covered_share,
    string_agg(o.origin_iso3 || ' ' || round(100 * o.share)::INTEGER || ' %', ', ' order by o.share desc)
      as covered_origins
  from origins as o
  join covered as c on c.country_iso3 = o.origin_iso3
  group by all
),

mines as (
  select buyer_id, excel_row, mine_countries, trim(mine) as mine,
    regexp_replace(lower(strip_accents(trim(mine))), '[^a-z0-9]+', ' ', 'g') as mine_key
  from (select *, unnest(string_split(mine_names, ';')) as mine from smelters where mine_names is not null)
  where length(trim(mine)) >= 3
),

sites as (
  select site_id, name, country_iso3, lat, lon,
    regexp_replace(lower(strip_accents(name)), '[^a-z0-9]+', ' ', 'g') as name_key,
    -- The name before a qualifier: "Rutongo (Trinity Metals)" → rutongo, "Musha - Ntunga" → musha.
    trim(regexp_replace(lower(strip_accents(regexp_replace(name, '\s(\(| - ).*$', ''))), '[^a-z0-9]+', ' ', 'g'))
      as short_key
  from core.sites
),

mine_sites as (
  select m.buyer_id, m.excel_row, m.mine, s.site_id, s.name as site_name, s.lat, s.lon
  from mines as m
  join sites as s
    on (trim(m.mine_key) = s.short_key or (' ' || s.name_key || ' ') like ('% ' || trim(m.mine_key) || ' %'))
    and (len(m.mine_countries) = 0 or list_contains(m.mine_countries, s.country_iso3))
),

risky as (
  select place_id, name, score, tier, lat, lon from marts.place_risk where tier in ('high', 'severe')
),

mines_near_risk as (
  select buyer_id, excel_row,
    string_agg(
      mine || ' → ' || name || ' (' || tier || ', ' || round(distance_km, 1) || ' km)', '; '
      order by score desc, distance_km
    ) as mines_near_risk
  from (
    select ms.buyer_id, ms.excel_row, ms.mine, r.name, r.tier, r.score,
      core.haversine_km(ms.lat, ms.lon, r.lat, r.lon) as distance_km
    from mine_sites as ms
    cross join risky as r
    cross join params as p
    where core.haversine_km(ms.lat, ms.lon, r.lat, r.lon) <= p.mine_radius_km
    qualify row_number() over (partition by ms.buyer_id, ms.excel_row, ms.mine order by r.score desc) <= 3
  )
  group by all
),

flagged as (
  select
    s.buyer_id, s.excel_row, s.cid, coalesce(s.smelter_name, s.declared_name) as smelter_name, s.metal,
    s.smelter_country_iso3, s.rmap_status, s.match_method, s.mine_names,
    coalesce(c.covered_share, 0) as covered_share, c.covered_origins, n.mines_near_risk,
    list_filter([
      case when s.rmap_status <> 'Conformant' then 'not RMAP Conformant (' || s.rmap_status || ')' end,
      case when s.cid is null and not s.recycled
        then 'smelter not identified (' || s.match_method || '): origin unknown' end,
      case when c.covered_origins is not null then 'sources from covered countries: ' || c.covered_origins end,
      case when n.mines_near_risk is not null then 'declared mine near a high-risk place: ' || n.mines_near_risk end
    ], lambda r: r is not null) as reasons
  from smelters as s
  left join covered_origins as c on c.buyer_id = s.buyer_id and c.excel_row = s.excel_row
  left join mines_near_risk as n on n.buyer_id = s.buyer_id and n.excel_row = s.excel_row
),

final as (
  select
    $as_of::DATE as as_of, * exclude (reasons), len(reasons) > 0 as needs_follow_up,
    array_to_string(reasons, '; ') as reasons
  from flagged
  order by buyer_id, needs_follow_up desc, excel_row
)

select * from final
