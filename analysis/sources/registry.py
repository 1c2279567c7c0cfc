"""The input formats minrisk reads. Each adapter module in analysis/sources/ defines `FORMAT = Format(...)`;
they are discovered here, so adding a format is adding one module (and its schema/<format>.yml)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from ..warehouse.meta import FileStats
from .errors import InputError


@dataclass(frozen=True)
class Format:
    name: str  # what --format takes, e.g. 'acled'
    title: str  # one line for `minrisk sources`
    tables: tuple[str, ...]  # the staging tables it fills
    columns: str  # the columns (or sheets) a file must have, as shown to users
    detect: Callable[[Path], bool]  # cheap: header names, sheet names
    load: Callable[[duckdb.DuckDBPyConnection, Path, int], list[FileStats]]
    priority: int = 100  # detection order: lower first (specific formats before general ones)
    example: str = ""  # a command line that loads such a file


@cache
def formats() -> dict[str, Format]:
    found = []
    package = importlib.import_module(__package__)
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{__package__}.{info.name}")
        if isinstance(getattr(module, "FORMAT", None), Format):
            found.append(module.FORMAT)
    return {f.name: f for f in sorted(found, key=lambda f: (f.priority, f.name))}


def get(name: str) -> Format:
    try:
        return formats()[name]
    except KeyError:
        raise InputError(f"unknown format '{name}'; known: {', '.join(formats())}") from None


def detect(path: Path) -> Format:
    """The format of `path`, from its headers or sheets; an error listing what each format needs."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    for fmt in formats().values():
        try:
            if fmt.detect(path):
                return fmt
        except (OSError, ValueError):
            continue
    needs = "; ".join(f"{f.name}: {f.columns}" for f in formats().values())
    raise InputError(
        f"{path}: format not recognised from its headers. Pass --format NAME. Known formats: {needs}"
    )
