"""The deck's slide cache draws only the slides whose plan changed and writes the bytes of a full render;
a damaged or foreign store entry costs a full render, never a byte."""

from __future__ import annotations

import pickle

from digibrief.writers.pptx import deck
from digibrief.writers.pptx.options import DeckOptions
from tests.conftest import MemoryStore


def test_a_changed_headline_redraws_its_slide_alone_and_the_deck_equals_a_full_render(
    rendered_deck, cold_headline_deck, warm_deck_edit
):
    # the session's two renders: the shipped deck into an empty store, then its first chart's headline
    # edited to one the shipped deck does not have (conftest.warm_deck_edit, which counted the slides drawn)
    full, _ = rendered_deck
    assert warm_deck_edit.first.data == full.data  # the render that fills the store is a full one
    assert 0 < len(warm_deck_edit.slides) <= 2, warm_deck_edit.slides
    assert warm_deck_edit.warm.data == cold_headline_deck  # the edited deck rendered whole
    assert warm_deck_edit.warm.pages == full.pages


def test_a_damaged_or_foreign_slide_store_costs_a_full_render_and_no_byte(
    rendered_deck, shipped_doc, shipped_theme, warm_deck_edit
):
    full, images = rendered_deck
    store = MemoryStore()
    store._kept.update(warm_deck_edit.kept)  # as the session's render of the shipped deck filled it
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
