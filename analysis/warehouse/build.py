"""Run the declared steps into a new DuckDB file and swap it in when complete.

Readers of the old file (a notebook, a SQL client) are never shown a half-built warehouse.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb

from .. import __version__
from ..config import load_params
from ..paths import SQL_DIR
from ..paths import reference_dir as default_reference_dir
from ..paths import sample_dir as default_sample_dir
from ..sqlgen import haversine_macro_sql
from . import meta
from .loaders import BuildContext
from .steps import STEPS, Step

STORAGE_COMPATIBILITY = "v1.5.0"
_PARAM = re.compile(r"\$([a-z_]+)")


@dataclass(frozen=True)
class BuildResult:
    db_path: Path
    build_id: int
    as_of: date
    seconds: float
    files: list[str]


def _sql_step(con: duckdb.DuckDBPyConnection, step: Step, binds: dict[str, object]) -> None:
    sql = (SQL_DIR / step.sql_file).read_text()
    if step.kind == "macro":
        con.execute(f"create or replace macro {step.creates}({', '.join(step.macro_args)}) as table {sql}")
        return
    wanted = {name: binds[name] for name in _PARAM.findall(sql)}
    con.execute(f"create or replace table {step.creates} as {sql}", wanted)


def run_mart_tables(con: duckdb.DuckDBPyConnection, as_of: date) -> None:
    """Recompute the materialised marts for `as_of`, SQL and Python steps in their declared order (the
    macros stay as built)."""
    radius = con.execute("select number from meta.params where key = 'linking.radius_km'").fetchone()[0]
    for step in STEPS:
        if not step.creates.startswith("marts."):
            continue
        if step.kind == "table":
            _sql_step(con, step, {"as_of": as_of, "radius_km": radius})
        elif step.kind == "python" and any(r.startswith("marts.") for r in step.reads):
            # Only a Python step that reads marts depends on the date (origin_attribution reads core only);
            # the date is all such a step takes from the build's context.
            step.run(con, SimpleNamespace(as_of=as_of))


def _keep_history(con: duckdb.DuckDBPyConnection, old: Path) -> None:
    """Carry the previous builds' records over, so meta.builds is the warehouse's whole history."""
    if not old.exists():
        return
    try:
        con.execute("attach ? as previous (read_only)", [str(old)])
        con.execute("insert into meta.builds select * from previous.meta.builds")
    except duckdb.Error:
        pass  # an older or foreign file: start a new history rather than fail the build
    finally:
        if con.execute("select count(*) from duckdb_databases() where database_name = 'previous'").fetchone()[
            0
        ]:
            con.execute("detach previous")


def build(
    db_path: Path | str,
    as_of: date | None = None,
    config: Path | None = None,
    sample: bool = True,
    sample_dir: Path | None = None,
    reference_dir: Path | None = None,
    inputs: list | None = None,
    params: dict | None = None,
    on_step: Callable[[Step, float, int | None], None] | None = None,
) -> BuildResult:
    """Build the warehouse at `db_path` from the bundled sample (and the reference tables).

    `sample_dir` and `reference_dir` default to the project's datasets/sample and datasets/reference;
    `sample=False` leaves the bundled sample out. `inputs` are the user's own files (warehouse.inputs.Input),
    each read by the adapter of its format. `params` replaces `config` (used when rebuilding a warehouse
    with the parameters it was built with).

    `as_of` defaults to the date of the latest event loaded, so a build is a function of its inputs only.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    params = params or load_params(config)
    tmp = db_path.with_name(db_path.name + ".building")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    # Readable by DuckDB 1.5 clients too (duckdb CLI, DBeaver, R): SQL users' tools lag the Python package.
    con = duckdb.connect(str(tmp), config={"storage_compatibility_version": STORAGE_COMPATIBILITY})
    try:
        meta.create(con)
        _keep_history(con, db_path)
        meta.write_params(con, params)
        build_id = meta.start_build(con, __version__, params, sample, as_of)
        ctx = BuildContext(
            build_id,
            params,
            (sample_dir or default_sample_dir()) if sample else None,
            reference_dir or default_reference_dir(),
            inputs=list(inputs or []),
        )
        binds: dict[str, object] = {"radius_km": params["linking.radius_km"]}
        for step in STEPS:
            t0 = time.perf_counter()
            if step.creates.startswith("marts.") and ctx.as_of is None:
                ctx.as_of = as_of or con.execute("select max(event_date) from core.events").fetchone()[0]
                ctx.as_of = ctx.as_of or date.today()
                binds["as_of"] = ctx.as_of
            if step.kind == "python":
                step.run(con, ctx)
            elif step.kind == "scalar_macro":
                con.execute(haversine_macro_sql())
            else:
                _sql_step(con, step, binds)
            seconds = time.perf_counter() - t0
            rows = None
            if step.kind == "table":
                rows = con.execute(f"select count(*) from {step.creates}").fetchone()[0]
            con.execute(
                "insert into meta.steps values (?, ?, ?, ?, ?)",
                [build_id, step.creates, step.kind, seconds, rows],
            )
            if on_step:
                on_step(step, seconds, rows)
        con.execute(
            "update meta.builds set inputs = to_json(?::VARCHAR[]) where build_id = ?", [ctx.files, build_id]
        )
        meta.finish_build(con, build_id, ctx.as_of)
        con.execute("checkpoint")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(tmp, db_path)
    return BuildResult(db_path, build_id, ctx.as_of, time.perf_counter() - started, ctx.files)
