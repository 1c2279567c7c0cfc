"""Terminal output shared by the CLI commands: build progress, tables, and machine-readable output."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

err = Console(stderr=True, soft_wrap=True)  # progress and errors go to stderr: stdout stays for data


@contextmanager
def build_progress(enabled: bool):
    """An `on_step` callback for analysis.warehouse.build that draws a progress bar of the build's steps."""
    from .warehouse.steps import STEPS

    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description:<44}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("building the warehouse", total=len(STEPS))

        def on_step(step, seconds: float, rows: int | None) -> None:
            counted = f" ({rows:,} rows)" if rows is not None else ""
            progress.update(task, advance=1, description=f"{step.creates}{counted}")

        yield on_step


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path):
        return str(value)
    return value


def print_json(payload) -> None:
    print(json.dumps(payload, default=_plain, indent=2, ensure_ascii=False))


def rows_as_dicts(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def print_table(columns: list[str], rows: list[tuple], title: str | None = None) -> None:
    table = Table(title=title)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(
            *("" if v is None else f"{v:,.2f}" if isinstance(v, float) else str(_plain(v)) for v in row)
        )
    Console().print(table)
