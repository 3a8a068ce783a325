"""What readers see holds none of our working words and no figure with more digits than its policy.

The brief and the deck are the session's one build of the shipped data. Their text (the deck's
speaker notes included) must not use the vocabulary of our own workflow ("seed", "null", "TODO",
"FIXME"), and every number in it, outside the list of references, must be shown with at most the
digits its indicator's (or fact's) display policy allows: 79.8%, never 79.7703%.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, REPORT, PageText, deck_text, pdf_pages

WORKING_WORDS = re.compile(r"\b(seed|seeds|null|todo|fixme)\b", re.IGNORECASE)
# How we obtained a copy is provenance, kept in data/sources.yaml and the data pack, never in what readers see.
PROCESS_WORDS = re.compile(
    r"stored web pages?|\bgithub\b|\bcommit\b|characters checked|checked automatically", re.IGNORECASE
)
DECIMAL = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})*\.\d+(?![\d.]*\d)")


@pytest.fixture(scope="module")
def outputs(shipped: Any) -> tuple[str, str]:
    """(the brief's text without citation markers, the deck's text with its notes), of the session's one
    build of the shipped data."""
    return pdf_text(shipped.out / "brief.pdf"), deck_text(shipped.out / "deck.pptx")


def pdf_text(path: Path) -> str:
    """The PDF's text, its metadata first, with each citation marker set apart by a space: a marker
    is printed small right after a figure, and "0.649" followed by marker 26 must not read "0.64926"."""
    from pypdf import PdfReader

    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    meta = [str(v) for v in (reader.metadata or {}).values()]
    return "\n".join(meta + [_page_text(page) for page in pdf_pages(data)])


def _page_text(page: PageText) -> str:
    """The page's text runs (pypdf's visitor, read once per PDF: conftest.pdf_pages), a marker set apart."""
    parts: list[str] = []
    size = 0.0  # the size of the last text that was not a marker
    for text, cm, tm, font_size in page.runs:
        if not text:
            continue
        shown = abs(font_size * tm[3] * cm[3]) or font_size
        marker = re.fullmatch(r"[\d,\u2013\-]+\n?", text) is not None and shown < 0.85 * size
        parts.append(f" {text} " if marker else text)
        if not marker and text.strip():
            size = shown
    return "".join(parts)


def before_references(text: str) -> str:
    """The text up to the list of references, whose source notes quote sources as they stand."""
    cut = text.rfind("\nReferences")
    return text if cut < 0 else text[:cut]


# --- the display policy of every value in the data ------------------------------------------------------


def policies() -> Iterator[tuple[float, int, str]]:
    """(value, digits its policy allows, where it is) for every indicator value and fact."""
    from digibrief.project.load import load
    from digibrief.project.readings import fact_decimals

    project = load(DATA, REPORT)
    for c in project.countries.values():
        for iid, series in c.indicators.items():
            digits = project.indicators[iid].decimals
            for year, point in series.items():
                yield point.value, digits, f"{c.id} {iid} {year}"
        for fid, fact in c.facts.items():
            yield fact.value, fact_decimals(fact), f"{c.id} {fid}"


def overprecise(text: str, values: list[tuple[float, int, str]]) -> list[str]:
    """Every decimal in text that shows a data value with more digits than the value's policy allows,
    unless the same characters are also a value shown by its policy (a coincidence, not a leak)."""
    shown_by_policy = {f"{v:,.{d}f}" for v, d, _ in values}
    values = [(v, d, where) for v, d, where in values if round(v, d) != v]  # only these have digits to hide
    found = []
    for m in DECIMAL.finditer(text):
        token = m.group(0)
        if token in shown_by_policy:
            continue
        digits = len(token.split(".")[1])
        number = float(token.replace(",", ""))
        for value, allowed, where in values:
            if digits > allowed and abs(number - value) < 0.5 * 10**-digits + 1e-12:
                context = " ".join(text[max(0, m.start() - 60) : m.end() + 20].split())
                found.append(f"{token} ({where} allows {allowed} decimals) in: ...{context}...")
                break
    return found


# --- the tests ----------------------------------------------------------------------------------------


def test_the_scanner_finds_what_it_should():
    values = [
        (79.7703, 1, "KGZ internet_users 2022"),
        (0.56055, 3, "TJK egdi_score 2024"),
        (0.063, 2, "TJK bb"),
    ]
    assert overprecise("internet use of 79.8% and 0.561", values) == []
    assert len(overprecise("internet use of 79.7703% in 2022", values)) == 1
    assert len(overprecise("a score of 0.56055, or 0.5606", values)) == 2
    assert len(overprecise("at 0.063 per 100", values)) == 1
    assert overprecise("0.06 per 100 in 2020", values) == []
    assert WORKING_WORDS.search("The seed article reports") and WORKING_WORDS.search("A null level")
    assert not WORKING_WORDS.search("seeded, nullify, todos")


def test_the_brief_and_the_deck_hold_none_of_our_working_words(outputs: tuple[str, str]):
    for name, text in zip(("brief.pdf", "deck.pptx"), outputs, strict=True):
        words = sorted({m.group(0) for m in WORKING_WORDS.finditer(text)})
        assert not words, f"{name} shows working words to readers: {words}"
        assert "table below" not in text.lower(), (
            f"{name} points at 'the table below', which a slide cannot show"
        )


def test_the_brief_and_the_deck_describe_no_research_process(outputs: tuple[str, str]):
    for name, text in zip(("brief.pdf", "deck.pptx"), outputs, strict=True):
        flat = " ".join(text.split())
        found = sorted({m.group(0).lower() for m in PROCESS_WORDS.finditer(flat)})
        assert not found, f"{name} tells readers about our research process: {found}"


def test_the_process_words_are_found_where_they_stand():
    assert PROCESS_WORDS.search("Values read in a copy in GitHub owner/repo, commit abc.")
    assert PROCESS_WORDS.search("Stored web page. Source of the rank")
    assert PROCESS_WORDS.search("the mark is checked\nautomatically".replace("\n", " "))
    assert not PROCESS_WORDS.search("national commitment to cybersecurity")


def test_every_reference_note_is_one_plain_sentence_and_every_source_has_provenance():
    from digibrief.project.load import load

    project = load(DATA, REPORT)
    for sid, source in project.sources.items():
        assert source.provenance is not None, f"{sid} does not say how its values were obtained"
        if source.note:
            assert not PROCESS_WORDS.search(source.note), f"{sid}: the reader's note describes our process"
            assert len(re.findall(r"[.!?](?:\s+[A-Z]|$)", source.note)) <= 1, f"{sid}: more than one sentence"


def test_no_figure_is_shown_with_more_digits_than_its_policy(outputs: tuple[str, str]):
    values = list(policies())
    for name, text in zip(("brief.pdf", "deck.pptx"), outputs, strict=True):
        found = overprecise(before_references(text), values)
        assert not found, f"{name}:\n" + "\n".join(found)
