"""A warm watch's brief: what a process that renders again keeps saves time and nothing else. A worker
freezes what it inherited (pipeline/pool.py; the watch's own heap: test_watch_collects.py), so a
chart's collections never walk the long-lived heap; a chart drawn again is written from the page code
it wrote last time when its fonts number its text as then (writers/pdf/written.py), and drawn anew
when they do not."""

from __future__ import annotations

import gc
import io
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfgen.canvas import Canvas

from digibrief.pipeline import pool
from digibrief.writers.pdf import images, memo, written

from .conftest import Cycle, another_character_first, answers_of_again, charts_pdf


def _dropped_cycles_then_nothing() -> None:
    """A warm-up that leaves garbage behind."""
    for _ in range(100):
        Cycle()


@pytest.mark.parametrize("warm", [None, _dropped_cycles_then_nothing], ids=["cold", "warmed"])
def test_a_worker_freezes_what_it_inherited_and_what_its_warm_up_kept(warm: Any):
    """A chart drawn on a kept worker never waits for a full collection of the worker's heap."""
    before = gc.get_freeze_count()
    workers = pool._new_pool(1, warm)
    try:
        assert workers.submit(gc.get_freeze_count).result(timeout=120) > before
    finally:
        workers.shutdown(wait=True)


# --- charts written from the page code they wrote last time (writers/pdf/written.py) ----------------


def _fresh(charts: list[Any], before: Callable[[Canvas], None] | None = None) -> bytes:
    """The PDF as a process that keeps nothing draws it."""
    memo.forget()
    try:
        return charts_pdf(charts, before)
    finally:
        memo.keep()


def test_a_chart_written_from_its_kept_code_gives_the_bytes_of_one_drawn_afresh(charts, keeping, monkeypatch):
    flowables, _ = charts
    fresh = _fresh(flowables)
    assert charts_pdf(flowables) == fresh  # drawn, its calls and code kept
    assert len(memo.WRITTEN) == len(flowables)

    def no_replay(*args: Any) -> None:
        raise AssertionError("a chart written from its code replays no canvas call")

    monkeypatch.setattr(images, "replay", no_replay)
    assert charts_pdf(flowables) == fresh


def _labelled(fonts: Any, label: str) -> images.Chart:
    """A chart whose one text is label, in the regular face."""
    drawing = Drawing(200, 40)
    drawing.__dict__["initialFontName"] = fonts.regular  # as images.py sets it: no Helvetica by name
    drawing.add(String(10, 10, label, fontName=fonts.regular, fontSize=9))
    return images.Chart(200, 40, drawing=pickle.dumps(drawing), fonts=fonts)


def test_a_chart_whose_text_the_fonts_now_number_otherwise_is_drawn_anew(charts, keeping, monkeypatch):
    """The kept code holds the text as the subsets numbered it then: a character beyond ASCII takes the
    next free number when first drawn. When the page drew another such character first (the canvas's
    own state unchanged), the kept code would be stale: the chart is drawn, not written."""
    _, fonts = charts
    chart = _labelled(fonts, "Kyrgyzstan \u2013 79.8\u202f%")

    other_text_first = another_character_first(fonts.regular)

    fresh = _fresh([chart], other_text_first)
    charts_pdf([chart])  # code kept as the chart alone numbers its text
    assert len(memo.WRITTEN) == 1
    said = answers_of_again(monkeypatch)
    assert charts_pdf([chart], other_text_first) == fresh
    assert said == [False]  # the state matched, the fonts did not
    assert charts_pdf([chart], other_text_first) == fresh  # kept as that draw numbered it: written now
    assert said == [False, True]


def test_code_is_kept_only_from_a_draw_that_left_the_page_and_document_as_it_found_them():
    def kept(draw: Callable[[Canvas], Any]) -> Any:
        canvas = Canvas(io.BytesIO())
        return written.record(canvas, lambda: draw(canvas))

    def framed(canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setLineWidth(2)
        canvas.line(0, 0, 10, 10)
        canvas.restoreState()

    code = kept(framed)
    assert code is not None and code.code == ("q", "2 w", "n 0 0 m 10 10 l S", "Q")
    assert kept(lambda c: c.setLineWidth(2)) is None  # a state left changed
    assert kept(lambda c: c.linkURL("https://example.org", (0, 0, 10, 10))) is None  # an annotation

    def faded(canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFillAlpha(0.5)
        canvas.restoreState()

    code = kept(faded)  # transparency names a graphics state and raises the PDF version: so does writing
    assert code is not None and code.named == ((("ca", 0.5), "gRLs0"),) and code.version == (1, 4)
    canvas = Canvas(io.BytesIO())
    assert written.write(canvas, code)
    assert canvas._extgstate._c == {("ca", 0.5): "gRLs0"} and canvas._doc._pdfVersion == (1, 4)
    assert not written.write(canvas, code)  # the draw would now begin in another state
