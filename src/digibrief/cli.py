"""The command line: arguments, messages and exit codes. The only module that prints or exits."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from digibrief import __version__
from digibrief.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RENDER,
    EXIT_USAGE,
    EXIT_WARNINGS,
    DigibriefError,
    InputError,
    UsageError,
    os_cause,
    write_failure,
)

if TYPE_CHECKING:
    from types import FrameType

    from digibrief.pipeline.build import BuildOptions

EPILOG = """\
commands:
  build    validate the data and write the brief, the deck, the data pack and the web page (brief.html)
           example: digibrief build --only pdf --countries KAZ,UZB --paper letter
  check    validate data/ and report/ only; print every problem as file:line:col
           example: digibrief check --data my-data/
  watch    rebuild on every save in data/ or report/ (Ctrl-C to stop)
           example: digibrief watch --only deck
  preview  write PNG contact sheets of the pages, slides and charts into output/preview/
           example: digibrief preview
  schema   write a JSON Schema for each kind of data file (for editor completion)
           example: digibrief schema --out schemas/
  import   merge one indicator from a CSV download into the country files (prints first; --write writes)
           example: digibrief import owid.csv --indicator internet_users --source OWID_ITU_INTERNET_2025
  diff     what changed between two editions: values, statuses, risk levels, countries, sentences to re-read
           example: digibrief diff data/editions/2026-11-29.yaml data
  edition  record the published edition's figures (snapshot) or list the recorded editions (list)
           example: digibrief edition snapshot
  init     write a new project into an empty folder: data/, report/ and placeholders to replace
           example: digibrief init caucasus --title "Digital South Caucasus" --countries ARM,AZE,GEO --context TUR
  new      scaffold a country, an indicator or a source: every required value a TODO that check refuses
           example: digibrief new country MNG --name Mongolia
  clean    remove the chart copies and cache entries that no build of the output folder uses
           example: digibrief clean --out output

exit status: 0 ok, 1 invalid data, 2 usage error, 3 warnings under --strict, 4 render or write failure,
             130 interrupted
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
    p.add_argument(
        "--only",
        choices=("pdf", "deck", "data", "html"),
        help="build only the brief (pdf), the deck, the data pack (data: brief-data.xlsx) or the web page (html: brief.html)",
    )
    p.add_argument(
        "--countries", metavar="KAZ,UZB", help="only these country sections (ISO alpha-3, comma-separated)"
    )
    p.add_argument(
        "--paper", choices=("a4", "letter"), help="paper size of the brief (default: from report.yaml)"
    )
    p.add_argument("--template", type=Path, metavar="FILE", help="a .pptx whose layouts the deck uses")
    p.add_argument(
        "--deck-charts",
        choices=("native", "picture"),
        default="native",
        help="charts in the deck as editable PowerPoint charts (default) or as pictures",
    )
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
    bp = sub.add_parser(
        "build",
        help="validate and write the brief, the deck, the data pack and the web page",
        description=(
            "Validate data/ and report/, draw the charts (cached) and write output/brief.pdf, output/deck.pptx, "
            "the data pack output/brief-data.xlsx and the web page output/brief.html. "
            "Example: digibrief build --only pdf --paper letter"
        ),
    )
    _build_options(bp)
    bp.add_argument(
        "--per-country",
        action="store_true",
        help="one brief and deck per focus country (or per --countries), in OUT/<iso3>/, sharing one chart cache",
    )
    cp = sub.add_parser(
        "check",
        help="validate data/ and report/ only",
        description=(
            "Validate without writing anything; warn about figures typed by hand in prose. "
            "Example: digibrief check --strict"
        ),
    )
    _common(cp)
    cp.add_argument("--strict", action="store_true", help="exit 3 when there are warnings")
    cp.add_argument(
        "--template", type=Path, metavar="FILE", help="also check a .pptx the deck would be built on"
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
    _commands_for_editions(sub)
    _commands_for_scaffolds(sub)
    clp = sub.add_parser(
        "clean",
        help="remove charts and cache entries no build uses",
        description=(
            "Remove the chart copies in OUT/charts/ and the cache entries in OUT/.cache/charts/ that no "
            "recorded build still uses; a variant whose outputs were deleted is forgotten. Builds prune "
            "the same way after writing; a shared --cache folder is never pruned. "
            "Example: digibrief clean --out output"
        ),
    )
    clp.add_argument(
        "--out", type=Path, default=Path("output"), metavar="DIR", help="output folder (default: output)"
    )
    clp.add_argument("-v", "--verbose", action="store_true", help="list every file removed")
    return p


def _commands_for_scaffolds(sub: argparse._SubParsersAction) -> None:
    ip = sub.add_parser(
        "init",
        help="write a new project into an empty folder",
        description=(
            "Write a new project into DIR (new or empty): data/ with the countries, the indicator catalogue and "
            "its sources, report/ with the report, theme and labels, and a .gitignore. It builds at once; every "
            "sentence still to write is a [Placeholder: ...] that check lists, and check --strict fails until "
            "none remain. Example: digibrief init caucasus --title 'Digital South Caucasus' "
            "--countries ARM,AZE,GEO --context TUR"
        ),
    )
    ip.add_argument("folder", type=Path, metavar="DIR", help="the project folder, new or empty")
    ip.add_argument("--title", required=True, help="the brief's title")
    ip.add_argument(
        "--countries", required=True, metavar="ISO3,...", help="the focus countries, each with a section"
    )
    ip.add_argument("--context", metavar="ISO3,...", help="countries shown in the comparisons only")
    ip.add_argument(
        "--language", default="en", metavar="CODE", help="the brief's language, e.g. en or fr (default: en)"
    )
    np_ = sub.add_parser(
        "new",
        help="scaffold a country, an indicator or a source",
        description=(
            "Write a new country file, indicator or source entry with a TODO placeholder for every required value "
            "(check refuses each until it is filled in) and add it where it must be listed. "
            "Example: digibrief new country MNG --name Mongolia"
        ),
    )
    kinds = np_.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser, required=True)
    cp = kinds.add_parser(
        "country",
        help="data/countries/<iso3>.yaml, added to report.yaml and risks.yaml",
        description=(
            "Write data/countries/<iso3>.yaml; a focus country is also added to countries: in report.yaml "
            "and given a row in data/risks.yaml. Example: digibrief new country MNG --name Mongolia"
        ),
    )
    cp.add_argument("id", metavar="ISO3", help="the country's ISO 3166 alpha-3 code, e.g. MNG")
    cp.add_argument("--name", required=True, help="the country's name as the brief prints it")
    cp.add_argument(
        "--role",
        choices=("focus", "context"),
        default="focus",
        help="focus: a section of its own (default); context: comparisons only",
    )
    _common(cp)
    ip = kinds.add_parser(
        "indicator",
        help="an entry in data/indicators.yaml",
        description=(
            "Add an indicator to data/indicators.yaml. "
            "Example: digibrief new indicator mobile_broadband --name 'Mobile broadband' --unit per100"
        ),
    )
    ip.add_argument("id", metavar="ID", help="the indicator id: a letter, then letters, digits or _")
    ip.add_argument("--name", help="its name, as charts title it")
    ip.add_argument("--unit", metavar="UNIT", help="percent, rank, score, count, usd, per100 or index")
    _common(ip)
    sp = kinds.add_parser(
        "source",
        help="an entry in data/sources.yaml",
        description=(
            "Add a source to data/sources.yaml; a field not given is a TODO that check refuses until filled in. "
            "Example: digibrief new source ITU_2026 --publisher ITU --title 'Facts and Figures 2026' "
            "--url https://www.itu.int/itu-d/reports/statistics/facts-figures-2026/ --date 2026-11 --kind primary"
        ),
    )
    sp.add_argument("id", metavar="ID", help="the source id: a letter, then letters, digits or _")
    _source_fields(sp, "")
    _common(sp)


def _source_fields(p: argparse.ArgumentParser, about: str) -> None:
    """The fields of a source entry, for `new source` and for the entry `import` adds (about: what the
    options are for, before each option's own help)."""
    for option, what in (
        ("--publisher", "who published it, as a reference names it"),
        ("--title", "its title"),
        ("--url", "where a reader finds it (https://...)"),
        ("--date", 'when it was published: "YYYY", "YYYY-MM" or "YYYY-MM-DD"'),
    ):
        p.add_argument(option, help=about + what)
    p.add_argument(
        "--kind",
        dest="source_kind",
        choices=("primary", "secondary", "news"),
        help=about + "a primary release, a secondary report or news",
    )


def _commands_for_editions(sub: argparse._SubParsersAction) -> None:
    ip = sub.add_parser(
        "import",
        help="merge a CSV download into the country files",
        description=(
            "Merge one indicator from an Our World in Data download (Entity,Code,Year,<value>), a World Bank "
            "WDI download or a country,year,value file into data/countries/, keeping every comment. Prints "
            "what would change; --write writes it. Bad rows are listed as file:line:col and nothing is written. "
            "Example: digibrief import owid.csv --indicator internet_users --source OWID_ITU_INTERNET_2025"
        ),
    )
    ip.add_argument("csv", type=Path, metavar="FILE.csv", help="the downloaded CSV")
    ip.add_argument("--indicator", required=True, metavar="ID", help="the indicator the values are")
    ip.add_argument("--source", required=True, metavar="SOURCE_ID", help="the source of the values")
    ip.add_argument("--write", action="store_true", help="write the changes (default: only print them)")
    _source_fields(ip, "a source new to sources.yaml, added with the values: ")
    _common(ip)
    dp = sub.add_parser(
        "diff",
        help="what changed between two editions",
        description=(
            "Compare two editions: each an edition snapshot (data/editions/<date>.yaml), a data folder with "
            "its report folder beside it, or a folder holding data/ and report/. Lists changed, new and removed "
            "values, statuses, risk levels and countries, then the sentences of NEW whose referenced figures "
            "changed. Example: digibrief diff data/editions/2026-11-29.yaml data"
        ),
    )
    dp.add_argument("old", type=Path, metavar="OLD", help="the earlier edition")
    dp.add_argument("new", type=Path, metavar="NEW", help="the later edition")
    dp.add_argument("--format", choices=("text", "csv"), default="text", help="text (default) or csv")
    ep = sub.add_parser(
        "edition",
        help="record or list edition snapshots",
        description=(
            "snapshot: write data/editions/<edition>.yaml with every figure, risk level and country of the "
            "edition in report.yaml; commit it when the edition is published. The next edition's brief then "
            "lists what changed since it. list: the recorded editions. Example: digibrief edition snapshot"
        ),
    )
    ep.add_argument("action", choices=("snapshot", "list"), help="snapshot or list")
    ep.add_argument(
        "--force",
        action="store_true",
        help="snapshot: replace a recorded snapshot of this edition that differs from the data",
    )
    _common(ep)


PROBLEMS_PER_FILE = 50  # beyond this, a file's problems are counted, not listed


def _print_problems(err: InputError) -> None:
    shown: dict[str, int] = {}
    for problem in err.problems:
        shown[problem.file] = shown.get(problem.file, 0) + 1
        if shown[problem.file] <= PROBLEMS_PER_FILE:
            print(problem, file=sys.stderr)
        elif shown[problem.file] == PROBLEMS_PER_FILE + 1:
            rest = sum(1 for p in err.problems if p.file == problem.file) - PROBLEMS_PER_FILE
            print(
                f"{problem.file}: {rest:,} more problem(s) not shown; fix the first ones and run again",
                file=sys.stderr,
            )
    print(f"{len(err.problems):,} problem(s) found; nothing was written.", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from digibrief.pipeline.build import check

    checked = check(args.data, args.report, args.template)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    if checked.warnings:
        print(f"{len(checked.warnings)} warning(s).", file=sys.stderr)
    print(checked.summary)
    if args.strict and checked.warnings:
        print("--strict: warnings are errors.", file=sys.stderr)
        return EXIT_WARNINGS
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
        deck_charts=args.deck_charts,
        force=args.force,
        strict=args.strict,
        verbose=args.verbose,
    )


def _build(args: argparse.Namespace) -> int:
    from digibrief.pipeline.build import build

    log = _logger(args)
    if args.per_country:
        return _build_per_country(args, log)
    result = build(_options(args), log=log)
    _summarise(result, log)
    return result.exit_code


def _build_per_country(args: argparse.Namespace, log) -> int:
    from digibrief.pipeline.percountry import build_per_country

    results = build_per_country(_options(args), log=log)
    for cid, result in results:
        if result.up_to_date:
            log(f"{cid}: up to date", always=True)
        else:
            log(f"{cid}:", always=True)
            _summarise(result, log)
    return max((result.exit_code for _, result in results), default=EXIT_OK)


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
    if result.rereads:
        log("re-read these sentences: a figure they refer to changed", always=True)
        for sentence in result.rereads:
            log(f"  {sentence}", always=True)


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


def _import(args: argparse.Namespace) -> int:
    from digibrief.pipeline.importing import import_csv, report

    fields = {k: getattr(args, k) for k in ("publisher", "title", "url", "date")}
    fields["kind"] = args.source_kind
    plan = import_csv(args.csv, args.indicator, args.source, args.data, args.report, args.write, fields)
    for line in report(plan, args.write):
        print(line)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from digibrief.document.changes import CSV_COLUMNS, lines, rows
    from digibrief.pipeline.editions import diff

    changes, rereads = diff(args.old, args.new)
    if args.format == "csv":
        import csv

        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(CSV_COLUMNS)
        out.writerows(rows(changes, rereads))
    else:
        for line in lines(changes, rereads):
            print(line)
    return EXIT_OK


def _edition(args: argparse.Namespace) -> int:
    from digibrief.document.changes import lines
    from digibrief.pipeline.editions import listing, record

    if args.action == "list":
        for line in listing(args.data, args.report):
            print(line)
        return EXIT_OK
    done = record(args.data, args.report, force=args.force)
    if done.differences is None:
        print(f"wrote {done.path}: commit it with the data of this edition")
    elif not done.differences.items:
        print(f"{done.path} already matches the data")
    elif done.written:
        print(f"updated {done.path}; it differed from the data in:")
        for line in lines(done.differences)[1:]:
            print(line)
    else:
        print(
            f"digibrief: error: {done.path} records this edition and differs from the data in:",
            file=sys.stderr,
        )
        for line in lines(done.differences)[1:]:
            print(line, file=sys.stderr)
        print(
            f"kept {done.path} as it was: a published snapshot is the record of what readers saw. "
            "Set a new edition: date in report.yaml, or run again with --force to replace it",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    from digibrief.pipeline.prune import clean

    pruned = clean(args.out)
    for path in pruned.removed if args.verbose else []:
        print(f"removed {path}")
    print(
        f"removed {len(pruned.removed)} file(s) no build of {args.out} uses "
        f"({pruned.freed / 1e6:.1f} MB); the outputs are untouched"
    )
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    from digibrief.pipeline.scaffold import init_project

    done = init_project(args.folder, args.title, args.countries, args.context, args.language)
    for path in done.written:
        print(f"wrote {path}")
    for step in done.next_steps:
        print(f"next: {step}")
    return EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from digibrief.pipeline.scaffold import new_country, new_indicator, new_source

    if args.kind == "country":
        done = new_country(args.id, args.name, args.role, args.data, args.report)
    elif args.kind == "source":
        fields = {k: getattr(args, k) for k in ("publisher", "title", "url", "date")}
        fields["kind"] = args.source_kind
        done = new_source(args.id, fields, args.data)
    else:
        done = new_indicator(args.id, args.name, args.unit, args.data)
    for line in done.written:
        print(f"wrote {line}")
    if done.by_hand:
        print("add by hand (the file's layout could not be extended safely):")
        for line in done.by_hand:
            print(f"  {line}")
    for step in done.next_steps:
        print(f"next: {step}")
    return EXIT_OK


COMMANDS = {
    "build": _build,
    "check": _check,
    "schema": _schema,
    "watch": _watch,
    "preview": _preview,
    "import": _import,
    "diff": _diff,
    "edition": _edition,
    "init": _init,
    "new": _new,
    "clean": _clean,
}


def _stop_gracefully(command: str | None) -> None:
    """Ctrl-C or SIGTERM asks a build to stop at its next checkpoint, before anything is written;
    a second signal stops at once. Either way the previous outputs stay as they were.

    A watch that is waiting for changes (no build running), and every command that does not
    build, stops at the first signal.
    """
    handler = _interrupt  # a command that does not build has no checkpoints: its writes are staged
    if command in ("build", "preview", "watch"):  # only these import the pipeline's stop flag
        from digibrief.pipeline.build import build_running, request_stop

        def handler(signum: int, frame: FrameType | None) -> None:
            building = command != "watch" or build_running()
            if request_stop() or not building:
                _interrupt(signum, frame)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _interrupt)


HELD = 0.05  # seconds: how soon an interrupt held back during an import is tried again


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Stop now, unless Python is importing a module: an interrupt raised inside a compiled library's
    initialisation (pydantic-core builds its validators while digibrief's models are imported) makes it
    panic or print an ignored traceback instead of stopping. Then try again in HELD seconds."""
    if _importing(frame) and hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, HELD)
        return
    raise KeyboardInterrupt


def _importing(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        _stop_gracefully(args.command)
        if args.command is None:
            parser().print_help()
            return EXIT_USAGE
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full disk or closed pipe under stdout fails here, not after main returns
        return code
    except DigibriefError as err:
        if isinstance(err, UsageError):
            print(f"digibrief: error: {err}", file=sys.stderr)
        else:
            _report_error(err)
        return err.exit_code
    except KeyboardInterrupt:
        print("digibrief: interrupted; previous outputs are unchanged.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:  # a fault outside the data: a read-only folder, a full disk, a closed pipe
        if _stdout_failed(exc):
            print(f"digibrief: error: standard output: {os_cause(exc)}", file=sys.stderr)
        else:
            print(f"digibrief: error: {write_failure(exc, tail='stopped')}", file=sys.stderr)
        return EXIT_RENDER
    finally:
        if hasattr(signal, "setitimer"):  # an interrupt still held back: the command finished first
            signal.setitimer(signal.ITIMER_REAL, 0)


def _stdout_failed(exc: OSError) -> bool:
    """True when exc came from writing to standard output (our own file writes name their file);
    later writes to it are then dropped."""
    import errno
    import os

    if exc.filename is not None or exc.errno not in (errno.EPIPE, errno.ENOSPC, errno.EFBIG, errno.EIO):
        return False

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
    return True
