-- Armed interference at mining sites, one row per visit, actor and kind, with the OECD Due Diligence
-- Guidance Annex II risk it evidences. Every armed actor present is a 'presence' row; IPIS's interference
-- flag without details is an 'interference' row; a roadblock on the site's access is a 'roadblocks' row.
with visits as (
  select * from core.site_visits
),

matches as (
  select * from core.site_matches
),

annex as (
  select * from reference.armed_interference_annex_ii
),

actors as (
  select v.visit_id, v.ipis_site_id, v.visit_date, v.interference as interference_flag, v.source_ref, a.*
  from visits as v, unnest(v.armed_actors) as u(a)
),

kinds as (
  select visit_id, ipis_site_id, visit_date, actor, actor_kind, frequency, 'presence' as interference, source_ref
  from actors
  where actor is not null
  union all
  select visit_id, ipis_site_id, visit_date, actor, actor_kind, frequency, unnest(interference), source_ref
  from actors
  union all
  select visit_id, ipis_site_id, visit_date, actor, actor_kind, frequency, 'interference', source_ref
  from actors
  where interference_flag and len(interference) = 0 and actor is not null
  union all
  select
    visit_id, ipis_site_id, visit_date, roadblock_operator, coalesce(roadblock_operator_kind, 'unidentified'),
    null, 'roadblocks', source_ref
  from visits
  where roadblock
),

final as (
  select
    m.site_id,
    k.visit_id,
    k.visit_date,
    k.actor,
    k.actor_kind,
    k.frequency,
    k.interference,
    a.annex_ii_paragraph,
    a.annex_ii_risk,
    k.source_ref
  from kinds as k
  join matches as m on m.ipis_site_id = k.ipis_site_id
  left join annex as a on a.interference = k.interference and a.actor_kind = k.actor_kind
)

select * from final
