"""The watch builds a save once its changes stop for a step (pipeline/watch.py, STEP_MS): an editor's
save, however many changes it makes (a temporary file renamed over the original, the original kept as
a backup, the file truncated and written), reaches it as one save, with the file whole."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from digibrief.pipeline.build import BuildOptions
from digibrief.pipeline.watch import STEP_MS, saves

OLD = "id: KGZ\nname: Kyrgyzstan\n"


def _in_place(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")  # truncated, then written


def _renamed_over(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _with_backup(path: Path, text: str) -> None:
    """As vim saves: a probe file, the original moved to a backup, the new file written, the backup removed."""
    probe = path.with_name("4913")
    probe.write_text("")
    probe.unlink()
    backup = path.with_name(path.name + "~")
    os.replace(path, backup)
    path.write_text(text, encoding="utf-8")
    backup.unlink()


def _safe_write(path: Path, text: str) -> None:
    """As JetBrains' editors save: a temporary file, the original renamed aside, the temporary file renamed."""
    tmp, old = path.with_name(path.name + "___jb_tmp___"), path.with_name(path.name + "___jb_old___")
    tmp.write_text(text, encoding="utf-8")
    os.replace(path, old)
    os.replace(tmp, path)
    old.unlink()


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, queue.Queue[tuple[set[str], str | None]]]]:
    """A watched project's kgz.yaml, and each save the watch sees: the names it changed, and the file's
    text as the build that the save starts would read it."""
    countries, report = tmp_path / "data" / "countries", tmp_path / "report"
    countries.mkdir(parents=True)
    report.mkdir()
    path = countries / "kgz.yaml"
    path.write_text(OLD, encoding="utf-8")
    seen: queue.Queue[tuple[set[str], str | None]] = queue.Queue()
    stop, watching = threading.Event(), threading.Event()

    def run() -> None:
        for changes in saves(BuildOptions(data=tmp_path / "data", report=report), stop, watching.set):
            try:
                text: str | None = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                text = None
            seen.put(({Path(p).name for _, p in changes}, text))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert watching.wait(timeout=30), "the watcher never started"
    try:
        yield path, seen
    finally:
        stop.set()
        thread.join(timeout=10)


@pytest.mark.parametrize("save", [_in_place, _renamed_over, _with_backup, _safe_write])
def test_an_editors_save_reaches_the_watch_as_one_save_of_the_whole_file(
    watched: tuple[Path, queue.Queue[tuple[set[str], str | None]]], save: Callable[[Path, str], None]
):
    path, seen = watched
    for i in range(3):
        text = OLD + f"population: {{value: {7000000 + i}, year: 2023}}\n"
        save(path, text)
        names, read = seen.get(timeout=5)
        assert names == {"kgz.yaml"}  # the editor's temporary, probe and backup files are no change
        assert read == text
        time.sleep(3 * STEP_MS / 1000 + 0.1)  # long enough for a second batch of this save to show
        assert seen.empty(), seen.get()
