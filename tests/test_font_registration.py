"""The PDF writer registers a theme's faces by their files' content: a byte-identical copy at another path
reuses the family registered first (its names, its svglib mapping), and a file edited in place gets a
registration of its own, which the next PDF uses."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from digibrief.theme import FontFiles
from digibrief.writers.pdf import fonts as fonts_module
from digibrief.writers.pdf import images
from digibrief.writers.pdf.fonts import face_file, faces_digest, register

FACES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf")
SVG_FAMILY = b"<text style=\"font-family: 'Noto Sans'\">x</text>"


def _files(folder: Path) -> FontFiles:
    return FontFiles("Noto Sans", *(folder / name for name in FACES))


class _Styles:
    """What images._map_svg_fonts reads of the writer's styles."""

    def __init__(self, fonts: Any):
        self.fonts = fonts


def _never(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a font file was parsed again")


def test_a_byte_identical_copy_of_the_faces_elsewhere_registers_nothing_new(
    shipped_theme: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    first = register(shipped_theme.fonts)
    images._map_svg_fonts([SVG_FAMILY], _Styles(first))  # type: ignore[arg-type]
    names = set(pdfmetrics.getRegisteredFontNames())
    shutil.copytree(Path(shipped_theme.fonts.regular).parent, tmp_path / "fonts")

    monkeypatch.setattr(fonts_module, "TTFont", _never)
    monkeypatch.setattr(images, "register_font", _never)
    again = register(_files(tmp_path / "fonts"))
    images._map_svg_fonts([SVG_FAMILY], _Styles(again))  # type: ignore[arg-type]

    assert again == first
    assert set(pdfmetrics.getRegisteredFontNames()) == names
    assert faces_digest(again) == faces_digest(first)
    assert face_file(again.regular) == str((tmp_path / "fonts" / FACES[0]).resolve())  # where it is now


def test_a_face_edited_in_place_registers_afresh_and_a_pdf_is_set_in_its_new_glyphs(
    shipped_theme: Any, tmp_path: Path
):
    fonts = tmp_path / "fonts"
    shutil.copytree(Path(shipped_theme.fonts.regular).parent, fonts)
    before = register(_files(fonts))  # what a watch on this project registered before the edit
    (fonts / "NotoSans-Regular.ttf").write_bytes((fonts / "NotoSans-Italic.ttf").read_bytes())  # same file

    after = register(_files(fonts))
    assert after.regular != before.regular
    assert faces_digest(after) != faces_digest(before)
    text = "Digital connectivity in Central Asia"
    assert pdfmetrics.stringWidth(text, after.regular, 10) == pdfmetrics.stringWidth(text, after.italic, 10)
    assert pdfmetrics.stringWidth(text, before.regular, 10) != pdfmetrics.stringWidth(text, after.regular, 10)

    pdf = tmp_path / "page.pdf"
    canvas = Canvas(str(pdf), invariant=1)
    canvas.setFont(after.regular, 10)
    canvas.drawString(72, 72, text)
    canvas.save()
    embedded = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSans-Italic" in embedded  # the regular face's name now stands for the edited bytes
    assert "NotoSans-Regular" not in embedded
