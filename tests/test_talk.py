"""The deck is a talk: numbered findings with their figures, notes a speaker can say, and an ending.

Read back from the shipped build: every takeaway on the takeaways slide carries a figure; each main
slide with a chart, a table or key figures has notes of 2 or more sentences and 30-170 words that hold
a number, never its chart's alt text, and take at most half of their words from the brief; the talk
ends with what the findings mean, which the brief prints too; the backup holds the contents (no entry
cut short), the table of disagreements, and every table the methodology names.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from .conftest import require_tool

SHINGLE = 5  # words: a run this long found in the brief counts as taken from it
SOURCE_LINE = re.compile(r"^Sources?: ")


@pytest.fixture(scope="module")
def deck(shipped: Any) -> Any:
    from pptx import Presentation

    return Presentation(str(shipped.out / "deck.pptx"))


@pytest.fixture(scope="module")
def brief_text(shipped: Any) -> str:
    pdftotext = require_tool("pdftotext")
    out = subprocess.run([pdftotext, str(shipped.out / "brief.pdf"), "-"], capture_output=True, text=True)
    return out.stdout


def title(slide: Any) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def notes(slide: Any) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def talk(deck: Any) -> list[Any]:
    slides = list(deck.slides)
    return slides[: next(i for i, s in enumerate(slides) if title(s) == "Backup")]


def backup(deck: Any) -> list[Any]:
    slides = list(deck.slides)
    return slides[next(i for i, s in enumerate(slides) if title(s) == "Backup") + 1 :]


def shows_data(slide: Any) -> bool:
    """A chart (native or a picture), a table, or a panel of key figures."""
    return any(
        sh.has_chart or sh.has_table or sh.shape_type == 13 or sh.name == "Key figure" for sh in slide.shapes
    )


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9%$]+(?:[.,][0-9]+)*", text.replace("-\n", "").lower())


def taken_from(text: str, source: str) -> float:
    """The share of text's words that lie in a run of SHINGLE words also found in source."""
    words, found = tokens(text), tokens(source)
    grams = {tuple(found[i : i + SHINGLE]) for i in range(len(found) - SHINGLE + 1)}
    covered = [False] * len(words)
    for i in range(len(words) - SHINGLE + 1):
        if tuple(words[i : i + SHINGLE]) in grams:
            covered[i : i + SHINGLE] = [True] * SHINGLE
    return sum(covered) / max(len(words), 1)


def said(slide: Any) -> str:
    """A slide's notes without their last line, the source line that names what the slide shows (a
    credit that must match the brief's, so not counted as text taken from it)."""
    lines = notes(slide).splitlines()
    return "\n".join(line for line in lines if not SOURCE_LINE.match(line))


def test_the_overlap_measure_counts_runs_of_words_taken_from_the_source():
    source = "Kazakhstan leads the region in digital government and its rank rose"
    assert taken_from("Kazakhstan leads the region in digital government.", source) == 1.0
    assert taken_from("Open with the number: Kazakhstan at 24th in 2024, verified.", source) == 0.0


def test_every_takeaway_on_its_slide_carries_a_figure(deck: Any):
    slide = next(s for s in talk(deck) if title(s) == "Key takeaways")
    body = next(sh for sh in slide.placeholders if sh.placeholder_format.idx == 1).text_frame
    items = [p.text for p in body.paragraphs if p.text.strip()]
    assert len(items) >= 5
    for item in items:
        assert re.search(r"\d", item), f"a takeaway without its figure: {item!r}"


def test_each_data_slide_has_talking_points_not_the_brief_or_the_alt_text(
    deck: Any, brief_text: str, shipped_doc: Any
):
    alts = [f.chart.alt for f in shipped_doc.figures()]
    checked = 0
    for slide in talk(deck):
        if not shows_data(slide):
            continue
        checked += 1
        text, name = notes(slide), title(slide)
        n = len(text.split())
        assert 30 <= n <= 170, f"{name}: notes of {n} words"
        assert len(re.findall(r"[.!?](?:\s|$)", text)) >= 2, f"{name}: notes of fewer than 2 sentences"
        assert re.search(r"\d", said(slide)), f"{name}: notes without a number"
        for alt in alts:
            first = alt.split(". ")[0]
            assert first not in text, f"{name}: notes repeat the alt text {first!r}"
        share = taken_from(said(slide), brief_text)
        assert share <= 0.5, f"{name}: {share:.0%} of the notes is taken from the brief"
    assert checked >= 15, checked


def test_every_figure_in_the_notes_of_a_key_figure_slide_keeps_its_status(deck: Any, shipped_doc: Any):
    from digibrief.document.types import KeyFigures

    panels = {
        s.title: next(b for b in s.blocks if isinstance(b, KeyFigures))
        for s in shipped_doc.sections
        if any(isinstance(b, KeyFigures) for b in s.blocks)
    }
    for slide in talk(deck):
        panel = panels.get(title(slide))
        if panel is None:
            continue
        text = " ".join(notes(slide).split())
        for k in panel.items:
            if k.fact.status != "verified" and k.fact.display in text:
                after = text[text.index(k.fact.display) :][:80]
                assert k.fact.status in after, f"{title(slide)}: {k.fact.display} said without its status"


def test_the_talk_ends_with_what_the_findings_mean_as_the_brief_does(deck: Any, brief_text: str):
    slides = talk(deck)
    assert title(slides[-1]) == "Questions and discussion"
    ending = slides[-2]
    assert title(ending) == "What the findings mean"
    assert re.search(r"^Sources?: .+ References? [\d, and]+ in the backup\.$", notes(ending), re.M)
    assert "What the findings mean" in brief_text


def test_the_backup_holds_a_whole_contents_and_every_table_the_methodology_names(deck: Any):
    slides = backup(deck)
    titles = [title(s) for s in slides]
    contents = [s for s in slides if title(s).startswith("Contents")]
    assert contents
    for s in contents:
        text = "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        assert "\u2026" not in text and "..." not in text, "a contents entry is cut short"
    assert "Where sources disagree" in titles
    method = "\n".join(
        sh.text_frame.text
        for s in slides
        if title(s).startswith("Methodology")
        for sh in s.shapes
        if sh.has_text_frame
    )
    named = re.findall(r"table [\"\u201c]([^\"\u201d]+)[\"\u201d]", method)
    assert named, "the methodology names its tables"
    for table in named:
        assert table in titles, f"the methodology cites the table {table!r}, which the deck does not have"
