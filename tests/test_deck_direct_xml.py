"""The XML draw.py writes directly (text frames, table cells, background rectangles) is the XML python-pptx's
own API writes for the same settings, so that writing it directly changes no byte of the deck."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
from pptx.oxml.ns import qn

from digibrief.writers.pptx.draw import NO_STYLE_TABLE, Drawer, _borders, _rgb, emu
from digibrief.writers.pptx.layout import Box, RectEl, TableEl, TextEl
from digibrief.writers.pptx.text import Para, Span

FAMILY = "Inter"
ANCHORS = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}
BOX = Box(36, 48, 300, 120)


def _xml(shape) -> bytes:
    return etree.tostring(shape._element)


def _two_slides():
    prs = Presentation()
    layout = prs.slide_layouts[1]  # Title and Content: a title and a body placeholder
    drawer = Drawer(prs, {}, FAMILY, {}, dt.datetime(2026, 1, 1))
    return drawer, prs.slides.add_slide(layout), prs.slides.add_slide(layout)


def _api_frame(shape, el: TextEl) -> None:
    """The text frame as python-pptx's API sets it (what Drawer.text wrote before it wrote the XML)."""
    tf = shape.text_frame
    tf.clear()
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    left, top, right, bottom = (emu(v) for v in el.inset)
    tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = left, top, right, bottom
    tf.vertical_anchor = ANCHORS[el.anchor]


@pytest.mark.parametrize("anchor", ["t", "m", "b"])
@pytest.mark.parametrize("inset", [(0.0, 0.0, 0.0, 0.0), (7.2, 3.6, 7.2, 3.6), (4.0, 2.0, 7.2, 1.0)])
def test_a_text_frame_written_directly_is_python_pptx_own(anchor: str, inset) -> None:
    drawer, direct, api = _two_slides()  # inset 7.2/3.6 pt: python-pptx's defaults, left out
    el = TextEl(BOX, (), "Note", anchor=anchor, inset=inset)
    for slide, write in (
        (direct, lambda s: drawer.text(s, el, place=False)),
        (api, lambda s: _api_frame(s, el)),
    ):
        write(slide.shapes.add_textbox(emu(BOX.x), emu(BOX.y), emu(BOX.w), emu(BOX.h)))
        write(slide.placeholders[1])
    for mine, theirs in zip(direct.shapes, api.shapes, strict=True):
        assert _xml(mine) == _xml(theirs)


def _api_table(drawer: Drawer, slide, el: TableEl) -> None:
    """The table as python-pptx's cell API sets it (what Drawer.table wrote before it wrote the XML)."""
    b = el.box
    frame = slide.shapes.add_table(len(el.cells), len(el.widths), emu(b.x), emu(b.y), emu(b.w), emu(b.h))
    frame.name = el.name
    table = frame.table
    tbl_pr = table._tbl.tblPr
    for flag in ("firstRow", "bandRow"):
        tbl_pr.set(flag, "0")
    tbl_pr.find(qn("a:tableStyleId")).text = NO_STYLE_TABLE
    for j, w in enumerate(el.widths):
        table.columns[j].width = emu(w)
    for i, h in enumerate(el.heights):
        table.rows[i].height = emu(h)
    left, top, right, bottom = el.inset
    for i, row in enumerate(el.cells):
        fill = el.header_fill if i == 0 else (el.band_fill if i % 2 == 0 else el.body_fill)
        for j, paras in enumerate(row):
            cell = table.cell(i, j)
            own = el.fills[i][j] if i < len(el.fills) and j < len(el.fills[i]) else None
            if (i, j) in el.patterned:
                cell.fill.patterned()
                cell.fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
                cell.fill.fore_color.rgb = _rgb(drawer.hatch)
                cell.fill.back_color.rgb = _rgb(fill)
            else:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(own or fill)
            if el.grid:
                _borders(cell._tc.get_or_add_tcPr(), el.grid, 2.0)
            cell.margin_left, cell.margin_top = emu(left), emu(top)
            cell.margin_right, cell.margin_bottom = emu(right), emu(bottom)
            cell.vertical_anchor = ANCHORS[el.anchor]
            tf = cell.text_frame
            tf.word_wrap = True
            for k, p in enumerate(paras):
                drawer.paragraph(tf.paragraphs[0] if k == 0 else tf.add_paragraph(), p)


@pytest.mark.parametrize("anchor", ["t", "m", "b"])
def test_a_table_written_directly_is_python_pptx_own(anchor: str) -> None:
    drawer, direct, api = _two_slides()
    cell = (Para((Span("Rating"),), 10, "#222222"),)
    two = (*cell, Para((Span("more", bold=True),), 9, "#444444", space_before=2))
    el = TableEl(
        BOX,
        (100, 200),
        (30, 30, 30),
        ((cell, cell), (two, cell), (cell, two)),
        (4.0, 2.0, 7.2, 3.6),
        "#DDDDDD",
        "#EEEEEE",
        "Table",
        fills=((None, "#ABCDEF"),),
        patterned=((2, 1),),
        anchor=anchor,
        grid="#FFFFFF" if anchor == "m" else "",
    )
    drawer.table(direct, el)
    _api_table(drawer, api, el)
    assert _xml(direct.shapes[-1]) == _xml(api.shapes[-1])


def test_a_background_rectangle_written_directly_is_python_pptx_own() -> None:
    drawer, direct, api = _two_slides()
    drawer._back = 2
    drawer.rect(direct, RectEl(BOX, "#1A2B3C", "Band"))
    shape = api.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(BOX.x), emu(BOX.y), emu(BOX.w), emu(BOX.h))
    shape.name = "Band"
    tree = api.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)
    shape._element.remove(shape._element.find(qn("p:style")))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb("#1A2B3C")
    shape.line.fill.background()
    assert _xml(direct.shapes[0]) == _xml(api.shapes[0])
