"""The user's own input files registered in a warehouse (meta.inputs), and `ingest`: add files, rebuild.

The warehouse is rebuilt from all its inputs on every change, so it is always a pure function of them:
re-ingesting an unchanged file (same sha256) does nothing; a changed file replaces its rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from ..sources import registry
from ..sources.errors import InputError
from .meta import sha256_of


@dataclass(frozen=True)
class Input:
    path: Path
    format: str
    sha256: str


@dataclass(frozen=True)
class Registered:
    inputs: list[Input]
    sample: bool
    requested_as_of: date | None
    params: dict


def describe(paths: list[Path], fmt: str | None = None) -> list[tuple[Input, str]]:
    """Each file as an Input, with how its format was decided (said to the user)."""
    out = []
    for path in paths:
        path = Path(path).resolve()
        if not path.is_file():
            raise InputError(f"{path}: file not found")
        if fmt:
            how = f"format {registry.get(fmt).name} (as given)"
            name = fmt
        else:
            name = registry.detect(path).name
            how = f"format {name} (detected from its headers)"
        out.append((Input(path, name, sha256_of(path)), how))
    return out


def registered(db_path: Path) -> Registered | None:
    """What the warehouse at `db_path` was last built from, or None if there is none."""
    if not Path(db_path).exists():
        return None
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute("select path, format, sha256 from meta.inputs order by added_at, path").fetchall()
        sample, requested, params = con.execute(
            "select sample, requested_as_of, parameters from meta.builds order by build_id desc limit 1"
        ).fetchone()
    except duckdb.Error as exc:
        raise InputError(f"{db_path}: not a minrisk warehouse of this version ({exc}); rebuild it") from exc
    finally:
        con.close()
    return Registered([Input(Path(p), f, s) for p, f, s in rows], bool(sample), requested, json.loads(params))


def merge(old: list[Input], new: list[Input]) -> tuple[list[Input], list[str]]:
    """Inputs after adding `new`, and a line per new file saying what happened to it."""
    merged = {i.path: i for i in old}
    by_hash = {i.sha256: i.path for i in old}
    notes = []
    for item in new:
        if merged.get(item.path) == item:
            notes.append(f"{item.path}: unchanged (same sha256), nothing to do")
        elif item.sha256 in by_hash and by_hash[item.sha256] != item.path:
            notes.append(f"{item.path}: same content as {by_hash[item.sha256]}, already ingested")
        elif item.path in merged:
            notes.append(f"{item.path}: new version, replaces the rows of the previous one")
            merged[item.path] = item
        else:
            notes.append(f"{item.path}: added")
            merged[item.path] = item
            by_hash[item.sha256] = item.path
    return list(merged.values()), notes


def ingest(db_path: Path, files: list[Path], fmt: str | None = None, as_of: date | None = None, **build_kw):
    """Register `files` in the warehouse at `db_path` and rebuild it; (BuildResult or None, notes).

    A missing warehouse is built from the bundled sample plus the files. Nothing changes (and None is
    returned) when every file is already registered with the same content.
    """
    from .build import build  # build imports this package's loaders; import here to keep modules acyclic

    described = describe(files, fmt)
    notes = [f"{item.path}: {how}" for item, how in described]
    previous = registered(db_path) or Registered([], True, None, {})
    merged, merge_notes = merge(previous.inputs, [item for item, _ in described])
    notes += merge_notes
    if merged == previous.inputs and as_of is None and Path(db_path).exists():
        return None, notes
    result = build(
        db_path,
        as_of=as_of or previous.requested_as_of,
        sample=previous.sample,
        inputs=merged,
        params=previous.params or None,
        **build_kw,
    )
    return result, notes
