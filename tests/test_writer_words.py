"""What the writers say themselves (the deck's speaker notes, its open-marker series, the PDF's link
descriptions and its References heading, the data pack's file title) comes from the labels table,
never from the code."""

from __future__ import annotations

import io
import re
import string
import zipfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pikepdf
import pytest
from pptx import Presentation

from digibrief.document.words import ENGLISH
from digibrief.vocabulary import WORDS
from digibrief.writers.pdf import brief as render_pdf
from digibrief.writers.pdf.options import PdfOptions
from digibrief.writers.pdf.postprocess import _describe
from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.options import DeckOptions
from digibrief.writers.xlsx import datapack as render_xlsx
from digibrief.writers.xlsx.options import PackOptions

from .test_labels import french

# the labels the deck writer says in the notes and names its open-marker series with
DECK_KEYS = tuple(k for k in WORDS if k.startswith(("note_", "series_")))


def fragments(template: str) -> list[str]:
    """The fixed text of a template between its {fields}, each long enough to be unmistakable."""
    return [t.strip() for t, *_ in string.Formatter().parse(template) if len(t.strip()) >= 10]


def said(data: bytes) -> tuple[str, list[str]]:
    """A deck's speaker notes, one slide a line, and the names of its charts' series."""
    prs = Presentation(io.BytesIO(data))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    series = [
        s.name
        for slide in prs.slides
        for shape in slide.shapes
        if getattr(shape, "has_chart", False) and shape.has_chart
        for plot in shape.chart.plots
        for s in plot.series
    ]
    return notes, series


def titles_of(items: Any) -> list[str]:
    """Every title of an outline, its entries' children after each."""
    return [t for item in items for t in (item.title, *titles_of(item.children))]


@pytest.fixture(scope="module")
def french_writers(shipped_doc: Any) -> Any:
    """The shipped document with the French labels table: its own text stays English, so whatever
    English is left in an output that is not the document's text is the writer's."""
    return replace(shipped_doc, speech=french())


def test_a_french_deck_says_none_of_the_english_note_phrases(
    french_writers: Any,
    shipped_doc: Any,
    shipped_theme: Any,
    chart_images: Callable[..., dict[tuple[str, str], bytes]],
):
    # the shipped document's chart images, as the English writer tests have them
    images = chart_images(render_pptx.image_requests(french_writers), shipped_theme, shipped_doc.speech)
    notes, series = said(render_pptx.render(french_writers, images, shipped_theme, DeckOptions()).data)
    english = {f for k in DECK_KEYS for f in fragments(WORDS[k])}
    assert [f for f in sorted(english) if f in notes or any(f in s for s in series)] == []
    fr = french_writers.speech
    for key in ("note_findings", "note_each_point", "note_thanks", "note_deck_order", "note_detailed_table"):
        assert fragments(fr.table[key])[0] in notes, key
    assert "Références 2, 4, 5 et 7 en annexe." in notes  # the numbers listed with the table's "and"
    assert any(s.endswith(" : signalé ou non vérifié") for s in series)


def test_the_english_deck_still_says_its_note_phrases(rendered_deck: Any):
    notes, series = said(rendered_deck[0].data)
    assert "Make each point in turn; the printed brief gives the evidence for each." in notes
    assert "References 2, 4, 5 and 7 in the backup." in notes
    assert any(s.endswith(": reported or unverified") for s in series)


def test_a_link_without_words_of_its_own_is_described_in_the_labels_language():
    external = pikepdf.Dictionary(A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org/a"))
    internal = pikepdf.Dictionary(Dest=pikepdf.Name("/ref-1"))
    fr = french()
    assert _describe(external, fr) == "Lien vers https://example.org/a"
    assert _describe(internal, fr) == "Lien vers un autre endroit de ce document"
    assert _describe(external, ENGLISH) == "Link to https://example.org/a"
    assert _describe(internal, ENGLISH) == "Link to another place in this document"


def test_the_french_brief_heads_its_sources_in_french(
    french_writers: Any,
    shipped_doc: Any,
    shipped_theme: Any,
    chart_images: Callable[..., dict[tuple[str, str], bytes]],
    pdf_store: Any,
):
    # a whole render (about 2 s): the heading is drawn, tagged and entered in the outline only there;
    # the shipped document's chart images, as the English writer tests have them
    images = chart_images(render_pdf.image_requests(french_writers), shipped_theme, shipped_doc.speech)
    data = render_pdf.render(
        french_writers, images, shipped_theme, PdfOptions(paper="a4"), store=pdf_store
    ).data
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        titles = titles_of(outline.root)
        links = [str(a.get("/Contents", "")) for page in pdf.pages for a in page.get("/Annots", [])]
    assert "Références" in titles and "References" not in titles
    assert links and not [t for t in links if t.startswith("Link to")]


def test_the_data_packs_file_title_follows_the_labels(french_writers: Any, shipped_theme: Any):
    data = render_xlsx.render(french_writers, {}, shipped_theme, PackOptions()).data
    core = zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode("utf-8")
    title = re.search(r"<dc:title>(.*?)</dc:title>", core)
    assert title is not None and title.group(1) == f"{french_writers.meta.title} : données"


def test_a_single_finding_is_said_in_the_singular(
    shipped_doc: Any, shipped_theme: Any, chart_images: Callable[..., dict[tuple[str, str], bytes]]
):
    from digibrief.document.types import Bullets

    def one(block: Any) -> Any:
        return (
            replace(block, items=block.items[:1]) if isinstance(block, Bullets) and block.numbered else block
        )

    sections = tuple(replace(s, blocks=tuple(one(b) for b in s.blocks)) for s in shipped_doc.sections)
    doc = replace(shipped_doc, sections=sections)
    images = chart_images(render_pptx.image_requests(doc), shipped_theme, shipped_doc.speech)
    notes, _ = said(render_pptx.render(doc, images, shipped_theme, DeckOptions()).data)
    assert WORDS["note_finding_one"] in notes and "1 findings" not in notes
