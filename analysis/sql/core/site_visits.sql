-- Every IPIS visit to a mining site, from the visits layer and from the site extract, in minrisk's words
-- (reference.ipis_terms). A visits-layer site is its pcode; the extract has none, so its site is the name
-- plus the coordinates rounded to 0.001° (≈ 110 m), and its rows of one site and date are one visit.
with visits_layer as (
  select * from staging.ipis_visits
),

extract_rows as (
  select * from staging.ipis_datacamp
),

terms as (
  -- terms differing only in case or accents must agree (else the maps below fail: keys must be unique)
  select distinct
    field,
    lower(strip_accents(trim(term))) as term,
    -- actor kinds match whole words: ' police ' is in ' police des mines ', not in ' policier '
    ' ' || trim(regexp_replace(lower(strip_accents(term)), '[^a-z0-9]+', ' ', 'g')) || ' ' as term_words,
    value
  from reference.ipis_terms
),

vocab as (
  select
    map(list(term) filter (where field = 'mineral'), list(value) filter (where field = 'mineral')) as minerals,
    map(list(term) filter (where field = 'flag'), list(value) filter (where field = 'flag')) as flags,
    map(list(term) filter (where field = 'qualification'), list(value) filter (where field = 'qualification'))
      as qualifications
  from terms
),

-- One visit per vid, should two loaded files share one.
layer as (
  select * from visits_layer
  qualify row_number() over (partition by vid order by _file, _line) = 1
),

-- Armed actors 1-3 of each visit, and the roadblock operator, one row each.
actor_slots as (
  select l.vid, a.*
  from layer as l,
    unnest([
      {'slot': 1, 'actor': nullif(trim(l.armed_group1), ''), 'category': l.type_armed_group1,
        'frequency': l.frequency_armed_group1,
        'flags': [l.taxation_armed_group1, l.entrance_tax_armed_group1, l.trade_tax_armed_group1,
          l.buying_armed_group1, l.digging_armed_group1, l.forced_labour_armed_group1,
          l.monopoly_armed_group1, l.pillaging_armed_group1]},
      {'slot': 2, 'actor': nullif(trim(l.armed_group2), ''), 'category': l.type_armed_group2,
        'frequency': l.frequency_armed_group2,
        'flags': [l.taxation_armed_group2, l.entrance_tax_armed_group2, l.trade_tax_armed_group2,
          l.buying_armed_group2, l.digging_armed_group2, l.forced_labour_armed_group2,
          l.monopoly_armed_group2, l.pillaging_armed_group2]},
      {'slot': 3, 'actor': nullif(trim(l.armed_group3), ''), 'category': l.type_armed_group3,
        'frequency': l.frequency_armed_group3,
        'flags': [l.taxation_armed_group3, l.entrance_tax_armed_group3, l.trade_tax_armed_group3,
          l.buying_armed_group3, l.digging_armed_group3, l.forced_labour_armed_group3,
          l.monopoly_armed_group3, l.pillaging_armed_group3]},
      {'slot': 0, 'actor': nullif(trim(l.roadblocks_actor), ''), 'category': null, 'frequency': null,
        'flags': []::VARCHAR[]}
    ]) as u(a)
),

actor_words as (
  select
    *,
    ' ' || trim(regexp_replace(lower(strip_accents(coalesce(category, ''))), '[^a-z0-9]+', ' ', 'g')) || ' '
      as category_words,
    ' ' || trim(regexp_replace(lower(strip_accents(coalesce(actor, ''))), '[^a-z0-9]+', ' ', 'g')) || ' '
      as actor_words
  from actor_slots
),

-- The actor's kind from IPIS's category when it names one, else from the actor's name; the longest
-- matching term wins ('police des mines' before 'police'). Named actors default to non-state groups.
actor_kinds as (
  select
    a.vid,
    a.slot,
    any_value(a.actor) as actor,
    any_value(a.frequency) as frequency,
    any_value(a.flags) as flags,
    coalesce(
      arg_max(t.value, length(t.term_words)) filter (where contains(a.category_words, t.term_words)),
      arg_max(t.value, length(t.term_words)) filter (where contains(a.actor_words, t.term_words)),
      case when any_value(a.actor) is not null then 'non_state_armed_group' else 'unidentified' end
    ) as actor_kind
  from actor_words as a
  left join terms as t
    on t.field = 'actor_kind'
    and (contains(a.category_words, t.term_words) or contains(a.actor_words, t.term_words))
  group by a.vid, a.slot
),

actor_rows as (
  select
    k.*,
    list_filter(
      list_transform(
        ['taxation', 'entrance_tax', 'trade_tax', 'buying', 'digging', 'forced_labour', 'monopoly', 'pillaging'],
        lambda kind, i: case when v.flags[lower(strip_accents(trim(k.flags[i])))] = 'true' then kind end
      ),
      lambda kind: kind is not null
    ) as interference
  from actor_kinds as k
  cross join vocab as v
),

actor_lists as (
  select
    vid,
    list(
      {'actor': actor, 'actor_kind': actor_kind, 'frequency': frequency, 'interference': interference}
      order by slot
    ) filter (where slot > 0 and actor_kind <> 'none' and (actor is not null or len(interference) > 0))
      as actors,
    -- 'Aucun' as a roadblock's operator names nobody
    any_value(actor) filter (where slot = 0 and actor_kind <> 'none') as roadblock_operator,
    any_value(actor_kind) filter (where slot = 0 and actor_kind <> 'none') as roadblock_operator_kind
  from actor_rows
  group by vid
),

from_layer as (
  select
    'IPIS-V-' || l.vid as visit_id,
    'IPIS-' || l.pcode as ipis_site_id,
    l.pcode,
    l.vid,
    l.visit_date,
    l.name,
    l.lat,
    l.lon,
    nullif(trim(l.province), '') as admin1,
    nullif(trim(l.territoire), '') as admin2,
    l.workers_numb as workers,
    list_transform(
      list_filter([l.mineral1, l.mineral2, l.mineral3], lambda m: nullif(trim(m), '') is not null),
      lambda m: coalesce(v.minerals[lower(strip_accents(trim(m)))], lower(strip_accents(trim(m))))
    ) as minerals,
    list_transform(
      list_filter(
        [
          {'mineral': l.mineral1, 'selling_point': l.selling_points_mineral1,
            'final_destination': l.final_destination_mineral1},
          {'mineral': l.mineral2, 'selling_point': l.selling_points_mineral2,
            'final_destination': l.final_destination_mineral2},
          {'mineral': l.mineral3, 'selling_point': l.selling_points_mineral3,
            'final_destination': l.final_destination_mineral3}
        ],
        lambda r: r.selling_point is not null or r.final_destination is not null
      ),
      lambda r: {
        'mineral': coalesce(v.minerals[lower(strip_accents(trim(r.mineral)))], lower(strip_accents(trim(r.mineral)))),
        'selling_point': r.selling_point,
        'final_destination': r.final_destination
      }
    ) as mineral_routes,
    coalesce(a.actors, []) as armed_actors,
    v.flags[lower(strip_accents(trim(l.interference)))]::BOOLEAN as interference,
    v.flags[lower(strip_accents(trim(l.roadblocks)))]::BOOLEAN as roadblock,
    a.roadblock_operator,
    case
      when v.flags[lower(strip_accents(trim(l.roadblocks)))] = 'true' or a.roadblock_operator is not null
      then a.roadblock_operator_kind
    end as roadblock_operator_kind,
    v.flags[lower(strip_accents(trim(l.childunder15)))]::BOOLEAN as child_labour,
    v.qualifications[lower(strip_accents(trim(l.qualification)))] as qualification,
    v.flags[lower(strip_accents(trim(l.itsci)))]::BOOLEAN as itsci,
    nullif(trim(l.project), '') as project,
    'ipis' as source_format,
    -- a GeoJSON row is a feature, numbered from 1; a CSV row is a line, the header being line 1
    l._file || case when regexp_matches(lower(l._file), '\.(geo)?json$') then ' feature ' else ' line ' end
      || l._line as source_ref
  from layer as l
  cross join vocab as v
  left join actor_lists as a on a.vid = l.vid
),

extract_sites as (
  select
    *,
    'IPIS-DC-' || trim(regexp_replace(lower(strip_accents(trim(name))), '[^a-z0-9]+', '-', 'g'), '-')
      || '@' || printf('%.3f,%.3f', round(lat, 3) + 0.0, round(lon, 3) + 0.0) as ipis_site_id
  from extract_rows
),

from_extract as (
  select
    ipis_site_id || '/' || visit_date as visit_id,
    ipis_site_id,
    null::VARCHAR as pcode,
    null::VARCHAR as vid,
    visit_date,
    arg_min(name, _line) as name,
    arg_min(lat, _line) as lat,
    arg_min(lon, _line) as lon,
    null::VARCHAR as admin1,
    null::VARCHAR as admin2,
    max(n_workers) as workers,  -- rows of one visit repeat the site's count, one row per mineral
    list(
      coalesce(v.minerals[lower(strip_accents(trim(mineral)))], lower(strip_accents(trim(mineral))))
      order by _line
    ) as minerals,
    []::STRUCT(mineral VARCHAR, selling_point VARCHAR, final_destination VARCHAR)[] as mineral_routes,
    -- the extract says nothing on armed actors: unknown (NULL), not absent
    null::STRUCT(actor VARCHAR, actor_kind VARCHAR, frequency VARCHAR, interference VARCHAR[])[] as armed_actors,
    null::BOOLEAN as interference,
    null::BOOLEAN as roadblock,
    null::VARCHAR as roadblock_operator,
    null::VARCHAR as roadblock_operator_kind,
    null::BOOLEAN as child_labour,
    null::VARCHAR as qualification,
    null::BOOLEAN as itsci,
    null::VARCHAR as project,
    'ipis_datacamp' as source_format,
    min(_file) || case when regexp_matches(lower(min(_file)), '\.(geo)?json$') then ' feature ' else ' line ' end
      || string_agg(_line::VARCHAR, ', ' order by _line) as source_ref
  from extract_sites
  cross join vocab as v
  group by ipis_site_id, visit_date
),

all_visits as (
  select * from from_layer
  union all by name
  select * from from_extract
),

final as (
  select
    visit_id,
    ipis_site_id,
    pcode,
    vid,
    visit_date,
    -- IPIS's 2009 and 2010 campaigns date many visits 1 January: the year is known, the day is not
    month(visit_date) = 1 and day(visit_date) = 1 as date_approx,
    name,
    lat,
    lon,
    admin1,
    admin2,
    workers,
    -- each mineral once, in the source's order (the main mineral first)
    list_filter(minerals, lambda m, i: m is not null and list_position(minerals, m) = i) as minerals,
    mineral_routes,
    armed_actors,
    list_transform(armed_actors, lambda a: coalesce(a.actor, 'unidentified armed actor')) as armed_groups,
    interference,
    case when armed_actors is not null then coalesce(
      list_bool_or(list_transform(armed_actors, lambda a: list_contains(a.interference, 'forced_labour'))), false
    ) end as forced_labour,
    roadblock,
    roadblock_operator,
    roadblock_operator_kind,
    child_labour,
    qualification,
    itsci,
    project,
    'ipis' as source,
    source_format,
    source_ref
  from all_visits
)

select * from final
