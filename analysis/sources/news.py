"""News articles as plain text (docs/news.md): `date YYYY-MM-DD` and the lead on the first line, the
headline on the second, then paragraphs. Events are proposed by analysis/news/ and staged in
staging.news_events; those without coordinates (no town in the gazetteer) go to meta.rejects."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from ..news import places
from ..news.article import DATELINE, ArticleError, parse_article
from ..news.extract import NewsEvent, Typer, extract
from ..schema import table
from ..warehouse.meta import FileStats
from . import event_checks
from .csv_table import create_staging
from .errors import InputError
from .registry import Format

TABLE = "staging.news_events"
FORMAT_NAME = "news_article"


def read_text(path: Path) -> str:
    """The file as text (UTF-8, with or without BOM, else cp1252); an InputError naming the file otherwise."""
    raw = Path(path).read_bytes()
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: binary file, not a plain-text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _detect(path: Path) -> bool:
    if path.suffix.lower() != ".txt":
        return False
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        return DATELINE.match(f.readline()) is not None


def warehouse_gazetteer(con: duckdb.DuckDBPyConnection) -> tuple[places.Place, ...]:
    """The warehouse's sites and hubs as gazetteer entries (when the sample is loaded), then the reference
    gazetteer: a site's own name is more precise than a town of the same name."""
    found = []
    for kind, name in (("site", "staging.sample_sites"), ("hub", "staging.sample_hubs")):
        try:
            rows = con.execute(f"select name, country_iso3, lat, lon from {name}").fetchall()
        except duckdb.Error:
            continue
        found += [places.Place(n, n, kind, iso, None, lat, lon) for n, iso, lat, lon in rows if n]
    return tuple(found) + places.default_gazetteer()


def extract_file(
    path: Path,
    dateline: date | None = None,
    gazetteer: tuple[places.Place, ...] | None = None,
    typer: Typer | None = None,
) -> list[NewsEvent]:
    """Events of one article file; an InputError naming the file when it cannot be read as an article."""
    try:
        article = parse_article(read_text(path), dateline)
    except ArticleError as e:
        raise InputError(f"{path}: {e}") from None
    return extract(article, gazetteer, typer=typer)


def _rows(path: Path, events: list[NewsEvent], dateline: date, headline: str) -> pd.DataFrame:
    rows = []
    for n, e in enumerate(events, start=1):
        row = dataclasses.asdict(e)
        row.pop("paragraph")
        row["location"] = row.pop("place")
        rows.append(
            {"event_key": f"{path}#{n}", "dateline": dateline, "headline": headline, **row, "_line": n}
        )
    return pd.DataFrame(rows)


def load_news(con: duckdb.DuckDBPyConnection, path: Path, build_id: int) -> FileStats:
    """Stage the events of one article; events whose place has no coordinates are rejected with the reason."""
    text = read_text(path)
    try:
        article = parse_article(text)
    except ArticleError as e:
        raise InputError(f"{path}: {e}") from None
    events = extract(article, warehouse_gazetteer(con))
    create_staging(con, table(TABLE))
    name = str(path)
    con.execute(f"delete from {TABLE} where _file = ?", [name])
    if events:
        frame = _rows(Path(path), events, article.dateline, article.headline).assign(_file=name)
        con.register("_news_rows", frame)
        con.execute(f"insert into {TABLE} by name select * from _news_rows")
        con.unregister("_news_rows")
    bad = (
        "select _line, 'location' as column_name, "
        "'location: no coordinates for ' || coalesce('''' || location || '''', 'an unnamed place') "
        "|| ' (not a town, site or province of the gazetteer)' as reason "
        f"from {TABLE} where _file = $path and (lat is null or lon is null)"
    )
    rejected = event_checks.reject_rows(con, TABLE, name, build_id, bad, {})
    stats = FileStats(name, FORMAT_NAME, TABLE, len(events), len(events), 0)
    return event_checks.with_rejected(stats, rejected)


FORMAT = Format(
    name=FORMAT_NAME,
    title="News article as plain text (.txt): 'date YYYY-MM-DD' and the lead, headline, paragraphs",
    tables=(TABLE,),
    columns="a .txt file whose first line starts with 'date YYYY-MM-DD'",
    detect=_detect,
    load=lambda con, path, build_id: [load_news(con, path, build_id)],
    priority=30,
    example="minrisk ingest 2025-01-29_goma.txt",
)
