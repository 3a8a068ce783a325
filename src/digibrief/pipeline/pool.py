"""The one worker pool: charts, the deck and any other independent work on every core, on any platform.

Charts and writers are pure functions of picklable arguments, so running them in another process
changes nothing but the wall-clock time. The pool uses the platform's start method (fork on Linux,
spawn on macOS and Windows); it honours DIGIBRIEF_WORKERS (1 = everything in this process). Forking
a process that runs other Python threads is unsafe, so there the work runs here instead.

A process that builds again and again (watch) keeps one pool between builds (keep_workers): its
workers keep what their first charts taught them (fonts, text layout, the chart modules' own caches),
which a fresh worker has to learn again on every save. A kept pool with a dead worker, or one a failed
or interrupted build used, is shut down and the next build starts another; release_workers ends it.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

WORKERS_ENV = "DIGIBRIEF_WORKERS"


def worker_count() -> int:
    """DIGIBRIEF_WORKERS when it is a whole number above 0, else the cores, at most two."""
    raw = os.environ.get(WORKERS_ENV, "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return min(2, os.cpu_count() or 1)


def start_method() -> str:
    import multiprocessing  # here, not at the top: a no-op build never starts a worker

    return multiprocessing.get_start_method(allow_none=False)


def _can_start_workers() -> bool:
    return start_method() != "fork" or threading.active_count() == 1


KEPT_NICENESS = 5  # how much lower a kept worker's priority is than the watch that lays out the brief


def _worker_init(warm: Callable[[], object] | None = None, niceness: int = 0) -> None:
    """The parent owns Ctrl-C and SIGTERM; a worker ignores Ctrl-C and dies quietly on SIGTERM.
    niceness: a kept worker yields the cores to the watch's own process, whose brief is the edit's
    critical path (its charts and the deck are drawn beside it).
    warm: work that fills the worker's caches before its first task; its failure costs only time.
    What the worker inherited and what its warm-up kept are then frozen (gc.freeze): a full collection
    walked them all, 0.18 s inside a chart of a warm edit, about one build in five."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if niceness and hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(niceness)
    if warm is not None:
        with suppress(Exception):  # a worker that could not warm up draws cold, as a fresh one does
            warm()
        gc.collect()  # the warm-up's garbage, before a task waits for it
    gc.freeze()


class Serial(Executor):
    """The Executor interface, run in this process: one worker, or no safe way to start more."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _new_pool(n: int, warm: Callable[[], object] | None = None, niceness: int = 0) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(start_method())
    return ProcessPoolExecutor(
        max_workers=n, mp_context=context, initializer=_worker_init, initargs=(warm, niceness)
    )


_KEPT: list[ProcessPoolExecutor] = []  # at most one: the pool a warm process keeps between builds
_KEEP = threading.Event()


def keep_workers() -> None:
    """Keep one pool of workers from build to build in this process (started by the first build that
    needs it, or by start_workers)."""
    _KEEP.set()


def start_workers(warm: Callable[[], object] | None = None) -> None:
    """Start the kept pool now, before this process starts any other thread, each worker running warm
    first (a picklable warm where workers are spawned rather than forked)."""
    keep_workers()
    if not _KEPT and _can_start_workers() and worker_count() > 1:
        executor = _new_pool(worker_count(), warm, KEPT_NICENESS)
        executor.submit(int)  # forked workers start at the first task: now, not at the next save
        _KEPT.append(executor)


def kept_workers() -> list[int]:
    """The process ids of the kept pool's workers (none when no pool is kept)."""
    return sorted(_processes(_KEPT[0])) if _KEPT else []


def release_workers() -> None:
    """Stop keeping workers: the kept pool's queued work is dropped and its workers end now."""
    _KEEP.clear()
    while _KEPT:
        _end(_KEPT.pop())


def _processes(executor: ProcessPoolExecutor) -> dict[int, Any]:
    return dict(getattr(executor, "_processes", None) or {})


def _healthy(executor: ProcessPoolExecutor) -> bool:
    """Every worker alive and the pool not marked broken (a worker died while working)."""
    workers = _processes(executor).values()
    return not getattr(executor, "_broken", False) and all(p.exitcode is None for p in workers)


def _end(executor: ProcessPoolExecutor) -> None:
    """Shut a pool down without waiting for its work: a worker writes only cache entries, each
    atomically, so ending it loses nothing but that work."""
    workers = list(_processes(executor).values())
    for process in workers:
        if process.exitcode is None:
            process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)  # its thread sees them gone and ends too
    for process in workers:
        process.join(timeout=10)


def _kept() -> Executor | None:
    """The kept pool, started again if a worker of the last one died; None when none can start."""
    if _KEPT and not _healthy(_KEPT[0]):
        _end(_KEPT.pop())
    if not _KEPT and _can_start_workers():
        _KEPT.append(_new_pool(worker_count(), niceness=KEPT_NICENESS))
    return _KEPT[0] if _KEPT else None


@contextmanager
def pool(
    tasks: int | None = None, *, beside_caller: bool = False, warm: Callable[[], object] | None = None
) -> Iterator[Executor]:
    """Workers for up to `tasks` jobs (None = as many as allowed); a Serial stand-in when one is enough.

    beside_caller: the caller keeps one core busy itself, so the pool takes one worker fewer, and a
    single worker is worth starting. Where workers are kept (keep_workers), the kept pool serves.
    warm: what each new worker runs first (see start_workers). A failure or interrupt in the caller
    ends the workers at once rather than letting them finish their work.
    """
    cores = worker_count() - (1 if beside_caller else 0)
    n = cores if tasks is None else min(tasks, cores)
    # a kept pool costs nothing to start: even one task runs there, beside whatever the caller does
    # (a watch's deck beside its brief), where a new pool for it would cost more than it saves
    if _KEEP.is_set() and n >= 1 and worker_count() > 1 and (kept := _kept()) is not None:
        try:
            yield kept
        except BaseException:  # its leftover work is not the next build's: that one starts afresh
            if _KEPT and _KEPT[0] is kept:
                _end(_KEPT.pop())
            raise
        return
    if n < (1 if beside_caller else 2) or not _can_start_workers():
        yield Serial()
        return
    executor = _new_pool(n, warm)
    if warm is not None:
        executor.submit(int)  # forked workers start at the first task: warm them now
    try:
        yield executor
    except BaseException:
        _end(executor)
        raise
    executor.shutdown(wait=True, cancel_futures=True)
