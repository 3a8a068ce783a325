"""`digibrief watch`: rebuild on every save in data/ or report/, and survive invalid data."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from digibrief.errors import EXIT_OK, DigibriefError, Interrupted
from digibrief.pipeline.build import (
    BuildOptions,
    BuildResult,
    Log,
    build,
    keep_warm,
    stop_requested,
    warm_up,
)
from digibrief.pipeline.cache import is_input_file
from digibrief.pipeline.heap import put_back, set_aside
from digibrief.pipeline.pool import keep_workers, release_workers

DEBOUNCE_MS = 300  # the longest a stream of changes is gathered into one build
# how long the watcher waits for another change before it builds (watchfiles' step, 50 ms by default):
# it looks every STEP_MS and builds once a look finds no new change, so a save is built 1 to 2 steps
# after it. An editor's save (a temporary file renamed over the original, the original renamed to a
# backup, or the file truncated and written) makes all its changes within a millisecond, so a 5 ms
# step still sees it whole; a save split by a stalled editor costs a second build, which reads the
# file as the editor left it (tests/test_watch_saves.py saves as editors do)
STEP_MS = 5


def _relevant(change: object, path: str) -> bool:
    """Only the files a build reads: an editor's swap, backup or lock file is not a change."""
    return is_input_file(path)


def _built(result: BuildResult, seconds: float) -> str:
    wrote = ", ".join(str(p) for p in result.written) or "no output changed"
    changes = "; ".join(result.changes)
    return f"built in {seconds:.2f} s: {wrote}" + (f" ({changes})" if changes else "")


class _Asked:
    """The stop event handed to watchfiles, which asks it at every step of its watcher once that
    watches: the first question calls ready, so that a save from then on is seen (a save made while
    the watcher was being set up would not be)."""

    def __init__(self, stop: threading.Event | None, ready: Callable[[], None] | None) -> None:
        self._stop = stop
        self._ready = ready

    def is_set(self) -> bool:
        if self._ready is not None:
            ready, self._ready = self._ready, None
            ready()
        return self._stop is not None and self._stop.is_set()


def saves(
    opts: BuildOptions, stop: threading.Event | None = None, ready: Callable[[], None] | None = None
) -> Iterator[set[tuple[Any, str]]]:
    """Each save in opts' data and report folders, as the changes (kind, path) it made to input files;
    it ends at Ctrl-C or once stop is set. ready is called once the folders are watched."""
    from watchfiles import watch as watch_files

    yield from watch_files(
        opts.data,
        opts.report,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        watch_filter=_relevant,
        stop_event=_Asked(stop, ready),
        raise_interrupt=False,
    )


def settle(first: bool = False) -> None:
    """Collect the garbage of a build while the watch waits for the next save, rather than during a
    build; first, after the warm-up, set what is alive aside from the collector (heap.set_aside), so
    that each later wait's collection takes a few milliseconds."""
    if first:
        set_aside()
    else:
        gc.collect()


def watch(opts: BuildOptions, log: Log, report: Callable[[DigibriefError], None]) -> int:
    def once() -> None:
        started = time.perf_counter()
        try:
            result = build(opts, log=log)
        except Interrupted:
            raise KeyboardInterrupt from None
        except DigibriefError as err:
            report(err)
            kept = (
                f"{' and '.join(err.rewritten)} were rewritten, the other outputs are unchanged"
                if err.rewritten
                else "previous outputs are unchanged"
            )
            log(f"build failed; {kept}. Waiting for the next save…", always=True)
        else:
            if not result.up_to_date:
                log(_built(result, time.perf_counter() - started), always=True)
        if stop_requested():  # a signal that came after the build's last checkpoint
            raise KeyboardInterrupt

    keep_warm()
    keep_workers()  # one pool for every build of this watch, its workers warm from the last
    collector = gc.get_threshold()
    # watchfiles logs its own "KeyboardInterrupt caught" warning; the stop message below says it
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    try:
        once()
        warm_up(opts)  # the workers every later save draws on, started before the watcher
        settle(first=True)
        said = f"watching {opts.data} and {opts.report} (Ctrl-C to stop)"
        for changes in saves(opts, ready=lambda: log(said, always=True)):
            names = sorted({Path(path).name for _, path in changes})
            log(f"changed: {', '.join(names)}", always=True)
            once()
            settle()
    except KeyboardInterrupt:
        pass
    finally:
        release_workers()  # on Ctrl-C, SIGTERM or any error: no worker outlives the watch
        put_back()
        gc.set_threshold(*collector)
    log("stopped watching", always=True)
    return EXIT_OK
