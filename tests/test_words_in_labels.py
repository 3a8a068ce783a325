"""Every sentence of a chart's alt text, the speaker notes' talking points and the "What changed since"
page comes from the labels table: none is written in code, so a translated table leaves no English."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from digibrief.document.changes import compare, section
from digibrief.document.compose import compose, speech_of
from digibrief.document.talk import also_said, chart_points, figure_points, text_points
from digibrief.document.types import ChartSpec, Document, KeyFigures, Paragraph, Section, Table, plain
from digibrief.project.editions import snapshot
from digibrief.vocabulary import WORDS

from .conftest import ROOT

FIELD = re.compile(r"\{(\w+)\}")
MARK = "\u00a4"  # a sign no default uses: what a marker table prints in place of every word

# the keys of the sentences this file pins: alt texts, talking points, the changes page
KEYS = [k for k in WORDS if k.startswith(("alt_", "talk_", "changes_")) or k == "bars_nearest"]


def english_phrases() -> set[str]:
    """Each run of two or more words between the fields of those keys' English defaults."""
    phrases = set()
    for key in KEYS:
        for part in FIELD.split(WORDS[key])[::2]:
            phrase = part.strip(" .,:;()'")
            if re.search(r"[A-Za-z']+\s+[A-Za-z']+", phrase):
                phrases.add(phrase)
    return phrases


def marked(template: str) -> str:
    """A template with every word replaced by the marker, its fields kept."""
    return MARK + MARK.join(f"{{{f}}}" for f in FIELD.findall(template)) + MARK


def with_labels(project: Any, words: dict[str, str], language: str = "en", **tables: Any) -> Any:
    labels = project.labels.model_copy(update={"words": words, **tables})
    report = project.report.model_copy(update={"language": language})
    return project.model_copy(update={"labels": labels, "report": report})


def charts(doc: Document) -> Iterator[ChartSpec]:
    for s in doc.sections:
        for b in s.blocks:
            chart = getattr(b, "chart", None)
            if isinstance(chart, ChartSpec):
                yield chart


def talking_points(doc: Document) -> list[str]:
    """What the deck's notes say over each chart, key-figure panel and paragraph, in doc's words."""
    out: list[str] = []
    for c in charts(doc):
        out += chart_points(c, doc.speech)
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, KeyFigures) and b.items:
                out += figure_points(b.items, doc.speech)
                out.append(also_said(b.items, doc.speech))
            elif isinstance(b, Paragraph):  # the user's prose, then what the notes add to it
                said = " ".join(plain(b.text).split())
                out.append(text_points(b.text, doc.speech)[len(said) :].lstrip("."))
    return out


def strings(value: object) -> Iterator[str]:
    """Every string a section holds: its title, notes, table headers, captions and runs."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from strings(item)


def changes_page(project: Any) -> Section:
    """The "What changed since" section between the project's edition and one that differs from it
    in a population (with its status), a risk level and a country."""
    now = snapshot(project)
    (cid, rec), (gone, _) = list(now.countries.items())[:2]
    assert rec.population is not None and rec.risks
    cat = next(iter(rec.risks))
    then = rec.model_copy(
        update={
            "population": rec.population.model_copy(
                update={"value": rec.population.value + 1000, "status": "reported"}
            ),
            "risks": {**rec.risks, cat: (rec.risks[cat] + 1) % 4},
        }
    )
    old = now.model_copy(update={"countries": {**now.countries, cid: then}})
    new = now.model_copy(update={"countries": {k: v for k, v in now.countries.items() if k != gone}})
    return section(compare(old, new, speech_of(project)))


@pytest.fixture(scope="module")
def marker_project(shipped_project: Any) -> Any:
    return with_labels(shipped_project, {k: marked(v) for k, v in WORDS.items()})


@pytest.fixture(scope="module")
def marker_doc(marker_project: Any) -> Document:
    return compose(marker_project)


@pytest.fixture(scope="module")
def french_project(shipped_project: Any) -> Any:
    table = yaml.safe_load((ROOT / "tests" / "labels_fr.yaml").read_text(encoding="utf-8"))
    return with_labels(
        shipped_project,
        table["words"],
        "fr",
        months=table["months"],
        months_short=table["months_short"],
        ordinal=table["ordinal"],
    )


@pytest.fixture(scope="module")
def french_doc(french_project: Any) -> Document:
    return compose(french_project)


# what the shipped data itself says in a default's words: data/risks.yaml's name for a blank cell
DATA_WORDS = {"not assessed"}


def english_in(texts: list[str]) -> list[tuple[str, str]]:
    phrases = english_phrases() - DATA_WORDS
    return [(p, t) for t in texts for p in phrases if p in t]


def test_the_pinned_defaults_have_english_to_find():
    # the check below can fail: the defaults hold phrases the outputs would print
    assert {"Line chart of", "The number to give", "What changed since"} <= english_phrases()


def test_with_a_marker_table_no_alt_text_or_chart_note_has_a_word_of_the_defaults(marker_doc: Document):
    specs = list(charts(marker_doc))
    kinds = {c.kind for c in specs}
    assert {"trend", "peer_bar", "rank_path", "online_offline", "timeline", "heatmap", "locator_map"} <= kinds
    assert all(c.alt.startswith(MARK) for c in specs), [c.alt for c in specs if not c.alt.startswith(MARK)]
    assert english_in([c.alt for c in specs] + [n for c in specs for n in c.notes]) == []


def test_with_a_marker_table_no_talking_point_has_a_word_of_the_defaults(marker_doc: Document):
    points = talking_points(marker_doc)
    assert sum(MARK in p for p in points) >= 10
    assert english_in(points) == []


def test_with_a_marker_table_the_changes_page_has_no_word_of_the_defaults(marker_project: Any):
    page = changes_page(marker_project)
    texts = list(strings(page))
    assert page.title.startswith(MARK)
    assert english_in(texts) == []
    (table,) = [b for b in page.blocks if isinstance(b, Table)]
    assert all(h.startswith(MARK) for h in table.columns) and table.caption.startswith(MARK)


def test_a_french_table_gives_french_alt_texts_talking_points_and_changes_page(
    french_doc: Document, french_project: Any
):
    alts = [c.alt for c in charts(french_doc)]
    points = talking_points(french_doc)
    changes = changes_page(french_project)
    page = list(strings(changes))
    assert english_in(alts + points + page) == []
    assert any(a.startswith("Graphique linéaire") for a in alts)
    assert any(a.startswith("Matrice des risques") for a in alts)
    assert any(p.startswith("Le chiffre à donner") for p in points)
    assert any(p.startswith("Réserve : les valeurs de") for p in points) or any(
        "tiré des données de l'éditeur" in p for p in points
    )
    assert changes.title.startswith("Ce qui a changé depuis")
    assert any(t.startswith("Pays qui ne sont plus couverts depuis") for t in page)


def test_the_shipped_labels_table_as_loaded_keeps_these_defaults_to_the_byte(shipped_project: Any):
    # the loader strips a value's edge spaces: a default with one would change the English outputs
    loaded = speech_of(shipped_project).table
    assert {k: loaded[k] for k in KEYS} == {k: WORDS[k] for k in KEYS}
