"""The speed-ups save time and nothing else: a wrong layout hint or a damaged store costs time, never a
byte (the build through every speed-up against one without any is in test_cold_builds.py, and so is
the check that charts parsed where the faces had other names draw alike in a fresh process).

The speed-ups: the chart cache, the PDF writer's layout hint (one pass when the last build's pages
hold) and its store of parsed charts, what a warm process keeps (parsed charts, word widths, fonts),
and the worker pool.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path
from typing import Any

from digibrief.pipeline.build import build
from tests.conftest import run_cli

OUTPUTS = ("brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html")


def _hashes(out: Path) -> dict[str, str]:
    return {name: hashlib.sha256((out / name).read_bytes()).hexdigest() for name in OUTPUTS}


def _build_logged(opts: Any) -> list[str]:
    lines: list[str] = []
    build(dataclasses.replace(opts, verbose=True), log=lambda m, always=False: lines.append(m))
    return lines


def render_again(out: Path, cache: Path, name: str = "brief.pdf", fmt: str = "pdf") -> None:
    """Remove an output and the whole outputs the cache keeps for its format, so that the next build
    renders it again, with every chart from the cache (--force would draw every chart again too,
    which these tests are not about)."""
    (out / name).unlink()
    shutil.rmtree(cache / "writers" / fmt / "outputs", ignore_errors=True)


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
    render_again(shipped_copy.out, shipped_copy.chart_cache)
    log = "\n".join(_build_logged(dataclasses.replace(shipped_copy, only="pdf")))
    assert "2 layout passes" in log
    assert _hashes(shipped_copy.out)["brief.pdf"] == before["brief.pdf"]


def test_a_damaged_store_entry_is_parsed_again_and_changes_no_byte(shipped_copy):
    before = _hashes(shipped_copy.out)
    own = shipped_copy.out.parent / "cache"  # the session's store is shared: damage a copy of it
    shutil.copytree(shipped_copy.cache, own)
    shipped_copy = dataclasses.replace(shipped_copy, cache=own)
    store = own / "writers" / "pdf"
    entries = sorted(store.glob("*.bin"))
    assert entries
    for i, path in enumerate(entries):  # garbage, a truncated pickle, a pickle of something else
        path.write_bytes([b"not a pickle", path.read_bytes()[:40], b"\x80\x04K\x01."][i % 3])
    render_again(shipped_copy.out, shipped_copy.chart_cache)
    done = run_cli(
        "build",
        *("--data", str(shipped_copy.data), "--report", str(shipped_copy.report)),
        *("--out", str(shipped_copy.out), "--cache", str(shipped_copy.cache), "--only", "pdf"),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert _hashes(shipped_copy.out)["brief.pdf"] == before["brief.pdf"]


def test_a_fresh_folder_takes_the_layout_hint_a_render_of_the_same_brief_left_in_the_cache(shipped, tmp_path):
    # the shared build rendered this brief with this chart cache: its hint lets a new folder lay out once
    # (on a copy of that cache without the kept outputs, so that the brief is rendered, not taken whole)
    own = tmp_path / "cache"
    shutil.copytree(shipped.cache, own, ignore=shutil.ignore_patterns("outputs"))
    log = _build_logged(dataclasses.replace(shipped, out=tmp_path / "out", cache=own, only="pdf"))
    rendered = [line for line in log if "render brief.pdf" in line]
    assert rendered and "from cache" not in rendered[0], log
    assert "layout passes" not in rendered[0]
    assert (tmp_path / "out" / "brief.pdf").read_bytes() == (shipped.out / "brief.pdf").read_bytes()
