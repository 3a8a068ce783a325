"""Every file a build reads under data/ and report/ counts in the up-to-date check."""

from __future__ import annotations

import dataclasses
import shutil
import sys
from pathlib import Path

from digibrief.pipeline.build import build
from digibrief.pipeline.cache import is_input_file
from digibrief.project.geo import WORLD

_OPENED: list[Path] | None = None  # while recording: every file opened


def _record(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | Path):
        _OPENED.append(Path(args[0]))


sys.addaudithook(_record)  # an audit hook cannot be removed: it records only while _OPENED is a list


def test_every_file_a_build_reads_under_data_and_report_counts_as_an_input(shipped_copy):
    global _OPENED
    geo = shipped_copy.data / "geo"
    geo.mkdir()
    text = WORLD.read_text(encoding="utf-8")  # a map of the project's own, read from data/geo
    (geo / "region.geojson").write_text(text.replace('"name":"Iran"', '"name":"Irán"', 1), encoding="utf-8")
    _OPENED = []
    try:  # the map's change makes the build read and write everything the brief needs
        result = build(dataclasses.replace(shipped_copy, only="pdf"))
    finally:
        opened, _OPENED = _OPENED, None
    assert result.exit_code == 0
    roots = (shipped_copy.data.resolve(), shipped_copy.report.resolve())
    read = {
        p.resolve()
        for p in opened
        if p.resolve().is_relative_to(roots[0]) or p.resolve().is_relative_to(roots[1])
    }
    assert geo.resolve() / "region.geojson" in read
    assert any(p.suffix == ".ttf" for p in read) and any(p.suffix == ".yaml" for p in read)
    assert [p for p in read if p.is_file() and not is_input_file(p)] == []


def test_changing_a_byte_of_the_map_file_rebuilds(shipped_copy):
    geo = shipped_copy.data / "geo"
    geo.mkdir()
    map_file = geo / "region.geojson"
    shutil.copyfile(WORLD, map_file)
    opts = dataclasses.replace(shipped_copy, only="pdf")
    first = build(opts)
    assert not first.up_to_date
    assert build(opts).up_to_date
    text = map_file.read_text(encoding="utf-8")
    map_file.write_text(text.replace('"name":"Iran"', '"name":"Irán"', 1), encoding="utf-8")
    again = build(opts)
    assert not again.up_to_date
    assert [p.name for p in again.written] == ["brief.pdf"]
