"""Small functions that return SQL text. Values are bound as named parameters, never formatted in."""

from __future__ import annotations

from .schema import Column, Table

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
KM_PER_DEGREE_LAT = 111.195  # 2π × 6371.0088 / 360


class Binds:
    """Collects parameter values while SQL is generated; each call returns the placeholder to splice in."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def __call__(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def great_circle_distance_km_sql(lat1: str, lon1: str, lat2: str, lon2: str) -> str:
    """Haversine distance in km between two points given as SQL expressions in degrees."""
    return (
        f"2 * {EARTH_RADIUS_KM} * asin(sqrt("
        f"pow(sin(radians(({lat2}) - ({lat1})) / 2), 2) + "
        f"cos(radians({lat1})) * cos(radians({lat2})) * pow(sin(radians(({lon2}) - ({lon1})) / 2), 2)))"
    )


def haversine_macro_sql() -> str:
    body = great_circle_distance_km_sql("lat1", "lon1", "lat2", "lon2")
    return f"create or replace macro core.haversine_km(lat1, lon1, lat2, lon2) as {body}"


def _text(col: str) -> str:
    return f"nullif(trim({quote_ident(col)}), '')"


def _typed(col: Column) -> str:
    if col.type == "BOOLEAN":
        # Spreadsheets write booleans many ways; anything else is rejected rather than guessed.
        return (
            f"case lower({_text(col.name)}) when 'true' then true when 'yes' then true when '1' then true "
            f"when 'false' then false when 'no' then false when '0' then false end"
        )
    if col.type == "DATE":
        # Only the declared patterns (ISO by default): '03/04/2025' is ambiguous and must not be guessed.
        tries = ", ".join(f"try_strptime({_text(col.name)}, '{f}')" for f in col.formats or ("%Y-%m-%d",))
        return f"coalesce({tries})::DATE" if len(col.formats) > 1 else f"({tries})::DATE"
    return f"try_cast({_text(col.name)} as {col.type})"


def _reasons(col: Column, binds: Binds) -> list[str]:
    raw, typed, name = _text(col.name), _typed(col), col.name
    dates = " or ".join(col.formats) if col.formats else "YYYY-MM-DD"
    expected = {"DATE": f"a date {dates}", "BOOLEAN": "true or false"}.get(col.type or "", col.type)
    out = [
        f"case when {raw} is not null and {typed} is null then "
        f"{binds(f'{name}: expected {expected}, got ')} || {raw} end"
    ]
    if col.required:
        out.append(f"case when {raw} is null then {binds(f'{name}: required value is missing')} end")
    if (bounds := col.check("range")) is not None:
        lo, hi = bounds
        cast = "DATE" if col.type == "DATE" else "DOUBLE"
        out.append(
            f"case when {typed} not between {binds(lo)}::{cast} and {binds(hi)}::{cast} then "
            f"{binds(f'{name}: expected a value in [{lo}, {hi}], got ')} || {raw} end"
        )
    if (allowed := col.check("accepted_values")) is not None:
        message = f"{name}: expected one of {', '.join(allowed)}, got "
        out.append(
            f"case when {raw} is not null and not list_contains({binds(list(allowed))}, {raw}) then "
            f"{binds(message)} || {raw} end"
        )
    return out


def validate_sql(spec: Table, raw_table: str, binds: Binds) -> str:
    """Typed columns plus `_reasons` (a list of why the row cannot load) for every row of `raw_table`.

    `raw_table` has all-VARCHAR columns named as in the spec and a `_line` column. Duplicate keys are
    reasons too: the first occurrence loads, later ones are rejected naming the line they repeat.
    """
    typed = ",\n    ".join(f"{_typed(c)} as {quote_ident(c.name)}" for c in spec.columns)
    reasons = ",\n      ".join(r for c in spec.columns for r in _reasons(c, binds))
    key = ", ".join(quote_ident(k) for k in spec.unique_key)
    dup = "[]::VARCHAR[]"
    if key:
        dup = (
            f"case when row_number() over (partition by {key} order by _line) > 1 then "
            f"[{binds('duplicate key (' + ', '.join(spec.unique_key) + ') first seen on line ')} "
            f"|| first_value(_line) over (partition by {key} order by _line)] else [] end"
        )
    return f"""
with raw as (select * from {raw_table}),
checked as (
  select
    _line,
    {typed},
    list_filter([
      {reasons}
    ], lambda r: r is not null) as _row_reasons,
    to_json(raw) as _raw
  from raw
),
final as (
  select * exclude (_row_reasons),
    case when len(_row_reasons) > 0 then _row_reasons else {dup} end as _reasons
  from checked
)
select * from final
"""
