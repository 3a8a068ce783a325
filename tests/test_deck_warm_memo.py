"""What a warm deck render keeps from the last one is keyed by all it depends on: text measured again
equals text measured fresh, and an edited font file is measured anew."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from digibrief.theme import FontFiles
from digibrief.writers.pptx.text import Metrics, Span, _Measure, para

WORDS = "Kyrgyzstan sits in the middle of the regional field and has leaned on donors for its networks"


def test_text_measured_again_equals_text_measured_fresh(shipped_theme: Any) -> None:
    m = Metrics(shipped_theme.fonts)
    fresh = _Measure(m._faces)
    for size in (9.0, 14.0, 28.0):
        for width in (40.0, 150.0, 420.0):
            p = para(WORDS + " Supercalifragilisticexpialidocious", size, "#000000")
            first = m.lines(p, width)
            assert first == fresh.wrap(p, width)
            first[0].append(Span("a caller's own list"))  # what a caller does to its lines stays its own
            assert m.lines(p, width) == fresh.wrap(p, width)
            assert m.count(p, width) == len(fresh.wrap(p, width))


def test_an_edited_font_file_is_measured_anew(shipped_theme: Any, tmp_path: Path) -> None:
    fonts = shipped_theme.fonts
    face = tmp_path / "Face.ttf"
    shutil.copyfile(fonts.regular, face)
    copy = FontFiles(fonts.family, face, face, face, face)
    p = para(WORDS, 14.0, "#000000")
    before = Metrics(copy)
    regular = (before.width(WORDS, 14.0), before.lines(p, 200.0))
    shutil.copyfile(fonts.bold, face)  # the same path, another font
    after = Metrics(copy)
    assert after.width(WORDS, 14.0) != regular[0]
    assert after.width(WORDS, 14.0) == Metrics(FontFiles(fonts.family, *[fonts.bold] * 4)).width(WORDS, 14.0)
    assert after.lines(p, 200.0) == _Measure(after._faces).wrap(p, 200.0)
    assert before.lines(p, 200.0) == regular[1]
