"""The `minrisk` command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from .api import connect
from .config import ConfigError
from .paths import DEFAULT_DB, DEFAULT_REPORT
from .sources.errors import InputError
from .terminal import build_progress, print_json, print_table, rows_as_dicts

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INPUT, EXIT_NO_WAREHOUSE = 0, 1, 2, 3, 4

EPILOG = """\
examples:
  minrisk build                                 build datasets/warehouse.duckdb from the bundled sample
  minrisk build --as-of 2025-02-01              score as of a past date (events known up to it)
  minrisk report                                write reports/risk-report.html
  minrisk report --as-of 2024-01-01 --out reports/jan-2024.html
  minrisk report --buyer "Example Electronics"  the buyer section for a named buyer
  minrisk report buyer                          a buyer's exposure report (also: region, place --place NAME)
  minrisk sources                               the input formats minrisk reads, with the columns each needs
  minrisk ingest acled_export.csv ged.csv       add your own files (format detected from the headers)
  minrisk build --no-sample --with acled.csv    a warehouse of your files only
  minrisk rejects                               rows that were not loaded, with file, line and reason
  minrisk sql "select * from marts.place_risk limit 5"   any SQL; --format csv|json|parquet --out FILE
  minrisk alerts --since 2025-01-01 --format json  what changed: tiers, control, deadly events, exposures
  minrisk build --json                          one JSON object for scripts (--quiet: print nothing)

exit codes:
  0 success · 1 unexpected error, or `report --png` without a browser
  2 bad usage: unknown option, date not YYYY-MM-DD, unknown buyer or place, a failing SQL query
  3 bad input file or config (the message names the file, row and column) · 4 no warehouse yet
"""

console = Console(stderr=True, soft_wrap=True)  # never wrap: errors must stay greppable


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _common(p: argparse.ArgumentParser, as_of: bool = True) -> None:
    p.add_argument(
        "--db", type=Path, default=DEFAULT_DB, metavar="PATH", help=f"warehouse file (default: {DEFAULT_DB})"
    )
    if as_of:
        p.add_argument(
            "--as-of",
            type=_date,
            metavar="DATE",
            help="score as of this date, YYYY-MM-DD (default: the build's as-of date)",
        )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="minrisk",
        description="Conflict-risk analysis of the tin, tantalum and tungsten chain of eastern DR Congo.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action="version", version=f"minrisk {_version()}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="build the DuckDB warehouse from the bundled sample",
        description="Build the warehouse: load inputs, link events to places, score.",
    )
    _common(b, as_of=False)
    b.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="as-of date of the marts (default: the date of the latest event loaded)",
    )
    b.add_argument("--config", type=Path, metavar="FILE", help="TOML file overriding scoring parameters")
    b.add_argument("--no-sample", action="store_true", help="leave out the bundled sample")
    b.add_argument(
        "--with",
        dest="files",
        nargs="+",
        action="extend",  # --with a.csv --with b.csv loads both
        type=Path,
        default=[],
        metavar="FILE",
        help="also load these files (see `minrisk sources`); repeatable",
    )
    b.add_argument("--format", metavar="NAME", help="format of the --with files (default: detected)")
    _script_flags(b)
    b.set_defaults(func=cmd_build)

    r = sub.add_parser(
        "report",
        help="write a self-contained HTML report: overview, buyer, region or place",
        description="Write one offline HTML report (docs/reports.md): the overview (default), a buyer's "
        "exposure, a region's situation, or a site or hub dossier.",
        epilog='examples:\n  minrisk report\n  minrisk report buyer --buyer "Example Electronics"\n'
        '  minrisk report region --region "Eastern DRC" --as-of 2025-03-01\n'
        "  minrisk report place --place Rubaya --png\n\n"
        "--png needs Chrome or Chromium (kaleido); without one the HTML is written and the command exits 1.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument(
        "kind",
        nargs="?",
        default="overview",
        choices=("overview", "buyer", "region", "place"),
        help="which report (default: overview)",
    )
    _common(r)
    r.add_argument("--buyer", metavar="NAME", help="buyer id or name (default: the first buyer)")
    r.add_argument(
        "--region", metavar="NAME", help="region name (default: Eastern DRC; datasets/reference/regions.csv)"
    )
    r.add_argument("--place", metavar="NAME", help="site or hub, name or id (required for `report place`)")
    r.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=f"output file (default: {DEFAULT_REPORT} for the overview, else reports/<kind>-<name>.html)",
    )
    r.add_argument("--png", action="store_true", help="also write each figure as PNG beside the HTML")
    r.set_defaults(func=cmd_report)

    i = sub.add_parser(
        "ingest",
        help="add your own files to the warehouse and rebuild it",
        description="Add files (ACLED, UCDP GED, IPIS, RMI, USGS, Comtrade, BACI, CMRT...) "
        "to the warehouse; the format is detected from the headers unless --format is given.",
    )
    i.add_argument("files", nargs="+", type=Path, metavar="FILE")
    i.add_argument("--format", metavar="NAME", help="the files' format (see `minrisk sources`)")
    _common(i)
    _script_flags(i)
    i.set_defaults(func=cmd_ingest)

    s = sub.add_parser("sources", help="list the input formats and the columns each needs")
    s.set_defaults(func=cmd_sources)

    j = sub.add_parser("rejects", help="show the rows that were not loaded, with their reasons")
    j.add_argument("file", nargs="?", help="only rows of input files whose path contains this text")
    _common(j, as_of=False)
    j.add_argument("--limit", type=int, default=50, help="show at most this many rows (default 50)")
    j.set_defaults(func=cmd_rejects)

    q = sub.add_parser(
        "sql",
        help="run a SQL query on the warehouse; print a table or write CSV, JSON or Parquet",
        description="Run one SQL query (read-only) on the warehouse. Examples: "
        'minrisk sql "select * from marts.place_risk limit 5"; '
        'minrisk sql "select * from marts.buyer_exposure" --format csv --out exposure.csv',
    )
    q.add_argument(
        "query", help="the SQL query, e.g. \"select * from marts.place_risk_at(DATE '2025-02-01')\""
    )
    _common(q, as_of=False)
    q.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    q.add_argument("--out", type=Path, metavar="PATH", help="write here (needed for parquet; default stdout)")
    q.set_defaults(func=cmd_sql)

    a = sub.add_parser(
        "alerts",
        help="what changed: places crossing a tier, changing hands or hit by deadly events; buyers' rises",
        description="Alerts between --since (default: as-of minus alerts.period_days) and --as-of, from "
        "marts.alerts_at; thresholds in the [alerts] section of the config file.",
    )
    _common(a)
    a.add_argument("--since", type=_date, metavar="DATE", help="compare with this date (YYYY-MM-DD)")
    a.add_argument(
        "--type",
        choices=["tier", "control", "deadly", "exposure"],
        action="append",
        help="only these alert types (repeatable)",
    )
    a.add_argument("--format", choices=["table", "csv", "json"], default="table")
    a.add_argument("--out", type=Path, metavar="PATH", help="write here instead of stdout")
    a.set_defaults(func=cmd_alerts)
    from .news.commands import add_parsers as add_news_parsers

    add_news_parsers(sub, _common, _date)
    sub.choices["ingest-news"].set_defaults(func=cmd_ingest_news)
    sub.choices["train-event-typer"].set_defaults(func=cmd_train_event_typer)
    w = sub.add_parser(
        "whatif",
        help="how buyers' exposure changes if a place goes offline or is captured by an armed group",
        description="Recompute every buyer's exposure on a scratch copy of the warehouse with places taken "
        "offline (output and routes set to zero) or captured (a synthetic takeover at the as-of date). "
        "PLACE is a place id or part of a name; repeat the options for several places.",
    )
    _common(w)
    w.add_argument("--offline", action="append", default=[], metavar="PLACE", help="take PLACE offline")
    w.add_argument("--captured", action="append", default=[], metavar="PLACE", help="PLACE is captured")
    w.add_argument("--format", choices=["table", "csv", "json"], default="table")
    w.add_argument("--out", type=Path, metavar="PATH", help="write here instead of stdout")
    w.set_defaults(func=cmd_whatif)

    e = sub.add_parser(
        "explain",
        help="why a buyer or place scores what it does: origins, smelters, places and events",
        description="A buyer's exposure broken down to its countries of origin, smelters, the mine sites and "
        "hubs its metal may pass and the events behind them; a place's score with its events. NAME is a "
        "buyer's or place's id or name.",
    )
    e.add_argument("name", metavar="NAME", help="a buyer or place (id or name)")
    _common(e)
    e.add_argument("--limit", type=int, default=10, help="rows per part (default 10)")
    e.add_argument("--format", choices=["table", "json"], default="table")
    e.set_defaults(func=cmd_explain)
    return top


def _script_flags(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--quiet", action="store_true", help="print nothing but errors")
    group.add_argument("--json", action="store_true", help="print one JSON object (for scripts), no progress")


def _version() -> str:
    from . import __version__

    return __version__


def cmd_build(args: argparse.Namespace) -> int:
    from .warehouse.build import build
    from .warehouse.inputs import describe

    described = describe(args.files, args.format)
    if not (args.quiet or args.json):
        for item, how in described:
            print(f"{item.path}: {how}")
    with build_progress(not (args.quiet or args.json)) as on_step:
        result = build(
            args.db,
            as_of=args.as_of,
            config=args.config,
            sample=not args.no_sample,
            inputs=[item for item, _ in described],
            on_step=on_step,
        )
    if args.json:
        print_json(_build_summary(result))
    elif not args.quiet:
        print(
            f"warehouse: {result.db_path}  (build {result.build_id}, as of {result.as_of}, "
            f"{len(result.files)} input files, {result.seconds:.1f} s)"
        )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .reports.export import ExportError, export_png
    from .reports.pages import build_page, write_page
    from .warehouse.as_of import marts_as_of

    if args.kind == "place" and not args.place:
        raise ValueError("`minrisk report place` needs --place NAME (a site or hub, name or id)")
    with marts_as_of(args.db, args.as_of) as con:
        page = build_page(con, args.kind, args.as_of, args.buyer, args.region, args.place)
    out = write_page(page, args.out)
    print(f"report: {out}")
    if args.png:
        try:
            for path in export_png(page.figures, out.parent, out.stem):
                print(f"figure: {path}")
        except ExportError as exc:
            console.print(f"[red]error:[/red] {exc} (the HTML report was written)", highlight=False)
            return EXIT_ERROR
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from .warehouse.inputs import ingest

    with build_progress(not (args.quiet or args.json)) as on_step:
        result, notes = ingest(args.db, args.files, args.format, args.as_of, on_step=on_step)
    if args.json:
        print_json({"notes": notes, "build": _build_summary(result) if result else None})
    elif not args.quiet:
        for note in notes:
            print(note)
        if result is None:
            print(f"warehouse: {args.db} unchanged")
        else:
            print(
                f"warehouse: {result.db_path}  (build {result.build_id}, as of {result.as_of}, "
                f"{len(result.files)} input files, {result.seconds:.1f} s)"
            )
            _print_loaded(result.db_path, args.files)
    return EXIT_OK


def _print_loaded(db: Path, files: list[Path]) -> None:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    wanted = [str(Path(f).resolve()) for f in files]
    rows = con.execute(
        "select path, format, table_name, rows_read, rows_loaded, rows_rejected from meta.files "
        "where build_id = (select max(build_id) from meta.builds) and list_contains(?, path)",
        [wanted],
    ).fetchall()
    con.close()
    for path, _fmt, table, read, loaded, rejected in rows:
        print(
            f"  {Path(path).name} → {table}: {read} read, {loaded} loaded, {rejected} rejected"
            + (" (see `minrisk rejects`)" if rejected else "")
        )


def cmd_sources(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .sources.registry import formats

    table = Table(title="input formats (minrisk ingest FILE [--format NAME])", show_lines=True)
    for col in ("format", "what", "needs", "loads into"):
        table.add_column(col, overflow="fold")
    for fmt in formats().values():
        table.add_row(fmt.name, fmt.title, fmt.columns, ", ".join(fmt.tables))
    Console(soft_wrap=False).print(table)
    return EXIT_OK


def cmd_rejects(args: argparse.Namespace) -> int:
    from rich.table import Table

    con = connect(args.db)
    where = "where build_id = (select max(build_id) from meta.builds) and ($f is null or contains(path, $f))"
    total = con.execute(f"select count(*) from meta.rejects {where}", {"f": args.file}).fetchone()[0]
    rows = con.execute(
        f"select path, line, column_name, reason from meta.rejects {where} order by path, line limit $n",
        {"f": args.file, "n": args.limit},
    ).fetchall()
    con.close()
    if not rows:
        print("no rejected rows" + (f" in files matching {args.file!r}" if args.file else ""))
        return EXIT_OK
    table = Table(title=f"rejected rows ({total} in all; showing {len(rows)})")
    for col in ("file", "line", "column", "reason"):
        table.add_column(col, overflow="fold")
    for path, line, column, reason in rows:
        table.add_row(path, str(line), column or "", reason)
    Console().print(table)
    return EXIT_OK


def _build_summary(result) -> dict:
    import duckdb

    con = duckdb.connect(str(result.db_path), read_only=True)
    try:
        files = con.execute(
            "select path, format, table_name, rows_read, rows_loaded, rows_rejected from meta.files "
            "where build_id = ? order by path",
            [result.build_id],
        ).fetchall()
    finally:
        con.close()
    columns = ["path", "format", "table", "rows_read", "rows_loaded", "rows_rejected"]
    return {
        "warehouse": str(result.db_path),
        "build_id": result.build_id,
        "as_of": result.as_of,
        "seconds": round(result.seconds, 2),
        "files": rows_as_dicts(columns, files),
    }


def _query(db: Path, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    import duckdb

    con = connect(db)
    try:
        cursor = con.execute(sql, params)
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.Error as exc:
        raise ValueError(f"query failed: {exc}") from exc
    finally:
        con.close()


def _write_rows(columns: list[str], rows: list[tuple], fmt: str, out: Path | None, title: str) -> None:
    import csv
    import io

    if fmt == "table":
        print_table(columns, rows, title)
        return
    if fmt == "json":
        text = json.dumps(rows_as_dicts(columns, rows), indent=2, ensure_ascii=False)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[("" if v is None else v) for v in r] for r in rows_as_dicts_rows(columns, rows)])
        text = buffer.getvalue()
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def rows_as_dicts_rows(columns: list[str], rows: list[tuple]) -> list[list]:
    return [list(d.values()) for d in rows_as_dicts(columns, rows)]


def cmd_sql(args: argparse.Namespace) -> int:
    if args.format == "parquet":
        import duckdb

        if not args.out:
            raise ValueError("--format parquet needs --out PATH")
        con = connect(args.db)
        try:
            con.sql(args.query).write_parquet(str(args.out))
        except duckdb.Error as exc:
            raise ValueError(f"query failed: {exc}") from exc
        finally:
            con.close()
        print(f"wrote {args.out}", file=sys.stderr)
        return EXIT_OK
    columns, rows = _query(args.db, args.query)
    _write_rows(columns, rows, args.format, args.out, f"{len(rows)} rows")
    return EXIT_OK


def cmd_alerts(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from .warehouse.as_of import build_as_of

    con = connect(args.db)
    try:
        as_of = args.as_of or build_as_of(con)
        period = con.execute("select number from meta.params where key = 'alerts.period_days'").fetchall()
    finally:
        con.close()
    since = args.since or as_of - timedelta(days=int(period[0][0]) if period else 90)
    if since >= as_of:
        raise ValueError(f"--since {since} must be before the as-of date {as_of}")
    columns, rows = _query(
        args.db,
        "select alert_type, direction, subject_kind, subject_name, metal, value_before, value_after, "
        "state_before, state_after, event_date, detail from marts.alerts_at(?, ?) "
        "where ?::VARCHAR[] is null or list_contains(?::VARCHAR[], alert_type)",
        [since, as_of, args.type, args.type],
    )
    title = f"{len(rows)} alerts from {since} to {as_of}"
    if args.format == "table" and not args.out:  # the terminal gets the readable columns; files get all
        keep = [columns.index(c) for c in ("alert_type", "direction", "subject_name", "metal", "detail")]
        columns, rows = [columns[i] for i in keep], [tuple(r[i] for i in keep) for r in rows]
    _write_rows(columns, rows, args.format, args.out, title)
    return EXIT_OK


def cmd_ingest_news(args: argparse.Namespace) -> int:
    from .news.commands import ingest_news

    return ingest_news(args)


def cmd_train_event_typer(args: argparse.Namespace) -> int:
    from .news.commands import train_event_typer

    return train_event_typer(args)


def cmd_whatif(args: argparse.Namespace) -> int:
    from .tracing.whatif import whatif

    if not args.offline and not args.captured:
        raise ValueError("give --offline PLACE or --captured PLACE")
    result = whatif(args.db, offline=args.offline, captured=args.captured, as_of=args.as_of)
    scenario = ", ".join([f"{p} offline" for p in args.offline] + [f"{p} captured" for p in args.captured])
    _write_rows(result.columns, result.rows(), args.format, args.out, f"What if: {scenario}")
    return EXIT_OK


# The columns `minrisk explain` shows per part in a terminal table (--format json gives them all).
EXPLAIN_COLUMNS = {
    "exposure": ["metal", "exposure", "known_share", "unknown_share", "n_smelters"],
    "origins": ["origin_name", "share", "origin_risk", "contribution"],
    "smelters": [
        "smelter_name",
        "metal",
        "rmap_status",
        "origin_iso3",
        "share",
        "origin_risk",
        "contribution",
    ],
    "places": ["name", "role", "country_iso3", "score", "controlled_by", "metal_share", "points"],
    "events": ["event_date", "event_type", "location", "fatalities", "source", "via", "points"],
    "score": [
        "name",
        "place_kind",
        "score",
        "tier",
        "controlled_by",
        "intensity_points",
        "control_points",
        "presence_points",
        "n_events",
    ],
}


def cmd_explain(args: argparse.Namespace) -> int:
    from .api import Warehouse

    with Warehouse(args.db) as wh:
        parts = {k: v.head(args.limit) for k, v in wh.explain(args.name, as_of=args.as_of).items()}
    if args.format == "json":
        print_json({k: rows_as_dicts(v.columns, v.rows()) for k, v in parts.items()})
        return EXIT_OK
    for part, frame in parts.items():
        columns = [
            c
            for c in EXPLAIN_COLUMNS.get(
                part, ["event_date", "event_type", "location", "fatalities", "distance_km", "contribution"]
            )
            if c in frame.columns
        ]
        print_table(columns, frame.select(columns).rows(), part.capitalize())
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (InputError, ConfigError) as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        return EXIT_INPUT
    except FileNotFoundError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        return EXIT_NO_WAREHOUSE
    except (LookupError, ValueError) as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
