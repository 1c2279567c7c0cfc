"""The warehouse's declared tables (analysis/sql/schema/*.yml): columns, types, docs and checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import yaml

from .paths import SCHEMA_DIR


@dataclass(frozen=True)
class Column:
    name: str
    type: str | None = None
    description: str = ""
    checks: tuple = ()
    aliases: tuple[str, ...] = ()  # other header names a source file uses for this column
    formats: tuple[str, ...] = ()  # strptime patterns for DATE columns, tried in order

    @property
    def required(self) -> bool:
        return "not_null" in self.checks

    def check(self, kind: str):
        """The argument of a check such as range or accepted_values, or None when absent."""
        for c in self.checks:
            if isinstance(c, dict) and kind in c:
                return c[kind]
        return None


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    files: tuple[str, ...] = ()
    unique_key: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def schema(self) -> str:
        return self.name.split(".")[0]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@cache
def tables() -> dict[str, Table]:
    raw: dict = {}
    for path in sorted(SCHEMA_DIR.glob("*.yml")):
        for name, spec in (yaml.safe_load(path.read_text()) or {}).items():
            if name in raw:
                raise ValueError(f"{path.name}: table {name} is declared twice")
            raw[name] = spec
    out = {}
    for name, spec in raw.items():
        cols = tuple(
            Column(
                name=col,
                type=(c or {}).get("type"),
                description=(c or {}).get("description", ""),
                checks=tuple((c or {}).get("checks", ())),
                aliases=tuple((c or {}).get("aliases", ())),
                formats=tuple((c or {}).get("formats", ())),
            )
            for col, c in (spec.get("columns") or {}).items()
        )
        out[name] = Table(
            name=name,
            description=spec.get("description", ""),
            columns=cols,
            files=tuple(spec.get("files", ())),
            unique_key=tuple(spec.get("unique_key", ())),
        )
    return out


def table(name: str) -> Table:
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"table {name} is not declared in {SCHEMA_DIR}/*.yml") from None
