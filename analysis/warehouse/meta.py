"""The `meta` schema: what each build ran, which files it read, and every row it rejected, with why."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

META_DDL = """
create schema if not exists meta;
create schema if not exists reference;
create schema if not exists staging;
create schema if not exists core;
create schema if not exists marts;
create table if not exists meta.builds (
  build_id integer, started_at timestamp, finished_at timestamp, as_of date,
  minrisk_version varchar, parameters varchar, inputs varchar, sample boolean, requested_as_of date
);
create table if not exists meta.inputs (
  path varchar primary key, format varchar, sha256 varchar, added_at timestamp
);
create table if not exists meta.params (key varchar primary key, value varchar, number double);
create table if not exists meta.files (
  build_id integer, path varchar, sha256 varchar, format varchar, table_name varchar,
  rows_read bigint, rows_loaded bigint, rows_rejected bigint, min_date date, max_date date
);
create table if not exists meta.rejects (
  build_id integer, path varchar, table_name varchar, line bigint, column_name varchar,
  reason varchar, raw varchar
);
create table if not exists meta.steps (
  build_id integer, step varchar, kind varchar, seconds double, rows bigint
);
"""


@dataclass(frozen=True)
class FileStats:
    path: str
    format: str
    table_name: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int

    def __post_init__(self) -> None:
        # The accounting invariant: nothing is lost between reading and loading.
        assert self.rows_read == self.rows_loaded + self.rows_rejected, self


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(META_DDL)


def write_params(con: duckdb.DuckDBPyConnection, params: dict[str, object]) -> None:
    con.execute("delete from meta.params")
    con.executemany(
        "insert into meta.params values (?, ?, ?)",
        [
            (k, str(v), float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None)
            for k, v in sorted(params.items())
        ],
    )


def record_rejects(
    con: duckdb.DuckDBPyConnection, build_id: int, path: Path | str, table_name: str, rejects: list[tuple]
) -> None:
    """Append rejected rows of one file to meta.rejects: each (line, column, reason, raw)."""
    if rejects:
        con.executemany(
            "insert into meta.rejects values (?, ?, ?, ?, ?, ?, ?)",
            [[build_id, str(path), table_name, *r] for r in rejects],
        )


def record_file(
    con: duckdb.DuckDBPyConnection,
    build_id: int,
    path: Path,
    stats: FileStats,
    date_column: str | None = None,
) -> None:
    min_date = max_date = None
    if date_column:
        min_date, max_date = con.execute(
            f'select min("{date_column}"), max("{date_column}") from {stats.table_name} where _file = ?',
            [str(path)],
        ).fetchone()
    con.execute(
        "insert into meta.files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            build_id,
            str(path),
            sha256_of(path),
            stats.format,
            stats.table_name,
            stats.rows_read,
            stats.rows_loaded,
            stats.rows_rejected,
            min_date,
            max_date,
        ],
    )


def start_build(
    con: duckdb.DuckDBPyConnection, version: str, params: dict, sample: bool, requested_as_of
) -> int:
    build_id = con.execute("select coalesce(max(build_id), 0) + 1 from meta.builds").fetchone()[0]
    con.execute(
        "insert into meta.builds values (?, now()::timestamp, null, null, ?, ?, '[]', ?, ?)",
        [build_id, version, json.dumps(params, sort_keys=True), sample, requested_as_of],
    )
    return build_id


def finish_build(con: duckdb.DuckDBPyConnection, build_id: int, as_of) -> None:
    con.execute(
        "update meta.builds set finished_at = now()::timestamp, as_of = ? where build_id = ?",
        [as_of, build_id],
    )
