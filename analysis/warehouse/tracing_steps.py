"""The build's Python step for tracing metal through re-exports: marts.origin_attribution.

Per metal and year, the ore trade matrix and mine production go through Kastner et al.'s re-export
attribution (analysis/tracing/attribution.py); an unexplained surplus is its own origin '_U:<country>', or,
with trade.attribute_surplus, is reassigned to the candidate origins of reference.surplus_attribution.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ..sources.errors import InputError
from ..tracing.attribution import UNEXPLAINED, attribute
from ..tracing.stages import closed_cycles, site_hub_edges, stage_multipliers

# One source per importer, metal and year (Comtrade > BACI > sample, as marts.smelter_origin_mix_at); within
# it the importer's own record of its imports where it has one, else its partners' records of exports to it.
# Partners that are not countries ('_X' n.e.s.) stay: their flows leave the exporter's supply.
ORE_FLOWS_SQL = """
with ore_flows as (
  select f.year, f.metal, f.flow, f.metal_t,
    case when f.flow = 'X' then f.reporter_iso3 else f.partner_iso3 end as exporter,
    case when f.flow = 'M' then f.reporter_iso3 else f.partner_iso3 end as importer,
    case f.source when 'comtrade' then 1 when 'baci' then 2 else 3 end as source_rank
  from core.trade_flows as f
  join reference.metal_content as m on m.code = f.hs_code and m.code_type = 'hs' and m.code like '26%'
  where f.flow in ('X', 'M') and f.metal_t > 0
),
best as (
  select importer, metal, year, min(source_rank) as source_rank from ore_flows group by all
),
chosen as (
  select f.*, bool_or(f.flow = 'M') over (partition by f.importer, f.metal, f.year) as importer_reports
  from ore_flows as f join best as b using (importer, metal, year, source_rank)
)
select metal, year, exporter, importer, sum(metal_t) as tonnes
from chosen
where (flow = 'M') = importer_reports
group by all
order by metal, year, exporter, importer
"""

_PRODUCTION = """
select metal, year, country_iso3 as country, tonnes_metal as tonnes
from core.production where tonnes_metal > 0 and country_iso3 <> 'WLD'
"""

_PARAM = "select value from meta.params where key = 'trade.attribute_surplus'"

_CANDIDATES = """
select country_iso3 as country, candidate_origin,
  weight / sum(weight) over (partition by country_iso3) as weight
from reference.surplus_attribution where weight > 0
"""

COLUMNS = [
    "year",
    "metal",
    "country",
    "origin",
    "supply_t",
    "share",
    "use_t",
    "exports_t",
    "via",
    "production_year",
    "basis",
]


def production_year(years: list[int], year: int) -> int | None:
    """The production year used with a trade year: the same year, else the latest earlier, else the
    earliest later one (USGS tables cover the last two years only; trade statistics go further back)."""
    if not years:
        return None
    earlier = [y for y in years if y <= year]
    return max(earlier) if earlier else min(years)


def reassign_surplus(origins: pd.DataFrame, candidates: pd.DataFrame) -> pd.DataFrame:
    """Split each '_U:<c>' row among c's candidate origins by weight; rows without candidates stay."""
    weights = candidates.groupby("country")[["candidate_origin", "weight"]]
    rows = []
    for row in origins.to_dict("records"):
        via = row["origin"][len(UNEXPLAINED) + 1 :] if row["origin"].startswith(f"{UNEXPLAINED}:") else None
        if via is None or via not in weights.groups:
            rows.append({**row, "via": via})
            continue
        for cand in weights.get_group(via).itertuples(index=False):
            scaled = {k: row[k] * cand.weight for k in ("supply_t", "share", "use_t", "exports_t")}
            rows.append({**row, **scaled, "origin": cand.candidate_origin, "via": via})
    out = pd.DataFrame(rows, columns=[*origins.columns, "via"])
    keys = ["country", "origin", "via"]
    return out.groupby(keys, dropna=False, as_index=False)[["supply_t", "share", "use_t", "exports_t"]].sum()


def origin_attribution(
    flows: pd.DataFrame, production: pd.DataFrame, candidates: pd.DataFrame | None
) -> pd.DataFrame:
    """Attributed origins of every country's supply, per metal and trade year (pure: frames in, frame out)."""
    parts = []
    for (metal, year), group in flows.groupby(["metal", "year"]):
        prod = production[production["metal"] == metal]
        p_year = production_year(sorted(prod["year"].unique().tolist()), int(year))
        p = prod[prod["year"] == p_year].groupby("country")["tonnes"].sum()
        # Pseudo-partners ('_X' areas n.e.s.) are origins of their own: what they ship is their 'production'.
        pseudo = group[group["exporter"].str.startswith("_")].groupby("exporter")["tonnes"].sum()
        p = p.add(pseudo, fill_value=0.0)
        origins = attribute(p, group[["exporter", "importer", "tonnes"]])
        if candidates is not None:
            origins = reassign_surplus(origins, candidates)
        else:
            origins["via"] = origins["origin"].str.extract(rf"^{UNEXPLAINED}:(.*)$")[0]
        origins = origins.assign(year=int(year), metal=metal, production_year=p_year)
        parts.append(origins)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out[~out["country"].str.startswith("_")]  # '_X' partners n.e.s. are sinks, not countries
    out["basis"] = "tonnes of contained " + out["metal"]
    return out[COLUMNS].sort_values(["metal", "year", "country", "supply_t"], ascending=[1, 1, 1, 0])


def marts_origin_attribution(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """marts.origin_attribution: the step (reads core.trade_flows, core.production, reference.metal_content,
    reference.surplus_attribution and meta.params)."""
    flows = con.sql(ORE_FLOWS_SQL).df()
    production = con.sql(_PRODUCTION).df()
    param = con.execute(_PARAM).fetchall()
    reassign = not param or param[0][0] == "True"
    candidates = con.sql(_CANDIDATES).df() if reassign else None
    out = origin_attribution(flows, production, candidates).reset_index(drop=True)
    con.register("_origin_attribution", out)
    con.execute(
        "create or replace table marts.origin_attribution as select year::INTEGER as year, metal, country, "
        "origin, supply_t, share, use_t, exports_t, via, production_year::INTEGER as production_year, basis "
        "from _origin_attribution"
    )
    con.unregister("_origin_attribution")


_SMELTER_MIX = "select metal, smelter_country, cid, origin, tonnes, share from marts.smelter_origin_mix"

_BUYER_ROWS = """
select buyer_id, excel_row, cid, metal_symbol as metal, origin_iso3 as origin, share, basis, origin_risk
from marts.buyer_smelter_origins_at(?::DATE)
"""

_ORIGIN_RISK = """
with origins as (
  select distinct metal, origin from marts.smelter_origin_mix
),
risk as (
  select * from marts.origin_risk_at(?::DATE)
)
select o.metal, o.origin, coalesce(r.risk, p.risk) as risk
from origins as o
left join risk as r on r.country_iso3 = o.origin and r.metal = o.metal
left join risk as p on p.country_iso3 = '_X' and p.metal = o.metal
"""


# User-provided tiers downstream of the buyers (staging.supply_tiers): a supplier that is a buyer (by id or
# name) is its buyer node, any other supplier a company node; metals as symbols, as the stage graph.
_TIERS = """
with tiers as (
  select supplier, customer, share,
    case metal when 'Tin' then 'Sn' when 'Tantalum' then 'Ta' when 'Tungsten' then 'W' else metal end as metal
  from staging.supply_tiers
),
buyers as (
  select buyer_id, buyer_id as key from core.buyers
  union select buyer_id, lower(trim(name)) as key from core.buyers
)
select t.metal,
  coalesce('buyer:' || any_value(b.buyer_id), 'company:' || trim(t.supplier)) as source,
  'company:' || trim(t.customer) as target, t.share
from tiers as t left join buyers as b on b.key = t.supplier or b.key = lower(trim(t.supplier))
group by t.metal, t.supplier, t.customer, t.share
"""

_POOLED = "select metal, '_X' as origin, risk from marts.origin_risk_at(?::DATE) where country_iso3 = '_X'"


def tier_edges(tiers: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Edges (metal, source, target, tonnes) of the company tiers: supplier → customer weighted by share (a
    customer's node takes one unit of metal). Shares summing to more than 1 are scaled to 1; a shortfall, and
    the share of a supplier the graph does not know (neither a buyer in it nor a customer of another row),
    come from the unknown origin 'origin:_X' at the pooled risk. `nodes`: metal, node of the graph so far."""
    cols = ["metal", "source", "target", "tonnes"]
    if tiers.empty:
        return pd.DataFrame(columns=cols)
    known = set(zip(nodes["metal"], nodes["node"], strict=True)) | set(
        zip(tiers["metal"], tiers["target"], strict=True)
    )
    total = tiers.groupby(["metal", "target"])["share"].transform("sum")
    edges = tiers.assign(tonnes=tiers["share"] / total.clip(lower=1.0))
    unknown = [(m, s) not in known for m, s in zip(edges["metal"], edges["source"], strict=True)]
    edges.loc[unknown, "source"] = "origin:_X"
    rest = edges.groupby(["metal", "target"], as_index=False)["tonnes"].sum()
    rest = rest.assign(tonnes=1.0 - rest["tonnes"], source="origin:_X")
    rest = rest[rest["tonnes"] > 1e-9]
    return pd.concat([edges[cols], rest[cols]], ignore_index=True)


def stage_edges(mix: pd.DataFrame, buyer_rows: pd.DataFrame) -> pd.DataFrame:
    """The stage graph's edges (metal, source, target, tonnes): origin → supplying country (its attributed
    supply), country → smelter (one unit: a smelter takes its country's mix), smelter → buyer (1/n per
    declared smelter, as a CMRT states no volumes) and origin → buyer for the rows whose origins do not come
    from the smelter's country (declared mine countries, recycled, unresolved smelters)."""
    mix = mix.assign(tonnes=mix["tonnes"].fillna(mix["share"]))
    supply = mix.drop_duplicates(["metal", "smelter_country", "origin"]).assign(
        source="origin:" + mix["origin"], target="country:" + mix["smelter_country"]
    )
    smelters = mix.drop_duplicates(["metal", "cid"]).assign(
        source="country:" + mix["smelter_country"], target="smelter:" + mix["cid"], tonnes=1.0
    )
    rows = buyer_rows.copy()
    rows["n"] = rows.groupby(["buyer_id", "metal"])["excel_row"].transform("nunique")
    from_mix = ["trade statistics", "pooled unknown", "unexplained surplus"]  # the smelter country's mix
    by_mix = rows["basis"].isin(from_mix) & rows["cid"].notna()
    by_mix &= rows["cid"].isin(mix["cid"])
    via_smelter = rows[by_mix].drop_duplicates(["buyer_id", "excel_row"])
    via_smelter = via_smelter.assign(
        source="smelter:" + via_smelter["cid"],
        target="buyer:" + via_smelter["buyer_id"],
        tonnes=1.0 / via_smelter["n"],
    )
    direct = rows[~by_mix]
    direct = direct.assign(
        source="origin:" + direct["origin"],
        target="buyer:" + direct["buyer_id"],
        tonnes=direct["share"] / direct["n"],
    )
    cols = ["metal", "source", "target", "tonnes"]
    return pd.concat([supply[cols], smelters[cols], via_smelter[cols], direct[cols]], ignore_index=True)


_SITE_PATHS = """
select w.metal, w.country_iso3 as origin, w.site_id, w.share as site_share, p.path_no, p.step, p.place_id,
  p.share, p.increment
from marts.site_weights() as w
join marts.site_path_risk_at(?::DATE) as p on p.site_id = w.site_id
where w.share > 0
"""


def with_site_tiers(edges: pd.DataFrame, risk: pd.DataFrame, paths: pd.DataFrame):
    """Add the mine sites and hubs above every origin of the graph that is scored by its sites: their edges,
    and their risk in place of the origin's own (it arrives through them). risk: metal, node, risk."""
    in_graph = set(zip(edges["metal"], edges["source"], strict=True))
    keep = [(m, "origin:" + o) in in_graph for m, o in zip(paths["metal"], paths["origin"], strict=True)]
    paths = paths[pd.Series(keep, index=paths.index, dtype=bool)]
    if paths.empty:
        return edges, risk
    shipped = edges[edges["source"].str.startswith("origin:") & edges["target"].str.startswith("country:")]
    tonnes = shipped.groupby(["metal", shipped["source"].str[len("origin:") :]])["tonnes"].sum()
    tonnes.index.names = ["metal", "origin"]
    site_edges, site_risk = site_hub_edges(paths, tonnes)
    scored = set(zip(paths["metal"], "origin:" + paths["origin"], strict=True))
    keep = [(m, n) not in scored for m, n in zip(risk["metal"], risk["node"], strict=True)]
    risk = risk[pd.Series(keep, index=risk.index, dtype=bool)]
    return pd.concat([edges, site_edges], ignore_index=True), pd.concat([risk, site_risk], ignore_index=True)


def marts_stage_multipliers(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """marts.stage_multipliers: risk per tonne at every node of the stage graph at the build's as-of date
    (reads marts.smelter_origin_mix, marts.buyer_smelter_origins_at, marts.origin_risk_at, for the sites and
    hubs marts.site_weights and marts.site_path_risk_at, and for the company tiers staging.supply_tiers and
    core.buyers)."""
    mix = con.sql(_SMELTER_MIX).df()
    buyer_rows = con.execute(_BUYER_ROWS, [ctx.as_of]).df()
    risk = con.execute(_ORIGIN_RISK, [ctx.as_of]).df()
    buyer_risk = buyer_rows[["metal", "origin", "origin_risk"]].rename(columns={"origin_risk": "risk"})
    risk = pd.concat([risk, buyer_risk]).drop_duplicates(["metal", "origin"])
    edges = stage_edges(mix, buyer_rows)
    graph = pd.concat(
        [
            edges[["metal", "source"]].rename(columns={"source": "node"}),
            edges[["metal", "target"]].rename(columns={"target": "node"}),
        ]
    )
    tiers = tier_edges(con.sql(_TIERS).df(), graph)
    for metal, group in tiers.groupby("metal"):
        for cycle in closed_cycles(group):
            names = ", ".join(n.split(":", 1)[1] for n in cycle)
            raise InputError(
                f"supply tiers ({metal}): {names} get all their metal from each other, so no origin reaches "
                "them; give one of them a supplier outside the cycle, or shares summing to less than 1"
            )
    if not tiers.empty:
        edges = pd.concat([edges, tiers], ignore_index=True)
    risk = pd.concat([risk, con.execute(_POOLED, [ctx.as_of]).df()]).drop_duplicates(["metal", "origin"])
    risk = pd.DataFrame(
        {"metal": risk["metal"], "node": "origin:" + risk["origin"], "risk": risk["risk"].fillna(0.0)}
    )
    edges, risk = with_site_tiers(edges, risk, con.execute(_SITE_PATHS, [ctx.as_of]).df())
    parts = []
    for metal, group in edges.groupby("metal"):
        nodes = set(group["source"]) | set(group["target"])
        node_risk = risk[(risk["metal"] == metal) & risk["node"].isin(nodes)][["node", "risk"]]
        parts.append(stage_multipliers(group, node_risk).assign(metal=metal))
    columns = ["node", "throughput_t", "direct_risk", "multiplier", "metal"]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    out["stage"] = out["node"].str.split(":").str[0]
    node = out["node"].str.split(":", n=1).str[1]
    out["node_id"] = node.str.split("@").str[0]
    out["origin_iso3"] = node.str.split("@").str[1]  # hubs: the country whose metal it is
    out["basis"] = "risk points per tonne of contained " + out["metal"]
    con.register("_stage_multipliers", out)
    con.execute(
        "create or replace table marts.stage_multipliers as select ?::DATE as as_of, metal, stage, node_id, "
        "origin_iso3, node, throughput_t, direct_risk, multiplier, basis "
        "from _stage_multipliers order by metal, stage, node",
        [ctx.as_of],
    )
    con.unregister("_stage_multipliers")
