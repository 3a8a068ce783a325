"""Property: chart texts of any length and alphabet - titles, lane, line, bar and row labels, event
labels, notes - are drawn (wrapped or shortened), never raise. The short profile runs in make test;
`make fuzz` runs the long one."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from digibrief import charts
from digibrief.document.types import ChartSpec
from digibrief.vocabulary import MEDIA, print_medium

LONG = os.environ.get("DIGIBRIEF_FUZZ") == "long"
PROFILE = settings(
    max_examples=150 if LONG else 6,
    derandomize=not LONG,
    deadline=None,
    phases=list(Phase) if LONG else [Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# what check lets through (control characters are refused at their line): letters, marks, digits,
# punctuation, symbols and spaces, in long words and long phrases alike (a 200-character word cannot
# wrap, only be shortened)
ALPHABET = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"), max_codepoint=0x2FFF)
WORD = st.text(ALPHABET, max_size=30)
TEXT = st.lists(WORD, min_size=1, max_size=12).map(" ".join) | st.text(ALPHABET, min_size=1, max_size=200)


def with_texts(spec: ChartSpec, text: str) -> ChartSpec:
    """spec with every text a reader sees in the chart replaced by text (numbers and years kept)."""
    return replace(
        spec,
        title=text,
        subtitle=text,
        unit_label=text[:40],
        series=tuple(replace(s, label=text) for s in spec.series),
        lanes=tuple(
            replace(lane, label=text, events=tuple(replace(e, label=text) for e in lane.events))
            for lane in spec.lanes
        ),
        rows=tuple(text for _ in spec.rows),
        columns=tuple(text for _ in spec.columns),
        notes=tuple(text for _ in spec.notes),
    )


@pytest.fixture(scope="module")
def specs(shipped_doc) -> dict[str, ChartSpec]:
    """One chart of each kind the shipped brief draws."""
    return {f.chart.kind: f.chart for f in shipped_doc.figures()}


@pytest.mark.fuzz
# a glyph the font lacks is drawn as a box with matplotlib's warning: another test's matter, not a crash
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@PROFILE
@given(data=st.data(), text=TEXT)
def test_any_chart_text_is_drawn_without_raising(specs, shipped_theme, data, text):
    kind = data.draw(st.sampled_from(sorted(specs)))
    spec = with_texts(specs[kind], text)
    svg = charts.render(spec, shipped_theme, MEDIA[print_medium(kind)], "svg")
    assert svg.startswith(b"<?xml") or b"<svg" in svg[:400]


@pytest.mark.parametrize("text", ["$ $", "costs $5 to $10", "x" * 240])
def test_dollar_signs_and_long_words_are_drawn_as_written_in_every_kind(specs, shipped_theme, text):
    for kind, spec in sorted(specs.items()):
        svg = charts.render(with_texts(spec, text), shipped_theme, MEDIA[print_medium(kind)], "svg")
        assert b"<svg" in svg[:400], kind
