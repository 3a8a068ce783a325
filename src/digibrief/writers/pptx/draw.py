"""Slide plan -> python-pptx shapes: placeholders filled, text boxes, native charts and pictures with alt
text, tables, notes."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import uuid
from io import BytesIO

from lxml import etree
from pptx.enum.dml import MSO_PATTERN
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.shapes.placeholder import LayoutPlaceholder, SlidePlaceholder
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from digibrief.errors import RenderError
from digibrief.writers.contract import Images
from digibrief.writers.pptx import partnames, phcopies, tagnames, xpathmemo
from digibrief.writers.pptx.charts import ChartDrawer
from digibrief.writers.pptx.layout import (
    LAYOUTS,
    ChartEl,
    PictureEl,
    Plan,
    RectEl,
    SlidePlan,
    TableEl,
    TextEl,
)
from digibrief.writers.pptx.text import Para, clean

# python-pptx made quicker for every drawing path (this module's importers), with the same results:
xpathmemo.install()  # its lookups by compiled XPath
tagnames.install()  # its tag names from a memo
partnames.install()  # its next part name from a quicker walk of the package
phcopies.install()  # its new slides' and notes slides' placeholders copied from the last ones

EMU_PER_PT = 12700
NO_STYLE_TABLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # PowerPoint's "No Style, No Grid"
ANCHOR = {"t": "t", "m": "ctr", "b": "b"}  # a:bodyPr and a:tcPr anchor values (MSO_ANCHOR's XML)
ALIGN = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
SLOT_TYPES = {
    "title": TITLE_TYPES,
    "subtitle": (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY),
    "body": (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY),
    "footer": (PP_PLACEHOLDER.FOOTER,),
    "number": (PP_PLACEHOLDER.SLIDE_NUMBER,),
}


def emu(pt: float) -> Emu:
    return Emu(round(pt * EMU_PER_PT))


def rgb(hex_colour: str) -> str:
    return hex_colour.lstrip("#").upper()


def layout_placeholder(layout: SlideLayout, slot: str) -> LayoutPlaceholder | None:
    """The layout's placeholder for a slot (title, subtitle, body, footer, number), or None."""
    for ph in layout.placeholders:  # type: ignore[misc]  # python-pptx's stubs mistype __iter__
        if ph.placeholder_format.type in SLOT_TYPES[slot]:
            return ph
    return None


def layout_slots(layout: SlideLayout) -> dict[str, tuple[LayoutPlaceholder, int]]:
    """The layout's placeholder for each slot it has, and its idx, read in one pass over its shapes:
    the same placeholders layout_placeholder finds one slot at a time."""
    out: dict[str, tuple[LayoutPlaceholder, int]] = {}
    for ph in layout.placeholders:  # type: ignore[misc]  # python-pptx's stubs mistype __iter__
        kind = ph.placeholder_format.type
        for slot, types in SLOT_TYPES.items():
            if kind in types and slot not in out:
                out[slot] = (ph, ph.placeholder_format.idx)
    return out


class Drawer:
    def __init__(
        self,
        prs: PresentationT,
        layouts: dict[str, SlideLayout],
        family: str,
        images: Images,
        created: dt.datetime,
        hatch: str = "#9AA3AD",
    ):
        self.prs = prs
        self.layouts = layouts
        self.family = family
        self.images = images
        self.charts = ChartDrawer(created)
        self.hatch = hatch  # the pattern of "not assessed" table cells
        self._slots: dict[str, dict[str, tuple[LayoutPlaceholder, int]]] = {}  # by LAYOUTS key
        self._made: dict[tuple, etree._Element] = {}  # paragraph and run properties written

    def slots(self, key: str) -> dict[str, tuple[LayoutPlaceholder, int]]:
        """A layout's placeholders by slot, read once per drawer (its slides all look them up)."""
        found = self._slots.get(key)
        if found is None:
            found = self._slots[key] = layout_slots(self.layouts[key])
        return found

    def draw(self, plan: Plan) -> None:
        for n, sp in enumerate(plan.slides, start=1):
            self.slide(sp, n)

    def slide(self, sp: SlidePlan, number: int) -> Slide:
        layout = self.layouts[sp.layout]
        slots = self.slots(sp.layout)
        slide = self.prs.slides.add_slide(layout)
        # each new shape's id one more than the last, counted rather than searched for in the slide's
        # XML each time: the same ids, as nothing else on a slide takes one
        slide.shapes.turbo_add_enabled = True
        # the placeholders the slide got from its layout, with their types, read once: the footer and
        # number cloned below are the only placeholders added later
        placed = [(ph, ph.placeholder_format.type) for ph in slide.placeholders]
        self._back = 2  # where the next background shape goes in the shape tree (behind the text)
        used: set[int] = set()
        for el in sp.elements:
            if isinstance(el, TextEl) and el.slot in ("footer", "number"):
                if el.slot not in slots:
                    continue
                slide.shapes.clone_placeholder(slots[el.slot][0])
                shape = slide.shapes[-1]
                shape.name = el.name
                self.text(shape, el, place=False, number=number if el.slot == "number" else None)
                used.add(shape.shape_id)
            elif isinstance(el, TextEl) and el.slot:
                shape = self.placeholder(placed, slots, layout, el.slot)
                shape.name = el.name  # its role ("Title", "Body"), as for every other shape
                self.text(shape, el, place=el.slot in ("body", "title"))
                used.add(shape.shape_id)
            elif isinstance(el, TextEl):
                shape = slide.shapes.add_textbox(emu(el.box.x), emu(el.box.y), emu(el.box.w), emu(el.box.h))
                shape.name = el.name
                self.text(shape, el, place=False)
            elif isinstance(el, PictureEl):
                self.picture(slide, el)
            elif isinstance(el, ChartEl):
                self.charts.draw(slide, el)
            elif isinstance(el, RectEl):
                self.rect(slide, el)
            elif isinstance(el, TableEl):
                self.table(slide, el)
        for ph, _ in placed:  # an empty placeholder would say "Click to add text"
            if ph.shape_id not in used:
                ph.element.getparent().remove(ph.element)
        notes = "\n".join(clean(n) for n in sp.notes if n)  # one paragraph each, XML-safe
        slide.notes_slide.notes_text_frame.text = notes
        return slide

    def placeholder(
        self,
        placed: list[tuple[SlidePlaceholder, PP_PLACEHOLDER]],
        slots: dict[str, tuple[LayoutPlaceholder, int]],
        layout: SlideLayout,
        slot: str,
    ):
        """The slide's placeholder for a slot (placed: the slide's placeholders and their types),
        matched by type first: LibreOffice gives a layout's title and body the same idx, so idx alone
        would put the bullets in the title."""
        if slot in slots:
            want = slots[slot][1]
            typed = [ph for ph, kind in placed if kind in SLOT_TYPES[slot]]
            for ph in typed:
                if ph.placeholder_format.idx == want:
                    return ph
            if typed:
                return typed[0]
        raise RenderError(f"layout '{layout.name}' has no {slot} placeholder")

    # --- text ------------------------------------------------------------------------------------

    def text(self, shape, el: TextEl, place: bool, number: int | None = None) -> None:
        if place:
            shape.left, shape.top = emu(el.box.x), emu(el.box.y)
            shape.width, shape.height = emu(el.box.w), emu(el.box.h)
        tf = shape.text_frame
        tf.clear()
        _frame(shape._element.find(_P_TXBODY).find(_A["bodyPr"]), el.inset, el.anchor)
        for i, p in enumerate(el.paras):
            self.paragraph(tf.paragraphs[0] if i == 0 else tf.add_paragraph(), p, number)

    def paragraph(self, para, p: Para, number: int | None = None) -> None:
        if number is None and not len(para._p) and not para._p.attrib:
            _fresh_paragraph(para._p, p, self.family, self._made)
            return
        if p.align:
            para.alignment = ALIGN[p.align]
        para.line_spacing = Pt(p.pitch)
        para.space_before = Pt(p.space_before)
        para.space_after = Pt(0)
        ppr = para._p.get_or_add_pPr()
        ppr.set("marL", str(emu(p.indent)))
        ppr.set("indent", str(-emu(p.indent) if p.marker else 0))
        ppr.set("lvl", "0")
        if p.marker == "\u2022":
            clr = etree.SubElement(ppr, qn("a:buClr"))
            etree.SubElement(clr, qn("a:srgbClr"), val=rgb(p.color))
            etree.SubElement(ppr, qn("a:buSzPct"), val="100000")
            etree.SubElement(ppr, qn("a:buFont"), typeface=self.family)
            etree.SubElement(ppr, qn("a:buChar"), char="\u2022")
        else:
            etree.SubElement(ppr, qn("a:buNone"))
        if p.marker and p.marker != "\u2022":
            self.run(para, p.marker + "\t", p, bold=False, italic=False, color=p.color)
        if number is not None:
            self.field(para, "".join(s.text for s in p.spans) or str(number), p)
        else:
            for s in p.spans:
                self.run(para, s.text, p, s.bold, s.italic, s.color or p.color)
        end = para._p.get_or_add_endParaRPr()
        end.set("sz", str(round(p.size * 100)))

    def run(self, para, text: str, p: Para, bold: bool, italic: bool, color: str) -> None:
        r = para.add_run()
        r.text = text
        self.font(r.font, p.size, bold, italic, color, self.family if p.font is None else p.font)

    def font(self, font, size: float, bold: bool, italic: bool, color: str, family: str) -> None:
        """A run's font; an empty colour or family is left to the layout (a template's title style)."""
        font.size = Pt(size)
        font.bold = bold
        font.italic = italic
        if family:
            font.name = family
        if color:
            font.color.rgb = _rgb(color)

    def field(self, para, text: str, p: Para) -> None:
        """A slide-number field showing text until the application renumbers it."""
        fid = "{" + str(uuid.UUID(hashlib.md5(f"slidenum-{text}".encode()).hexdigest())).upper() + "}"
        fld = etree.SubElement(para._p, qn("a:fld"), id=fid, type="slidenum")
        rpr = etree.SubElement(fld, qn("a:rPr"), lang="en-US", sz=str(round(p.size * 100)), dirty="0")
        fill = etree.SubElement(rpr, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=rgb(p.color))
        etree.SubElement(rpr, qn("a:latin"), typeface=self.family)
        etree.SubElement(fld, qn("a:t")).text = text
        end = para._p.find(qn("a:endParaRPr"))
        if end is not None:
            para._p.remove(end)
            para._p.append(end)

    # --- pictures, shapes, tables ----------------------------------------------------------------

    def picture(self, slide: Slide, el: PictureEl) -> None:
        data = self.images.get(el.key)
        if data is None:
            raise RenderError(f"no image for chart '{el.key[0]}' ({el.key[1]})")
        pic = slide.shapes.add_picture(
            BytesIO(data), emu(el.box.x), emu(el.box.y), emu(el.box.w), emu(el.box.h)
        )
        pic.name = el.name
        pic._element._nvXxPr.cNvPr.set("descr", el.alt)  # no public alt-text API in python-pptx 1.0

    def rect(self, slide: Slide, el: RectEl) -> None:
        shape = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, emu(el.box.x), emu(el.box.y), emu(el.box.w), emu(el.box.h)
        )
        shape.name = el.name
        tree = slide.shapes._spTree
        tree.remove(shape._element)  # behind every text, in the order the plan lists them
        tree.insert(self._back, shape._element)
        self._back += 1
        style = shape._element.find(qn("p:style"))
        if style is not None:  # no theme shadow or outline
            shape._element.remove(style)
        # a solid fill and no line, as python-pptx's fill.solid() and line.fill.background() write
        # them after the new shape's a:xfrm and a:prstGeom
        sp_pr = shape._element.find(_P_SPPR)
        sub = etree.SubElement
        sub(sub(sp_pr, _A["solidFill"]), _A["srgbClr"]).set("val", rgb(el.fill))
        sub(sub(sp_pr, _A["ln"]), _A["noFill"])

    def table(self, slide: Slide, el: TableEl) -> None:
        rows, cols = len(el.cells), len(el.widths)
        b = el.box
        frame = slide.shapes.add_table(rows, cols, emu(b.x), emu(b.y), emu(b.w), emu(b.h))
        frame.name = el.name
        if el.alt:
            frame._element.nvGraphicFramePr.cNvPr.set("descr", el.alt)
        hatched = set(el.patterned)
        table = frame.table
        tbl_pr = table._tbl.tblPr
        assert tbl_pr is not None  # python-pptx always writes a:tblPr for a new table
        for flag in ("firstRow", "bandRow"):
            tbl_pr.set(flag, "0")
        style = tbl_pr.find(qn("a:tableStyleId"))
        if style is None:
            style = etree.SubElement(tbl_pr, qn("a:tableStyleId"))
        style.text = NO_STYLE_TABLE
        # each column's width and row's height as python-pptx's setters write them, which also sum
        # them all into the frame's size each time: only the last setter's sum is kept, so only the
        # last column and row go through them
        grid = list(table._tbl.tblGrid.iterchildren(_A["gridCol"]))
        for col, w in zip(grid[:-1], el.widths[:-1], strict=False):
            col.set("w", str(emu(w)))
        for tr, h in zip(table._tbl.iterchildren(_A["tr"]), el.heights[:-1], strict=False):
            tr.set("h", str(emu(h)))
        if el.widths:
            table.columns[len(el.widths) - 1].width = emu(el.widths[-1])
        if el.heights:
            table.rows[len(el.heights) - 1].height = emu(el.heights[-1])
        margins = [str(emu(v)) for v in el.inset]  # left, top, right, bottom
        anchor = ANCHOR[el.anchor]
        sub = etree.SubElement
        for i, (row, tr) in enumerate(zip(el.cells, table._tbl.iterchildren(_A["tr"]), strict=False)):
            fill = el.header_fill if i == 0 else (el.band_fill if i % 2 == 0 else el.body_fill)
            for j, (paras, tc) in enumerate(zip(row, tr.iterchildren(_A["tc"]), strict=False)):
                # each new cell is <a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody><a:tcPr/>,
                # written here in the order python-pptx's cell properties would write it
                tc_pr = tc.find(_A["tcPr"])
                own = el.fills[i][j] if i < len(el.fills) and j < len(el.fills[i]) else None
                if (i, j) in hatched:  # not assessed: a neutral hatch, never a colour of the scale
                    cell = table.cell(i, j)
                    cell.fill.patterned()
                    cell.fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
                    cell.fill.fore_color.rgb = _rgb(self.hatch)
                    cell.fill.back_color.rgb = _rgb(fill)
                else:
                    sub(sub(tc_pr, _A["solidFill"]), _A["srgbClr"]).set("val", rgb(own or fill))
                if el.grid:
                    _borders(tc_pr, el.grid, 2.0)
                for name, value in zip(("marL", "marT", "marR", "marB"), margins, strict=True):
                    tc_pr.set(name, value)
                tc_pr.set("anchor", anchor)
                body = tc.find(_A["txBody"])
                body.find(_A["bodyPr"]).set("wrap", "square")
                for k, p in enumerate(paras):
                    _fresh_paragraph(
                        body.find(_A["p"]) if k == 0 else sub(body, _A["p"]), p, self.family, self._made
                    )


def _borders(tc_pr: etree._Element, colour: str, width: float) -> None:
    """Lines on all four sides of a table cell, in its a:tcPr (python-pptx has no API for borders)."""
    for i, side in enumerate(("a:lnL", "a:lnR", "a:lnT", "a:lnB")):
        old = tc_pr.find(qn(side))
        if old is not None:
            tc_pr.remove(old)
        ln = etree.Element(qn(side), w=str(emu(width)), cap="flat", cmpd="sng", algn="ctr")
        fill = etree.SubElement(ln, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr"), val=rgb(colour))
        tc_pr.insert(i, ln)


def _frame(body: etree._Element, inset: tuple[float, float, float, float], anchor: str) -> None:
    """A text frame's a:bodyPr as python-pptx's word_wrap = True, auto_size = NONE, margins (inset:
    left, top, right, bottom) and vertical_anchor write it: a margin at its default is left out."""
    body.set("wrap", "square")
    for child in list(body):
        if child.tag in _AUTOFITS:
            body.remove(child)
    at = next((i for i, c in enumerate(body) if c.tag in _AUTOFIT_SUCCESSORS), len(body))
    body.insert(at, body.makeelement(_A["noAutofit"]))
    for (name, default), pt in zip(_INSETS, inset, strict=True):
        value = emu(pt)
        if value == default:
            body.attrib.pop(name, None)
        else:
            body.set(name, str(value))
    body.set("anchor", ANCHOR[anchor])


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(rgb(hex_colour))


def layouts_by_name(prs: PresentationT) -> dict[str, SlideLayout]:
    """Every layout of every master by name (the first one wins)."""
    out: dict[str, SlideLayout] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            out.setdefault(layout.name, layout)
    return out


# the same layouts as LibreOffice Impress names them when it saves a .pptx
ALIASES = {"Title and Content": ("Title, Content",), "Title Slide": (), "Title Only": ()}


def pick_layouts(prs: PresentationT) -> tuple[dict[str, SlideLayout], list[str]]:
    """The layouts the plan uses (LAYOUTS keys -> layouts) and the names that are missing."""
    named = layouts_by_name(prs)

    def find(name: str) -> SlideLayout | None:
        for candidate in (name, *ALIASES.get(name, ())):
            if candidate in named:
                return named[candidate]
        return None

    found = {key: find(name) for key, name in LAYOUTS.items()}
    missing = [LAYOUTS[key] for key, layout in found.items() if layout is None]
    return {key: layout for key, layout in found.items() if layout is not None}, missing


# --- the common case, written directly ------------------------------------------------------------
# python-pptx finds each child's place in the schema sequence on every insertion: for an empty
# paragraph, a new text frame's a:bodyPr, a new table cell and a new rectangle the order is known, so
# the elements are appended in it. The XML is the same as python-pptx's API writes (Drawer.paragraph's
# general path; tests/test_deck_direct_xml.py for frames, cells and rectangles).

_A = {name: qn(f"a:{name}") for name in ("pPr", "lnSpc", "spcBef", "spcAft", "spcPts", "buClr", "srgbClr")}
_A |= {name: qn(f"a:{name}") for name in ("buSzPct", "buFont", "buChar", "buNone", "r", "rPr", "solidFill")}
_A |= {name: qn(f"a:{name}") for name in ("latin", "t", "endParaRPr")}
_A |= {name: qn(f"a:{name}") for name in ("tr", "tc", "tcPr", "txBody", "bodyPr", "p", "gridCol")}
_A |= {name: qn(f"a:{name}") for name in ("noAutofit", "normAutofit", "spAutoFit", "ln", "noFill")}
_P_TXBODY, _P_SPPR = qn("p:txBody"), qn("p:spPr")
_AUTOFITS = {_A["noAutofit"], _A["normAutofit"], _A["spAutoFit"]}
_AUTOFIT_SUCCESSORS = {qn(f"a:{name}") for name in ("scene3d", "sp3d", "flatTx", "extLst")}
_INSETS = (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720))  # python-pptx's defaults
_XML_ALIGN = {"l": "l", "c": "ctr", "r": "r"}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")


def _centipoints(pt: float) -> str:
    return str(int(pt * EMU_PER_PT) // 127)  # as pptx.util.Pt(pt).centipoints


def _fresh_paragraph(
    p_el: etree._Element, p: Para, family: str, made: dict[tuple, etree._Element] | None = None
) -> None:
    """p written into the empty a:p p_el. made keeps the a:pPr and a:rPr written for each set of
    settings (a drawer's: most paragraphs share a few), copied rather than written again."""
    sub = etree.SubElement
    bullet = p.marker == "\u2022"
    key = ("pPr", p.align, p.indent, bool(p.marker), p.pitch, p.space_before, bullet and (p.color, family))
    ppr = made.get(key) if made is not None else None
    if ppr is None:
        ppr = _paragraph_properties(p_el.makeelement(_A["pPr"]), p, family)
        if made is not None:
            made[key] = ppr
    p_el.append(copy.deepcopy(ppr))
    runs = [(p.marker + "\t", False, False, p.color)] if p.marker and not bullet else []
    runs += [(s.text, s.bold, s.italic, s.color or p.color) for s in p.spans]
    size = _centipoints(p.size)
    face = family if p.font is None else p.font
    for text, bold, italic, color in runs:
        r = sub(p_el, _A["r"])
        run_key = ("rPr", size, bold, italic, color, face)
        rpr = made.get(run_key) if made is not None else None
        if rpr is None:
            rpr = _run_properties(r.makeelement(_A["rPr"]), size, bold, italic, color, face)
            if made is not None:
                made[run_key] = rpr
        r.append(copy.deepcopy(rpr))
        sub(r, _A["t"]).text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    sub(p_el, _A["endParaRPr"]).set("sz", str(round(p.size * 100)))


def _paragraph_properties(ppr: etree._Element, p: Para, family: str) -> etree._Element:
    sub = etree.SubElement
    if p.align:
        ppr.set("algn", _XML_ALIGN[p.align])
    ppr.set("marL", str(emu(p.indent)))
    ppr.set("indent", str(-emu(p.indent) if p.marker else 0))
    ppr.set("lvl", "0")
    for name, value in (("lnSpc", p.pitch), ("spcBef", p.space_before), ("spcAft", 0.0)):
        sub(sub(ppr, _A[name]), _A["spcPts"]).set("val", _centipoints(value))
    if p.marker == "\u2022":
        sub(sub(ppr, _A["buClr"]), _A["srgbClr"]).set("val", rgb(p.color))
        sub(ppr, _A["buSzPct"]).set("val", "100000")
        sub(ppr, _A["buFont"]).set("typeface", family)
        sub(ppr, _A["buChar"]).set("char", "\u2022")
    else:
        sub(ppr, _A["buNone"])
    return ppr


def _run_properties(
    rpr: etree._Element, size: str, bold: bool, italic: bool, color: str, face: str
) -> etree._Element:
    sub = etree.SubElement
    rpr.set("sz", size)
    rpr.set("b", "1" if bold else "0")
    rpr.set("i", "1" if italic else "0")
    if color:  # else the layout's (a template's title colour)
        sub(sub(rpr, _A["solidFill"]), _A["srgbClr"]).set("val", rgb(color))
    if face:
        sub(rpr, _A["latin"]).set("typeface", face)
    return rpr
