"""Builds from nothing, each with its own empty chart cache, change nothing but time: one worker or two
spawned workers, and a build through every speed-up (the chart cache, the PDF writer's layout hint and
store of parsed charts, a warm process) against one without any.

The two cold builds are made once for the module, which runs on one test worker (make test
distributes whole files).
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, child_env, run_child, run_cli
from .test_speedups import _build_logged, _hashes, render_again

EDITED = ("2022: {value: 79.7703", "2022: {value: 83.4127")
OUTPUTS = {"brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html"}

SPAWN_BUILD = """
import multiprocessing, sys
multiprocessing.set_start_method("spawn")
from digibrief.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def cold_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path]]:
    """The shipped project built twice from nothing, each with its own empty chart cache, at the same
    time: in this process on one worker (every chart drawn here, DIGIBRIEF_WORKERS=1), and in a fresh
    process on two spawned workers (every chart drawn in a worker that imported and set up everything
    itself, where a forked one would inherit this process's state). {name: (finished run, output folder)},
    made once for this module's tests."""
    root = tmp_path_factory.mktemp("cold")

    def argv(name: str) -> list[str]:
        return ["build", "--out", str(root / name), "--cache", str(root / f"cache-{name}"), "-v"]

    child = subprocess.Popen(
        [sys.executable, "-c", SPAWN_BUILD, *argv("spawn")],
        cwd=ROOT,
        env=child_env({"DIGIBRIEF_WORKERS": "2"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        here = run_cli(*argv("one-worker"), env={"DIGIBRIEF_WORKERS": "1"})
        stdout, stderr = child.communicate(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    spawned = subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)
    return {"one worker": (here, root / "one-worker"), "two spawned workers": (spawned, root / "spawn")}


def _digests(out: Path) -> dict[str, str]:
    """sha256 of every file a build wrote (the outputs and the drawn charts), by path, manifest aside."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def test_outputs_are_identical_with_one_worker_and_with_two_spawned_workers(cold_builds):
    # each build with its own empty chart cache, so that with two workers every chart is drawn in a
    # spawned worker, and with one in the building process itself
    digests = {}
    for name in ("one worker", "two spawned workers"):
        done, out = cold_builds[name]
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert ", 0 from cache" in done.stdout, done.stdout  # every chart drawn, none read
        digests[name] = _digests(out)
    spawned = set(digests["two spawned workers"])
    assert {name for name in spawned if "/" not in name} == OUTPUTS
    assert any(name.startswith("charts/") for name in spawned)  # the drawn charts are compared too
    assert digests["two spawned workers"] == digests["one worker"]


def test_a_build_through_every_speedup_writes_the_bytes_of_one_without_them(
    shipped_copy, cold_builds, tmp_path
):
    # without: a fresh process, output folder and chart cache, everything redrawn (on two spawned
    # workers: the test above shows that the number of workers changes no byte)
    done, plain = cold_builds["two spawned workers"]
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
    """Register a copy of the shipped faces with other bytes (padding after the tables) as "Noto Sans" in
    this process, so that the build's own registration takes other reportlab names: faces are registered
    by content, and a byte-identical copy would share the build's names."""
    from digibrief.theme import FontFiles
    from digibrief.writers.pdf.fonts import register

    shutil.copytree(fonts, decoy)
    faces = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
    for name in faces:
        with open(decoy / name, "ab") as face:
            face.write(b"\0\0\0\0")
    register(FontFiles("Noto Sans", *(decoy / name for name in faces)))
