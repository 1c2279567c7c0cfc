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

exit codes:
  0 success · 1 unexpected error · 2 bad command-line usage · 3 bad input file or config
  4 warehouse missing (run `minrisk build` first)
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
    b.add_argument("--quiet", action="store_true", help="print nothing but errors")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser(
        "report",
        help="write the self-contained HTML risk report",
        description="Write the overview risk report as one offline HTML file.",
    )
    _common(r)
    r.add_argument("--buyer", metavar="NAME", help="buyer id or name (default: the first buyer)")
    r.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_REPORT,
        metavar="PATH",
        help=f"output file (default: {DEFAULT_REPORT})",
    )
    r.set_defaults(func=cmd_report)
    return top


def _version() -> str:
    from . import __version__

    return __version__


def cmd_build(args: argparse.Namespace) -> int:
    from .warehouse.build import build

    with console.status("building the warehouse…", spinner="dots") if not args.quiet else nullcontext():
        result = build(args.db, as_of=args.as_of, config=args.config, sample=not args.no_sample)
    if not args.quiet:
        print(
            f"warehouse: {result.db_path}  (build {result.build_id}, as of {result.as_of}, "
            f"{len(result.files)} input files, {result.seconds:.1f} s)"
        )
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .reports.overview import build_overview
    from .warehouse.as_of import marts_as_of

    with marts_as_of(args.db, args.as_of) as con:
        html = build_overview(con, as_of=args.as_of, buyer=args.buyer)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(html, encoding="utf-8")
    print(f"report: {args.out}")
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
