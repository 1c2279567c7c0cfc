-- Conflict events in ACLED's taxonomy from every source (core.event_records), each record kept. A record of
-- an incident that a preferred source also recorded points to that source's record in duplicate_of, so that
-- scores count the incident once (filter `duplicate_of is null`); core.event_duplicates says why.
with records as (
  select * from core.event_records
),

duplicates as (
  select * from core.event_duplicates
),

final as (
  select
    r.*,
    d.duplicate_of
  from records as r
  left join duplicates as d on d.event_id = r.event_id
)

select * from final
