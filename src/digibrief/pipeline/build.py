"""The pipeline: resolve (load, compose, options) -> draw and render (charts cached, on one pool; a
writer starts when its charts are in) -> commit (atomic files).

Only the pipeline writes files (this module the outputs; editions and importing the data files they
are asked to); only cli prints. Every output is rendered in memory first and moved
into place at the end, so a failed or interrupted build leaves the previous outputs untouched.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from digibrief import __version__
from digibrief.document.words import Speech
from digibrief.errors import (
    EXIT_OK,
    EXIT_WARNINGS,
    DigibriefError,
    InputError,
    Interrupted,
    RenderError,
    UsageError,
    blocker,
    write_failure,
)
from digibrief.pipeline import renders
from digibrief.pipeline.cache import (
    DiskStore,
    digest,
    file_digest,
    fingerprint,
    read_cached,
    read_manifest,
    tree_fingerprint,
    whole_image,
    write_all_atomic,
    write_atomic,
    write_fast,
    write_manifest,
)
from digibrief.pipeline.heap import set_aside, set_aside_while_rendering
from digibrief.pipeline.pool import (
    Serial,
    keep_workers,
    kept_workers,
    pool,
    release_workers,
    start_workers,
    worker_count,
)
from digibrief.pipeline.prune import live_builds, prune
from digibrief.pipeline.variants import output_name, suffixes, variant
from digibrief.project.folders import missing_folders
from digibrief.vocabulary import MEDIA

if TYPE_CHECKING:
    from digibrief.document.types import Document
    from digibrief.project.model import Project
    from digibrief.theme import Theme
    from digibrief.writers.contract import ImageRequest, Rendered


@dataclass(frozen=True)
class Output:
    """One output format: its file, its writer module and the module that resolves its options."""

    filename: str  # the name a build without naming options gives it
    writer: str  # image_requests(doc, options) and render(doc, images, theme, options)
    options: str  # resolve(choices) -> that writer's options
    named_by: tuple[str, ...] = ()  # the options that change it, so name its variants (see variants.py)
    stem: str = ""  # the part of filename a variant's suffixes follow (default: up to the first '.')

    def name(self, parts: list[str]) -> str:
        return output_name(self.filename, self.stem or self.filename.split(".")[0], parts)


# adding a format is adding a line here and a writer package
WRITERS: dict[str, Output] = {
    "pdf": Output(
        "brief.pdf", "digibrief.writers.pdf.brief", "digibrief.writers.pdf.options", ("countries", "paper")
    ),
    "deck": Output(
        "deck.pptx",
        "digibrief.writers.pptx.deck",
        "digibrief.writers.pptx.options",
        ("countries", "template", "deck_charts"),
    ),
    "data": Output(  # the data pack: named after the brief it goes with
        "brief-data.xlsx",
        "digibrief.writers.xlsx.datapack",
        "digibrief.writers.xlsx.options",
        ("countries",),
        stem="brief",
    ),
    "html": Output(
        "brief.html", "digibrief.writers.html.page", "digibrief.writers.html.options", ("countries",)
    ),
}
LIBRARIES = ("matplotlib", "reportlab", "svglib", "python-pptx", "Pillow", "XlsxWriter")


class Log(Protocol):
    def __call__(self, message: str, *, always: bool = False) -> None: ...


_STOP = threading.Event()
_RUNNING = threading.Event()
_WARM = threading.Event()


def keep_warm() -> None:
    """This process builds again and again (watch): import matplotlib here once, so that the workers
    inherit it. A one-shot build leaves the import to its workers, which do it side by side, and this
    process stays 40 MB smaller. A watch keeps its workers too (pool.keep_workers, warm_up), and each
    input file's parse and validation, by its bytes (project/kept.py)."""
    from digibrief.project import kept

    _WARM.set()
    kept.keep()


def warm_up(opts: BuildOptions) -> None:
    """Ready a warm process for its next build: import what drawing and the writers need and register
    the theme's fonts, then start the kept workers, which inherit all that (spawned ones import the
    drawing libraries first) and set it aside from the collector. They draw no sample chart: a warm-up
    of one chart of every kind cost each worker 0.6 to 0.9 s of CPU and saved the first save's charts
    0.05 s in all. Outputs that draw no chart import no drawing library, here or in a worker; the data
    pack alone needs no worker either, and every build of it runs here. Invalid input: the workers start cold. A kept pool that a build
    started already (its workers drew that build's charts) is kept as it is."""
    keep_warm()
    keep_workers()
    if kept_workers():
        return
    try:
        r = resolve(opts)
    except (DigibriefError, OSError):
        start_workers()
        return
    drawn = any(job.requests for job in r.jobs)
    if drawn:
        from digibrief import charts as drawing

        drawing.prepare(r.theme)
    for job in r.jobs:
        if (preload := getattr(job.module, "preload", None)) is not None:
            preload()
    set_aside()  # before the workers fork: their first collection then walks (and copies) none of it
    if drawn or len(r.jobs) > 1:  # a chart to draw, or a writer to render beside the first
        start_workers(_kept_worker_ready if drawn else set_aside)


def _preload_drawing() -> None:
    from digibrief import charts

    charts.preload()


def _kept_worker_ready() -> None:
    """A kept worker's warm-up: import what drawing needs (a forked worker inherited it from the watch,
    a spawned one has nothing yet), then set what is alive (the libraries, the fonts) aside from the
    collector, as the watch does with its own (heap.set_aside)."""
    _preload_drawing()
    set_aside()


def request_stop() -> bool:
    """Ask the running build to stop at its next checkpoint; True if it had been asked already."""
    already = _STOP.is_set()
    _STOP.set()
    return already


def stop_requested() -> bool:
    """True once Ctrl-C or SIGTERM asked the running build (or watch) to stop."""
    return _STOP.is_set()


def checkpoint() -> None:
    if _STOP.is_set():
        raise Interrupted("interrupted; the previous outputs are unchanged")


def _quiet(message: str, *, always: bool = False) -> None:
    pass


@dataclass(frozen=True)
class BuildOptions:
    data: Path = Path("data")
    report: Path = Path("report")
    out: Path = Path("output")
    cache: Path | None = None  # the chart cache folder; None = OUT/.cache/charts
    only: str | None = None
    countries: tuple[str, ...] | None = None
    paper: str | None = None
    template: Path | None = None
    deck_charts: str = "native"  # native (editable) or picture charts in the deck
    force: bool = False
    strict: bool = False
    verbose: bool = False
    one_country: bool = False  # a brief of countries[0] in a folder of its own (build --per-country)

    def formats(self) -> list[str]:
        return [self.only] if self.only else list(WRITERS)

    def filename(self, fmt: str) -> str:
        """The file this build writes for fmt: its default name plus each naming option given."""
        output = WRITERS[fmt]
        countries = None if self.one_country else self.countries
        return output.name(suffixes(output.named_by, countries, self.paper, self.template, self.deck_charts))

    @property
    def entry(self) -> str:
        """This build's record in the manifest: its variant and the formats it writes."""
        countries = None if self.one_country else self.countries
        return f"{variant(countries, self.paper, self.template, self.deck_charts)}|{'+'.join(self.formats())}"

    @property
    def chart_cache(self) -> Path:
        return self.cache or self.out / ".cache" / "charts"


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    charts_drawn: int = 0
    charts_cached: int = 0
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # values changed since the last build
    rereads: list[str] = field(default_factory=list)  # file:line: sentences whose referenced figures changed
    exit_code: int = EXIT_OK
    up_to_date: bool = False
    first: list[str] = field(default_factory=list)  # outputs a watch wrote before the others were in


@dataclass(frozen=True)
class WriterJob:
    """One writer's part of a build: what it needs, and the options only it reads."""

    fmt: str
    output: Output
    module: ModuleType
    options: Any
    requests: tuple[ImageRequest, ...]


@dataclass(frozen=True)
class Resolved:
    """Everything the build knows once the input is valid, before any chart is drawn."""

    project: Project
    doc: Document
    theme: Theme
    theme_key: dict[str, object]
    versions: dict[str, str]
    jobs: tuple[WriterJob, ...]


@dataclass(frozen=True)
class ChartSet:
    """Every requested image: its cache key and bytes, by (chart id, medium)."""

    keys: dict[tuple[str, str], str]
    data: dict[tuple[str, str], bytes]
    files: dict[str, bytes]  # human-named copies for output/charts/


@dataclass(frozen=True)
class Checked:
    """What `check` found in valid input: a one-line summary and the located warnings."""

    summary: str
    warnings: tuple[str, ...]


def check(data_dir: Path, report_dir: Path, template: Path | None = None) -> Checked:
    """Validate and compose without writing (Sphinx's dummy builder), and the deck's template if given."""
    from digibrief.document.compose import compose
    from digibrief.pipeline.editions import since_previous, with_section
    from digibrief.project.load import load

    project = load(data_dir, report_dir)
    doc = with_section(
        compose(project), since_previous(project, data_dir)
    )  # reads the last edition's snapshot
    points = sum(len(s) for c in project.countries.values() for s in c.indicators.values())
    summary = (
        f"data valid: {len(project.countries)} countries, {len(project.indicators)} indicators, "
        f"{points} values, {len(project.sources)} sources; {len(doc.sections)} sections, "
        f"{len(doc.figures())} charts"
    )
    if template is not None:
        from digibrief.writers.pptx.options import read_template

        read_template(template)
        summary += f"; template {template.name} holds the deck"
    return Checked(summary, tuple(str(w) for w in project.warnings))


def build_running() -> bool:
    """True while a build holds its output folder (a watch stops at once when none does)."""
    return _RUNNING.is_set()


def build(opts: BuildOptions, log: Log = _quiet) -> BuildResult:
    """Build the selected outputs; raise InputError/RenderError/UsageError on failure."""
    _STOP.clear()
    if opts.only is not None and opts.only not in WRITERS:
        raise UsageError(f"--only: unknown output {opts.only!r} (choose from {', '.join(WRITERS)})")
    missing = missing_folders(opts.data, opts.report)
    if missing:  # before the output folder or its lock is created, wherever digibrief was run
        raise InputError(missing)
    if opts.cache is not None and (found := blocker(opts.cache)) is not None:
        raise UsageError(
            f"--cache {opts.cache}: {found} is a file, not a folder; name a folder for the chart cache"
        )
    prepare_output(opts.out)
    started = time.perf_counter()
    tree = tree_fingerprint(opts.data, opts.report)  # every input file read and hashed, once per build
    input_key = _input_key(opts, tree)
    if done := _up_to_date(opts, read_manifest(opts.out / ".cache" / "manifest.json"), input_key):
        # no lock needed to find nothing to do: a build that is writing meanwhile changes the outputs'
        # hashes, and this one then waits for the lock and looks again
        log(
            f"up to date: nothing changed in {opts.data} or {opts.report} ({time.perf_counter() - started:.2f} s)"
        )
        return done
    from digibrief.pipeline.lock import build_lock

    with build_lock(opts.out):
        _RUNNING.set()
        try:
            return _build_locked(opts, log, input_key, tree)
        except OSError as exc:  # e.g. disk full while caching a chart: outputs were not touched yet
            raise write_failure(exc, opts.out, "the previous outputs are unchanged") from exc
        finally:
            _RUNNING.clear()


def prepare_output(out: Path) -> None:
    """Create the output folder and prove it writable, or say why not: a write failure, exit 4."""
    if out.exists() and not out.is_dir():
        raise RenderError(f"--out {out} is a file, not a folder; name a folder. Nothing was written")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in out.parents if p.exists() and not p.is_dir()), out)
        raise RenderError(
            f"cannot create the output folder {out}: {blocker} is a file, not a folder. Nothing was written"
        ) from None
    except PermissionError:
        raise RenderError(
            f"the output folder {out} is not writable (permission denied); choose another with --out. "
            "Nothing was written"
        ) from None
    except OSError as exc:
        raise RenderError(
            f"cannot write to the output folder {out}: {exc.strerror or exc}. Nothing was written"
        ) from None


def _up_to_date(opts: BuildOptions, manifest: dict[str, Any], input_key: str) -> BuildResult | None:
    """The result of a build with nothing to do (inputs and outputs as the manifest records), else None."""
    recorded = manifest.get("builds", {}).get(opts.entry, {})
    if opts.force or recorded.get("inputs") != input_key or not _outputs_intact(opts, manifest):
        return None
    return BuildResult(unchanged=[opts.out / opts.filename(f) for f in opts.formats()], up_to_date=True)


def _build_locked(opts: BuildOptions, log: Log, input_key: str, tree: str) -> BuildResult:
    manifest = read_manifest(opts.out / ".cache" / "manifest.json")
    if (done := _up_to_date(opts, manifest, input_key)) is not None:  # a build finished while we waited
        log(f"up to date: another build wrote {opts.out} meanwhile")
        return done
    result = BuildResult()
    # every writer: the workers will be needed, so they start now and import what drawing needs while
    # this process loads the input (a one-value edit's charts then wait for no import); a warm process
    # has its workers already, and invalid input there must not end them
    early = opts.only is None and not _WARM.is_set()
    with pool(warm=_preload_drawing) if early else nullcontext(None) as workers:
        resolved = resolve(opts, log, tree)
        result.warnings += [str(w) for w in resolved.project.warnings]
        checkpoint()
        with set_aside_while_rendering():
            charts, rendered = draw_and_render(resolved, manifest, opts, log, result, workers)
    if opts.strict and result.warnings:
        result.exit_code = EXIT_WARNINGS
        log("--strict: warnings are errors; nothing was written", always=True)
        return result
    checkpoint()
    commit(resolved, charts, rendered, manifest, input_key, opts, log, result)
    return result


# --- resolve -------------------------------------------------------------------------------------


def resolve(opts: BuildOptions, log: Log = _quiet, tree: str | None = None) -> Resolved:
    """Load and compose the input and settle every writer's options: all that can fail fast.
    tree: the input files' fingerprint, when the caller has it already."""
    from digibrief.document.compose import compose
    from digibrief.pipeline.editions import since_previous, with_section
    from digibrief.project.load import load
    from digibrief.project.theming import make_theme
    from digibrief.writers.contract import Choices

    started = time.perf_counter()
    project = _loaded(opts.data, opts.report, load, tree or tree_fingerprint(opts.data, opts.report))
    if opts.countries:
        unknown = [c for c in opts.countries if c not in project.report.countries]
        if unknown:
            raise UsageError(
                f"--countries: {', '.join(unknown)} not among the report's countries "
                f"({', '.join(project.report.countries)})"
            )
    paper = opts.paper or project.report.paper
    if paper not in ("a4", "letter"):
        raise UsageError(f"--paper: expected a4 or letter, got {paper!r}")
    choices = Choices(paper=paper, template=opts.template, deck_charts=opts.deck_charts)  # type: ignore[arg-type]
    options = {f: importlib.import_module(WRITERS[f].options).resolve(choices) for f in opts.formats()}
    theme = make_theme(project.theme, opts.report)
    doc = compose(project, opts.countries, _epoch(), datapack=opts.filename("data"))
    doc = with_section(doc, since_previous(project, opts.data))
    jobs = []
    for fmt in opts.formats():
        module = importlib.import_module(WRITERS[fmt].writer)
        jobs.append(
            WriterJob(
                fmt, WRITERS[fmt], module, options[fmt], tuple(module.image_requests(doc, options[fmt]))
            )
        )
    _step(log, "load and validate", started, f"{len(project.countries)} countries")
    return Resolved(project, doc, theme, theme.fingerprint_parts(), _versions(), tuple(jobs))


_LAST_LOAD: dict[str, Project] = {}
# a warm process's charts already parsed into the first writer's store, by that writer, its options and
# the store: a later build need not warm them again (a store that lost one costs its render a parse)
_PARSED: dict[str, set[str]] = {}


def forget_process_state() -> None:
    """Start again as a new process would: no remembered project, no stop requested, no build running.

    For callers that run several commands in one process (the test suite runs the CLI in-process)."""
    _LAST_LOAD.clear()
    _PARSED.clear()
    _versions_loaded.cache_clear()
    if (texts := sys.modules.get("digibrief.project.texts")) is not None:  # never imported for this
        texts.forget()
    if (kept := sys.modules.get("digibrief.project.kept")) is not None:
        kept.forget()
    _STOP.clear()
    _RUNNING.clear()
    _WARM.clear()
    release_workers()


def _loaded(data: Path, report: Path, load: Callable[[Path, Path], Project], key: str) -> Project:
    """The project, loaded once per version of its files (key: their fingerprint) in this process:
    --per-country builds every country's brief from the same input (a Project is never changed)."""
    if key not in _LAST_LOAD:
        project = load(data, report)
        _LAST_LOAD.clear()  # keep one: a watch session's previous versions are garbage
        _LAST_LOAD[key] = project
    return _LAST_LOAD[key]


# --- draw and render ----------------------------------------------------------------------------


@dataclass
class _Work:
    """What a build still has to do once its keys are known: the charts to draw (the ones a background
    writer needs first) and the writers to render (the first here, the others on the workers)."""

    charts: ChartSet
    draw: list[tuple[tuple[str, str], ImageRequest, Path]]
    writers: list[tuple[WriterJob, str]]


def plan_work(r: Resolved, manifest: dict[str, Any], opts: BuildOptions, result: BuildResult) -> _Work:
    """Every chart's and every writer's key, without drawing anything: cached charts are read, and a
    writer whose key and output are as the manifest records is left alone."""
    requests = {req.key: req for job in r.jobs for req in job.requests}
    keys: dict[tuple[str, str], str] = {}
    data: dict[tuple[str, str], bytes] = {}
    draw: list[tuple[tuple[str, str], ImageRequest, Path]] = []
    shared = fingerprint(r.theme_key, r.versions, r.doc.speech)  # hashed once: the speech holds every label
    for k, req in requests.items():
        ground = [req.ground] if req.ground is not None else []  # a white chart's key as before
        keys[k] = fingerprint(req.chart, req.medium, req.fmt, shared, *ground)
        path = opts.chart_cache / f"{keys[k]}.{req.fmt}"
        cached = None if opts.force else read_cached(path, req.fmt)
        if cached is not None:
            data[k] = cached
            result.charts_cached += 1
        else:
            draw.append((k, req, path))
    writers: list[tuple[WriterJob, str]] = []
    document = fingerprint(r.doc)  # the largest part of every writer's key, hashed once
    code = package_code()  # what renders: a change to any of it renders every output again
    for job in r.jobs:
        key = fingerprint(
            document,
            r.theme_key,
            job.options,
            r.versions,
            code,
            sorted(keys[q.key] for q in job.requests),
            job.fmt,
        )
        entry = manifest.get("outputs", {}).get(opts.filename(job.fmt), {})
        target = opts.out / opts.filename(job.fmt)
        if not opts.force and entry.get("key") == key and file_digest(target) == entry.get("sha256"):
            result.unchanged.append(target)
        else:
            writers.append((job, key))
    background = [job for job, _ in writers[1:]]
    first_needed = {  # a chart a background writer waits for is drawn before the rest
        q.key: min((i for i, job in enumerate(background) if q in job.requests), default=len(background))
        for job in r.jobs
        for q in job.requests
    }
    draw.sort(key=lambda t: first_needed[t[0]])
    return _Work(ChartSet(keys, data, {}), draw, writers)


def draw_and_render(
    r: Resolved,
    manifest: dict[str, Any],
    opts: BuildOptions,
    log: Log,
    result: BuildResult,
    started_workers: Executor | None = None,
) -> tuple[ChartSet, dict[str, tuple[bytes, str, Any]]]:
    """Draw the new charts and render the changed writers on one pool. The charts go first; a background
    writer (the deck, the data pack) starts on a worker as soon as one is free and its own charts are in
    (its charts are drawn before the rest); the first writer (the brief) renders here once the last
    chart is in, or, in a warm process whose workers parse what they draw for it, beside the draws,
    waiting for each chart when its layout reaches it (contract.Arriving). A writer whose output for
    this key was kept is not rendered (pipeline/renders.py).
    started_workers: the build's pool, when it started one before resolving."""
    work = plan_work(r, manifest, opts, result)
    every_writer, kept = work.writers, _kept_renders(work.writers, opts)
    work.writers = [(job, key) for job, key in every_writer if job.fmt not in kept]
    charts, data = work.charts, work.charts.data
    waiting = [job for job, _ in work.writers[1:]]
    key_of = {job.fmt: key for job, key in work.writers}
    outcomes: dict[str, Future[tuple[Rendered, float]]] = {}
    started = time.perf_counter()
    if work.draw and _WARM.is_set():  # imported and fonts registered once, before workers fork
        from digibrief import charts as drawing

        drawing.prepare(r.theme)
    if _WARM.is_set():  # a writer's libraries too, so that no forked worker imports them again
        for job, _ in work.writers:
            if (preload := getattr(job.module, "preload", None)) is not None:
                preload()
    # the first writer renders here once its charts are in and a background writer holds nothing up, so
    # the charts go to the workers before any writer does (a one-value edit: its charts first, then the
    # deck, rather than the deck first)
    tasks = len(work.draw) + len(waiting)  # one chart: a worker, not here
    with nullcontext(started_workers) if started_workers else pool(tasks) as workers:
        todo = list(work.draw)
        running: dict[Future[Any], tuple[tuple[str, str], ImageRequest, Path] | WriterJob] = {}

        # a watch writes the brief and the deck first: the other writers wait until the first one is
        # rendered (they would slow it down), and the two are written once both are in
        hurry = first_then_rest(_WARM.is_set(), opts.strict, [job.fmt for job, _ in work.writers])
        hold = {job.fmt for job, _ in work.writers if job.fmt not in FIRST} if hurry else set()

        def ready() -> WriterJob | None:
            return next(
                (j for j in waiting if j.fmt not in hold and all(q.key in data for q in j.requests)), None
            )

        def release() -> None:
            """Every writer whose charts are all in (and that is not held) to the workers now."""
            while (other := ready()) is not None:
                waiting.remove(other)
                future = workers.submit(
                    render_one, *_render_args(other, r, data, manifest, opts, key_of[other.fmt])
                )
                running[future], outcomes[other.fmt] = other, future

        def fill() -> None:
            while len(running) < worker_count():
                job = None if todo else ready()
                if job is not None:
                    waiting.remove(job)
                    future = workers.submit(
                        render_one, *_render_args(job, r, data, manifest, opts, key_of[job.fmt])
                    )
                    running[future], outcomes[job.fmt] = job, future
                elif todo:
                    k, req, path = todo.pop(0)
                    then = parse_there if k in ahead else None
                    running[workers.submit(draw_chart, req, r.theme, r.doc.speech, then)] = (k, req, path)
                else:
                    return

        first = work.writers[0][0] if work.writers else None
        warm = _warmer(first, r, opts)
        ahead = {q.key: q for q in first.requests} if first and warm else {}
        # in a warm process, whose kept workers have the writers' libraries, a chart the first writer
        # needs is parsed by the worker that drew it, beside the other draws, rather than here after them
        parse_there = (
            (first.output.writer, first.options, _store(first, opts))
            if first and warm and _WARM.is_set()
            else None
        )
        # ... and the first writer renders here beside those draws, waiting for a chart only when it
        # needs it: every chart, then every writer that waits for none, goes to the workers now, in
        # that order (they take them in turn)
        beside = (
            first is not None
            and parse_there is not None
            and not isinstance(workers, Serial)
            and any(q.key not in data for q in first.requests)
        )
        if beside:
            while todo:
                k, req, path = todo.pop(0)
                then = parse_there if k in ahead else None
                running[workers.submit(draw_chart, req, r.theme, r.doc.speech, then)] = (k, req, path)
            release()
        else:
            fill()
        parsed = (
            _PARSED.setdefault(fingerprint(first.fmt, first.options, str(opts.chart_cache)), set())
            if first
            else set()
        )
        for k, q in ahead.items():  # parse what is cached while the workers draw the rest
            if k in data and warm and charts.keys[k] not in parsed:
                warm(q, data[k])
                if _WARM.is_set():  # the next build of this process finds it parsed in the store
                    parsed.add(charts.keys[k])
        drawn, last = 0, started

        def arrive(future: Future[Any]) -> None:
            """A chart is drawn: check it, keep it, and parse it for the first writer if it needs it."""
            nonlocal drawn, last
            task = running.pop(future)
            assert not isinstance(task, WriterJob)
            k, req, path = task
            if _STOP.is_set():
                for f in running:
                    f.cancel()
                checkpoint()
            try:
                data[k] = future.result()
            except Exception as exc:  # a drawing bug: exit 4 with what failed, never a traceback
                checkpoint()
                name = f"chart '{req.chart.id}' ({req.medium})"
                raise RenderError(f"{name} could not be drawn: {type(exc).__name__}: {exc}") from exc
            if not whole_image(data[k], req.fmt):  # never cached, never placed as a hole in an output
                name = f"chart '{req.chart.id}' ({req.medium})"
                raise RenderError(f"{name} could not be read after drawing: not a whole {req.fmt} image")
            write_fast(path, data[k])  # read_cached checks it whole
            drawn, last = drawn + 1, time.perf_counter()
            _progress(log, opts, drawn, len(work.draw), req)
            if warm and k in ahead and parse_there is None:
                fill()  # keep the workers busy first
                warm(ahead[k], data[k])
            elif k in ahead and parse_there is not None:
                parsed.add(charts.keys[k])

        early: tuple[Rendered, float] | Exception | None = None
        if beside and first is not None:
            early = _render_beside(
                first, r, data, running, arrive, release, manifest, opts, key_of[first.fmt]
            )
        while todo or any(not isinstance(t, WriterJob) for t in running.values()):
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                if not isinstance(running[future], WriterJob):
                    arrive(future)
                    continue
                running.pop(future)  # a writer: collected below, in the writers' order
                if _STOP.is_set():
                    for f in running:
                        f.cancel()
                    checkpoint()
            fill()
        if work.draw:
            result.charts_drawn = len(work.draw)
            summary = f"{len(work.draw)} drawn, {result.charts_cached} from cache"
            beside_first = f", beside the render of {opts.filename(first.fmt)}" if beside and first else ""
            _step(log, "draw charts", started, summary + beside_first, last)
        else:
            log(f"  charts: all {len(charts.keys)} from cache")

        def submit_waiting() -> None:  # background writers whose charts came last, or were held
            for job in [j for j in waiting if j.fmt not in hold]:
                waiting.remove(job)
                outcomes[job.fmt] = workers.submit(
                    render_one, *_render_args(job, r, data, manifest, opts, key_of[job.fmt])
                )

        if early is not None:
            hold.clear()
        submit_waiting()
        rendered: dict[str, tuple[bytes, str, Any]] = {}
        firsts = {opts.filename(job.fmt) for job, _ in every_writer if job.fmt in FIRST}
        for job, key in every_writer:
            try:
                if job.fmt in kept:
                    out, seconds = kept[job.fmt]
                elif job is work.writers[0][0]:
                    if isinstance(early, Exception):
                        raise early
                    out, seconds = early or render_one(
                        *_render_args(job, r, data, manifest, opts, key_of[job.fmt])
                    )
                    hold.clear()
                    submit_waiting()
                else:
                    out, seconds = outcomes[job.fmt].result()
            except (RenderError, UsageError) as err:
                err.rewritten = tuple(result.first)
                raise
            except Exception as exc:  # a writer bug must not damage the last good output
                checkpoint()  # an error caused by an interrupt is reported as the interrupt
                failure = RenderError(f"{job.fmt} writer failed: {type(exc).__name__}: {exc}")
                failure.rewritten = tuple(result.first)
                raise failure from exc
            checkpoint()
            name = opts.filename(job.fmt)
            result.warnings += [f"{name}: {w}" for w in out.warnings]
            rendered[name] = (out.data, key, out.hint)
            unit = {"pdf": "pages", "deck": "slides", "html": "page"}.get(job.fmt, "sheets")
            passes = f", {out.passes} layout passes" if out.passes > 1 else ""
            how = ", from cache" if job.fmt in kept else passes
            log(f"  {'render ' + name:<22} {seconds:6.2f} s  {out.pages} {unit}{how}")
            if hurry and not result.first and firsts <= rendered.keys():
                _write_first(rendered, opts, log, result)
            if job.fmt in kept:
                continue
            if out.hint:  # for a build elsewhere that renders this same key (see _render_args)
                _store(job, opts).put(f"hint|{key}", json.dumps(out.hint, sort_keys=True).encode())
            renders.store(opts.chart_cache, job.fmt).put(renders.entry_key(key), renders.pack(out))
    files: dict[str, bytes] = {}
    for k, req in sorted({req.key: req for job in r.jobs for req in job.requests}.items()):
        name = f"{req.chart.id}.{req.fmt}"
        files[name if name not in files else f"{req.chart.id}-{req.medium}.{req.fmt}"] = data[k]
    return ChartSet(charts.keys, data, files), rendered


def _render_beside(
    job: WriterJob,
    r: Resolved,
    data: dict[tuple[str, str], bytes],
    running: dict[Future[Any], Any],
    arrive: Callable[[Future[Any]], None],
    release: Callable[[], None],
    manifest: dict[str, Any],
    opts: BuildOptions,
    key: str,
) -> tuple[Rendered, float] | Exception:
    """The first writer rendered while the workers draw its charts: its images arrive as it asks for
    them (contract.Arriving); each time it waits, the charts drawn meanwhile are taken in too and the
    writers they complete are released to the workers. A chart that failed to draw, or a stop, is
    raised as itself, whatever the writer made of it; the writer's own failure is returned, to be
    reported where it always was."""
    from digibrief.writers.contract import Arriving

    coming = {t[0]: f for f, t in running.items() if isinstance(t, tuple)}
    failed: list[BaseException] = []

    def wait_for(k: tuple[str, str]) -> bytes:
        future = coming[k]
        try:
            for drawn in [f for f, t in list(running.items()) if isinstance(t, tuple) and f.done()]:
                arrive(drawn)
            if future in running:
                arrive(future)
            release()
        except BaseException as exc:
            failed.append(exc)
            raise
        return data[k]

    here = {q.key: data[q.key] for q in job.requests if q.key in data}
    images = Arriving(here, [q.key for q in job.requests if q.key not in data], wait_for)
    args = _render_args(job, r, data, manifest, opts, key, images)
    try:
        out = render_one(*args)
    except Exception as exc:
        if failed:
            raise failed[0] from None
        return exc
    if failed:  # the writer went on without it: never an output with a hole where a chart was
        raise failed[0]
    return out


FIRST = ("pdf", "deck")  # what a watch writes first: the brief and the deck, which the analyst looks at


def first_then_rest(warm: bool, strict: bool, formats: list[str]) -> bool:
    """Whether a build writes the brief and the deck before the other outputs are rendered: in a warm
    process (watch) whose first writer is one of them and that renders others too; never under
    --strict, where any output's warnings keep every output from being written."""
    return (
        warm and not strict and bool(formats) and formats[0] in FIRST and any(f not in FIRST for f in formats)
    )


def _write_first(
    rendered: dict[str, tuple[bytes, str, Any]], opts: BuildOptions, log: Log, result: BuildResult
) -> None:
    """Write the brief and the deck now, while the other writers still render (a watch)."""
    started = time.perf_counter()
    first = [opts.filename(f) for f in FIRST if opts.filename(f) in rendered]
    try:
        write_all_atomic({opts.out / name: rendered[name][0] for name in first})
    except OSError as exc:
        raise write_failure(exc, opts.out, "the previous outputs are unchanged") from exc
    result.first = first
    _step(log, "write first", started, ", ".join(str(opts.out / name) for name in first))


def _kept_renders(
    writers: list[tuple[WriterJob, str]], opts: BuildOptions
) -> dict[str, tuple[Rendered, float]]:
    """The writers whose output for this very key a build kept (pipeline/renders.py), with the time it
    took to read each; none under --force."""
    kept: dict[str, tuple[Rendered, float]] = {}
    for job, key in [] if opts.force else writers:
        started = time.perf_counter()
        out = renders.unpack(renders.store(opts.chart_cache, job.fmt).get(renders.entry_key(key)))
        if out is not None:
            kept[job.fmt] = (out, time.perf_counter() - started)
    return kept


def _render_args(
    job: WriterJob,
    r: Resolved,
    data: dict[tuple[str, str], bytes],
    manifest: dict[str, Any],
    opts: BuildOptions,
    key: str,
    images: Any = None,
) -> tuple[Any, ...]:
    """render_one's arguments: the writer's images (unless given), and the hint and store it keeps
    between builds.

    The hint is the output's own last one when that render had this key; else the one a render with
    this key left in the store (another output folder that shares the chart cache); else the output's
    last one, which is usually close. A wrong hint costs a layout pass, never a byte."""
    entry = manifest.get("outputs", {}).get(opts.filename(job.fmt), {})
    store = _store(job, opts)
    hint = entry.get("hint")
    if entry.get("key") != key and (kept := _kept_hint(store, key)) is not None:
        hint = kept
    if images is None:
        images = {q.key: data[q.key] for q in job.requests}
    return job.output.writer, r.doc, images, r.theme, job.options, hint, store


def _kept_hint(store: DiskStore, key: str) -> Any:
    raw = store.get(f"hint|{key}")
    try:
        return json.loads(raw) if raw is not None else None
    except ValueError:  # damaged: the render measures again
        return None


def _warmer(
    job: WriterJob | None, r: Resolved, opts: BuildOptions
) -> Callable[[ImageRequest, bytes], None] | None:
    """The writer's warm(request, image, ...) bound to this build, if it has one (writers/contract.py)."""
    warm = getattr(job.module, "warm", None) if job else None
    if job is None or warm is None:
        return None
    store = _store(job, opts)
    return lambda req, image: warm(req, image, r.theme, job.options, store)


def _store(job: WriterJob, opts: BuildOptions) -> DiskStore:
    """The writer's store lives in the chart cache (CACHE/writers/FMT): its entries are derived from chart
    images by content, so every build that shares the charts shares their parsed forms too. Its
    readers take an entry that does not load (a pickle, a hint's JSON, a slide's parts) as a miss, so
    entries are written without waiting for the disk (4 ms each, in a warm edit's chart tasks and
    before its first write): a write a crash tore costs the work again, never a byte."""
    return DiskStore(opts.chart_cache / "writers" / job.fmt, durable=False)


def draw_chart(
    req: ImageRequest,
    theme: Theme,
    speech: Speech | None = None,
    warm: tuple[str, Any, DiskStore] | None = None,
) -> bytes:
    """One chart's image; a module-level function so that any worker start method can run it.

    warm: (writer module, its options, its store): that writer's warm() parses the image where it was
    drawn, into its store, so the process that renders it finds it parsed (writers/contract.py). A
    failure there costs the render a parse, never a byte."""
    from digibrief import charts

    drawn_on = theme if req.ground is None else req.ground.on(theme)
    data = charts.render(req.chart, drawn_on, MEDIA[req.medium], req.fmt, speech or Speech())
    if warm is not None and whole_image(data, req.fmt):
        module, options, store = warm
        with suppress(Exception):
            importlib.import_module(module).warm(req, data, theme, options, store)
    return data


def _progress(log: Log, opts: BuildOptions, done: int, total: int, req: ImageRequest) -> None:
    if opts.verbose:
        log(f"    [{done}/{total}] {req.chart.id} ({req.medium}, {req.fmt})")
    elif total >= 8 and done in {total // 2, total}:
        bar = "█" * (20 * done // total)
        log(f"    charts {done:>3}/{total} ▕{bar:<20}▏")


def render_one(
    module_name: str,
    doc: Document,
    images: Any,
    theme: Theme,
    options: Any,
    hint: Any = None,
    store: DiskStore | None = None,
) -> tuple[Rendered, float]:
    """One writer's render, timed where it runs (here or in a worker); the hint its last render left
    and its store are passed to a writer whose render takes them (see writers/contract.py)."""
    started = time.perf_counter()
    writer = importlib.import_module(module_name).render
    takes = inspect.signature(writer).parameters
    extra = {k: v for k, v in (("hint", hint), ("store", store)) if k in takes and v is not None}
    out = writer(doc, images, theme, options, **extra)  # in doc.speech's words and number format
    return out, time.perf_counter() - started


# --- commit --------------------------------------------------------------------------------------


def commit(
    r: Resolved,
    charts: ChartSet,
    rendered: dict[str, tuple[bytes, str, Any]],
    manifest: dict[str, Any],
    input_key: str,
    opts: BuildOptions,
    log: Log,
    result: BuildResult,
) -> None:
    """Move every rendered output into place at once, then the chart copies and the manifest."""
    from digibrief.pipeline.editions import since_last_build

    started = time.perf_counter()
    outputs = dict(manifest.get("outputs", {}))
    try:
        write_all_atomic(
            {opts.out / name: data for name, (data, _, _) in rendered.items() if name not in result.first}
        )
    except OSError as exc:
        unchanged = (
            "the other previous outputs are unchanged"
            if result.first
            else "the previous outputs are unchanged"
        )
        failure = write_failure(exc, opts.out, unchanged)
        failure.rewritten = tuple(result.first)
        raise failure from exc
    for name, (data, key, hint) in rendered.items():
        outputs[name] = {"key": key, "sha256": digest(data), **({"hint": hint} if hint else {})}
        result.written.append(opts.out / name)
    summary = since_last_build(manifest.get("edition"), r.project, opts.data, opts.report)
    result.changes, result.rereads = summary.changes, summary.rereads
    names = sorted(opts.filename(f) for f in opts.formats())
    builds = {  # another variant no longer owns a file this build wrote
        k: {**b, "outputs": [n for n in b.get("outputs", []) if n not in names]}
        for k, b in manifest.get("builds", {}).items()
        if k != opts.entry
    }
    builds[opts.entry] = {
        "inputs": input_key,
        "outputs": names,
        "charts": sorted(set(charts.keys.values())),
        "files": sorted(charts.files),
    }
    try:
        _write_chart_files(opts.out / "charts", charts.files)
        write_manifest(
            opts.out / ".cache" / "manifest.json",
            {"builds": live_builds(opts.out, builds), "outputs": outputs, "edition": summary.record},
        )
        pruned = prune(opts.out)
    except OSError as exc:
        raise RenderError(
            f"outputs written, but the cache could not be updated: {exc.strerror or exc}"
        ) from exc
    if pruned.removed:
        log(f"  removed {len(pruned.removed)} chart file(s) no build uses ({pruned.freed / 1e6:.1f} MB)")
    now = [p for p in result.written if p.name not in result.first]  # the others were written first
    _step(
        log,
        "write",
        started,
        ", ".join(str(p) for p in now) or ("the cache" if now != result.written else "nothing changed"),
    )


def _write_chart_files(folder: Path, files: dict[str, bytes]) -> None:
    """Stable, human-named copies of the charts (SVG for print, PNG for slides) for reuse elsewhere."""
    for name, data in sorted(files.items()):
        path = folder / name
        if _read_or_none(path) != data:  # compared whole: cheaper than hashing both
            write_atomic(path, data)


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


# --- keys and summaries ---------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    """digibrief's, its drawing code's and the drawing libraries' versions, part of every cache key.
    Found once per process, as package_code is: a watch's kept workers draw with the code and the
    libraries this process loaded, whatever is installed meanwhile."""
    return dict(_versions_loaded())


@functools.cache
def _versions_loaded() -> dict[str, str]:
    found = _installed()
    out = {"digibrief": __version__, "drawing": _drawing_code()}
    for name in LIBRARIES:
        version = found.get(_normal(name))
        if version is None:  # not a plain dist-info folder (an egg, a zip): ask importlib.metadata
            import importlib.metadata

            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                raise RenderError(
                    f"cannot tell which version of {name} is installed, so cached charts and outputs "
                    f"could outlive an upgrade; reinstall it with pip"
                ) from None
        out[name] = version
    return out


DRAWING_CODE = ("charts", "document/chartlayout.py")  # what decides a chart's pixels and words


PACKAGE = Path(__file__).resolve().parent.parent


def _drawing_code(root: Path = PACKAGE) -> str:
    """A digest of the chart drawing code's sources under root (the package), so that a change to it
    draws every chart again (a version number changes only on release)."""
    files: list[Path] = []
    for part in DRAWING_CODE:
        path = root / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return fingerprint(*((str(f.relative_to(root)), file_digest(f)) for f in files))


@functools.cache
def package_code(root: Path = PACKAGE) -> str:
    """A digest of every Python source of the package under root: part of each output's key, so that
    a change to a writer's or the document's code never takes a kept output (a version number changes
    only on release). Read once per process: the code a process runs is the code it loaded."""
    files = sorted(root.rglob("*.py"))
    return fingerprint(*((str(f.relative_to(root)), file_digest(f)) for f in files))


def _installed() -> dict[str, str]:
    """Installed distributions by normalised name, from their NAME-VERSION.dist-info folders on
    sys.path: what importlib.metadata reads, without importing it (a third of a no-op build's time)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = [e.name for e in os.scandir(entry or ".") if e.name.endswith(".dist-info")]
        except OSError:
            continue
        for name in names:
            dist, _, version = name[: -len(".dist-info")].partition("-")
            found.setdefault(_normal(dist), version)  # the first on sys.path wins, as for imports
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _epoch() -> int | None:
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {raw!r}") from None


def _input_key(opts: BuildOptions, tree: str) -> str:
    """Everything a build reads (tree: the input files' fingerprint), hashed without importing any heavy
    library (the no-op fast path)."""
    template = file_digest(opts.template) if opts.template else None
    return fingerprint(
        tree,
        [opts.only, opts.countries, opts.paper, str(opts.template), template, opts.deck_charts, opts.strict],
        os.environ.get("SOURCE_DATE_EPOCH"),
        _versions(),
    )


def _outputs_intact(opts: BuildOptions, manifest: dict[str, Any]) -> bool:
    recorded = manifest.get("outputs", {})
    for fmt in opts.formats():
        name = opts.filename(fmt)
        entry = recorded.get(name)
        if not entry or file_digest(opts.out / name) != entry.get("sha256"):
            return False
    return True


def _step(log: Log, label: str, started: float, detail: str = "", ended: float | None = None) -> None:
    """One line per pipeline step, with its wall time (to ended, else to now)."""
    seconds = (ended or time.perf_counter()) - started
    log(f"  {label:<22} {seconds:6.2f} s{('  ' + detail) if detail else ''}")


__all__ = [
    "WRITERS",
    "BuildOptions",
    "BuildResult",
    "build",
    "build_running",
    "check",
    "forget_process_state",
    "prepare_output",
    "request_stop",
    "resolve",
    "stop_requested",
    "warm_up",
]
