"""The Python API for notebooks and scripts.

    import analysis as mr
    wh = mr.open("datasets/warehouse.duckdb")
    wh.place_risk(as_of="2025-02-01").head()
    wh.explain("Goma")

Results are polars DataFrames (`.to_pandas()` is a call away); figures are Plotly figures.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
from rapidfuzz import process

from .paths import DEFAULT_DB
from .warehouse.build import BuildResult
from .warehouse.build import build as _build


def build(db_path: Path | str = DEFAULT_DB, **kwargs) -> BuildResult:
    """Build the warehouse from the bundled sample; see `analysis.warehouse.build.build` for options."""
    return _build(db_path, **kwargs)


def connect(db_path: Path | str = DEFAULT_DB, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a built warehouse (read-only by default, so a running build can swap in a new file)."""
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no warehouse here; build one with `minrisk build --db {path}`")
    return duckdb.connect(str(path), read_only=read_only)


def open(db_path: Path | str = DEFAULT_DB) -> Warehouse:  # noqa: A001 - mirrors the module-level open idiom
    """A read-only view of a built warehouse with analyst-friendly methods."""
    return Warehouse(db_path)


def _date(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


class Warehouse:
    """A built warehouse. Every method takes `as_of` (a date or 'YYYY-MM-DD'); None = the build's date."""

    def __init__(self, db_path: Path | str = DEFAULT_DB) -> None:
        self.path = Path(db_path)
        self.con = connect(self.path)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def __repr__(self) -> str:
        return f"<minrisk warehouse {self.path} as of {self.as_of}>"

    @property
    def as_of(self) -> date:
        rows = self.con.execute(
            "select as_of from meta.builds where finished_at is not null order by build_id desc limit 1"
        ).fetchall()  # fetchall: DuckDB 2.0 refuses new work while a result is only partly fetched
        return rows[0][0]

    def sql(self, query: str, params: list | dict | None = None) -> pl.DataFrame:
        """Any SQL over the warehouse, e.g. `wh.sql("select * from core.hubs")`."""
        return self.con.sql(query, params=params).pl()

    def place_risk(self, as_of: date | str | None = None, kind: str | None = None) -> pl.DataFrame:
        """Every site and hub's score and its components, highest first; kind = 'site' or 'hub'."""
        return self.sql(
            "select * from marts.place_risk_at($d) where $k is null or place_kind = $k order by score desc",
            {"d": _date(as_of) or self.as_of, "k": kind},
        )

    def buyer_exposure(self, buyer: str | None = None, as_of: date | str | None = None) -> pl.DataFrame:
        """Exposure per metal (0-100) of one buyer (id or name) or all buyers."""
        if buyer is not None:
            self._buyer_id(buyer)
        return self.sql(
            "select * from marts.buyer_exposure_at($b, $d)", {"b": buyer, "d": _date(as_of) or self.as_of}
        )

    def events_near(
        self, place: str, days: int = 365, as_of: date | str | None = None, radius_km: float | None = None
    ) -> pl.DataFrame:
        """Events within the linking radius (or `radius_km`) of a place in the `days` before `as_of`."""
        place_id = self._place_id(place)
        return self.sql(
            "select e.event_date, e.event_type, e.sub_event_type, e.actor1, e.actor2, e.fatalities, "
            "round(l.distance_km, 1) as distance_km, e.location, e.source, e.notes, e.source_ref, e.event_id "
            "from core.event_links l join core.events e using (event_id) "
            "where l.place_id = $p and e.event_date <= $d and e.event_date > $d - to_days($n) "
            "and ($r is null or l.distance_km <= $r) order by e.event_date desc",
            {"p": place_id, "d": _date(as_of) or self.as_of, "n": days, "r": radius_km},
        )

    def explain(self, name: str, as_of: date | str | None = None) -> dict[str, pl.DataFrame]:
        """Why a place or buyer scores what it does, largest contributions first. A buyer: exposure per metal,
        then its origins, smelters, the sites and hubs its metal may pass (places) and the events behind
        them; a place: its score's components and its events."""
        d = _date(as_of) or self.as_of
        buyer_id = self._buyer_id(name, missing_ok=True)
        if buyer_id:
            return {
                "exposure": self.sql(
                    "select * from marts.buyer_exposure_at($b, $d)", {"b": buyer_id, "d": d}
                ),
                "origins": self.sql(
                    "select * from marts.buyer_origin_mix_at($d) where buyer_id = $b and metal = 'All' "
                    "order by contribution desc",
                    {"b": buyer_id, "d": d},
                ),
                "smelters": self.sql(
                    "select * from marts.buyer_smelter_origins_at($d) where buyer_id = $b "
                    "order by contribution desc",
                    {"b": buyer_id, "d": d},
                ),
                "places": self.sql(
                    "select * from marts.buyer_place_contributions_at($b, $d) where metal = 'All' "
                    "order by points desc, metal_share desc",
                    {"b": buyer_id, "d": d},
                ),
                "events": self.sql(
                    "select * from marts.buyer_event_contributions_at($b, $d) where metal = 'All' "
                    "order by points desc",
                    {"b": buyer_id, "d": d},
                ),
            }
        place_id = self._place_id(name)
        return {
            "score": self.sql(
                "select * from marts.place_risk_at($d) where place_id = $p", {"p": place_id, "d": d}
            ),
            "events": self.sql(
                "select * from marts.place_risk_contributions_at($d) where place_id = $p "
                "order by contribution desc",
                {"p": place_id, "d": d},
            ),
        }

    def stages(
        self, metal: str | None = None, stage: str | None = None, as_of: date | str | None = None
    ) -> pl.DataFrame:
        """Risk per tonne at every node of the stage graph (marts.stage_multipliers), sites to companies.
        metal: 'Sn', 'Ta' or 'W'; stage: site, hub, origin, country, smelter, buyer or company. Another
        date than the build's is computed on a scratch copy (a few seconds)."""
        from .warehouse.as_of import marts_as_of

        query = (
            "select * from marts.stage_multipliers where ($m is null or metal = $m) "
            "and ($s is null or stage = $s) order by metal, multiplier desc"
        )
        params = {"m": metal, "s": stage}
        d = _date(as_of)
        if d is None or d == self.as_of:
            return self.sql(query, params)
        with marts_as_of(self.path, d) as con:
            return con.sql(query, params=params).pl()

    def whatif(
        self, offline: list[str] = (), captured: list[str] = (), as_of: date | str | None = None
    ) -> pl.DataFrame:
        """Every buyer's exposure before and after places go offline or are captured (a scratch copy)."""
        from .tracing.whatif import whatif

        return whatif(self.path, offline=offline, captured=captured, as_of=_date(as_of) or self.as_of)

    @property
    def figures(self) -> Figures:
        """Plotly figures of the warehouse (they display inline in Jupyter): `wh.figures.map()`."""
        return Figures(self)

    def _place_id(self, name: str) -> str:
        rows = self.con.execute("select place_id, name from core.places").fetchall()
        for place_id, place_name in rows:
            if name.lower() in (place_id.lower(), place_name.lower()):
                return place_id
        matches = [p for p, n in rows if name.lower() in n.lower()]
        if len(matches) == 1:
            return matches[0]
        close = process.extract(name, {p: n for p, n in rows}, limit=5)
        raise LookupError(f"no single place called {name!r}; did you mean: {', '.join(c[0] for c in close)}?")

    def _buyer_id(self, name: str, missing_ok: bool = False) -> str | None:
        rows = self.con.execute("select buyer_id, name from core.buyers").fetchall()
        for buyer_id, buyer_name in rows:
            if name.lower() in (buyer_id.lower(), buyer_name.lower()):
                return buyer_id
        matches = [b for b, n in rows if name.lower() in n.lower()]
        if len(matches) == 1:
            return matches[0]
        if missing_ok:
            return None
        raise LookupError(f"unknown buyer {name!r}; buyers: {', '.join(n for _, n in rows)}")


class Figures:
    """The reports' figures for notebooks; every method takes as_of (None = the build's date)."""

    def __init__(self, warehouse: Warehouse) -> None:
        self._wh = warehouse

    def map(self, as_of: date | str | None = None, days: int = 365):
        """Sites and hubs coloured by risk, held places ringed, over the events of the last `days`."""
        from .reports.maps import risk_map

        d = _date(as_of) or self._wh.as_of
        places = self._wh.place_risk(as_of=d).to_pandas()
        events = self._wh.sql(
            "select * from core.events where event_date <= $d and event_date > $d - to_days($n) "
            "and duplicate_of is null",
            {"d": d, "n": days},
        ).to_pandas()
        return risk_map(places, events)

    def timeline(self, place: str, days: int = 730, as_of: date | str | None = None):
        """The events near a place over `days` before `as_of`: date × distance, sized by fatalities."""
        from .reports.figures_place import events_timeline

        d = _date(as_of) or self._wh.as_of
        events = self._wh.sql(
            "select * from marts.place_events_at($p, $d) where event_date > $d - to_days($n)",
            {"p": self._wh._place_id(place), "d": d, "n": days},
        ).to_pandas()
        return events_timeline(events, d, days)
