"""A warm watch's brief: what a process that renders again keeps or settles between saves saves time and
nothing else. The watch collects its garbage and freezes the rest while it waits (pipeline/watch.py),
so a build's own collections never walk the long-lived heap."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from digibrief.errors import EXIT_OK
from digibrief.pipeline import watch as watching
from digibrief.pipeline.build import BuildOptions, BuildResult


class _Cycle:
    """An object that refers to itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_settling_the_heap_frees_dropped_cycles_and_freezes_what_is_left():
    dropped = _Cycle()
    gone = weakref.ref(dropped)
    del dropped
    try:
        watching.settle_heap()
        assert gone() is None  # collected first, never frozen with the rest
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_watch_settles_its_heap_between_saves_and_unfreezes_it_when_it_stops(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    seen: list[
        tuple[int, bool]
    ] = []  # each build: the frozen objects, and whether the last build's cycle is gone
    left: list[weakref.ref[_Cycle]] = []

    def build(opts: BuildOptions, log: Any = None) -> BuildResult:
        seen.append((gc.get_freeze_count(), bool(left) and left[-1]() is None))
        left.append(weakref.ref(_Cycle()))  # garbage this build leaves for the watch to collect
        return BuildResult(up_to_date=True)

    def saves(*args: Any, **kw: Any) -> Any:
        yield {("modified", str(tmp_path / "data" / "countries" / "kgz.yaml"))}
        yield {("modified", str(tmp_path / "data" / "countries" / "kgz.yaml"))}

    gc.unfreeze()
    for name, stub in (
        ("build", build),
        ("warm_up", lambda opts: None),
        ("keep_workers", lambda: None),
        ("release_workers", lambda: None),
        ("keep_warm", lambda: None),
    ):
        monkeypatch.setattr(watching, name, stub)
    monkeypatch.setattr("watchfiles.watch", saves)
    opts = BuildOptions(data=tmp_path / "data", report=tmp_path / "report", out=tmp_path / "out")
    code = watching.watch(opts, lambda message, always=False: None, lambda err: None)
    assert code == EXIT_OK
    assert [n > 0 for n, _ in seen] == [False, True, True]  # the first build starts unfrozen
    assert [collected for _, collected in seen] == [False, True, True]
    assert gc.get_freeze_count() == 0  # a watch inside a longer process leaves nothing frozen
