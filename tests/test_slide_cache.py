"""The deck's slide cache draws only the slides whose plan changed and writes the bytes of a full render;
a damaged or foreign store entry costs a full render, never a byte."""

from __future__ import annotations

import pickle
from typing import Any

from digibrief.writers.pptx import deck
from digibrief.writers.pptx.draw import Drawer
from digibrief.writers.pptx.options import DeckOptions
from tests.conftest import COLD_HEADLINE, MemoryStore, with_headline


def _counting(monkeypatch: Any) -> list[int]:
    drawn: list[int] = []
    slide = Drawer.slide

    def counted(self: Drawer, sp: Any, number: int) -> Any:
        drawn.append(number)
        return slide(self, sp, number)

    monkeypatch.setattr(Drawer, "slide", counted)
    return drawn


def test_a_changed_headline_redraws_its_slide_alone_and_the_deck_equals_a_full_render(
    rendered_deck, cold_decks, shipped_doc, shipped_theme, monkeypatch
):
    full, images = rendered_deck
    store = MemoryStore()
    first = deck.render(shipped_doc, images, shipped_theme, DeckOptions(), store=store)
    assert first.data == full.data  # the render that fills the store is a full one
    chart = shipped_doc.figures()[0].chart.id
    edited = with_headline(shipped_doc, chart, COLD_HEADLINE)  # one the shipped deck does not have
    drawn = _counting(monkeypatch)
    again = deck.render(edited, images, shipped_theme, DeckOptions(), store=store)
    assert 0 < len(drawn) <= 2, drawn
    monkeypatch.undo()
    assert again.data == cold_decks("headline")  # the edited deck rendered whole, once per session
    assert again.pages == full.pages


def test_a_damaged_or_foreign_slide_store_costs_a_full_render_and_no_byte(
    rendered_deck, shipped_doc, shipped_theme
):
    full, images = rendered_deck
    store = MemoryStore()
    deck.render(shipped_doc, images, shipped_theme, DeckOptions(), store=store)
    (key,) = store._kept
    kept = pickle.loads(store._kept[key])
    for damaged in (
        b"not a pickle",
        store._kept[key][:60],
        pickle.dumps({"units": {k: "junk" for k in kept["units"]}, "shells": kept["shells"]}),
        pickle.dumps({"units": kept["units"], "shells": {k: kept["shells"][k] for k in []}}),
    ):
        store._kept[key] = damaged
        assert deck.render(shipped_doc, images, shipped_theme, DeckOptions(), store=store).data == full.data
