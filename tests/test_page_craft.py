"""Page craft of the PDF (issue 13): country sections open a page, disagreements are a short note at
the end of their country, risk evidence appears once, tables carry units, sources and right-aligned
numbers, and the key-figure panels use one mark system. Read back from the rendered PDF."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader

from digibrief.document import types as d
from digibrief.writers.pdf.styles import Page

from .conftest import pdf_pages, require_tool
from .test_render_pdf import outline


@pytest.fixture(scope="module")
def doc(shipped_doc) -> d.Document:  # type: ignore[no-untyped-def]
    return shipped_doc  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def reader(rendered_briefs) -> PdfReader:  # type: ignore[no-untyped-def]
    return PdfReader(io.BytesIO(rendered_briefs("a4").data))


def lines(reader: PdfReader, page: int) -> list[str]:
    """The text lines of a 1-based page, top to bottom, without its running head (pdftotext)."""
    out = subprocess.run(
        [require_tool("pdftotext"), "-layout", "-f", str(page), "-l", str(page), "-", "-"],
        input=reader.stream.getvalue(),  # type: ignore[attr-defined]
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()][1:]


def section_pages(reader: PdfReader) -> dict[str, int]:
    return {title: page for level, title, page in outline(reader) if level == 0}


# --- 1. a country's section opens a page --------------------------------------------------------


def test_the_document_says_which_sections_open_a_page(doc: d.Document) -> None:
    for s in doc.sections:
        if s.role == "profile" or s.id.startswith("context-"):
            assert s.new_page, s.id


def test_each_country_heading_opens_a_page_or_a_page_that_was_less_than_60_percent_full(
    doc: d.Document, reader: PdfReader
) -> None:
    """A country opens a page, unless that would leave the page before less than 60% full (issue 22):
    then it opens on that page, under a rule, no lower than the rule and its own space allow."""
    pages = section_pages(reader)
    countries = [s for s in doc.sections if s.new_page]
    assert len(countries) >= 4
    page = Page.for_paper("a4")
    at_top = 0
    for s in countries:
        top = lines(reader, pages[s.title])[:2]
        if s.title in top:
            at_top += 1
            continue
        first = s.title.split()[0].rstrip(":")
        y = min(w[1] for w in words(reader, pages[s.title]) if w[3] == first)
        assert (y - page.top) / page.frame_height < 0.6 + 0.1, (s.title, y)  # 0.1: rule, kicker, spacing
    assert at_top >= 1


# --- 2. sources that disagree: one short note at the end of the country ------------------------


def section_text(doc: d.Document, reader: PdfReader, s: d.Section) -> list[str]:
    """The lines of a section, from its heading to the next section's heading (or kicker), which may
    stand on the same page (a section opens mid-page when the page would otherwise be left part-empty)."""
    pages = section_pages(reader)
    i = doc.sections.index(s)
    nxt = doc.sections[i + 1] if i + 1 < len(doc.sections) else None
    end = pages.get(nxt.title, len(reader.pages)) if nxt is not None else len(reader.pages)
    out = [line for p in range(pages[s.title], end + 1) for line in lines(reader, p)]

    def heading(sec: d.Section, k: int) -> bool:  # its kicker line, then its title (beside a map)
        if sec.kicker:
            return out[k] == sec.kicker.upper() and k + 1 < len(out) and out[k + 1].startswith(sec.title)
        return out[k] == sec.title

    start = next(k for k in range(len(out)) if heading(s, k))
    stop = len(out)
    if nxt is not None:
        stop = next((k for k in range(start + 1, len(out)) if heading(nxt, k)), len(out))
    return out[start:stop]


def test_a_disagreement_is_one_short_note_after_the_countrys_last_chart(
    doc: d.Document, reader: PdfReader, shipped_project
) -> None:  # type: ignore[no-untyped-def]
    profiles = [s for s in doc.sections if s.role == "profile"]
    checked = 0
    for s in profiles:
        country = shipped_project.countries[s.country or s.id.split("-")[-1].upper()]
        callouts = [b for b in s.blocks if isinstance(b, d.Callout)]
        if not country.discrepancies:
            assert callouts == []
            continue
        assert len(callouts) == 1 and s.blocks[-1] is callouts[0]
        note = d.plain(callouts[0].text)
        for disc in country.discrepancies:
            assert (
                disc.topic in note and " ".join(disc.reason.split())[:40] not in note
            )  # reasons: methodology
        text = section_text(doc, reader, s)
        title = next(i for i, line in enumerate(text) if line.startswith(callouts[0].title))
        last_chart = max(
            i for i, line in enumerate(text) if line.startswith(("Source: ", "Sources: "))
        )  # the last chart's source line
        assert title > last_chart, s.title
        checked += 1
    assert checked >= 2


# --- 3. risk evidence once, in date order -------------------------------------------------------


def test_risk_evidence_is_listed_once_in_date_order(
    doc: d.Document, reader: PdfReader, shipped_project
) -> None:  # type: ignore[no-untyped-def]
    risks = next(s for s in doc.sections if s.id == "risks")
    tables = [b for b in risks.blocks if isinstance(b, d.Table)]
    assert len(tables) == 1  # the evidence; the matrix is a chart, the method is in the methodology
    assert [b for b in risks.blocks if isinstance(b, d.Figure)]
    text = " ".join(section_text(doc, reader, risks))
    incidents = [(c, inc) for c in shipped_project.countries.values() for inc in c.incidents]
    titles = [inc.title for _, inc in incidents]
    for title in titles:
        assert text.count(title) == titles.count(title), title  # once per country that has it
    # the table's rows: each country's incidents in date order, an undated one at its report's year
    rows = [(d.plain(r[0]), d.plain(r[1])) for r in tables[0].rows]
    assert len(rows) == len(incidents)
    for c in shipped_project.countries.values():
        years = [int(re.findall(r"\d{4}", when)[0]) for name, when in rows if name == c.name]
        assert years == sorted(years), (c.id, years)


# --- 4. tables: units, a source line, numbers right-aligned -------------------------------------


def words(reader: PdfReader, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, yMin, xMax, word) of each word of a 1-based page (pdftotext -bbox)."""
    out = subprocess.run(
        [require_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=reader.stream.getvalue(),  # type: ignore[attr-defined]
        capture_output=True,
        check=True,
    ).stdout.decode()
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
    return [(float(a), float(b), float(c), w) for a, b, c, w in found]


def test_the_comparison_table_has_units_a_source_line_and_numbers_set_right(
    doc: d.Document, reader: PdfReader, rendered_briefs: Callable[[str], Any]
) -> None:
    table = next(b for s in doc.sections for b in s.blocks if isinstance(b, d.Table) and b.numeric)
    assert table.numeric == tuple(range(1, len(table.columns)))
    assert "(% of population)" in " ".join(table.columns)
    assert table.source.startswith("Sources: UN DESA")
    page = next(
        i + 1
        for i, p in enumerate(pdf_pages(rendered_briefs("a4").data))  # the reader's PDF, read once
        if "Kazakhstan" in p.text and "14.39" in p.text
    )
    assert table.source.split(";")[0] in " ".join(lines(reader, page))
    ws = words(reader, page)

    def after(value: str) -> tuple[float, float]:
        """Where a value starts, and where the word after it (its year) ends."""
        i = next(i for i, w in enumerate(ws) if w[3] == value)
        return ws[i][0], ws[i + 1][2]

    wide, narrow = after("14.39"), after("4.50")  # the same column, a digit apart
    assert narrow[0] > wide[0] + 3  # not left-aligned
    assert abs(narrow[1] - wide[1]) < 0.5  # the years end at the column's right edge


# --- 5. key figures: one mark system ------------------------------------------------------------


def test_key_figure_panels_say_status_in_words_and_list_notes_without_marks(
    doc: d.Document, reader: PdfReader
) -> None:
    panels = [b for s in doc.sections for b in s.blocks if isinstance(b, d.KeyFigures)]
    cards = [kf for p in panels for kf in p.items]
    reported = [kf for kf in cards if kf.fact.status == "reported"]
    assert reported and all("reported" in kf.when for kf in reported)
    assert all(kf.when.count("reported") == 1 for kf in reported)  # "reported 2024", not "… · reported" again
    for s in doc.sections:
        if not any(isinstance(b, d.KeyFigures) for b in s.blocks):
            continue
        text = " ".join(section_text(doc, reader, s))  # the panel may float to the section's next page
        assert "\u2020" not in text and "\u2021" not in text, s.title  # no status marks
        for panel in (b for b in s.blocks if isinstance(b, d.KeyFigures)):
            for kf in panel.items:
                if kf.note:  # the note is listed after its card's label, with no letter
                    note = " ".join(d.plain(kf.note).split())[:12]  # before any citation marker
                    assert f": {note}" in text, (kf.label, note)  # "Label; other label: note"


# --- 6. right-to-left text is refused by check, located -----------------------------------------


def test_a_right_to_left_label_is_a_located_error(project_copy) -> None:  # type: ignore[no-untyped-def]
    from digibrief.errors import InputError
    from digibrief.project.load import load

    path = project_copy / "data" / "countries" / "kaz.yaml"
    text = path.read_text(encoding="utf-8")
    assert "title: E-government launched" in text
    path.write_text(
        text.replace("title: E-government launched", "title: E-government \u05e9\u05dc\u05d5\u05dd", 1)
    )
    with pytest.raises(InputError) as info:
        load(project_copy / "data", project_copy / "report")
    [problem] = info.value.problems
    assert problem.file.endswith("kaz.yaml") and problem.line > 0
    assert problem.path.endswith(".title") and "right-to-left text (Hebrew" in problem.message
