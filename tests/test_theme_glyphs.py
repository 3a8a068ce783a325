"""The characters a theme's font can draw (project/theming.py) are read once per font file's content
in a process: a copy of the fonts elsewhere is not parsed again, and a file edited in place is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digibrief.project import theming

from .conftest import REPORT


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    parsed: list[int] = []
    cmap = theming._cmap

    def counted(raw: bytes) -> frozenset[int]:
        parsed.append(len(raw))
        return cmap(raw)

    monkeypatch.setattr(theming, "_cmap", counted)
    monkeypatch.setattr(theming, "_CODEPOINTS", {})
    monkeypatch.setattr(theming, "_BY_STAMP", {})
    return parsed


def test_a_copy_of_a_font_elsewhere_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _parses(monkeypatch)
    font = REPORT / "fonts" / "NotoSans-Regular.ttf"
    copy = shutil.copy(font, tmp_path / "copy.ttf")
    first = theming._codepoints(font)
    assert ord("Қ") in first and ord("\U0001f600") not in first
    assert theming._codepoints(Path(copy)) == first
    assert len(parsed) == 1


def test_a_font_edited_in_place_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _parses(monkeypatch)
    font = Path(shutil.copy(REPORT / "fonts" / "NotoSans-Regular.ttf", tmp_path / "face.ttf"))
    assert ord("Қ") in theming._codepoints(font)
    shutil.copy(REPORT / "fonts" / "OFL.txt", font)  # no longer a font: it has no characters
    assert theming._codepoints(font) == frozenset()
    assert len(parsed) == 2


def test_a_font_whose_stat_is_unchanged_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _parses(monkeypatch)
    font = REPORT / "fonts" / "NotoSans-Regular.ttf"
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(self: Path) -> bytes:
        read.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    first = theming._codepoints(font)
    assert theming._codepoints(font) is first  # a warm load's check
    assert read == [font] and len(parsed) == 1
