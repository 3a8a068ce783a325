"""A watch collects a build's garbage while it waits for the next save, and sets the objects of its
warm-up aside from the collector, so that no build stops for a full collection that scans them all."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from digibrief.pipeline import watch as watching
from digibrief.pipeline.build import BuildOptions, BuildResult


class _Collector:
    """Stands in for the gc module: records what the watch asks of it, in order with the builds."""

    def __init__(self, events: list[str]):
        self.events = events

    def collect(self) -> int:
        self.events.append("collect")
        return 0

    def freeze(self) -> None:
        self.events.append("freeze")

    def unfreeze(self) -> None:
        self.events.append("unfreeze")


def test_a_watch_sets_its_warm_up_aside_and_collects_after_each_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    events: list[str] = []
    kgz = str(tmp_path / "data" / "countries" / "kgz.yaml")

    def build(opts: BuildOptions, log: Any) -> BuildResult:
        events.append("build")
        return BuildResult(written=[tmp_path / "brief.pdf"])

    monkeypatch.setattr(watching, "gc", _Collector(events))
    monkeypatch.setattr(watching, "build", build)
    monkeypatch.setattr(watching, "warm_up", lambda opts: events.append("warm up"))
    monkeypatch.setattr(watching, "saves", lambda opts: iter([{(2, kgz)}, {(2, kgz)}]))
    for name in ("keep_warm", "keep_workers", "release_workers"):
        monkeypatch.setattr(watching, name, lambda: None)
    lines: list[str] = []
    code = watching.watch(BuildOptions(data=tmp_path), lambda m, always=False: lines.append(m), print)
    assert code == 0
    assert events == [
        "build",
        "warm up",
        "collect",
        "freeze",
        "build",
        "collect",
        "build",
        "collect",
        "unfreeze",
    ]
    assert [line for line in lines if line.startswith("built in")] and lines[-1] == "stopped watching"


def test_settling_after_the_warm_up_sets_the_live_objects_aside_from_the_collector():
    assert gc.get_freeze_count() == 0
    try:
        watching.settle(first=True)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    watching.settle()
    assert gc.get_freeze_count() == 0


def test_a_kept_worker_sets_its_warm_up_aside_from_the_collector():
    from digibrief.pipeline.build import _draw_each

    assert gc.get_freeze_count() == 0
    try:
        _draw_each((), None, None)  # type: ignore[arg-type]  # no chart to draw: the settling alone
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
