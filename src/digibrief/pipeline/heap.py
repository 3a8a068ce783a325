"""How a build keeps Python's garbage collector out of its work: a one-shot build sets its composed
input aside while it draws and renders; a process that builds again and again (a watch, its kept
workers) sets aside what is alive once it is warm for good, and looks at the young objects a build
makes a few times per build rather than sixty."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# objects a build may allocate, beyond those it frees, before the collector looks at the young ones
# (Python's default: 700)
YOUNG_OBJECTS = 10_000


# this process set what was alive aside for good (set_aside) and has not put it back (put_back)
_SET_ASIDE = False


def set_aside() -> None:
    """Collect, then set every object alive now (the imported libraries, the warm caches) aside from
    the collector for good: no later build stops for a full collection that scans them all (100 ms
    and more, every other save), and the collector looks at young objects every YOUNG_OBJECTS. What
    is set aside and later let go of is still freed by reference counting; only its reference
    cycles, if any, stay."""
    global _SET_ASIDE
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
    _SET_ASIDE = True


def put_back() -> None:
    """Undo set_aside (a watch that stops): the collector looks at everything again."""
    global _SET_ASIDE
    gc.unfreeze()
    _SET_ASIDE = False


@contextmanager
def set_aside_while_rendering() -> Iterator[None]:
    """Set what is alive once the input is composed (the libraries, the project, the document) aside
    from the collector while the charts are drawn and the writers render. The brief's layout makes
    millions of objects, so the collector ran full collections that walked all of them: 0.15 s of
    a cold build's 2.3 s of CPU in its main process. A process that set its own aside for good
    (set_aside: a watch, its kept workers, the test suite's workers) is trusted as it is; a caller
    that froze its heap by other means is found by counting what is set aside (a walk over every
    such object: 10 ms and more) and keeps its own; anything else is put back after."""
    if _SET_ASIDE or gc.get_freeze_count():
        yield
        return
    gc.collect()  # what an earlier build of this process left (--per-country): freed, never set aside
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
