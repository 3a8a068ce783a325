"""`digibrief watch`: rebuild on every save in data/ or report/, and survive invalid data."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from digibrief.errors import EXIT_OK, DigibriefError, Interrupted
from digibrief.pipeline.build import BuildOptions, Log, build

DEBOUNCE_MS = 300


def _relevant(change: object, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))


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
            return
        if not result.up_to_date:
            wrote = ", ".join(str(p) for p in result.written) or "no output changed"
            changes = "; ".join(result.changes)
            log(
                f"built in {time.perf_counter() - started:.2f} s: {wrote}"
                + (f" ({changes})" if changes else ""),
                always=True,
            )

    try:
        once()
        log(f"watching {opts.data} and {opts.report} (Ctrl-C to stop)", always=True)
        for changes in watch_files(
            opts.data, opts.report, debounce=DEBOUNCE_MS, watch_filter=_relevant, raise_interrupt=False
        ):
            names = sorted({Path(p).name for _, p in changes})
            log(f"changed: {', '.join(names)}", always=True)
            once()
    except KeyboardInterrupt:
        pass
    log("stopped watching", always=True)
    return EXIT_OK
