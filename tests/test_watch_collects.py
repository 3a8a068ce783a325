"""A watch collects a build's garbage while it waits for the next save, and sets the objects of its
warm-up (and its kept workers theirs) aside from the collector (pipeline/heap.py), so that no build
stops for a full collection that scans them all; it leaves the collector as it found it."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from digibrief.pipeline import heap
from digibrief.pipeline import watch as watching
from digibrief.pipeline.build import BuildOptions, BuildResult


def test_a_watch_sets_its_warm_up_aside_and_collects_after_each_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, collector: None
):
    events: list[str] = []
    kgz = str(tmp_path / "data" / "countries" / "kgz.yaml")

    def build(opts: BuildOptions, log: Any) -> BuildResult:
        events.append(f"build, {(gc.get_freeze_count() > 0 and 'warm-up set aside') or 'nothing set aside'}")
        return BuildResult(written=[tmp_path / "brief.pdf"])

    monkeypatch.setattr(watching, "build", build)
    monkeypatch.setattr(watching, "warm_up", lambda opts: events.append("warm up"))
    monkeypatch.setattr(watching, "saves", lambda opts, ready: iter([{(2, kgz)}, {(2, kgz)}]))
    for name in ("keep_warm", "keep_workers", "release_workers"):
        monkeypatch.setattr(watching, name, lambda: None)
    collect = gc.collect
    monkeypatch.setattr(watching.gc, "collect", lambda: events.append("collect") or collect())
    threshold = gc.get_threshold()
    lines: list[str] = []
    code = watching.watch(BuildOptions(data=tmp_path), lambda m, always=False: lines.append(m), print)
    assert code == 0
    assert events == [
        "build, nothing set aside",
        "warm up",
        "collect",  # heap.set_aside's
        "build, warm-up set aside",
        "collect",
        "build, warm-up set aside",
        "collect",
    ]
    assert [line for line in lines if line.startswith("built in")] and lines[-1] == "stopped watching"
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == threshold


def test_setting_aside_freezes_what_is_alive_and_looks_at_young_objects_less_often(collector: None):
    heap.set_aside()
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == heap.YOUNG_OBJECTS


def test_a_kept_worker_sets_its_warm_up_aside_from_the_collector(collector: None):
    from digibrief.pipeline.build import _kept_worker_ready

    _kept_worker_ready()
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == heap.YOUNG_OBJECTS
