"""A rendered output is kept by its key and taken whole when a build asks for that key again: the same
bytes, no render; --force, a code change or a damaged entry cost a render, never a byte."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

from digibrief.pipeline import build as pipeline
from digibrief.pipeline import renders
from digibrief.pipeline.build import build
from digibrief.writers.contract import Rendered

from .conftest import replace_in

OUTPUTS = ("brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html")


def _build_logged(opts: Any) -> list[str]:
    lines: list[str] = []
    build(dataclasses.replace(opts, verbose=True), log=lambda m, always=False: lines.append(m))
    return lines


def _render_line(log: list[str], name: str) -> str:
    found = [line for line in log if line.strip().startswith(f"render {name}")]
    assert len(found) == 1, log
    return found[0]


def test_a_second_folder_on_the_same_cache_renders_nothing_and_writes_the_same_bytes(shipped, tmp_path):
    log = _build_logged(dataclasses.replace(shipped, out=tmp_path / "out"))
    for name in OUTPUTS:
        assert _render_line(log, name).endswith("from cache"), log
        assert (tmp_path / "out" / name).read_bytes() == (shipped.out / name).read_bytes()


def test_force_renders_the_output_again(shipped, tmp_path):
    log = _build_logged(dataclasses.replace(shipped, out=tmp_path / "out", only="html", force=True))
    assert "from cache" not in _render_line(log, "brief.html")
    assert (tmp_path / "out" / "brief.html").read_bytes() == (shipped.out / "brief.html").read_bytes()


def test_a_change_to_the_package_code_renders_every_output_again(shipped, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "package_code", lambda: "another version of the writers")
    log = _build_logged(dataclasses.replace(shipped, out=tmp_path / "out", only="data"))
    assert "from cache" not in _render_line(log, "brief-data.xlsx")


def test_the_package_code_digest_follows_every_source_file(tmp_path):
    copy = tmp_path / "digibrief"
    shutil.copytree(pipeline.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert pipeline.package_code(copy) == pipeline.package_code()
    writer = copy / "writers" / "xlsx" / "datapack.py"
    writer.write_text(writer.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    pipeline.package_code.cache_clear()
    assert pipeline.package_code(copy) != pipeline.package_code()


def test_a_damaged_kept_output_is_rendered_again_and_changes_no_byte(shipped, tmp_path):
    own = tmp_path / "cache"  # the session's cache is shared: damage a copy of it
    shutil.copytree(shipped.cache, own)
    entries = sorted((own / "writers" / "data" / "outputs").glob("*.bin"))
    assert entries
    for i, path in enumerate(entries):  # truncated, junk, a byte of the output changed
        raw = path.read_bytes()
        path.write_bytes([raw[: len(raw) // 2], b"not an output", raw[:-1] + bytes([raw[-1] ^ 1])][i % 3])
    log = _build_logged(dataclasses.replace(shipped, out=tmp_path / "out", cache=own, only="data"))
    assert "from cache" not in _render_line(log, "brief-data.xlsx")
    assert (tmp_path / "out" / "brief-data.xlsx").read_bytes() == (
        shipped.out / "brief-data.xlsx"
    ).read_bytes()
    # and the entry the render put back is whole again
    log = _build_logged(dataclasses.replace(shipped, out=tmp_path / "again", cache=own, only="data"))
    assert _render_line(log, "brief-data.xlsx").endswith("from cache")


def test_an_entry_that_is_not_a_whole_output_is_a_miss():
    whole = renders.pack(Rendered(b"%PDF- bytes", ["a warning"], 3, {"total": 3}, 2))
    assert renders.unpack(whole) == Rendered(b"%PDF- bytes", ["a warning"], 3, {"total": 3}, 2)
    head, _, data = whole.partition(b"\n")
    for damaged in (
        whole[:-1],  # truncated
        whole + b"x",  # longer than its size
        head + b"\n" + data[:-1] + b"X",  # same size, another digest
        b"junk",
        b"",
        b"[]\n" + data,  # a header that is not a record
        head.replace(b'"pages": 3', b'"pages": "3"') + b"\n" + data,
    ):
        assert renders.unpack(damaged) is None, damaged
    assert renders.unpack(None) is None


def test_an_undo_renders_nothing_and_writes_the_bytes_before_the_edit(shipped_copy):
    opts = dataclasses.replace(shipped_copy, only="data")
    kgz = opts.data / "countries" / "kgz.yaml"
    before = (opts.out / "brief-data.xlsx").read_bytes()
    replace_in(kgz, "2022: {value: 79.7703", "2022: {value: 79.8123")
    log = _build_logged(opts)
    assert "from cache" not in _render_line(log, "brief-data.xlsx")
    assert (opts.out / "brief-data.xlsx").read_bytes() != before
    replace_in(kgz, "2022: {value: 79.8123", "2022: {value: 79.7703")
    log = _build_logged(opts)
    assert _render_line(log, "brief-data.xlsx").endswith("from cache")
    assert (opts.out / "brief-data.xlsx").read_bytes() == before


def test_the_kept_outputs_stay_within_their_bounds(tmp_path: Path):
    store = renders.store(tmp_path, "pdf")
    for i in range(renders.KEEP + 5):
        store.put(renders.entry_key(str(i)), renders.pack(Rendered(b"x" * 100)))
    assert len(list(store.folder.glob("*.bin"))) == renders.KEEP
    store.max_bytes = 1000  # beyond it the least recently used go; the newest stays, whatever its size
    store.put(renders.entry_key("big"), renders.pack(Rendered(b"y" * 5000)))
    assert [p.name for p in store.folder.glob("*.bin")] == [store._path(renders.entry_key("big")).name]
