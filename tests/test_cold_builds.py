"""Builds from nothing, each in a fresh process with its own empty chart cache, change nothing but time:
one worker or two, forked or spawned workers, and a build through every speed-up (the chart cache, the
PDF writer's layout hint and store of parsed charts, a warm process) against one without any.

The three cold builds are made once for the module, which runs on one test worker (make test
distributes whole files).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, run_child
from .test_speedups import _build_logged, _hashes, render_again

EDITED = ("2022: {value: 79.7703", "2022: {value: 83.4127")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


SPAWN_BUILD = """
import multiprocessing, sys
multiprocessing.set_start_method("spawn")
from digibrief.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def cold_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path]]:
    """The shipped project built three times from nothing, each in a fresh process with its own empty
    chart cache: with one worker, with two forked workers (the default on Linux) and with two spawned
    ones. {name: (finished child, output folder)}, made once for this module's tests."""
    root = tmp_path_factory.mktemp("cold")
    runs = {
        "one worker": ([sys.executable, "-m", "digibrief"], "1"),
        "two workers": ([sys.executable, "-m", "digibrief"], "2"),
        "spawn": ([sys.executable, "-c", SPAWN_BUILD], "2"),
    }
    done = {}
    for name, (argv, workers) in runs.items():
        out, cache = root / name.replace(" ", "-"), root / f"cache-{name.replace(' ', '-')}"
        child = subprocess.run(
            [*argv, "build", "--out", str(out), "--cache", str(cache), "-v"],
            cwd=ROOT,
            env={**os.environ, "DIGIBRIEF_WORKERS": workers},
            capture_output=True,
            text=True,
            timeout=300,
        )
        done[name] = (child, out)
    return done


def test_outputs_are_identical_with_one_worker_and_with_two(cold_builds):
    # each build in a fresh process with its own empty chart cache, so that with two workers the
    # charts are drawn in the workers, and with one in the process itself
    digests = []
    for name in ("one worker", "two workers"):
        child, out = cold_builds[name]
        assert child.returncode == 0, child.stderr
        assert ", 0 from cache" in child.stdout, child.stdout  # every chart drawn, none read
        digests.append(
            {
                p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*.*"))
                if ".cache" not in p.parts
            }
        )
    assert digests[0] == digests[1]


def test_a_spawn_method_build_gives_the_same_bytes_as_the_default(cold_builds: Any) -> None:
    # separate chart caches, so the spawn build draws every chart in spawned workers
    digests = {}
    for name in ("two workers", "spawn"):
        child, out = cold_builds[name]
        assert child.returncode == 0, child.stderr
        assert "Traceback" not in child.stderr
        assert ", 0 from cache" in child.stdout, child.stdout
        digests[name] = {p.name: _sha(p) for p in sorted(out.glob("*.*")) if p.is_file()}
    assert set(digests["spawn"]) == {"brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html"}
    assert digests["spawn"] == digests["two workers"]


def test_a_build_through_every_speedup_writes_the_bytes_of_one_without_them(
    shipped_copy, cold_builds, tmp_path
):
    # without: a fresh process, output folder and chart cache, one worker, everything redrawn
    done, plain = cold_builds["one worker"]
    assert done.returncode == 0, done.stderr
    assert ", 0 from cache" in done.stdout  # every chart drawn
    assert "2 layout passes" in done.stdout + done.stderr  # no hint: the brief took its two passes

    # with: edit a value and build in this (warm) process, then undo the edit and build again, on the
    # session's charts but a store of parsed charts of its own, which these builds must fill.
    # This process registered the faces under other reportlab names first ("Noto Sans 2", since a
    # decoy took "Noto Sans"): the store is shared, so a fresh process must draw what this one parsed
    # (the check that was test_speedups.py's test_charts_parsed_where_the_faces_had_other_names_...)
    _register_decoy_faces(shipped_copy.report / "fonts", tmp_path / "decoy")
    own = shipped_copy.out.parent / "cache"
    shutil.copytree(shipped_copy.cache, own, ignore=shutil.ignore_patterns("writers"))
    shipped_copy = dataclasses.replace(shipped_copy, cache=own)
    kgz = shipped_copy.data / "countries" / "kgz.yaml"
    original = kgz.read_text(encoding="utf-8")
    assert EDITED[0] in original
    kgz.write_text(original.replace(*EDITED), encoding="utf-8")
    _build_logged(shipped_copy)
    assert _hashes(shipped_copy.out) != _hashes(plain)
    kgz.write_text(original, encoding="utf-8")
    log = "\n".join(_build_logged(shipped_copy))

    assert "from cache" in log and "render brief.pdf" in log
    assert "layout passes" not in log  # the hint held: one pass
    store = own / "writers" / "pdf"
    assert len(list(store.glob("*.bin"))) >= 19  # parsed charts were kept, and so could be reused
    parsed = _hashes(shipped_copy.out)
    assert parsed == _hashes(plain)

    # and a fresh process that takes every parsed chart from the store (svglib never runs)
    render_again(shipped_copy.out, shipped_copy.chart_cache)
    again = run_child(
        "build",
        *("--data", str(shipped_copy.data), "--report", str(shipped_copy.report)),
        *("--out", str(shipped_copy.out), "--cache", str(shipped_copy.cache), "--only", "pdf"),
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert _hashes(shipped_copy.out)["brief.pdf"] == parsed["brief.pdf"]  # what this process parsed
    assert _hashes(shipped_copy.out) == _hashes(plain)


def _register_decoy_faces(fonts: Path, decoy: Path) -> None:
    """Register a copy of the shipped faces as "Noto Sans" in this process, so that the build's own
    registration takes other reportlab names."""
    from digibrief.theme import FontFiles
    from digibrief.writers.pdf.fonts import register

    shutil.copytree(fonts, decoy)
    faces = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
    register(FontFiles("Noto Sans", *(decoy / name for name in faces)))
