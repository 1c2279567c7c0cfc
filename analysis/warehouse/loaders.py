"""The build's Python steps: loading input files, and the few transforms that need a library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from .. import countries
from ..matching import resolve_smelters
from ..schema import tables
from ..sources import registry
from ..sources.cmrt import load_cmrt, split_mine_countries
from ..sources.csv_table import create_staging, load_csv
from ..sources.errors import InputError
from . import meta


@dataclass
class BuildContext:
    build_id: int
    params: dict[str, object]
    sample_dir: Path | None
    reference_dir: Path
    as_of: date | None = None
    inputs: list = field(default_factory=list)  # the user's files: warehouse.inputs.Input
    files: list[str] = field(default_factory=list)


def _shown(path: Path) -> Path:
    """Paths inside the working directory are recorded relative to it: shorter, the same on every clone."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path.resolve()


def _load_declared_files(con, ctx: BuildContext, schema: str, folder: Path, fmt: str) -> None:
    for spec in tables().values():
        if spec.schema != schema or not spec.files:
            continue
        for name in spec.files:
            path = _shown(folder / name)
            if not path.is_file():
                raise InputError(f"{path}: file not found (declared for {spec.name} in schema/*.yml)")
            stats = load_csv(con, path, spec, ctx.build_id, fmt)
            date_col = next((c.name for c in spec.columns if c.type == "DATE" and c.required), None)
            meta.record_file(con, ctx.build_id, path, stats, date_col)
            ctx.files.append(str(path))


def load_reference(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """reference.*: the lookup tables in datasets/reference/, validated like any input."""
    con.execute("create schema if not exists reference")
    _load_declared_files(con, ctx, "reference", ctx.reference_dir, "reference_csv")


def load_sample(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """staging.sample_*: the bundled sample's CSV files and its example buyer's CMRT."""
    con.execute("create schema if not exists staging")
    if ctx.sample_dir is None:
        return
    _load_declared_files(con, ctx, "staging", ctx.sample_dir, "sample_csv")
    for path in map(_shown, sorted(ctx.sample_dir.glob("*.xlsx"))):
        stats = load_cmrt(con, path, ctx.build_id)
        meta.record_file(con, ctx.build_id, path, stats)
        ctx.files.append(str(path))


def load_inputs(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """staging.<format>_*: the user's own files, each read by the adapter of its format."""
    for item in ctx.inputs:
        if not item.path.is_file():
            raise InputError(f"{item.path}: registered input is missing; restore it or rebuild without it")
        if meta.sha256_of(item.path) != item.sha256:
            raise InputError(f"{item.path}: changed since it was registered; ingest it again")
        for stats in registry.get(item.format).load(con, item.path, ctx.build_id):
            meta.record_file(con, ctx.build_id, item.path, stats)
        con.execute(
            "insert or replace into meta.inputs values (?, ?, ?, now()::timestamp)",
            [str(item.path), item.format, item.sha256],
        )
        ctx.files.append(str(item.path))


def ensure_empty_staging(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Create every declared staging table that no input filled, so core SQL always has its inputs."""
    for spec in tables().values():
        if spec.schema == "staging":
            create_staging(con, spec)


def core_countries(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """core.countries: the name of every country code used in the warehouse, from country_converter."""
    codes = [
        r[0]
        for r in con.sql(
            "select country_iso3 from core.sites union select country_iso3 from core.hubs "
            "union select country_iso3 from core.events union select country_iso3 from core.production "
            "union select reporter_iso3 from core.trade_flows "
            "union select partner_iso3 from core.trade_flows "
            "union select country_iso3 from core.smelters "
            "union select country_iso3 from reference.country_baseline_risk "
            "union select unnest(['_X', '_R'])"
        ).fetchall()
        if r[0]
    ]
    named = countries.names(sorted(codes))
    con.register("_countries", pd.DataFrame({"iso3": list(named), "name": list(named.values())}))
    con.execute("create or replace table core.countries as select * from _countries order by iso3")
    con.unregister("_countries")


def core_buyer_smelters(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """core.buyer_smelters: each declared smelter of each buyer, resolved to an RMI id where possible
    (analysis/matching.py: by id, else by name and alias; weak matches kept for review, not used)."""
    declared = con.sql(
        "select b.buyer_id, s.* from staging.cmrt_smelter_list as s "
        "join core.buyers as b on b.name = s.company_name and b.declaration_file = s.file"
    ).df()
    smelters = con.sql("select cid, name, metal from core.smelters").df()
    aliases = con.sql("select metal, alias, cid from core.smelter_aliases").df()
    resolved = resolve_smelters(declared, smelters, aliases)
    mines = [split_mine_countries(t) for t in resolved["mine_countries"]]
    resolved["mine_country_codes"] = pd.Series([m[0] for m in mines], index=resolved.index, dtype=object)
    resolved["unmatched_mine_countries"] = ["; ".join(m[1]) or None for m in mines]
    resolved["declared_country_iso3"] = [
        countries.to_iso3(c) if isinstance(c, str) and c.strip() else None
        for c in resolved["smelter_country"]
    ]
    con.register("_resolved", resolved)
    con.execute(
        """
        create or replace table core.buyer_smelters as
        with r as (
          -- typed here: an empty frame (no CMRT loaded) carries no types of its own
          select
            buyer_id::VARCHAR as buyer_id, excel_row::INTEGER as excel_row, metal::VARCHAR as metal,
            smelter_name::VARCHAR as smelter_name, smelter_lookup::VARCHAR as smelter_lookup,
            smelter_id::VARCHAR as smelter_id, id_input::VARCHAR as id_input, id_flag::VARCHAR as id_flag,
            declared_country_iso3::VARCHAR as declared_country_iso3, cid::VARCHAR as cid,
            match_method::VARCHAR as match_method, match_score::DOUBLE as match_score,
            match_candidate::VARCHAR as match_candidate, match_alias::VARCHAR as match_alias,
            mine_names::VARCHAR as mine_names, mine_country_codes::VARCHAR[] as mine_country_codes,
            unmatched_mine_countries::VARCHAR as unmatched_mine_countries,
            recycled_flag::BOOLEAN as recycled_flag, comments::VARCHAR as comments, file::VARCHAR as file
          from _resolved
        )
        select
          r.buyer_id, r.excel_row, r.metal,
          case r.metal when 'Tin' then 'Sn' when 'Tantalum' then 'Ta' when 'Tungsten' then 'W'
            when 'Gold' then 'Au' end as metal_symbol,
          coalesce(r.smelter_name, r.smelter_lookup) as declared_name,
          coalesce(r.smelter_id, r.id_input) as declared_cid,
          r.id_flag,
          r.declared_country_iso3,
          r.cid,
          s.name as smelter_name,
          coalesce(s.country_iso3, r.declared_country_iso3) as smelter_country_iso3,
          coalesce(s.rmap_status, 'Unknown') as rmap_status,
          r.match_method,
          r.match_score,
          r.match_candidate,
          r.match_alias,
          r.mine_names,
          coalesce(r.mine_country_codes, []::VARCHAR[]) as mine_countries,
          r.unmatched_mine_countries,
          -- Only a declared Yes makes the feed recycled: an unanswered question is not a claim.
          coalesce(r.recycled_flag, false) as recycled,
          r.recycled_flag as recycled_declared,
          r.comments, r.file as declaration_file
        from r
        left join core.smelters as s on s.cid = r.cid
        order by r.buyer_id, r.excel_row
        """
    )
    con.unregister("_resolved")
