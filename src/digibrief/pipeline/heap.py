"""How a process that builds again and again (a watch, its kept workers) keeps Python's garbage
collector out of its builds: what is alive once it is warm is set aside for good, and the young
objects a build makes are looked at a few times per build rather than sixty."""

from __future__ import annotations

import gc

# objects a build may allocate, beyond those it frees, before the collector looks at the young ones
# (Python's default: 700)
YOUNG_OBJECTS = 10_000


def set_aside() -> None:
    """Collect, then set every object alive now (the imported libraries, the warm caches) aside from
    the collector for good: no later build stops for a full collection that scans them all (100 ms
    and more, every other save), and the collector looks at young objects every YOUNG_OBJECTS. What
    is set aside and later let go of is still freed by reference counting; only its reference
    cycles, if any, stay."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])
