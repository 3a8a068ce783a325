"""Decks on a user's template: its title style kept, one palette with the brief, 4:3 slides used as well
as 16:9, and a template whose placeholders cannot hold content refused. Templates are made here."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

AMBER = "FFB300"
NAVY = "14171F"


def _widen(prs) -> None:
    """python-pptx's default 4:3 master and layouts stretched to 16:9."""
    k = 12192000 / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for owner in [prs.slide_master, *prs.slide_master.slide_layouts]:
        for shape in owner.shapes:
            if shape._element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}") is not None:
                shape.left, shape.width = round(shape.left * k), round(shape.width * k)


def amber_dark_template(path: Path) -> Path:
    """A dark 16:9 template (background dk1 navy, text lt1) whose master styles titles centred, amber and
    in a serif face of its own."""
    prs = Presentation()
    _widen(prs)
    cmap = prs.slide_master._element.find(qn("p:clrMap"))
    for slot, colour in {"bg1": "dk1", "tx1": "lt1", "bg2": "dk2", "tx2": "lt2"}.items():
        cmap.set(slot, colour)
    part = prs.slide_master.part.part_related_by(RT.THEME)
    blob = part.blob.decode()
    for old, new in {
        '<a:sysClr val="windowText" lastClr="000000"/>': f'<a:srgbClr val="{NAVY}"/>',
        '<a:srgbClr val="4F81BD"/>': '<a:srgbClr val="4FC3F7"/>',  # accent1
        '<a:srgbClr val="C0504D"/>': '<a:srgbClr val="FFB74D"/>',  # accent2
    }.items():
        blob = blob.replace(old, new)
    part._blob = blob.encode()
    lvl1 = prs.slide_master._element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    lvl1.set("algn", "ctr")
    rpr = lvl1.find(qn("a:defRPr"))
    for child in list(rpr):
        if child.tag in (qn("a:solidFill"), qn("a:latin")):
            rpr.remove(child)
    fill = rpr.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": AMBER}))
    rpr.insert(0, fill)
    rpr.append(rpr.makeelement(qn("a:latin"), {"typeface": "DejaVu Serif"}))
    prs.save(path)
    return path


def four_three_template(path: Path) -> Path:
    """python-pptx's default template as it is: 4:3 (10 x 7.5 in), white."""
    Presentation().save(path)
    return path


def degenerate_template(path: Path) -> Path:
    """A template whose 'Title and Content' body placeholder is zero points tall."""
    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name == "Title and Content":
            for ph in layout.placeholders:
                if ph.placeholder_format.type == PP_PLACEHOLDER.OBJECT or ph.placeholder_format.idx == 1:
                    ph.height = Emu(0)
    prs.save(path)
    return path
