"""The pipeline: load → compose → charts (cached) → writers → atomic files in output/.

Only this module writes files; only cli prints. Every output is rendered in memory first and moved
into place at the end, so a failed or interrupted build leaves the previous outputs untouched.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digibrief import __version__
from digibrief.errors import EXIT_OK, EXIT_WARNINGS, Interrupted, RenderError, UsageError
from digibrief.pipeline import pool as parallel
from digibrief.pipeline.cache import (
    digest,
    file_digest,
    fingerprint,
    read_manifest,
    tree_fingerprint,
    write_all_atomic,
    write_atomic,
    write_manifest,
)
from digibrief.pipeline.lock import build_lock

# name -> (output file, writer module): adding a format is adding a line and a module
WRITERS: dict[str, tuple[str, str]] = {
    "pdf": ("brief.pdf", "digibrief.writers.pdf.brief"),
    "deck": ("deck.pptx", "digibrief.writers.pptx.deck"),
}
LIBRARIES = ("matplotlib", "reportlab", "svglib", "python-pptx", "Pillow")

Log = Callable[..., None]
_STOP = threading.Event()


def request_stop() -> bool:
    """Ask the running build to stop at its next checkpoint; True if it had been asked already."""
    already = _STOP.is_set()
    _STOP.set()
    return already


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
    force: bool = False
    strict: bool = False
    verbose: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> BuildOptions:
        countries = None
        if getattr(args, "countries", None):
            countries = tuple(c.strip().upper() for c in args.countries.split(",") if c.strip())
        return cls(
            data=args.data,
            report=args.report,
            out=args.out,
            cache=getattr(args, "cache", None),
            only=args.only,
            countries=countries,
            paper=args.paper,
            template=args.template,
            force=args.force,
            strict=args.strict,
            verbose=args.verbose,
        )

    def formats(self) -> list[str]:
        return [self.only] if self.only else list(WRITERS)


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    charts_drawn: int = 0
    charts_cached: int = 0
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK
    up_to_date: bool = False


def check(data_dir: Path, report_dir: Path) -> str:
    """Validate and compose without writing (Sphinx's dummy builder); return a one-line summary."""
    from digibrief.document.compose import compose
    from digibrief.project.load import load

    project = load(data_dir, report_dir)
    doc = compose(project)
    points = sum(len(s) for c in project.countries.values() for s in c.indicators.values())
    return (
        f"data valid: {len(project.countries)} countries, {len(project.indicators)} indicators, "
        f"{points} values, {len(project.sources)} sources; {len(doc.sections)} sections, "
        f"{len(doc.figures())} charts"
    )


def _versions() -> dict[str, str]:
    out = {"digibrief": __version__}
    for name in LIBRARIES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "?"
    return out


def _epoch() -> int | None:
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {raw!r}") from None


def _input_key(opts: BuildOptions) -> str:
    template = file_digest(opts.template) if opts.template else None
    return fingerprint(
        tree_fingerprint(opts.data, opts.report),
        [opts.only, opts.countries, opts.paper, str(opts.template), template, opts.strict],
        os.environ.get("SOURCE_DATE_EPOCH"),
        _versions(),
    )


def _outputs_intact(opts: BuildOptions, manifest: dict[str, Any]) -> bool:
    recorded = manifest.get("outputs", {})
    for fmt in opts.formats():
        name = WRITERS[fmt][0]
        entry = recorded.get(name)
        if not entry or file_digest(opts.out / name) != entry.get("sha256"):
            return False
    return True


def _step(log: Log, label: str, started: float, detail: str = "") -> None:
    """One line per pipeline step, with its wall time."""
    log(f"  {label:<22} {time.perf_counter() - started:6.2f} s{('  ' + detail) if detail else ''}")


def build(opts: BuildOptions, log: Log = _quiet) -> BuildResult:
    """Build the selected outputs; raise InputError/RenderError/UsageError on failure."""
    if opts.template is not None and not opts.template.is_file():
        raise UsageError(f"template not found: {opts.template}")
    try:
        opts.out.mkdir(parents=True, exist_ok=True)
        probe = opts.out / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"output folder {opts.out} is not writable: {exc.strerror or exc}") from None
    with build_lock(opts.out):
        try:
            return _build_locked(opts, log)
        except OSError as exc:  # e.g. disk full while caching a chart: outputs were not touched yet
            raise RenderError(
                f"{exc.filename or opts.out}: {exc.strerror or exc}; the previous outputs are unchanged"
            ) from exc


def _build_locked(opts: BuildOptions, log: Log) -> BuildResult:
    result = BuildResult()
    manifest_path = opts.out / ".cache" / "manifest.json"
    manifest = read_manifest(manifest_path)
    t0 = time.perf_counter()
    input_key = _input_key(opts)
    if not opts.force and manifest.get("inputs") == input_key and _outputs_intact(opts, manifest):
        result.up_to_date = True
        result.unchanged = [opts.out / WRITERS[f][0] for f in opts.formats()]
        log(f"up to date: nothing changed in {opts.data} or {opts.report} ({time.perf_counter() - t0:.2f} s)")
        return result

    from digibrief.document.compose import compose
    from digibrief.project.load import load
    from digibrief.project.theming import make_theme

    started = time.perf_counter()
    project = load(opts.data, opts.report)
    if opts.countries:
        unknown = [c for c in opts.countries if c not in project.report.countries]
        if unknown:
            raise UsageError(
                f"--countries: {', '.join(unknown)} not among the report's countries "
                f"({', '.join(project.report.countries)})"
            )
    if opts.paper:
        project = project.model_copy(
            update={"report": project.report.model_copy(update={"paper": opts.paper})}
        )
    theme = make_theme(project.theme, opts.report)
    doc = compose(project, opts.countries, _epoch())
    _step(log, "load and validate", started, f"{len(project.countries)} countries")
    checkpoint()

    versions = _versions()
    theme_key = theme.fingerprint_parts()
    writers = {fmt: importlib.import_module(WRITERS[fmt][1]) for fmt in opts.formats()}
    requests_of = {fmt: module.image_requests(doc) for fmt, module in writers.items()}
    charts = _charts(opts, requests_of, theme, theme_key, versions, log, result)

    from digibrief.writers.contract import Options

    options = Options(paper=project.report.paper, template=opts.template)  # type: ignore[arg-type]
    template_digest = file_digest(opts.template) if opts.template else None
    rendered: dict[str, tuple[bytes, str]] = {}
    jobs = []
    for fmt in writers:
        name = WRITERS[fmt][0]
        requests = requests_of[fmt]
        key = fingerprint(
            doc,
            theme_key,
            options,
            template_digest,
            versions,
            sorted(charts["keys"][r.key] for r in requests),
            fmt,
        )
        entry = manifest.get("outputs", {}).get(name, {})
        target = opts.out / name
        if not opts.force and entry.get("key") == key and file_digest(target) == entry.get("sha256"):
            result.unchanged.append(target)
            continue
        images = {r.key: charts["bytes"][r.key] for r in requests}
        jobs.append((fmt, name, key, images))
    # the first writer (the PDF, which keeps a per-process cache for watch) runs here; the others
    # run meanwhile in a forked worker on the second core
    with parallel.pool(workers=len(jobs) - 1, min_workers=1) as background:
        futures = {
            job[0]: background.submit(_render, WRITERS[job[0]][1], doc, job[3], theme, options)
            for job in jobs[1:]
        }
        for fmt, name, key, images in jobs:
            try:
                if fmt in futures:
                    out, seconds = futures[fmt].result()
                else:
                    out, seconds = _render(WRITERS[fmt][1], doc, images, theme, options)
            except (RenderError, UsageError):
                raise
            except Exception as exc:  # a writer bug must not damage the last good output
                checkpoint()  # an error caused by an interrupt is reported as the interrupt
                raise RenderError(f"{fmt} writer failed: {type(exc).__name__}: {exc}") from exc
            checkpoint()
            result.warnings += [f"{name}: {w}" for w in out.warnings]
            rendered[name] = (out.data, key)
            unit = "pages" if fmt == "pdf" else "slides"
            log(f"  {'render ' + name:<22} {seconds:6.2f} s  {out.pages} {unit}")

    if opts.strict and result.warnings:
        for w in result.warnings:
            log(f"warning: {w}", always=True)
        result.exit_code = EXIT_WARNINGS
        log("--strict: warnings are errors; nothing was written", always=True)
        return result

    checkpoint()
    started = time.perf_counter()
    outputs = dict(manifest.get("outputs", {}))
    try:
        write_all_atomic({opts.out / name: data for name, (data, _) in rendered.items()})
    except OSError as exc:
        raise RenderError(
            f"cannot write to {opts.out}: {exc.strerror or exc}; the previous outputs are unchanged"
        ) from exc
    for name, (data, key) in rendered.items():
        outputs[name] = {"key": key, "sha256": digest(data)}
        result.written.append(opts.out / name)
    snapshot = _snapshot(project)
    result.changes = _diff(manifest.get("values", {}), snapshot) if manifest else []
    try:
        _write_chart_files(opts.out / "charts", charts)
        write_manifest(
            manifest_path,
            {"inputs": input_key, "outputs": outputs, "charts": charts["manifest"], "values": snapshot},
        )
    except OSError as exc:
        raise RenderError(
            f"outputs written, but the cache could not be updated: {exc.strerror or exc}"
        ) from exc
    _step(log, "write", started, ", ".join(str(p) for p in result.written) or "nothing changed")
    return result


def _render(module_name: str, doc, images, theme, options):
    """One writer's render, timed where it runs (here or in a worker)."""
    started = time.perf_counter()
    out = importlib.import_module(module_name).render(doc, images, theme, options)
    return out, time.perf_counter() - started


def _draw_chart(spec, theme, medium: str, fmt: str) -> bytes:
    from digibrief import charts

    return charts.render(spec, theme, charts.MEDIA[medium], fmt)


def _charts(opts, requests_of, theme, theme_key, versions, log, result) -> dict[str, Any]:
    """Draw every requested chart whose key is new; reuse the cached bytes of the others."""
    cache_dir = opts.cache or opts.out / ".cache" / "charts"
    requests = {r.key: r for reqs in requests_of.values() for r in reqs}
    keys, data, files = {}, {}, {}
    todo = []
    for k, r in requests.items():
        key = fingerprint(r.chart, r.medium, r.fmt, theme_key, versions)
        keys[k] = key
        path = cache_dir / f"{key}.{r.fmt}"
        if not opts.force and path.is_file():
            data[k] = path.read_bytes()
            result.charts_cached += 1
        else:
            todo.append((k, r, path))
    if todo:
        started = time.perf_counter()
        from digibrief import charts

        charts.prepare(theme)
        futures = {}
        with parallel.pool() as workers:
            for k, r, path in todo:
                futures[workers.submit(_draw_chart, r.chart, theme, r.medium, r.fmt)] = (k, r, path)
            for done, future in enumerate(as_completed(futures), 1):
                k, r, path = futures[future]
                if _STOP.is_set():
                    for f in futures:
                        f.cancel()
                    checkpoint()
                data[k] = future.result()
                write_atomic(path, data[k])
                if opts.verbose:
                    log(f"    [{done}/{len(todo)}] {r.chart.id} ({r.medium}, {r.fmt})")
                elif len(todo) >= 8 and done in {len(todo) // 2, len(todo)}:
                    bar = "█" * (20 * done // len(todo))
                    log(f"    charts {done:>3}/{len(todo)} ▕{bar:<20}▏")
        result.charts_drawn = len(todo)
        _step(log, "draw charts", started, f"{len(todo)} drawn, {result.charts_cached} from cache")
    else:
        log(f"  charts: all {len(requests)} from cache")
    for k, r in sorted(requests.items()):
        name = f"{r.chart.id}.{r.fmt}"
        files[name if name not in files else f"{r.chart.id}-{r.medium}.{r.fmt}"] = data[k]
    manifest_part = {f"{k[0]}@{k[1]}": keys[k] for k in sorted(keys)}
    return {"keys": keys, "bytes": data, "files": files, "manifest": manifest_part}


def _write_chart_files(folder: Path, charts: dict[str, Any]) -> None:
    """Stable, human-named copies of the charts (SVG for print, PNG for slides) for reuse elsewhere."""
    for name, data in sorted(charts["files"].items()):
        path = folder / name
        if file_digest(path) != digest(data):
            write_atomic(path, data)


def _snapshot(project) -> dict[str, float]:
    values: dict[str, float] = {}
    for c in project.countries.values():
        for iid, series in c.indicators.items():
            for year, point in series.items():
                values[f"{c.id.lower()}: {project.indicators[iid].name.lower()} {year}"] = point.value
        for k in c.key_figures:
            values[f"{c.id.lower()}: {k.label.lower()}"] = k.value
    return values


def _diff(before: dict[str, float], after: dict[str, float], limit: int = 8) -> list[str]:
    changes = []
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if a is None:
            changes.append(f"{key} added ({b:g})")
        elif b is None:
            changes.append(f"{key} removed (was {a:g})")
        else:
            changes.append(f"{key} {a:g} → {b:g}")
    if len(changes) > limit:
        changes = [*changes[:limit], f"… and {len(changes) - limit} more value changes"]
    return changes


__all__ = ["WRITERS", "BuildOptions", "BuildResult", "build", "check", "request_stop"]
