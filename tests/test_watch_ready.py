"""The watch says "watching" once its watcher watches (pipeline/watch.py, saves' ready): a save made
the moment it says so is built, where a save made while the watcher was still being set up was lost."""

from __future__ import annotations

import threading
from pathlib import Path

from digibrief.pipeline.build import BuildOptions
from digibrief.pipeline.watch import saves


def test_a_save_made_as_the_watch_says_it_watches_is_seen(tmp_path: Path):
    data, report = tmp_path / "data", tmp_path / "report"
    (data / "countries").mkdir(parents=True)
    report.mkdir()
    kgz = data / "countries" / "kgz.yaml"
    kgz.write_text("id: KGZ\n", encoding="utf-8")
    said: list[str] = []

    def watching() -> None:  # what the watch prints, and a save at once
        said.append("watching")
        kgz.write_text("id: KGZ\nname: Kyrgyzstan\n", encoding="utf-8")

    stop = threading.Event()
    deadline = threading.Timer(10, stop.set)  # a save unseen: the watcher ends here, having seen none
    deadline.start()
    try:
        seen = next(iter(saves(BuildOptions(data=data, report=report), stop, ready=watching)), set())
    finally:
        deadline.cancel()
    assert said == ["watching"]
    assert {Path(p).name for _, p in seen} == {"kgz.yaml"}
