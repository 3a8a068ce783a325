"""A new notes slide's placeholders are copies of the last notes slide's (writers/pptx/notescopies.py),
the XML python-pptx's NotesSlide.clone_master_placeholders makes, whatever the notes master."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.slide import NotesSlide

from digibrief.writers.pptx import draw, notescopies


def notes_xml(prs: Any, slides: int) -> list[bytes]:
    """Each of `slides` new slides' notes slide as XML, its notes text set through python-pptx."""
    out = []
    for i in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        notes = slide.notes_slide
        assert notes.notes_text_frame is not None
        notes.notes_text_frame.text = f"Talking point {i}"
        out.append(etree.tostring(notes.element))
    return out


def test_notes_slides_are_python_pptx_s(monkeypatch: pytest.MonkeyPatch) -> None:
    assert draw.notescopies is notescopies and notescopies.installed()
    assert NotesSlide.clone_master_placeholders is notescopies.clone_master_placeholders
    notescopies.forget()
    ours = notes_xml(Presentation(), 3)
    assert len(notescopies._KEPT) == 1  # the first made by python-pptx, the next two copied
    with monkeypatch.context() as m:
        m.setattr(NotesSlide, "clone_master_placeholders", notescopies._ORIGINAL[0])
        theirs = notes_xml(Presentation(), 3)
    assert ours == theirs
    assert [len(etree.fromstring(x).findall(".//{*}sp")) for x in ours] == [3, 3, 3]


def test_an_edited_notes_master_is_cloned_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    def deck(without: Any) -> Any:
        prs = Presentation()
        master = prs.notes_master
        for ph in list(master.placeholders):
            if ph.placeholder_format.type == without:
                ph.element.getparent().remove(ph.element)
        return prs

    notes_xml(Presentation(), 1)  # a memo of the default master first
    ours = notes_xml(deck(PP_PLACEHOLDER.SLIDE_NUMBER), 2)
    with monkeypatch.context() as m:
        m.setattr(NotesSlide, "clone_master_placeholders", notescopies._ORIGINAL[0])
        theirs = notes_xml(deck(PP_PLACEHOLDER.SLIDE_NUMBER), 2)
        default = notes_xml(Presentation(), 1)
    assert ours == theirs != default[:1] * 2
    assert [len(etree.fromstring(x).findall(".//{*}sp")) for x in ours] == [2, 2]


def test_the_deck_s_notes_slides_are_python_pptx_s(
    rendered_deck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each notes slide of the rendered deck (all but the first copied) is what python-pptx alone
    makes for the same notes on the same master (on a new slide of the same layout)."""
    prs = Presentation(BytesIO(rendered_deck[0].data))
    ours, theirs = [], []
    monkeypatch.setattr(NotesSlide, "clone_master_placeholders", notescopies._ORIGINAL[0])
    for slide in list(prs.slides):
        notes = slide.notes_slide
        ours.append(etree.tostring(notes.element))
        made = prs.slides.add_slide(slide.slide_layout).notes_slide  # made by python-pptx alone
        made.notes_text_frame.text = notes.notes_text_frame.text
        theirs.append(etree.tostring(made.element))
    assert len(ours) > 30 and ours == theirs
