"""`digibrief watch`: rebuild on every save in data/ or report/, and survive invalid data."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from pathlib import Path

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
from digibrief.pipeline.pool import keep_workers, release_workers

DEBOUNCE_MS = 300


def _relevant(change: object, path: str) -> bool:
    """Only the files a build reads: an editor's swap, backup or lock file is not a change."""
    return is_input_file(path)


def _built(result: BuildResult, seconds: float) -> str:
    wrote = ", ".join(str(p) for p in result.written) or "no output changed"
    changes = "; ".join(result.changes)
    return f"built in {seconds:.2f} s: {wrote}" + (f" ({changes})" if changes else "")


def settle_heap() -> None:
    """Between saves: collect every cycle, then freeze what is left (gc.freeze). A watch holds some
    200,000 long-lived objects (the last project, fonts, parsed charts, the brief's memo); an automatic
    full collection during a build walked them all, 0.1 to 0.2 s of a warm edit, most often inside the
    brief's render. Frozen, the next build's collections walk only what it makes. Run while the watch
    waits, never during a build; unfrozen first, so that what the last build left behind is freed."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def watch(opts: BuildOptions, log: Log, report: Callable[[DigibriefError], None]) -> int:
    from watchfiles import watch as watch_files

    def once() -> None:
        started = time.perf_counter()
        try:
            result = build(opts, log=log)
        except Interrupted:
            raise KeyboardInterrupt from None
        except DigibriefError as err:
            report(err)
            log("build failed; previous outputs are unchanged. Waiting for the next save…", always=True)
        else:
            if not result.up_to_date:
                log(_built(result, time.perf_counter() - started), always=True)
        if stop_requested():  # a signal that came after the build's last checkpoint
            raise KeyboardInterrupt
        settle_heap()

    keep_warm()
    keep_workers()  # one pool for every build of this watch, its workers warm from the last
    # watchfiles logs its own "KeyboardInterrupt caught" warning; the stop message below says it
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    try:
        once()
        warm_up(opts)  # the workers every later save draws on, started before the watcher
        log(f"watching {opts.data} and {opts.report} (Ctrl-C to stop)", always=True)
        for changes in watch_files(
            opts.data, opts.report, debounce=DEBOUNCE_MS, watch_filter=_relevant, raise_interrupt=False
        ):
            names = sorted({Path(path).name for _, path in changes})
            log(f"changed: {', '.join(names)}", always=True)
            once()
    except KeyboardInterrupt:
        pass
    finally:
        release_workers()  # on Ctrl-C, SIGTERM or any error: no worker outlives the watch
        gc.unfreeze()  # nor does a frozen heap (the watch may run inside a longer process)
    log("stopped watching", always=True)
    return EXIT_OK
