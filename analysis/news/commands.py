"""`minrisk ingest-news` and `minrisk train-event-typer` (wired in analysis/cli.py)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..sources.errors import InputError
from .extract import NewsEvent

PRECISION = {1: "day", 2: "week"}


def add_parsers(sub: argparse._SubParsersAction, common: Callable[..., None], as_date: Callable) -> None:
    n = sub.add_parser(
        "ingest-news",
        help="extract events from news articles (.txt) and add them to the warehouse",
        description="Propose structured events from plain-text news articles (docs/news.md), print them, and "
        "add the articles to the warehouse (source 'news', weight 0.6). A DIR reads every .txt in it.",
    )
    n.add_argument("paths", nargs="+", type=Path, metavar="FILE|DIR")
    n.add_argument("--date", type=as_date, metavar="YYYY-MM-DD", help="dateline of plain text without one")
    n.add_argument("--typer", type=Path, metavar="MODEL", help="event-type model from train-event-typer")
    n.add_argument("--no-ingest", action="store_true", help="only print what would be extracted")
    common(n, as_of=False)
    t = sub.add_parser(
        "train-event-typer",
        help="train an event-type classifier on the notes of your ACLED file",
        description="TF-IDF + logistic regression on ACLED notes; prints its accuracy and the keyword "
        "rules' on 20%% held-out rows, then saves the model fitted on all rows (joblib).",
    )
    t.add_argument("acled", type=Path, metavar="ACLED.csv")
    t.add_argument("--out", type=Path, default=Path("event_typer.joblib"), metavar="PATH")


def article_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(p.glob("*.txt"))
            if not found:
                raise InputError(f"{p}: no .txt articles in this folder")
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: file not found")
    return files


def describe(e: NewsEvent) -> str:
    where = f"{e.place} ({e.lat:.4f}, {e.lon:.4f})" if e.lat is not None else f"{e.place or '?'} (unresolved)"
    actors = " vs ".join(a for a in (e.actor1, e.actor2) if a) or "no actor named"
    deaths = f", {'~' if e.fatalities_approx else ''}{e.fatalities} killed" if e.fatalities else ""
    minerals = f", minerals: {e.minerals}" if e.minerals else ""
    said = f" '{e.date_expression}'" if e.date_expression else ", the dateline's"
    return (
        f"  {e.event_date} [{PRECISION[e.date_precision]}{said}] {e.event_type} / {e.sub_event_type}\n"
        f"    at {where}; {actors}{deaths}{minerals}; confidence {e.confidence}\n"
        f'    "{e.sentence}"'
    )


def _dated_copy(path: Path, day: date, folder: Path) -> Path:
    """Plain text whose date came from --date, as a news_article file: the date on the first line, so a
    rebuild of the warehouse knows it without the command line."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / f"{day.isoformat()}_{path.stem}.txt"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    # news_article layout: date and lead, the headline (plain text has none: its file name), the rest
    text = "\n".join([f"date {day.isoformat()} {lines[0].strip()}", path.stem, *lines[1:]]) + "\n"
    copy.write_text(text, encoding="utf-8")
    return copy


def ingest_news(args: argparse.Namespace) -> int:
    from ..sources import news
    from ..warehouse.inputs import ingest
    from .typer import load_typer

    typer = load_typer(args.typer) if args.typer else None
    dated = []
    for path in article_files(args.paths):
        events = news.extract_file(path, args.date, typer=typer)
        print(f"{path}: {len(events)} event{'s' if len(events) != 1 else ''} extracted from news")
        for e in events:
            print(describe(e))
        if news._detect(path):
            dated.append(path)
        elif not args.no_ingest:
            dated.append(_dated_copy(path, args.date or date.today(), Path(args.db).parent / "news"))
            print(f"  dated copy for the warehouse (rebuilds read the date from it): {dated[-1]}")
    if args.typer:
        print(
            "note: the warehouse types news events with the keyword rules; --typer changes this listing only"
        )
    if dated and not args.no_ingest:
        result, notes = ingest(args.db, dated, "news_article", None)
        for note in notes:
            print(note)
        print(
            f"warehouse: {args.db} {'unchanged' if result is None else f'rebuilt (build {result.build_id})'}"
        )
    return 0


def train_event_typer(args: argparse.Namespace) -> int:
    from .typer import labelled_notes, save, train_and_evaluate

    if not args.acled.is_file():
        raise InputError(f"{args.acled}: file not found")
    try:
        frame = labelled_notes(args.acled)
        model, ev = train_and_evaluate(frame)
    except (KeyError, ValueError) as e:
        raise InputError(
            f"{args.acled}: cannot train on it ({e}); an ACLED CSV with notes and event_type"
        ) from None
    save(model, args.out)
    print(f"{args.acled}: {ev.rows} rows with notes; {ev.held_out} held out")
    print(f"  model accuracy (event type): {ev.model_accuracy:.1%}")
    print(
        f"  rules accuracy (event type): {ev.rules_accuracy:.1%} "
        f"(rules type {ev.rules_coverage:.1%} of notes)"
    )
    print(f"model: {args.out}")
    return 0
