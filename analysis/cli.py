"""The `minrisk` command line."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path

from rich.console import Console

from .config import ConfigError
from .paths import DEFAULT_DB, DEFAULT_REPORT
from .sources.errors import InputError

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

exit codes:
  0 success · 1 unexpected error, or `report --png` without a browser · 2 bad command-line usage
  3 bad input file or config · 4 warehouse missing (run `minrisk build` first)
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
        type=Path,
        default=[],
        metavar="FILE",
        help="also load these files (see `minrisk sources`)",
    )
    b.add_argument("--format", metavar="NAME", help="format of the --with files (default: detected)")
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
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
    i.add_argument("--quiet", action="store_true", help="print nothing but errors")
    i.set_defaults(func=cmd_ingest)

    s = sub.add_parser("sources", help="list the input formats and the columns each needs")
    s.set_defaults(func=cmd_sources)

    j = sub.add_parser("rejects", help="show the rows that were not loaded, with their reasons")
    j.add_argument("file", nargs="?", help="only rows of input files whose path contains this text")
    _common(j, as_of=False)
    j.add_argument("--limit", type=int, default=50, help="show at most this many rows (default 50)")
    j.set_defaults(func=cmd_rejects)
    return top


def _version() -> str:
    from . import __version__

    return __version__


def cmd_build(args: argparse.Namespace) -> int:
    from .warehouse.build import build
    from .warehouse.inputs import describe

    described = describe(args.files, args.format)
    if not args.quiet:
        for item, how in described:
            print(f"{item.path}: {how}")
    with console.status("building the warehouse…", spinner="dots") if not args.quiet else nullcontext():
        result = build(
            args.db,
            as_of=args.as_of,
            config=args.config,
            sample=not args.no_sample,
            inputs=[item for item, _ in described],
        )
    if not args.quiet:
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

    with console.status("ingesting…", spinner="dots") if not args.quiet else nullcontext():
        result, notes = ingest(args.db, args.files, args.format, args.as_of)
    if not args.quiet:
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
    import duckdb
    from rich.table import Table

    if not Path(args.db).exists():
        raise FileNotFoundError(
            f"{args.db}: no warehouse here; build one with `minrisk build --db {args.db}`"
        )
    con = duckdb.connect(str(args.db), read_only=True)
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
