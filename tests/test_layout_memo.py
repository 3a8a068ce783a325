"""The PDF writer's paragraph memo (writers/pdf/memo.py) saves time and nothing else: a paragraph laid out
from the memo draws the bytes of one laid out afresh, and a change of style, bullet, width or font mapping
is never answered from it. The whole brief rendered with the memo empty and then warm gives the bytes
of the session's render: checked on test_kept_paras.py's renders of the brief."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import paragraph

from digibrief.writers.pdf import memo
from digibrief.writers.pdf.tagging import Para
from tests.conftest import REPORT

TEXT = (
    'Fixed broadband reached <b>more than half</b> of households, <a href="https://example.org/a" '
    'color="#0072b2">as the regulator reported</a>, while mobile data prices fell<super>3</super> for '
    "the fourth year; rural districts still wait for the backbone the plan promised in its first phase."
)


@pytest.fixture(autouse=True)
def keeping() -> Iterator[None]:
    """These tests are about a process that renders again (a watch): the memo keeps what it learns."""
    memo.keep()
    yield
    memo.forget()


@pytest.fixture
def empty_memo() -> Iterator[None]:
    memo.PARSED.clear()
    memo.BROKEN.clear()
    yield
    memo.PARSED.clear()
    memo.BROKEN.clear()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often reportlab itself parsed markup and broke lines."""
    calls = {"parse": 0, "break": 0}
    setup, breaks = paragraph.Paragraph._setup, paragraph.Paragraph.breakLines

    def counted_setup(self: Any, *args: Any) -> Any:
        calls["parse"] += 1
        return setup(self, *args)

    def counted_breaks(self: Any, *args: Any) -> Any:
        calls["break"] += 1
        return breaks(self, *args)

    monkeypatch.setattr(paragraph.Paragraph, "_setup", counted_setup)
    monkeypatch.setattr(paragraph.Paragraph, "breakLines", counted_breaks)
    return calls


def _style(**kw: Any) -> ParagraphStyle:
    return ParagraphStyle("memo-test", fontName="Helvetica", fontSize=10, leading=13, **kw)


def _drawn(para: Para, width: float = 230, height: float = 1000) -> tuple[tuple[float, float], str]:
    """The paragraph's size and what it draws."""
    canvas = Canvas(io.BytesIO())
    size = para.wrapOn(canvas, width, height)
    para.drawOn(canvas, 0, 0)
    return size, "\n".join(canvas._code)


def _afresh(make: Any) -> Any:
    """What make() gives with nothing remembered, leaving the memo as it was."""
    parsed, broken = dict(memo.PARSED._items), dict(memo.BROKEN._items)
    memo.PARSED.clear()
    memo.BROKEN.clear()
    try:
        return make()
    finally:
        memo.PARSED._items.update(parsed)
        memo.BROKEN._items.update(broken)


def test_a_remembered_paragraph_draws_the_bytes_of_one_laid_out_afresh(empty_memo, counted):
    style = _style()
    first = _drawn(Para(TEXT, style))
    assert counted == {"parse": 1, "break": 1}
    again = _drawn(Para(TEXT, style))
    assert counted == {"parse": 1, "break": 1}  # neither parsed nor broken again
    assert again == first
    bullet = _style(leftIndent=13, bulletIndent=2)
    listed = _drawn(Para(TEXT, bullet, bulletText="\u2022"))
    assert _drawn(Para(TEXT, bullet, bulletText="\u2022")) == listed
    assert listed != first


def test_a_paragraph_wrapped_again_at_other_widths_draws_as_without_the_memo(empty_memo):
    def laid_out() -> list[Any]:
        para = Para(TEXT, _style())
        return [_drawn(para, width) for width in (230, 180, 230, 400)]

    laid_out()
    assert laid_out() == _afresh(laid_out)


def test_a_style_changed_in_place_is_never_answered_from_the_memo(empty_memo):
    style = _style()
    before = _drawn(Para(TEXT, style))
    style.fontSize, style.leading = 13, 17
    changed = _drawn(Para(TEXT, style))
    assert changed != before
    assert changed == _afresh(lambda: _drawn(Para(TEXT, style)))


def test_a_style_changed_between_making_and_wrapping_a_paragraph_is_seen(empty_memo):
    style = _style()
    _drawn(Para(TEXT, style))
    para = Para(TEXT, style)  # its fragments come from the memo
    style.rightIndent = 60  # a narrower measure: more lines
    after = _drawn(para)
    assert after[0][1] > 13 * 3
    assert after == _afresh(lambda: _drawn(Para(TEXT, style)))


def test_a_bullet_or_a_width_makes_another_key(empty_memo):
    style = _style(leftIndent=13, bulletIndent=2)
    plain = _drawn(Para(TEXT, style))
    listed = _drawn(Para(TEXT, style, bulletText="\u2022"))
    narrow = _drawn(Para(TEXT, style), width=150)
    assert len({plain, listed, narrow}) == 3
    assert narrow == _afresh(lambda: _drawn(Para(TEXT, style), width=150))


def test_a_changed_bold_face_is_never_answered_from_the_memo(empty_memo):
    # <b> follows reportlab's family mapping, which a process may change (svglib re-registers faces)
    fonts = REPORT / "fonts"
    names = ("MemoTest", "MemoTest Bold", "MemoTest Other", "MemoTest Italic", "MemoTest Bold Italic")
    files = ("Regular", "Bold", "BoldItalic", "Italic", "BoldItalic")
    for name, face in zip(names, files, strict=True):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(fonts / f"NotoSans-{face}.ttf")))

    def mapped(bold: str) -> set[str]:
        pdfmetrics.registerFontFamily(
            "MemoTest",
            normal="MemoTest",
            bold=bold,
            italic="MemoTest Italic",
            boldItalic="MemoTest Bold Italic",
        )
        para = Para(TEXT, ParagraphStyle("memo-face", fontName="MemoTest", fontSize=10, leading=13))
        _drawn(para)
        return {f.fontName for f in para.frags if not isinstance(f, list)} | {
            f.fontName for word in para.frags if isinstance(word, list) for f, _ in word[1:]
        }

    assert "MemoTest Bold" in mapped("MemoTest Bold")
    other = mapped("MemoTest Other")
    assert "MemoTest Other" in other and "MemoTest Bold" not in other


def test_a_paragraph_split_across_pages_draws_as_without_the_memo(empty_memo):
    style = _style(allowWidows=0, allowOrphans=0)
    text = " ".join([TEXT] * 4)

    def split() -> list[Any]:
        para = Para(text, style)
        canvas = Canvas(io.BytesIO())
        para.wrapOn(canvas, 230, 1000)
        return [_drawn(part, 230) for part in para.split(230, 13 * 5)]

    first = split()
    assert len(first) == 2
    assert split() == first == _afresh(split)


def test_a_break_that_split_a_long_word_is_not_kept(empty_memo):
    url = "https://example.org/" + "a-very-long-path-segment/" * 12
    para = Para(f"See {url} for the full table.", _style())
    _drawn(para, width=200)
    assert para._splitLongWordCount > 0
    assert len(memo.BROKEN) == 0
    assert _drawn(Para(f"See {url} for the full table.", _style()), width=200) == _drawn(para, width=200)


def test_the_memo_forgets_the_least_recently_used_entry_first():
    table: memo.Table[int] = memo.Table(2)
    table.put("a", 1)
    table.put("b", 2)
    assert table.get("a") == 1  # "a" is now the most recent
    table.put("c", 3)
    assert (table.get("a"), table.get("b"), table.get("c")) == (1, None, 3)
    assert len(table) == 2


def test_forget_empties_the_memo_as_a_new_process_has_it(empty_memo):
    _drawn(Para(TEXT, _style()))
    memo.DRAWN.put("a chart", ())
    assert len(memo.PARSED) and len(memo.BROKEN) and len(memo.DRAWN)
    memo.forget()
    assert (len(memo.PARSED), len(memo.BROKEN), len(memo.DRAWN)) == (0, 0, 0)


def test_a_process_that_renders_once_keeps_nothing():
    memo.forget()  # a new process: a one-shot build, whose preload is never called
    _drawn(Para(TEXT, _style()))
    memo.DRAWN.put("a chart", ())
    assert (len(memo.PARSED), len(memo.BROKEN), len(memo.DRAWN)) == (0, 0, 0)
    from digibrief.writers.pdf import brief

    brief.preload()  # what a watch calls before each build
    _drawn(Para(TEXT, _style()))
    assert len(memo.PARSED) and len(memo.BROKEN)
