"""The build's declared steps: every SQL file is a step, and reads only the tables its step declares."""

import re

from analysis.paths import SQL_DIR
from analysis.schema import tables
from analysis.warehouse.steps import STEPS

QUALIFIED = re.compile(r"\b(meta|reference|staging|core|marts)\.([a-z_]+)\b")


def test_every_sql_file_belongs_to_a_step():
    files = {p.relative_to(SQL_DIR).as_posix() for p in SQL_DIR.rglob("*.sql")}
    assert files == {s.sql_file for s in STEPS if s.sql_file}


def test_sql_reads_only_declared_tables():
    for step in STEPS:
        if not step.sql_file:
            continue
        sql = re.sub(r"--[^\n]*", "", (SQL_DIR / step.sql_file).read_text())
        read = {f"{a}.{b}" for a, b in QUALIFIED.findall(sql)} - {step.creates}
        assert read == set(step.reads), (
            f"{step.sql_file}: reads {sorted(read)}, declares {sorted(step.reads)}"
        )


def test_steps_come_after_what_they_read():
    made = set()
    for step in STEPS:
        for name in step.reads:
            if not name.startswith("meta."):
                assert name in made or any(m.endswith("*") and name.startswith(m[:-1]) for m in made), (
                    f"{step.creates} reads {name} before it is built"
                )
        made.add(step.creates)


def test_every_table_step_is_documented():
    declared = tables()
    for step in STEPS:
        if step.kind == "table":
            assert step.creates in declared, f"{step.creates} has no entry in schema/*.yml"
