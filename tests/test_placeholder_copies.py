"""A new slide's and notes slide's placeholders are copies of the last ones python-pptx cloned
(writers/pptx/phcopies.py): the XML python-pptx's SlideShapes.clone_layout_placeholders and
NotesSlide.clone_master_placeholders make, whatever the layout or notes master."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.shapes.shapetree import SlideShapes
from pptx.slide import NotesSlide

from digibrief.writers.pptx import draw, phcopies

METHODS = ((SlideShapes, "clone_layout_placeholders"), (NotesSlide, "clone_master_placeholders"))


def slides_xml(prs: Any, layouts: list[int]) -> list[tuple[bytes, bytes]]:
    """A new slide on each of these layouts, with notes set through python-pptx: each slide's XML
    and its notes slide's."""
    out = []
    for i, n in enumerate(layouts):
        slide = prs.slides.add_slide(prs.slide_layouts[n])
        notes = slide.notes_slide
        assert notes.notes_text_frame is not None
        notes.notes_text_frame.text = f"Talking point {i}"
        out.append((etree.tostring(slide.element), etree.tostring(notes.element)))
    return out


def python_pptx_s(m: pytest.MonkeyPatch) -> None:
    for cls, name in METHODS:
        m.setattr(cls, name, phcopies._ORIGINAL[name])


def sps(xml: bytes) -> int:
    return len(etree.fromstring(xml).findall(".//{*}sp"))


LAYOUTS = [1, 1, 0, 1, 5, 0, 5]  # title and content, title, title only: each again after another


def test_slides_and_notes_slides_are_python_pptx_s(monkeypatch: pytest.MonkeyPatch) -> None:
    assert draw.phcopies is phcopies and phcopies.installed()
    for cls, name in METHODS:
        assert cls.__dict__[name] is getattr(phcopies, name)
    phcopies.forget()
    ours = slides_xml(Presentation(), LAYOUTS)
    assert len(phcopies._KEPT) == 4  # three layouts and the notes master: the rest copied
    with monkeypatch.context() as m:
        python_pptx_s(m)
        theirs = slides_xml(Presentation(), LAYOUTS)
    assert ours == theirs
    assert [(sps(s), sps(n)) for s, n in ours] == [(2, 3), (2, 3), (2, 3), (2, 3), (1, 3), (2, 3), (1, 3)]


def test_an_edited_layout_or_notes_master_is_cloned_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    def deck() -> Any:
        """A presentation whose title-and-content layout and notes master lack a placeholder."""
        prs = Presentation()
        for holder, kind in (
            (prs.slide_layouts[1], PP_PLACEHOLDER.OBJECT),
            (prs.notes_master, PP_PLACEHOLDER.SLIDE_NUMBER),
        ):
            for ph in list(holder.placeholders):
                if ph.placeholder_format.type == kind:
                    ph.element.getparent().remove(ph.element)
        return prs

    slides_xml(Presentation(), [1])  # the default layout's and master's kept first
    ours = slides_xml(deck(), [1, 1])
    with monkeypatch.context() as m:
        python_pptx_s(m)
        theirs = slides_xml(deck(), [1, 1])
    assert ours == theirs
    assert [(sps(s), sps(n)) for s, n in ours] == [(1, 2), (1, 2)]


def test_turbo_mode_is_left_to_python_pptx(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for _, name in METHODS:
        own = phcopies._ORIGINAL[name]
        monkeypatch.setitem(
            phcopies._ORIGINAL, name, lambda *a, own=own, name=name: calls.append(name) or own(*a)
        )
    prs = Presentation()
    slides_xml(prs, [1])
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.turbo_add_enabled = True
    calls.clear()
    slide.shapes.clone_layout_placeholders(prs.slide_layouts[1])  # python-pptx's, though one is kept
    assert calls == ["clone_layout_placeholders"]
    assert sps(etree.tostring(slide.element)) == 4


def test_the_deck_s_slides_have_python_pptx_s_placeholders(
    rendered_deck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each notes slide of the rendered deck (all but the first copied) is what python-pptx alone
    makes for the same notes on the same master (on a new slide of the same layout), and each new
    slide on each of the deck's layouts gets python-pptx's placeholders."""
    prs = Presentation(BytesIO(rendered_deck[0].data))
    layouts = list({id(s.slide_layout): s.slide_layout for s in prs.slides}.values())
    ours = [etree.tostring(prs.slides.add_slide(layout).element) for layout in layouts * 2]
    python_pptx_s(monkeypatch)
    theirs = [etree.tostring(prs.slides.add_slide(layout).element) for layout in layouts * 2]
    assert len(layouts) >= 3 and ours == theirs
    ours, theirs = [], []
    for slide in list(prs.slides)[: -4 * len(layouts)]:
        notes = slide.notes_slide
        ours.append(etree.tostring(notes.element))
        made = prs.slides.add_slide(slide.slide_layout).notes_slide  # made by python-pptx alone
        made.notes_text_frame.text = notes.notes_text_frame.text
        theirs.append(etree.tostring(made.element))
    assert len(ours) > 30 and ours == theirs
