-- Every name a smelter goes by, per metal, for resolving declared names to CIDs (analysis/matching.py):
-- RMI's look-up aliases and standard names, and the name core.smelters gives each CID (which covers the
-- facilities known only from an RMAP list or the sample). An alias listed by several sources appears once,
-- with the first source in that order.
with lookup_rows as (
  select * from staging.rmi_smelter_lookup
),

smelters as (
  select * from core.smelters
),

names as (
  select metal, smelter_lookup_alias as alias, smelter_id as cid, 'look-up alias' as source, 1 as rank
  from lookup_rows
  union all
  select metal, standard_smelter_name, smelter_id, 'look-up standard name', 2 from lookup_rows
  union all
  select metal, name, cid, 'smelter name', 3 from smelters
),

final as (
  select metal, alias, cid, first(source order by rank) as source
  from names
  where nullif(trim(alias), '') is not null
  group by metal, alias, cid
  order by metal, alias, cid
)

select * from final
