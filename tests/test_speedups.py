"""The speed-ups save time and nothing else: a build through every one of them writes the bytes of a
build without any (issue 14).

The speed-ups: the chart cache, the PDF writer's layout hint (one pass when the last build's pages
hold) and its store of parsed charts, what a warm process keeps (parsed charts, word widths, fonts),
and the worker pool.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest

from digibrief.pipeline.build import build
from tests.conftest import run_child, run_cli

OUTPUTS = ("brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html")
EDITED = ("2022: {value: 79.7703", "2022: {value: 83.4127")


def _hashes(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def _build_logged(opts: Any) -> list[str]:
    lines: list[str] = []
    build(dataclasses.replace(opts, verbose=True), log=lambda m, always=False: lines.append(m))
    return lines


@pytest.mark.xdist_group("cold")
def test_a_build_through_every_speedup_writes_the_bytes_of_one_without_them(shipped_copy, cold_builds):
    # without: a fresh process, output folder and chart cache, one worker, everything redrawn
    done, plain = cold_builds["one worker"]
    assert done.returncode == 0, done.stderr
    assert ", 0 from cache" in done.stdout  # every chart drawn
    assert "2 layout passes" in done.stdout + done.stderr  # no hint: the brief took its two passes

    # with: edit a value and build in this (warm) process, then undo the edit and build again
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
    store = shipped_copy.out / ".cache" / "pdf"
    assert len(list(store.glob("*.bin"))) >= 19  # parsed charts were kept, and so could be reused
    assert _hashes(shipped_copy.out) == _hashes(plain)

    # and a fresh process that takes every parsed chart from the store (svglib never runs)
    again = run_child(
        "build",
        *("--data", str(shipped_copy.data), "--report", str(shipped_copy.report)),
        *("--out", str(shipped_copy.out), "--cache", str(shipped_copy.cache), "--force", "--only", "pdf"),
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert _hashes(shipped_copy.out) == _hashes(plain)


def test_a_wrong_layout_hint_costs_a_pass_and_changes_no_byte(shipped_copy):
    import json

    before = _hashes(shipped_copy.out)
    manifest_path = shipped_copy.out / ".cache" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    hint = manifest["outputs"]["brief.pdf"]["hint"]
    hint["total"] += 3
    hint["pages"] = {key: page + 1 for key, page in hint["pages"].items()}
    manifest["outputs"]["brief.pdf"]["hint"] = hint
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    log = "\n".join(_build_logged(dataclasses.replace(shipped_copy, force=True, only="pdf")))
    assert "2 layout passes" in log
    assert _hashes(shipped_copy.out)["brief.pdf"] == before["brief.pdf"]


def test_a_damaged_store_entry_is_parsed_again_and_changes_no_byte(shipped_copy):
    before = _hashes(shipped_copy.out)
    store = shipped_copy.out / ".cache" / "pdf"
    entries = sorted(store.glob("*.bin"))
    assert entries
    for i, path in enumerate(entries):  # garbage, a truncated pickle, a pickle of something else
        path.write_bytes([b"not a pickle", path.read_bytes()[:40], b"\x80\x04K\x01."][i % 3])
    done = run_cli(
        "build",
        *("--data", str(shipped_copy.data), "--report", str(shipped_copy.report)),
        *("--out", str(shipped_copy.out), "--cache", str(shipped_copy.cache), "--force", "--only", "pdf"),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert _hashes(shipped_copy.out)["brief.pdf"] == before["brief.pdf"]
