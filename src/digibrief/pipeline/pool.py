"""Independent work on both cores: forked workers that inherit what the parent already imported.

Charts and writers are pure functions of their arguments, so running them in another process
changes nothing but the wall-clock time. Forking is used only where it is safe (Linux, no other
Python thread); elsewhere, or with DIGIBRIEF_WORKERS=1, everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any


def _worker_signals() -> None:
    """The parent owns Ctrl-C and SIGTERM; a worker ignores Ctrl-C and dies quietly on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def worker_count() -> int:
    raw = os.environ.get("DIGIBRIEF_WORKERS")
    if raw and raw.isdigit():
        return max(1, int(raw))
    return min(2, os.cpu_count() or 1)


def can_fork() -> bool:
    return (
        sys.platform.startswith("linux")
        and worker_count() > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


class _Serial(Executor):
    """The same interface, run in this process (no fork available or wanted)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def pool(workers: int | None = None, min_workers: int = 2) -> Executor:
    """A process pool when forking is safe and worth it (at least min_workers), else a serial stand-in.

    min_workers=1 gives one background worker: the caller works on the other core meanwhile.
    """
    n = min(worker_count() if workers is None else workers, worker_count())
    if n >= max(min_workers, 1) and can_fork():
        return ProcessPoolExecutor(
            max_workers=n, mp_context=multiprocessing.get_context("fork"), initializer=_worker_signals
        )
    return _Serial()
