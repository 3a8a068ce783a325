"""A chart drawn again replays the canvas calls its first draw made (writers/pdf/images.py): the same
bytes, without unpickling and walking its drawing; a draw that depended on anything but the drawing and
the canvas's font is never replayed."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas

from digibrief.writers.pdf import images, memo
from digibrief.writers.pdf.images import Recorder

from .conftest import charts_pdf


@pytest.fixture(autouse=True)
def keeping() -> Iterator[None]:
    """A chart's calls are kept in a process that renders again (a watch: the writer's preload)."""
    memo.keep()
    yield
    memo.forget()


def test_a_replayed_chart_writes_the_bytes_of_one_drawn_from_its_drawing(charts, monkeypatch):
    flowables, _ = charts
    memo.DRAWN.clear()
    drawn = charts_pdf(flowables)
    assert len(memo.DRAWN) == len(flowables)

    def no_parse(data: bytes) -> Any:
        raise AssertionError("a replay unpickles no drawing")

    monkeypatch.setattr(images.pickle, "loads", no_parse)
    assert charts_pdf(flowables) == drawn


def test_a_chart_drawn_under_another_font_is_replayed_only_under_that_font(charts):
    flowables, fonts = charts

    def bold(canvas: Canvas) -> None:
        canvas.setFont(fonts.bold, 7)
        canvas.drawString(10, 10, "Before the charts")

    memo.DRAWN.clear()
    fresh = charts_pdf(flowables, bold)
    assert charts_pdf(flowables) != fresh
    assert len(memo.DRAWN) == 2 * len(flowables)  # one recording per starting font
    assert charts_pdf(flowables, bold) == fresh


def test_calls_are_kept_only_when_they_depend_on_nothing_but_the_drawing_and_the_font():
    def recorded(draw: Callable[[Any], Any]) -> Any:
        recorder = Recorder(Canvas(io.BytesIO()))
        draw(recorder)
        return recorder.calls()

    assert recorded(lambda c: (c.saveState(), c.setLineWidth(2), c.restoreState())) == (
        ("saveState", (), ()),
        ("setLineWidth", (2,), ()),
        ("restoreState", (), ()),
    )
    assert recorded(lambda c: c.setFont("Helvetica", c._fontsize)) is not None  # the key holds the font
    assert recorded(lambda c: c.setFillColor(c._fillColorObj)) is None  # another state
    assert recorded(lambda c: c.stringWidth("x", "Helvetica", 10)) is None  # a value returned

    def path(c: Any) -> None:
        p = c.beginPath()
        p.moveTo(0, 0)
        p.lineTo(10, 10)
        c.drawPath(p)

    calls = recorded(path)
    assert [name for name, _, _ in calls] == ["drawPath"]
    assert calls[0][1][0].getCode() == "n 0 0 m 10 10 l"


def test_a_setting_made_while_recording_is_replayed():
    canvas = Canvas(io.BytesIO())
    recorder = Recorder(canvas)
    recorder._fillMode = 1
    assert canvas._fillMode == 1
    other = Canvas(io.BytesIO())
    images.replay(other, recorder.calls())
    assert other._fillMode == 1
