"""Page craft of the PDF (issue 13): country sections open a page, disagreements are a short note at
the end of their country, risk evidence appears once, tables carry units, sources and right-aligned
numbers, and the key-figure panels use one mark system. Read back from the rendered PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from digibrief.document import types as d
from digibrief.writers.pdf import brief as render_pdf
from digibrief.writers.pdf.options import PdfOptions

from .test_render_pdf import fragments, outline


@pytest.fixture(scope="module")
def doc(shipped_doc) -> d.Document:  # type: ignore[no-untyped-def]
    return shipped_doc  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def reader(shipped_doc, shipped_theme, chart_images) -> PdfReader:  # type: ignore[no-untyped-def]
    images = chart_images(render_pdf.image_requests(shipped_doc), shipped_theme)
    rendered = render_pdf.render(shipped_doc, images, shipped_theme, PdfOptions())
    return PdfReader(io.BytesIO(rendered.data))


def lines(reader: PdfReader, page: int) -> list[str]:
    """The text lines of a 1-based page, top to bottom, without its running head."""
    rows: dict[int, list[tuple[float, str]]] = {}
    for x, y, text in fragments(reader.pages[page - 1]):
        rows.setdefault(round(y), []).append((x, text))
    ordered = [" ".join(t for _, t in sorted(rows[y])) for y in sorted(rows, reverse=True)]
    return ordered[1:]  # the first line is the running head


def section_pages(reader: PdfReader) -> dict[str, int]:
    return {title: page for level, title, page in outline(reader) if level == 0}


# --- 1. a country's section opens a page --------------------------------------------------------


def test_the_document_says_which_sections_open_a_page(doc: d.Document) -> None:
    for s in doc.sections:
        if s.role == "profile" or s.id.startswith("context-"):
            assert s.new_page, s.id


def test_each_country_heading_is_at_the_top_of_its_page(doc: d.Document, reader: PdfReader) -> None:
    pages = section_pages(reader)
    countries = [s for s in doc.sections if s.new_page]
    assert len(countries) >= 4
    for s in countries:
        top = lines(reader, pages[s.title])[:2]
        assert s.title in top, (s.title, top)
