"""The one worker pool: charts, the deck and any other independent work on every core, on any platform.

Charts and writers are pure functions of picklable arguments, so running them in another process
changes nothing but the wall-clock time. The pool uses the platform's start method (fork on Linux,
spawn on macOS and Windows); it honours DIGIBRIEF_WORKERS (1 = everything in this process). Forking
a process that runs other Python threads is unsafe, so there the work runs here instead.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import Any

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


def _worker_init() -> None:
    """The parent owns Ctrl-C and SIGTERM; a worker ignores Ctrl-C and dies quietly on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class Serial(Executor):
    """The Executor interface, run in this process: one worker, or no safe way to start more."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


@contextmanager
def pool(tasks: int | None = None, *, beside_caller: bool = False) -> Iterator[Executor]:
    """Workers for up to `tasks` jobs (None = as many as allowed); a Serial stand-in when one is enough.

    beside_caller: the caller keeps one core busy itself, so the pool takes one worker fewer, and a
    single worker is worth starting.
    """
    cores = worker_count() - (1 if beside_caller else 0)
    n = cores if tasks is None else min(tasks, cores)
    if n < (1 if beside_caller else 2) or not _can_start_workers():
        yield Serial()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context(start_method())
    executor = ProcessPoolExecutor(max_workers=n, mp_context=context, initializer=_worker_init)
    try:
        yield executor
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
