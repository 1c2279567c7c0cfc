-- Every source's conflict events in ACLED's taxonomy, before records of one incident in several sources are
-- recognised (core.event_duplicates; core.events adds duplicate_of). event_id = source || ':' || its own id.
with sample_events as (
  select * from staging.sample_events
),

acled_events as (
  select * from staging.acled_events
),

ucdp_events as (
  select * from staging.ucdp_ged_events
),

news_events as (
  select * from staging.news_events
),

legacy_types as (
  select * from reference.acled_legacy_event_types
),

violence_types as (
  select * from reference.ucdp_violence_types
),

-- ACLED edits past events: of all versions of an event_id_cnty (in any file), the newest timestamp wins;
-- a tie goes to the file whose name sorts last, then to the later line.
acled_latest as (
  select *
  from acled_events
  qualify row_number() over (
    partition by event_id_cnty
    order by timestamp desc nulls last, regexp_extract(_file, '[^/\\]+$') desc, _file desc, _line desc
  ) = 1
),

-- Pre-2019 types become today's type and sub-type; a Riots/Protests row by its interaction code first.
-- 'Violence against civilians' is both an old and a current name: only a row without sub-type is old.
acled_typed as (
  select
    a.*,
    coalesce(by_code.event_type, any_code.event_type) as legacy_event_type,
    case when by_code.old_event_type is not null then by_code.sub_event_type else any_code.sub_event_type end
      as legacy_sub_event_type
  from acled_latest as a
  left join legacy_types as by_code
    on by_code.old_event_type = a.event_type and by_code.interaction = a.interaction::VARCHAR
  left join legacy_types as any_code
    on any_code.old_event_type = a.event_type and any_code.interaction = '*'
),

acled as (
  select
    *,
    legacy_event_type is not null
      and (sub_event_type is null or legacy_event_type <> event_type) as is_legacy
  from acled_typed
),

-- GED keeps an event's id across releases; the same id in two files: the file whose name (not folder) sorts
-- last wins (release names sort by version: ged231 < ged241).
ucdp_latest as (
  select *
  from ucdp_events
  qualify row_number() over (
    partition by id order by regexp_extract(_file, '[^/\\]+$') desc, _file desc, _line desc
  ) = 1
),

sample_rows as (
  select
    source || ':' || event_id as event_id,
    source,
    event_id as source_event_id,
    event_date,
    coalesce(date_precision, 1) as date_precision,
    event_type,
    sub_event_type,
    actor1,
    actor2,
    fatalities,
    coalesce(fatalities_approx, false) as fatalities_approx,
    country_iso3,
    admin1,
    admin2,
    location,
    lat,
    lon,
    coalesce(geo_precision, 3) as geo_precision,
    'acled' as precision_family,  -- the sample codes precision on ACLED's 1-3 scale
    notes,
    source_ref,
    source = 'synthetic' as is_synthetic,
    event_date as date_end,
    null::INTEGER as fatalities_low,
    null::INTEGER as fatalities_high,
    null::VARCHAR as original_event_type
  from sample_events
),

acled_rows as (
  select
    'acled:' || event_id_cnty as event_id,
    'acled' as source,
    event_id_cnty as source_event_id,
    event_date,
    coalesce(time_precision, 1) as date_precision,
    case when is_legacy then legacy_event_type else event_type end as event_type,
    case when is_legacy then legacy_sub_event_type else sub_event_type end as sub_event_type,
    actor1,
    actor2,
    fatalities,
    false as fatalities_approx,
    country_iso3,
    admin1,
    admin2,
    location,
    latitude as lat,
    longitude as lon,
    coalesce(geo_precision, 3) as geo_precision,  -- unknown precision: treat as a general area
    'acled' as precision_family,
    notes,
    regexp_extract(_file, '[^/\\]+$') || ' line ' || _line || coalesce('; ' || source, '') as source_ref,
    false as is_synthetic,
    event_date as date_end,
    null::INTEGER as fatalities_low,
    null::INTEGER as fatalities_high,
    case when is_legacy then event_type end as original_event_type
  from acled
),

ucdp_rows as (
  select
    'ucdp:' || u.id as event_id,
    'ucdp' as source,
    u.id::VARCHAR as source_event_id,
    u.date_start as event_date,
    -- GED date_prec 1 exact day; 2 a 2-6 day range, 3 the week → ACLED's week (2); 4 a month, 5 longer → 3
    case when u.date_prec = 1 then 1 when u.date_prec <= 3 then 2 else 3 end as date_precision,
    v.event_type,
    v.sub_event_type,
    u.side_a as actor1,
    u.side_b as actor2,
    u.best as fatalities,
    u.low is distinct from u.high as fatalities_approx,
    u.country_iso3,
    u.adm_1 as admin1,
    u.adm_2 as admin2,
    u.where_description as location,
    u.latitude as lat,
    u.longitude as lon,
    u.where_prec as geo_precision,
    'ucdp' as precision_family,
    u.source_headline as notes,
    regexp_extract(u._file, '[^/\\]+$') || ' line ' || u._line || coalesce('; ' || u.source_article, '')
      as source_ref,
    false as is_synthetic,
    u.date_end,
    u.low as fatalities_low,
    u.high as fatalities_high,
    'UCDP type_of_violence ' || u.type_of_violence || ': ' || v.ucdp_label as original_event_type
  from ucdp_latest as u
  join violence_types as v on v.type_of_violence = u.type_of_violence
),

-- Events proposed from news articles (docs/news.md): the same incident in several articles (same type,
-- sub-type, place and day) is kept once, from the most confident extraction.
news_rows as (
  select
    'news:' || regexp_extract(_file, '[^/\\]+$') || '#' || _line as event_id,
    'news' as source,
    event_key as source_event_id,
    event_date,
    date_precision,
    event_type,
    sub_event_type,
    actor1,
    actor2,
    fatalities,
    coalesce(fatalities_approx, false) as fatalities_approx,
    country_iso3,
    admin1,
    null::VARCHAR as admin2,
    location,
    lat,
    lon,
    geo_precision,
    'acled' as precision_family,
    'Extracted from news (confidence ' || confidence || '): ' || sentence as notes,
    regexp_extract(_file, '[^/\\]+$') || ': "' || sentence || '"' as source_ref,
    false as is_synthetic,
    event_date as date_end,
    null::INTEGER as fatalities_low,
    null::INTEGER as fatalities_high,
    null::VARCHAR as original_event_type
  from news_events
  qualify row_number() over (
    partition by event_type, sub_event_type, location, event_date order by confidence desc, _file, _line
  ) = 1
),

final as (
  select * from sample_rows
  union all by name
  select * from acled_rows
  union all by name
  select * from ucdp_rows
  union all by name
  select * from news_rows
)

select * from final
