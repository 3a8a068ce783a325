"""A plain paragraph written from the page code it wrote last time (writers/pdf/paras.py), in a process
that renders again, gives the bytes and the marked content of one drawn afresh: its MCIDs follow the
page's, its fonts number its text as then or it is drawn anew, and a paragraph with a link or an anchor
is always drawn. A warm render of an edited brief equals a cold one."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph

from digibrief.document import types as d
from digibrief.writers.pdf import brief, memo, paras
from digibrief.writers.pdf.fonts import register
from digibrief.writers.pdf.options import PdfOptions
from digibrief.writers.pdf.tagging import Marked, Node, Para, TaggedCanvas

TEXT = "Fixed broadband reached more than half of households, while mobile data prices fell again."


@pytest.fixture
def fonts(shipped_theme: Any) -> Any:
    return register(shipped_theme.fonts)


def _style(fonts: Any, **kw: Any) -> ParagraphStyle:
    """A style in the brief's embedded regular face (a standard font, named in the document's font
    list, is never kept: written.py)."""
    return ParagraphStyle(
        "kept-test", fontName=fonts.regular, bulletFontName=fonts.regular, fontSize=10, leading=13, **kw
    )


Draw = Callable[[TaggedCanvas, Node], None]


def _page(*draws: Draw) -> tuple[str, list[list[tuple[str, list[Any]]]]]:
    """The page code of the draws on one tagged page, and what each draw's elements were given."""
    canvas = TaggedCanvas(io.BytesIO())
    parts = []
    for draw in draws:
        root = Node("Sect")
        draw(canvas, root)
        parts.append([(n.role, list(canvas.tagger.drawn.get(n, []))) for n in _walk(root)])
    return "\n".join(canvas._code), parts


def _walk(node: Node) -> list[Node]:
    return [node, *(n for kid in node.kids for n in _walk(kid))]


def _para(text: str, style: ParagraphStyle, x: float = 40, y: float = 500, bullet: str | None = None) -> Draw:
    def draw(canvas: TaggedCanvas, root: Node) -> None:
        li = root.add("LI")
        label = li.add("Lbl") if bullet else None
        para = Para(text, style, bulletText=bullet, tag=li.add("LBody"), label=label)
        para.wrapOn(canvas, 300, 800)
        para.drawOn(canvas, x, y)

    return draw


def _fresh(*draws: Draw) -> Any:
    """The page as a process that keeps nothing draws it, leaving what is kept as it was."""
    tables = [t for t in vars(memo).values() if isinstance(t, memo.Table)]
    kept = [dict(t._items) for t in tables]
    memo.forget()
    try:
        return _page(*draws)
    finally:
        memo.keep()
        for table, items in zip(tables, kept, strict=True):
            table._items.update(items)


def _no_reportlab_draw(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("a paragraph written from its kept code is not drawn")

    monkeypatch.setattr(paragraph.Paragraph, "drawPara", refuse)


def test_a_kept_paragraph_gives_the_code_and_marked_content_of_one_drawn_afresh(keeping, fonts, monkeypatch):
    listed = _style(fonts, leftIndent=13, bulletIndent=2)
    plain, item = _para(TEXT, _style(fonts)), _para(TEXT, listed, y=300, bullet="\u2022")
    fresh = _fresh(plain, item)
    assert _page(plain, item) == fresh  # drawn, code kept
    assert len(memo.PARAS) == 2
    _no_reportlab_draw(monkeypatch)
    assert _page(plain, item) == fresh
    marks = fresh[1][1]
    assert ("Lbl", [Marked(0, 1)]) in marks and ("LBody", [Marked(0, 2)]) in marks


def test_a_kept_paragraph_takes_the_page_s_next_mcids_and_is_placed_where_it_is_drawn(
    keeping, fonts, monkeypatch
):
    """Kept as the second paragraph of a page, written as the third and elsewhere on the page (after a
    paragraph of the same text as the first, so that the fonts number the text as then)."""
    other = _para("Another line of text.", _style(fonts), y=700)
    _page(other, _para(TEXT, _style(fonts)))
    again, moved = (
        _para("Another line of text.", _style(fonts), y=600),
        _para(TEXT, _style(fonts), x=72, y=240),
    )
    fresh = _fresh(other, again, moved)
    drawn: list[str] = []
    draw = paragraph.Paragraph.drawPara
    monkeypatch.setattr(paragraph.Paragraph, "drawPara", lambda p, *a: (drawn.append(p.text), draw(p, *a)))
    assert _page(other, again, moved) == fresh
    # the first paragraph of a page raises the document's PDF version: one kept from a page's start is
    # drawn when it follows another (the version is part of the state a draw begins in)
    assert drawn == ["Another line of text."]
    assert fresh[1][2][2] == ("LBody", [Marked(0, 2)])


def test_a_paragraph_with_a_link_or_an_anchor_is_always_drawn(keeping, fonts):
    for text in (
        f'{TEXT} <a href="https://example.org/a">as reported</a>',
        f'<a name="ref-1"/>{TEXT}',
        f'{TEXT} <a href="#ref-1">[1]</a>',
    ):
        draw = _para(text, _style(fonts))
        assert _page(draw)[0] == _fresh(draw)[0]  # the link's own element is made anew by each draw
        assert _page(draw)[0] == _fresh(draw)[0]
    assert len(memo.PARAS) == 0


def test_a_kept_paragraph_whose_text_the_fonts_now_number_otherwise_is_drawn_anew(keeping, fonts):
    """A TrueType subset numbers characters in the order the document first uses them: kept when the
    paragraph drew its dash first, the code would be stale after a paragraph that drew another
    character beyond ASCII first."""
    style = _style(fonts)
    para, before = _para("Kyrgyzstan \u2013 79.8\u202f%", style), _para("\u00e9t\u00e9", style, y=700)
    _page(para)  # kept as the paragraph alone numbers its text
    assert _page(before, para) == _fresh(before, para)
    assert _page(para) == _fresh(para)  # kept now as drawn after the other: drawn anew again


def test_a_warm_render_of_an_edited_brief_gives_the_bytes_of_a_cold_one(
    keeping, shipped_doc, shipped_theme, chart_images, pdf_store, rendered_briefs, monkeypatch
):
    """Four renders of the whole brief (the one test here that needs them): the warm process renders
    the brief, then the brief with a sentence of a country's section edited, most of whose paragraphs
    are written from kept code; a cold render of the edited brief is the reference. The first and last
    renders of the brief, with every memo empty and then warm, also give the bytes of the session's
    render (test_layout_memo.py's end-to-end check of the paragraph memo, made on these renders)."""
    images = chart_images(brief.image_requests(shipped_doc), shipped_theme, shipped_doc.speech)
    edited = _edited(shipped_doc)
    options = PdfOptions(paper="a4")
    memo.forget()
    cold = brief.render(edited, images, shipped_theme, options, store=pdf_store).data
    assert len(memo.PARSED) == len(memo.BROKEN) == len(memo.PARAS) == 0  # a cold render keeps nothing
    memo.keep()
    first = brief.render(shipped_doc, images, shipped_theme, options, store=pdf_store)
    assert len(memo.PARAS) > 100
    assert len(memo.PARSED) > 300 and len(memo.BROKEN) > 300
    assert first.data == rendered_briefs("a4").data
    written = _counting(monkeypatch)
    warm = brief.render(edited, images, shipped_theme, options, hint=first.hint, store=pdf_store)
    assert warm.data == cold
    assert written["kept"] > 100
    again = brief.render(shipped_doc, images, shipped_theme, options, store=pdf_store)  # the memo warm
    assert again.data == first.data


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many paragraphs were written from their kept code."""
    counts = {"kept": 0}
    write = paras._write

    def counted(*args: Any) -> bool:
        done = write(*args)
        counts["kept"] += done
        return done

    monkeypatch.setattr(paras, "_write", counted)
    return counts


def _edited(doc: d.Document) -> d.Document:
    """The document with the first sentence of the first country's first paragraph reworded."""
    sections = list(doc.sections)
    for i, s in enumerate(sections):
        blocks = list(s.blocks)
        for j, b in enumerate(blocks):
            if s.country and isinstance(b, d.Paragraph) and b.text and not b.text[0].cite:
                run = b.text[0]
                text = (dataclasses.replace(run, text="In short: " + run.text), *b.text[1:])
                blocks[j] = dataclasses.replace(b, text=text)
                sections[i] = dataclasses.replace(s, blocks=tuple(blocks))
                return dataclasses.replace(doc, sections=tuple(sections))
    raise AssertionError("no country paragraph to edit")
