"""The command line: arguments, messages and exit codes. The only module that prints or exits."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from digibrief import __version__
from digibrief.errors import EXIT_OK, EXIT_USAGE, DigibriefError, InputError, UsageError

if TYPE_CHECKING:
    from digibrief.pipeline.build import BuildOptions

EPILOG = """\
commands:
  build    validate the data and write the brief and the deck into output/
           example: digibrief build --only pdf --countries KAZ,UZB --paper letter
  check    validate data/ and report/ only; print every problem as file:line:col
           example: digibrief check --data my-data/
  watch    rebuild on every save in data/ or report/ (Ctrl-C to stop)
           example: digibrief watch --only deck
  preview  write PNG contact sheets of the pages, slides and charts into output/preview/
           example: digibrief preview
  schema   write a JSON Schema for each kind of data file (for editor completion)
           example: digibrief schema --out schemas/

exit status: 0 ok, 1 invalid data, 2 usage error, 3 warnings under --strict, 4 render or write failure
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 without a traceback
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data", type=Path, default=Path("data"), metavar="DIR", help="data folder (default: data)"
    )
    p.add_argument(
        "--report", type=Path, default=Path("report"), metavar="DIR", help="report folder (default: report)"
    )


def _build_options(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument(
        "--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (default: output)"
    )
    p.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="chart cache folder, shareable between builds and output folders (default: OUT/.cache/charts)",
    )
    p.add_argument("--only", choices=("pdf", "deck"), help="build only the brief (pdf) or only the deck")
    p.add_argument(
        "--countries", metavar="KAZ,UZB", help="only these country sections (ISO alpha-3, comma-separated)"
    )
    p.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size of the brief (default: from report.yaml)"
    )
    p.add_argument("--template", type=Path, metavar="FILE", help="a .pptx whose layouts the deck uses")
    p.add_argument("--force", action="store_true", help="rebuild everything, ignoring the cache")
    p.add_argument(
        "--strict", action="store_true", help="treat warnings (text split, missing glyphs) as errors"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors and the final summary")
    p.add_argument("-v", "--verbose", action="store_true", help="print timings and cache decisions")


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="digibrief",
        description="Build a sourced PDF briefing and a matching slide deck from YAML data.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"digibrief {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _build_options(
        sub.add_parser(
            "build",
            help="validate and write the brief and the deck",
            description=(
                "Validate data/ and report/, draw the charts (cached) and write output/brief.pdf and output/deck.pptx. "
                "Example: digibrief build --only pdf --paper letter"
            ),
        )
    )
    _common(
        sub.add_parser(
            "check",
            help="validate data/ and report/ only",
            description=("Validate without writing anything. Example: digibrief check --data data/"),
        )
    )
    _build_options(
        sub.add_parser(
            "watch",
            help="rebuild on every save",
            description=(
                "Build, then rebuild whenever a file in data/ or report/ changes. Example: digibrief watch"
            ),
        )
    )
    _build_options(
        sub.add_parser(
            "preview",
            help="PNG contact sheets of pages, slides and charts",
            description=("Build if needed, then write output/preview/*.png. Example: digibrief preview"),
        )
    )
    sp = sub.add_parser(
        "schema",
        help="write JSON Schemas for the data files",
        description=("Write one JSON Schema per data file kind. Example: digibrief schema --out schemas"),
    )
    sp.add_argument(
        "--out", type=Path, default=Path("schemas"), metavar="DIR", help="folder (default: schemas)"
    )
    return p


def _print_problems(err: InputError) -> None:
    for problem in err.problems:
        print(problem, file=sys.stderr)
    print(f"{len(err.problems)} problem(s) found; nothing was written.", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from digibrief.pipeline.build import check

    summary = check(args.data, args.report)
    print(summary)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from digibrief.project.schema import write_schemas

    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return EXIT_OK


def _options(args: argparse.Namespace) -> BuildOptions:
    from digibrief.pipeline.build import BuildOptions

    countries = None
    if args.countries:
        countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
    return BuildOptions(
        data=args.data,
        report=args.report,
        out=args.out,
        cache=args.cache,
        only=args.only,
        countries=countries,
        paper=args.paper,
        template=args.template,
        force=args.force,
        strict=args.strict,
        verbose=args.verbose,
    )


def _build(args: argparse.Namespace) -> int:
    from digibrief.pipeline.build import build

    log = _logger(args)
    result = build(_options(args), log=log)
    _summarise(result, log)
    return result.exit_code


def _summarise(result, log) -> None:
    """The final lines a user reads: what was written, what changed, what to look at."""
    if result.up_to_date:
        return
    for warning in result.warnings:
        log(f"warning: {warning}", always=True)
    if result.written:
        log("wrote " + ", ".join(str(p) for p in result.written), always=True)
    if result.unchanged:
        log("up to date: " + ", ".join(str(p) for p in result.unchanged), always=True)
    drawn = f"{result.charts_drawn} chart(s) redrawn, {result.charts_cached} from cache"
    changes = "; ".join(result.changes)
    log(f"changes: {changes}; {drawn}" if changes else drawn, always=True)


def _watch(args: argparse.Namespace) -> int:
    from digibrief.pipeline.watch import watch

    return watch(_options(args), log=_logger(args), report=_report_error)


def _preview(args: argparse.Namespace) -> int:
    from digibrief.pipeline.preview import preview

    for path in preview(_options(args), log=_logger(args)):
        print(f"wrote {path}")
    return EXIT_OK


def _logger(args: argparse.Namespace):
    quiet = getattr(args, "quiet", False)

    def log(message: str, *, always: bool = False) -> None:
        if always or not quiet:
            print(message, flush=True)

    return log


def _report_error(err: DigibriefError) -> None:
    if isinstance(err, InputError):
        _print_problems(err)
    else:
        print(f"digibrief: error: {err}", file=sys.stderr)


COMMANDS = {"build": _build, "check": _check, "schema": _schema, "watch": _watch, "preview": _preview}


def _stop_gracefully(command: str | None) -> None:
    """Ctrl-C or SIGTERM asks a build to stop at its next checkpoint, before anything is written;
    a second signal stops at once. Either way the previous outputs stay as they were.

    A watch keeps Python's own Ctrl-C (it must stop while waiting for changes).
    """
    from digibrief.pipeline.build import request_stop

    def handler(signum: int, frame: object) -> None:
        if request_stop():
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    if command != "watch":
        signal.signal(signal.SIGINT, handler)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        _stop_gracefully(args.command)
        if args.command is None:
            parser().print_help()
            return EXIT_USAGE
        return COMMANDS[args.command](args)
    except DigibriefError as err:
        if isinstance(err, UsageError):
            print(f"digibrief: error: {err}", file=sys.stderr)
        else:
            _report_error(err)
        return err.exit_code
    except KeyboardInterrupt:
        print("digibrief: interrupted; previous outputs are unchanged.", file=sys.stderr)
        return 130
