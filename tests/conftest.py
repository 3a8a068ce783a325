"""Shared fixtures: the shipped project, one build of it per session, copies to break, real-client helpers.

Speed: every build the suite runs passes one session-wide chart cache (`--cache`, `BuildOptions.cache`),
so each chart is drawn once per run; the tests that only read outputs share one build of the shipped
project (`shipped`), and the writer tests share one composed document, theme and set of chart images.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import pickle
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from digibrief.pipeline import heap
from digibrief.pipeline.pool import Serial
from digibrief.pipeline.preview import SOFFICE_MALLOC  # soffice started as digibrief preview starts it

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REPORT = ROOT / "report"

# commands that build, and so take --cache
BUILDING = frozenset({"build", "watch", "preview"})
# set by the session fixture chart_cache: the one chart cache every build of the run shares
_SESSION: dict[str, Path] = {}


def require_tool(name: str) -> str:
    """Path of a real client; skip when missing, unless CI demands it (DIGIBRIEF_REQUIRE_TOOLS=1)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("DIGIBRIEF_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{name} is required in CI (DIGIBRIEF_REQUIRE_TOOLS=1) but not installed")
        pytest.skip(f"{name} not installed")
    return path


# Builds in this process run their charts and writers here (DIGIBRIEF_WORKERS=1), unless a test sets
# the variable itself (the tests about workers and warm processes). Forking a pytest worker, whose
# heap holds every library and fixture, cost about 0.2 s of copied pages per pool: 28 s of the
# suite's CPU. A digibrief child (child_env) runs as a user's does, on the cores it finds.
WORKERS_ENV = "DIGIBRIEF_WORKERS"
_SUITE_SET = "DIGIBRIEF_SUITE_SET_WORKERS"  # inherited by the xdist workers: the value is the suite's
if WORKERS_ENV not in os.environ:
    os.environ[WORKERS_ENV] = os.environ[_SUITE_SET] = "1"


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a digibrief child: this process's, without the suite's in-process worker
    count unless a test set one, plus env."""
    base = dict(os.environ)
    if base.pop(_SUITE_SET, None) and base.get(WORKERS_ENV) == "1":
        del base[WORKERS_ENV]
    return {**base, **(env or {})}


@pytest.fixture
def workers_as_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds in this process use the cores, as a user's do: for the tests about workers."""
    if os.environ.get(_SUITE_SET):
        monkeypatch.delenv(WORKERS_ENV)


# what `make brief` drew and parsed for the shipped project: every chart (one file each) and the stores
# of the PDF writer (parsed charts, layout hints) and of the deck (kept slides). Not the outputs it keeps
# whole: the session's first build of the shipped project still renders every output.
SEED_CACHE = ROOT / "output" / ".cache" / "charts"
SEED_STORES = ("pdf", "deck")


def _seed(cache: Path) -> None:
    """Start the session's chart cache from a copy of SEED_CACHE, if there is one. Its entries are keyed
    by their content and the drawing code's digest, so an entry the code no longer draws is never read;
    one that does not load is a miss (pipeline/cache.py), as in any build."""
    if not SEED_CACHE.is_dir():
        return
    for path in SEED_CACHE.iterdir():
        if path.suffix in (".svg", ".png") and path.is_file():
            shutil.copyfile(path, cache / path.name)
    for fmt in SEED_STORES:
        if not (kept := SEED_CACHE / "writers" / fmt).is_dir():
            continue
        (cache / "writers" / fmt).mkdir(parents=True)
        for path in kept.iterdir():
            if path.is_file():
                shutil.copyfile(path, cache / "writers" / fmt / path.name)


@pytest.fixture(scope="session", autouse=True)
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The chart cache folder of the whole run, one per worker, started from `make brief`'s (_seed):
    pass it to every build (run_cli does so by itself)."""
    path = tmp_path_factory.mktemp("chart-cache")
    _seed(path)
    _SESSION["chart_cache"] = path
    return path


def cli_argv(*args: str, shared_cache: bool = True) -> list[str]:
    """`python -m digibrief ARGS`; build, watch and preview get the session's chart cache unless
    the arguments name one or shared_cache is False."""
    argv = list(args)
    cache = _SESSION.get("chart_cache")
    if shared_cache and cache is not None and argv and argv[0] in BUILDING and "--cache" not in argv:
        argv[1:1] = ["--cache", str(cache)]
    return [sys.executable, "-m", "digibrief", *argv]


def run_cli(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    shared_cache: bool = True,
    stdout: Any = None,
) -> subprocess.CompletedProcess[str]:
    """Run `digibrief ARGS` in this process, as `cli.main(argv)`, and return what a subprocess run would:
    the exit status and everything printed (with the session's chart cache). stdout: a file for the
    command's standard output (a test of a failing one), which then is not captured.

    In-process runs skip the ~1.4 s of imports a child pays. Each starts from fresh module state (the
    load memo and the stop flags), in cwd, with env added to the environment, and leaves the process's
    working folder, environment and signal handlers as it found them. timeout is kept for the call
    sites that also run in a child; a run here is bounded by the test's own deadline."""
    del timeout
    from digibrief import cli

    argv = cli_argv(*args, shared_cache=shared_cache)[3:]  # drop `python -m digibrief`
    out, err = io.StringIO(), io.StringIO()
    with _fresh_process_state(cwd or ROOT, env or {}), redirect_stdout(stdout or out), redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except Exception:  # what a child would print: the traceback, exit 1 (tests assert there is none)
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(["digibrief", *argv], code, out.getvalue(), err.getvalue())


def _forget_writer_caches() -> None:
    """Empty the memos the writers keep for the life of a process, as a new process has them: the
    deck's designs, planned sections, measured text and kept parts (writers/pptx/deck.py forget), the
    brief's paragraph breaks and chart recordings (writers/pdf/memo.py). The PDF writer's parsed
    charts live in the render's store, not in memory."""
    from digibrief.writers.pdf import memo as pdf_memo
    from digibrief.writers.pptx import deck

    pdf_memo.forget()
    deck.forget()


@contextmanager
def _fresh_process_state(cwd: Path, env: dict[str, str]) -> Iterator[None]:
    """What a new process would start from: no remembered project, no stop requested, the default
    signal handlers; restored afterwards, with the working folder and the environment."""
    from digibrief.pipeline import build

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)}
    before_env = dict(os.environ)
    before_cwd = os.getcwd()
    build.forget_process_state()
    _forget_writer_caches()
    os.environ.update(env)
    if "TZ" in env:
        time.tzset()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before_cwd)
        os.environ.clear()
        os.environ.update(before_env)
        if "TZ" in env:
            time.tzset()
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        build.forget_process_state()


def run_child(
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    shared_cache: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `python -m digibrief ARGS` in a child process: for the tests where the process is the point
    (signals, start methods, imports, the installed entry point), with the session's chart cache."""
    return subprocess.run(
        cli_argv(*args, shared_cache=shared_cache),
        cwd=cwd or ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def file_states(folder: Path) -> dict[str, tuple[str, int]]:
    """(sha256, inode) of every file directly in folder: equal states mean nothing was rewritten or replaced."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def temp_files(folder: Path) -> list[Path]:
    """Staged or half-written files left anywhere under folder."""
    return sorted(p for p in folder.rglob("*") if p.name.endswith(".tmp"))


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a data file: old must occur; its first occurrence becomes new."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ and report/ under tmp_path (returned folder holds both)."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPORT, tmp_path / "report")
    return tmp_path


PEER_CHART = """\
  peer_egdi:
    kind: peer_bar
    title: E-government score against neighbours, 2024
    headline:                      # one per country: this chart is drawn for each focus country
      KAZ: "Kazakhstan leads the region in e-government, scoring {KAZ egdi_score 2024}"
      UZB: "Uzbekistan ranks {UZB egdi_score 2024 position} in the region in e-government"
      KGZ: "Kyrgyzstan ranks {KGZ egdi_score 2024 position} in the region, ahead of Tajikistan"
      TJK: "Tajikistan ranks {TJK egdi_score 2024 position} in the region, ahead only of Turkmenistan"
    indicator: egdi_score
    year: 2024
"""


def with_each_country_chart(project: Path) -> Path:
    """Give a project copy a chart drawn for every focus country (`each_country`), with a headline per
    country: the shipped report has none, and the rules about such charts need one. Returns report.yaml."""
    report = project / "report" / "report.yaml"
    replace_in(report, "\ncharts:\n", "\ncharts:\n" + PEER_CHART)
    replace_in(report, "\ncountry_charts:", "\neach_country: [peer_egdi]\ncountry_charts:")
    return report


@contextmanager
def time_zone(name: str) -> Iterator[None]:
    """Run in the time zone name (TZ), then restore the previous one."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory, chart_cache: Path) -> Iterator[Any]:
    """ONE build of a snapshot of the shipped project, in this process with TZ=UTC, shared by every test
    that only reads outputs. Never write into it: a test that changes files uses shipped_copy.

    Returns the BuildOptions that rebuild it (with the session's chart cache)."""
    from digibrief.pipeline.build import BuildOptions, build

    root = tmp_path_factory.mktemp("shipped")
    shutil.copytree(DATA, root / "data")
    shutil.copytree(REPORT, root / "report")
    opts = BuildOptions(data=root / "data", report=root / "report", out=root / "output", cache=chart_cache)
    with time_zone("UTC"):  # test_builds_are_byte_identical_across_timezones builds it again elsewhere
        build(opts)
    assert {p.name for p in opts.out.iterdir() if p.is_file()} == {
        "brief.pdf",
        "deck.pptx",
        "brief-data.xlsx",
        "brief.html",
    }
    before = file_states(opts.out)
    yield opts
    assert file_states(opts.out) == before, "a test wrote into the shared build; use shipped_copy"


@pytest.fixture
def shipped_copy(shipped: Any, tmp_path: Path) -> Any:
    """A private copy of the shared build (data, report and output with its manifest), to edit and rebuild."""
    import dataclasses

    root = tmp_path / "project"
    shutil.copytree(shipped.data.parent, root, symlinks=True)
    return dataclasses.replace(
        shipped, data=root / "data", report=root / "report", out=root / "output", cache=shipped.cache
    )


# --- the writer tests' inputs: composed once per session ---------------------------------------------


@pytest.fixture(scope="session")
def shipped_project() -> Any:
    """The shipped data and report, loaded and validated once per session (treat as read-only)."""
    from digibrief.project.load import load

    return load(DATA, REPORT)


@pytest.fixture(scope="session")
def shipped_theme(shipped_project: Any) -> Any:
    from digibrief.project.theming import make_theme

    return make_theme(shipped_project.theme, REPORT)


@pytest.fixture(scope="session")
def shipped_doc(shipped_project: Any) -> Any:
    """The whole brief's document, composed once per session."""
    from digibrief.document.compose import compose

    return compose(shipped_project)


def _draw(request: Any, theme: Any, speech: Any = None) -> bytes:
    from digibrief import charts
    from digibrief.pipeline.build import draw_chart

    if speech is not None:  # as a build draws it (the one function for both)
        return draw_chart(request, theme, speech)
    return charts.render(request.chart, theme, charts.MEDIA[request.medium], request.fmt)


class ChartImages:
    """Chart images for writer tests, each drawn once per session whichever test asks first.

    Keyed by the chart's content (spec, medium, format), so a changed chart is drawn again. Given the
    document's speech, a chart is drawn as a build draws it and kept in the session's chart cache under
    the build's key: builds and writer tests then draw each chart once between them."""

    def __init__(self) -> None:
        self._drawn: dict[bytes, bytes] = {}
        self._shared: dict[bytes, str] = {}  # (theme, speech) -> the part of a build's key they make

    def _cache_path(self, request: Any, theme: Any, speech: Any) -> Path | None:
        """Where a build keeps this chart in the session's chart cache (plan_work's key), if anywhere."""
        folder = _SESSION.get("chart_cache")
        if speech is None or request.ground is not None or folder is None:
            return None
        from digibrief.pipeline.build import _versions
        from digibrief.pipeline.cache import fingerprint

        which = pickle.dumps((theme, speech))
        if which not in self._shared:
            self._shared[which] = fingerprint(theme.fingerprint_parts(), _versions(), speech)
        key = fingerprint(request.chart, request.medium, request.fmt, self._shared[which])
        return folder / f"{key}.{request.fmt}"

    def __call__(
        self, requests: Iterable[Any], theme: Any, speech: Any = None
    ) -> dict[tuple[str, str], bytes]:
        from digibrief.pipeline.cache import read_cached, write_atomic

        requests = list(requests)
        keys = {r.key: pickle.dumps((r.chart, r.medium, r.fmt, theme, speech)) for r in requests}
        todo = {keys[r.key]: r for r in requests if keys[r.key] not in self._drawn}
        paths = {key: self._cache_path(r, theme, speech) for key, r in todo.items()}
        for key, path in paths.items():
            kept = read_cached(path, todo[key].fmt) if path is not None else None
            if kept is not None:
                self._drawn[key] = kept
                del todo[key]
        if len(todo) > 2 and _can_fork():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from digibrief import charts

            charts.prepare(theme)  # matplotlib imported and fonts registered once, before the fork
            with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as workers:
                futures = {key: workers.submit(_draw, r, theme, speech) for key, r in todo.items()}
                self._drawn.update({key: f.result() for key, f in futures.items()})
        else:
            self._drawn.update({key: _draw(r, theme, speech) for key, r in todo.items()})
        for key in todo:
            if (path := paths[key]) is not None:
                write_atomic(path, self._drawn[key])
        return {r.key: self._drawn[keys[r.key]] for r in requests}


class MemoryStore:
    """A writer's store (writers.contract.Store) in memory, for a test that wants one of its own (the
    pipeline keeps one on disk in the chart cache; the writer tests share the session's: pdf_store)."""

    def __init__(self) -> None:
        self._kept: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._kept.get(key)

    def has(self, key: str) -> bool:
        return key in self._kept

    def put(self, key: str, data: bytes) -> None:
        self._kept[key] = data


@pytest.fixture(scope="session")
def pdf_store(chart_cache: Path) -> Any:
    """The PDF writer's store of parsed charts for the writer tests: the one the session's builds keep
    in its chart cache (writers/pdf), so that a chart a build parsed is not parsed again, nor the
    other way round."""
    from digibrief.pipeline.cache import DiskStore

    return DiskStore(chart_cache / "writers" / "pdf")


@pytest.fixture(scope="session")
def rendered_briefs(
    shipped_doc: Any,
    shipped_theme: Any,
    chart_images: Callable[..., dict[tuple[str, str], bytes]],
    pdf_store: Any,
) -> Callable[[str], Any]:
    """rendered_briefs(paper) -> the PDF writer's result for the shipped document, rendered once per
    session and paper, for the writer tests that read it."""
    from digibrief.writers.pdf import brief as render_pdf
    from digibrief.writers.pdf.options import PdfOptions

    done: dict[str, Any] = {}

    def rendered(paper: str) -> Any:
        if paper not in done:
            images = chart_images(render_pdf.image_requests(shipped_doc), shipped_theme, shipped_doc.speech)
            done[paper] = render_pdf.render(
                shipped_doc, images, shipped_theme, PdfOptions(paper=paper), store=pdf_store
            )
        return done[paper]

    return rendered


@pytest.fixture(scope="session")
def rendered_deck(
    shipped_doc: Any, shipped_theme: Any, chart_images: Callable[..., dict[tuple[str, str], bytes]]
) -> tuple[Any, dict[tuple[str, str], bytes]]:
    """(the deck writer's result for the shipped document, the images it used), rendered once per session."""
    from digibrief.writers.pptx import deck as render_pptx
    from digibrief.writers.pptx.options import DeckOptions

    images = chart_images(render_pptx.image_requests(shipped_doc), shipped_theme, shipped_doc.speech)
    return render_pptx.render(shipped_doc, images, shipped_theme, DeckOptions()), images


@pytest.fixture(scope="session")
def deck_images(
    shipped_doc: Any, shipped_theme: Any, chart_images: Callable[..., dict[tuple[str, str], bytes]]
) -> dict[tuple[str, str], bytes]:
    """Every chart the shipped deck can place, enough for native or picture charts, as a build draws them
    (each drawn once per session)."""
    from digibrief.writers.pptx import deck as render_pptx
    from digibrief.writers.pptx.options import DeckOptions

    requests = render_pptx.image_requests(shipped_doc, DeckOptions(charts="picture"))
    return chart_images(requests, shipped_theme, shipped_doc.speech)


def _can_fork() -> bool:
    import multiprocessing

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


@pytest.fixture(scope="module")
def second_core() -> Iterator[Executor]:
    """One worker process for pure work a test runs beside its own (the deck while it renders the PDF).

    Module-scoped: a live pool keeps a thread in this process, and builds run serially while one does."""
    if not _can_fork():
        yield Serial()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as workers:
        yield workers


@pytest.fixture(scope="session")
def chart_images() -> Callable[..., dict[tuple[str, str], bytes]]:
    """chart_images(requests, theme, speech=None) -> {request key: bytes}: every chart drawn once per
    session; with the document's speech, as a build draws it and shared with the builds."""
    return ChartImages()


# --- reading outputs back -----------------------------------------------------------------------------


def deck_text(source: Path | bytes) -> str:
    """Every text a deck holds: shapes, table cells and speaker notes, one per line."""
    import io

    from pptx import Presentation

    prs = Presentation(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                out += [c.text_frame.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(out)


class OutputEnded(AssertionError):
    """The child closed its output before printing what a test waited for."""


class Lines:
    """A child's stdout, read line by line on a thread so that every wait has a deadline."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.seen: list[str] = []
        self.ended = False
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def _take(self, deadline: float, needle: str | None) -> str | None:
        """Lines until one holds needle (None: until the output ends) or the deadline passes."""
        while not self.ended and (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self.ended = True
                break
            self.seen.append(line)
            if needle is not None and needle in line:
                return line
        return None

    def wait_for(self, needle: str, timeout: float) -> str:
        """The first new line holding needle; fails after timeout seconds or when the child stops talking."""
        line = self._take(time.monotonic() + timeout, needle)
        if line is not None:
            return line
        if self.ended:
            raise OutputEnded(f"{needle!r} not seen before the output ended:\n{self.text}")
        raise AssertionError(f"{needle!r} not seen within {timeout} s; output so far:\n{self.text}")

    def rest(self, timeout: float) -> None:
        """Every line until the child closes its output."""
        self._take(time.monotonic() + timeout, None)
        if self.ended:
            return
        raise AssertionError(f"output did not end within {timeout} s:\n{self.text}")

    def stop(self, sig: signal.Signals, timeout: float) -> int:
        """Send the child sig, wait for it to exit (failing after timeout) and read the rest of its output."""
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the child did not stop within {timeout:g} s of {sig.name}; output:\n{self.text}")
        self.rest(timeout=10)
        return code

    def end(self) -> None:
        """After a test, passed or failed: kill the child if it still runs, then close its output."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self.close()

    def assert_stopped_watching(self, code: int) -> None:
        """A watch that was stopped exits 0, says so last and prints no traceback."""
        from digibrief.errors import EXIT_OK

        assert code == EXIT_OK, self.text
        assert self.seen[-1].strip() == "stopped watching", self.text
        assert "Traceback" not in self.text

    def close(self) -> None:
        """After the child has exited: let the reader reach the end of the pipe, then close it."""
        self._thread.join(timeout=10)
        if self.proc.stdout is not None and not self._thread.is_alive():
            self.proc.stdout.close()

    @property
    def text(self) -> str:
        return "".join(self.seen)


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory: pytest.TempPathFactory) -> str:
    """`-env:UserInstallation=…` of this test worker's own LibreOffice profile: the first run creates it
    (the slow part of a cold start), later runs reuse it, and no two workers share one."""
    return f"-env:UserInstallation={tmp_path_factory.mktemp('lo-profile').as_uri()}"


# the Python LibreOffice's UNO bridge is built for (Debian's python3-uno), and what it runs
UNO_PYTHON = "/usr/bin/python3"
LO_SERVER = Path(__file__).with_name("libreoffice_server.py")


class LibreOffice:
    """This worker's LibreOffice: one soffice kept up for every conversion of the session, driven through
    its UNO bridge (libreoffice_server.py), so that only the first conversion pays its start-up (about
    a second of CPU). Without the bridge, each conversion is a `soffice --convert-to` run of its own."""

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.soffice = ""  # found at the first conversion (require_tool: a test without it skips there)
        self._server: subprocess.Popen[str] | None = None
        self._group: int | None = None
        self._tried = False

    def convert(
        self, to: str, sources: Iterable[Path], outdir: Path, timeout: float = 180
    ) -> subprocess.CompletedProcess[str]:
        """Each source converted to OUTDIR/STEM.TO (to: pdf or pptx), as `soffice --convert-to TO` does;
        returns the run's exit status and what it said."""
        files = [str(s) for s in sources]
        self.soffice = self.soffice or require_tool("soffice")
        server = self._start()
        if server is None:
            return subprocess.run(
                [
                    self.soffice,
                    "--headless",
                    self.profile,
                    "--convert-to",
                    to,
                    "--outdir",
                    str(outdir),
                    *files,
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**SOFFICE_MALLOC, **os.environ},
            )
        answer = self._ask({"to": to, "outdir": str(outdir), "sources": files}, timeout)
        return subprocess.CompletedProcess(
            ["soffice", to, *files], 0 if answer["ok"] else 1, "", answer.get("error", "")
        )

    def _start(self) -> subprocess.Popen[str] | None:
        if self._tried:
            return self._server
        self._tried = True
        if not (Path(UNO_PYTHON).exists() and LO_SERVER.exists()):
            return None
        self._server = subprocess.Popen(
            [UNO_PYTHON, str(LO_SERVER), self.soffice, self.profile],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**SOFFICE_MALLOC, **os.environ},
        )
        try:
            ready = self._ask(None, timeout=150)
        except AssertionError:  # no bridge (python3-uno missing) or no soffice: one run per conversion
            ready = {"ok": False}
        if not ready["ok"]:
            self.close()
            self._server = None
            return None
        self._group = ready["group"]
        return self._server

    def _ask(self, request: dict[str, Any] | None, timeout: float) -> dict[str, Any]:
        """Send request (None: nothing) and read the server's one-line answer within timeout seconds."""
        import select

        server = self._server
        assert server is not None and server.stdin is not None and server.stdout is not None
        if request is not None:
            server.stdin.write(json.dumps(request) + "\n")
            server.stdin.flush()
        ready, _, _ = select.select([server.stdout], [], [], timeout)
        line = server.stdout.readline() if ready else ""
        if not line:
            self.close()
            raise AssertionError(f"LibreOffice did not answer {request} within {timeout:g} s")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        """End soffice and the server (at the end of the session, or after a conversion hung)."""
        server, self._server = self._server, None
        if server is None:
            return
        try:
            assert server.stdin is not None
            server.stdin.write(json.dumps({"quit": True}) + "\n")
            server.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            if self._group is not None:
                os.killpg(self._group, signal.SIGKILL)
            server.kill()
            server.wait()
        if server.stdout is not None:
            server.stdout.close()


@pytest.fixture(scope="session")
def libreoffice(lo_profile: str) -> Iterator[LibreOffice]:
    """This worker's LibreOffice: one soffice for every conversion of the session, ended with it (a
    conversion skips its test when soffice is missing, unless CI demands it)."""
    office = LibreOffice(lo_profile)
    yield office
    office.close()


# --- spreading the files over the workers (make test: -n auto --dist loadfile) ------------------------

# seconds each test file took in the last whole run, kept in pytest's cache (.pytest_cache); before the
# first, those of tests/file-seconds.json (each file's seconds in the last whole run of 2026-12-07, on 2 workers), else 0.2 s a test
FILE_SECONDS = "digibrief/file-seconds"
_file_seconds: dict[str, float] = {}


def _is_controller(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before each test, collect what the last one left and set everything still alive aside from the
    garbage collector (gc.freeze): the libraries, the session's fixtures and every test module. A
    worker's heap holds millions of such objects, and each full collection during a test walked them
    all: a fifth of a worker's CPU, mostly in the brief's layout. A test's own objects are collected
    as before; an object set aside that later becomes cyclic garbage stays until the worker exits.
    Young objects are looked at every 10,000 allocations rather than 700, as a watch does. This is
    heap.set_aside, the watch's own: a build in a test then trusts it, as a watch's builds do, rather
    than count the millions of objects set aside (20 ms and more a build). A test of the collector
    itself (the collector fixture) puts everything back at once, so it is not set aside first: that
    walk over the worker's whole heap (0.35 s) would be undone straight away."""
    if "collector" not in getattr(item, "fixturenames", ()):
        heap.set_aside()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Add each test's time (set-up, call and tear-down) to its file's, on the process that reports."""
    path = report.nodeid.split("::")[0]
    _file_seconds[path] = _file_seconds.get(path, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Remember each file's time for the next run's order, after a whole run on several workers (a run
    of some tests, or one stopped at a failure, would time files in part)."""
    config = session.config
    cache = getattr(config, "cache", None)
    picked = config.getoption("keyword", "") or config.getoption("markexpr", "")
    whole = not (picked or session.shouldfail or any("::" in arg for arg in config.args))
    several = config.getoption("dist", "no") != "no"
    if cache is None or not _is_controller(config) or not _file_seconds or not whole or not several:
        return
    known = cache.get(FILE_SECONDS, {})
    cache.set(FILE_SECONDS, {**known, **{k: round(v, 2) for k, v in _file_seconds.items()}})


# files that share a worker's session work, handed out together to one worker (make test: --dist
# loadfile): split over two workers, each did it once. The decks' files share the session's deck renders
# (rendered_deck, deck_images with its picture charts, the warm and cold headline decks), its one
# LibreOffice (libreoffice) and the OOXML validator; the briefs' files share rendered_briefs and the
# variant briefs' per-country charts in the chart cache; the French files, the charts drawn in French;
# the collector's files, a heap put back whole (the collector fixture), set aside again once after them.
TOGETHER = {
    "decks": ("render_pptx", "deck_templates", "deck_warm_memo", "slide_cache", "hardening"),
    "briefs": ("page_fill", "render_pdf", "tagged_pdf", "kept_paras", "page_craft", "variants", "percountry"),
    "french": ("labels", "writer_words", "words_in_labels"),
    "collector": ("collector_in_a_build", "heap_trusted", "watch_collects"),
}
_TOGETHER = {f"tests/test_{name}.py": group for group, names in TOGETHER.items() for name in names}


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadfile, longest first: xdist hands out files by their number of tests, so a few slow
    files of few tests (three cold builds, one incremental build) came last and one worker went on
    alone with them (see FILE_SECONDS for where the times come from). The files of a TOGETHER group
    go to one worker as one unit, with the sum of their seconds."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    cache = getattr(config, "cache", None)
    seconds: dict[str, float] = json.loads((ROOT / "tests" / "file-seconds.json").read_text(encoding="utf-8"))
    seconds |= cache.get(FILE_SECONDS, {}) if cache is not None else {}
    for path, group in _TOGETHER.items():
        seconds[group] = seconds.get(group, 0.0) + seconds.get(path, 0.0)

    class LongestFirst(LoadFileScheduling):
        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return _TOGETHER.get(path, path)

        def _assign_work_unit(self, node: Any) -> None:
            if not self._ordered:  # the queue is complete before the first unit is handed out
                self._ordered = True
                units = sorted(self.workqueue.items(), key=lambda kv: -seconds.get(kv[0], 0.2 * len(kv[1])))
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return LongestFirst(config, log)


# --- the brief's charts as flowables (test_chart_replay.py, test_warm_brief.py) --------------------


@pytest.fixture(scope="module")
def charts(shipped_doc: Any, shipped_theme: Any, chart_images: Any, pdf_store: Any) -> tuple[list[Any], Any]:
    """Three of the shipped brief's charts as the writer's flowables, and their faces."""
    from digibrief.writers.pdf import brief, images
    from digibrief.writers.pdf.fonts import register
    from digibrief.writers.pdf.styles import Page, Palette, Styles

    requests = [r for r in brief.image_requests(shipped_doc) if r.medium != "print_map"][:3]
    fonts = register(shipped_theme.fonts)
    page = Page.for_paper("a4")
    styles = Styles(shipped_theme, fonts, Palette.from_theme(shipped_theme), page.frame_width)
    made = images.chart_flowables(
        requests, chart_images(requests, shipped_theme), page.frame_width, styles, pdf_store
    )
    return list(made.values()), fonts


def charts_pdf(charts: list[Any], before: Callable[[Any], None] | None = None) -> bytes:
    """A one-page PDF of the charts, one above the other, after whatever before draws on its canvas."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    if before is not None:
        before(canvas)
    for i, chart in enumerate(charts):
        chart.drawOn(canvas, 0, 250 * i)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def another_character_first(face: str) -> Callable[[Any], None]:
    """What a page drew before a chart: another character of face, so that the font subset numbers the
    chart's characters otherwise than a chart drawn first (charts_pdf's before)."""

    def draw(canvas: Any) -> None:
        canvas.saveState()
        canvas.setFont(face, 9)
        canvas.drawString(10, 10, "\u00e9")
        canvas.restoreState()

    return draw


def answers_of_again(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each answer of writers/pdf/written.py's `again` (may a chart's kept code be written here?), in order."""
    from digibrief.writers.pdf import written

    said: list[bool] = []
    again = written.again

    def watched(canv: Any, kept: Any) -> bool:
        said.append(again(canv, kept))
        return said[-1]

    monkeypatch.setattr(written, "again", watched)
    return said


# --- the garbage collector (pipeline/heap.py) --------------------------------------------------------


class Cycle:
    """An object that refers to itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector with nothing set aside (the suite sets aside what is alive before each test, see
    pytest_runtest_setup), restored afterwards."""
    heap.put_back()
    before = gc.get_threshold()
    yield
    heap.put_back()
    gc.set_threshold(*before)


# --- shared by the warm-render tests ---------------------------------------------------------------


@pytest.fixture
def keeping() -> Iterator[None]:
    """The brief's memos on, as in a process that renders again (a watch: the writer's preload), and
    emptied before and after."""
    from digibrief.writers.pdf import memo

    memo.forget()
    memo.keep()
    yield
    memo.forget()


def with_headline(doc: Any, chart_id: str, words: str) -> Any:
    """The document with one chart's headline replaced."""
    import dataclasses

    from digibrief.document.types import Figure, Run

    def block(b: Any) -> Any:
        if isinstance(b, Figure) and b.chart.id == chart_id:
            return dataclasses.replace(b, headline=(Run(words),))
        return b

    sections = tuple(dataclasses.replace(s, blocks=tuple(block(b) for b in s.blocks)) for s in doc.sections)
    return dataclasses.replace(doc, sections=sections)


# --- a PDF's text, read once (pypdf) -----------------------------------------------------------------

# one call of pypdf's text visitor: (text, cm, tm, font size)
TextRun = tuple[str, tuple[float, ...], tuple[float, ...], float]


class PageText(NamedTuple):
    """One page as pypdf reads it: its text (`extract_text()`) and the text runs its visitor was
    called with during that extraction, in order."""

    text: str
    runs: tuple[TextRun, ...]


_PDF_PAGES: dict[str, tuple[PageText, ...]] = {}


def pdf_pages(source: Path | bytes) -> tuple[PageText, ...]:
    """Each page's text and text runs, extracted once per distinct PDF in this process (keyed by the
    sha256 of its bytes): many tests read the same brief, and pypdf's extraction is the slow part."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    key = hashlib.sha256(data).hexdigest()
    if key not in _PDF_PAGES:
        from pypdf import PdfReader

        pages = []
        for page in PdfReader(io.BytesIO(data)).pages:
            runs: list[TextRun] = []

            def visit(
                text: str, cm: Any, tm: Any, font: Any, size: float, runs: list[TextRun] = runs
            ) -> None:
                runs.append((text, tuple(cm), tuple(tm), size))

            text = page.extract_text(visitor_text=visit)
            pages.append(PageText(text, tuple(runs)))
        _PDF_PAGES[key] = tuple(pages)
    return _PDF_PAGES[key]


def pdf_text(source: Path | bytes, sep: str = "\n") -> str:
    """The PDF's text as pypdf extracts it, its pages joined by sep (read once, see pdf_pages)."""
    return sep.join(page.text for page in pdf_pages(source))


# --- cold references, rendered once per session (test_deck_warm_memo.py, test_slide_cache.py, ...) -------

# the first chart's headline of the edited deck that cold_headline_deck renders
COLD_HEADLINE = "Kazakhstan led every survey"


@pytest.fixture(scope="session")
def cold_headline_deck(shipped_doc: Any, shipped_theme: Any, rendered_deck: Any) -> bytes:
    """The shipped deck with its first chart's headline replaced by COLD_HEADLINE, as a new process
    renders it whole (the writers' memos forgotten first, no store, native charts on rendered_deck's
    images): once per session, for the tests that compare a warm render of that edit with a cold one.
    Bytes, which no test can change."""
    from digibrief.writers.pptx import deck
    from digibrief.writers.pptx.options import DeckOptions

    edited = with_headline(shipped_doc, shipped_doc.figures()[0].chart.id, COLD_HEADLINE)
    _forget_writer_caches()
    return deck.render(edited, rendered_deck[1], shipped_theme, DeckOptions()).data


class WarmEdit(NamedTuple):
    """What warm_deck_edit saw: a store filled by a render of the shipped deck, then the deck with its
    first chart's headline replaced (COLD_HEADLINE) rendered from that store, straight after."""

    first: Any  # the render that filled the empty store
    kept: dict[str, bytes]  # the store as that render left it
    warm: Any  # the render of the edited deck from that store
    plans: list[list[Any]]  # the slide plans slidecache.slide_keys was given, one list per call
    plan_texts: list[tuple[str, str]]  # (slidecache.plan_repr, repr) of each plan of the warm render
    slides: list[int]  # the slides the warm render drew (Drawer.slide)
    charts_drawn: list[str]  # the charts it drew (ChartDrawer._draw)
    charts_added: list[str]  # the charts it added as they were drawn before (ChartDrawer._add_drawn)


@pytest.fixture(scope="session")
def warm_deck_edit(shipped_doc: Any, shipped_theme: Any, rendered_deck: Any) -> WarmEdit:
    """Two renders of the deck on rendered_deck's images, once per session, watched as they run (see
    WarmEdit), for the tests of the slide cache and of what a warm render keeps (test_slide_cache.py,
    test_deck_warm_memo.py)."""
    from digibrief.writers.pptx import charts, deck, slidecache
    from digibrief.writers.pptx.draw import Drawer
    from digibrief.writers.pptx.options import DeckOptions

    store = MemoryStore()
    plans: list[list[Any]] = []
    slides: list[int] = []
    drawn: list[str] = []
    added: list[str] = []
    keys, slide = slidecache.slide_keys, Drawer.slide
    draw, add = charts.ChartDrawer._draw, charts.ChartDrawer._add_drawn

    def counted_keys(design: str, sps: Any, images: Any) -> list[str]:
        plans.append(list(sps))
        return keys(design, sps, images)

    def counted_slide(self: Any, sp: Any, number: int) -> Any:
        slides.append(number)
        return slide(self, sp, number)

    def counted_draw(self: Any, on: Any, el: Any) -> Any:
        drawn.append(el.name)
        return draw(self, on, el)

    def counted_add(self: Any, on: Any, el: Any, *kept: Any) -> Any:
        added.append(el.name)
        return add(self, on, el, *kept)

    edited = with_headline(shipped_doc, shipped_doc.figures()[0].chart.id, COLD_HEADLINE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(slidecache, "slide_keys", counted_keys)
        images = rendered_deck[1]
        first = deck.render(shipped_doc, images, shipped_theme, DeckOptions(), store=store)
        kept = dict(store._kept)
        patch.setattr(Drawer, "slide", counted_slide)
        patch.setattr(charts.ChartDrawer, "_draw", counted_draw)
        patch.setattr(charts.ChartDrawer, "_add_drawn", counted_add)
        warm = deck.render(edited, images, shipped_theme, DeckOptions(), store=store)
        texts = [(slidecache.plan_repr(sp), repr(sp)) for sp in plans[-1]]
    return WarmEdit(first, kept, warm, plans, texts, slides, drawn, added)


# --- the OOXML validator (openxml-audit), in this process ----------------------------------------------


@pytest.fixture(scope="session")
def ooxml_validator() -> Any:
    """openxml-audit's validator as `openxml-audit -o json -m 0 FILE` runs it (Office 2019, strict, every
    error), through the API its own pytest plugin offers; made once per worker: its schemas are read
    once, so that a deck after the first costs about 0.4 s of CPU where a run of the tool cost 1.5 s."""
    try:
        from openxml_audit.errors import FileFormat
        from openxml_audit.validator import OpenXmlValidator
    except ImportError:
        if os.environ.get("DIGIBRIEF_REQUIRE_TOOLS") == "1":
            pytest.fail("openxml-audit is required in CI (DIGIBRIEF_REQUIRE_TOOLS=1) but not installed")
        pytest.skip("openxml-audit not installed")
    return OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=0, strict=True)


# --- YAML composed by libyaml or here (project/yamlsource.py) ------------------------------------------


def read_both_ways(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """What yamlsource.parse gives for raw (the value, every position, the texts, the digest and the
    problems) with libyaml composing where it may, and with every node composed here (_Checks)."""
    from digibrief.project import yamlsource

    def read() -> object:
        located, problems = yamlsource.parse(raw, "x.yaml")
        if located is None:
            return None, problems
        return (located.value, located.values, located.keys, located.texts(), located.digest), problems

    composed_by_libyaml = read()
    with monkeypatch.context() as m:
        m.setattr(yamlsource, "_Composer", None)
        composed_here = read()
    return composed_by_libyaml, composed_here
