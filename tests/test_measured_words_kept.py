"""The deck keeps the advances of the words it measured in its slide cache's entry (writers/pptx/lengths.py):
the next render, in a new process, measures none of them again and writes the same bytes; advances
measured with other fonts or another PIL, or a damaged table, are measured afresh."""

from __future__ import annotations

from typing import Any

from digibrief.writers.pptx import deck, lengths, text
from digibrief.writers.pptx.options import DeckOptions
from tests.conftest import MemoryStore


def test_a_deck_rendered_again_measures_no_word_and_writes_the_same_bytes(
    rendered_deck, shipped_doc, shipped_theme, monkeypatch
):
    full, images = rendered_deck
    store = MemoryStore()
    deck.forget()  # as a new process: nothing measured yet
    assert deck.render(shipped_doc, images, shipped_theme, DeckOptions(), store=store).data == full.data
    deck.forget()

    def no_font(*args: Any, **kw: Any) -> Any:
        raise AssertionError("a word the store kept is not measured again")

    monkeypatch.setattr(text.ImageFont, "truetype", no_font)
    try:
        again = deck.render(shipped_doc, images, shipped_theme, DeckOptions(), store=store)
    finally:
        monkeypatch.undo()
        deck.forget()
    assert again.data == full.data
    assert not text.KNOWN  # the kept advances are the render's only


def test_advances_measured_otherwise_or_damaged_are_measured_afresh(shipped_theme):
    faces = text.Metrics(shipped_theme.fonts).faces
    stamp = lengths._stamp(faces)
    good = [{"Kazakhstan": 4321.0}, {}, {}, {}]
    assert lengths._tables({"stamp": stamp, "tables": good}, stamp, 4) == good
    empty: list[dict[str, float]] = [{}, {}, {}, {}]
    assert lengths._tables({"stamp": stamp + "x", "tables": good}, stamp, 4) == empty  # other fonts or PIL
    assert lengths._tables({"stamp": stamp, "tables": [{"Kazakhstan": 4321}, {}, {}, {}]}, stamp, 4) == empty
    assert lengths._tables({"stamp": stamp, "tables": good[:3]}, stamp, 4) == empty
    past = [{str(i): 1.0 for i in range(lengths.LIMIT + 1)}, {}, {}, {}]
    assert lengths._tables({"stamp": stamp, "tables": past}, stamp, 4) == empty  # measured afresh, smaller
    assert lengths._tables({}, stamp, 4) == empty
