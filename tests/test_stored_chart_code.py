"""A one-shot build keeps the page code a chart wrote in the PDF writer's store, in its drawing's entry,
by the canvas state it was written in (writers/pdf/images.py, written.py): the next build, in this
process or another, writes the chart from there when its fonts number its text as then, with the bytes
of a chart drawn afresh; when they do not, the chart is drawn, and the code that draw wrote is kept."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from digibrief.pipeline.cache import DiskStore
from digibrief.writers.pdf import images, memo, written
from digibrief.writers.pdf.fonts import FontSet, register

from .conftest import another_character_first, answers_of_again, charts_pdf

KEY = "a labelled chart"
LABEL = "Kyrgyzstan \u2013 79.8\u202f%"  # beyond ASCII: the subsets number it in the order first drawn


@pytest.fixture(autouse=True)
def one_shot() -> Iterator[None]:
    """A process that keeps nothing between renders (memo.py), as a build's."""
    memo.forget()
    yield
    memo.forget()


@pytest.fixture
def fonts(shipped_theme: Any) -> FontSet:
    return register(shipped_theme.fonts)


def _labelled(fonts: FontSet, store: DiskStore | None) -> images.Chart:
    """A chart whose one text is LABEL, in the regular face, kept in store."""
    drawing = Drawing(200, 40)
    drawing.__dict__["initialFontName"] = fonts.regular  # as images.py sets it: no Helvetica by name
    drawing.add(String(10, 10, LABEL, fontName=fonts.regular, fontSize=9))
    return images.Chart(200, 40, drawing=pickle.dumps(drawing), fonts=fonts, store=store, key=KEY)


def _next_build(fonts: FontSet, store: DiskStore) -> images.Chart:
    """The chart as the next build's render finds it: read from its entry (images.chart_flowables)."""
    chart = images._unpickle(store.get(KEY), fonts)
    assert chart is not None
    chart.store, chart.key = store, KEY
    return chart


def _entries(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.glob("*.bin"))]


def _codes(store: DiskStore) -> dict[str, bytes]:
    raw = store.get(KEY)
    assert raw is not None
    return pickle.loads(raw)[3]


def test_a_chart_a_build_drew_is_written_in_the_next_from_the_code_the_store_keeps(
    fonts, tmp_path, monkeypatch
):
    drawn = charts_pdf([_labelled(fonts, None)])  # no store: drawn from its drawing
    store = DiskStore(tmp_path)
    assert charts_pdf([_labelled(fonts, store)]) == drawn
    assert len(_entries(tmp_path)) == 1 and len(_codes(store)) == 1  # the drawing's, with its code

    def no_drawing(chart: images.Chart, names: Any) -> Any:
        raise AssertionError("a chart written from the store's code unpickles no drawing")

    monkeypatch.setattr(images.Chart, "_drawing", no_drawing)
    assert charts_pdf([_next_build(fonts, store)]) == drawn


def test_the_stored_code_names_the_faces_by_their_stand_ins(fonts, tmp_path):
    """A face's name is the process's own: another process finds the code by the stand-ins."""

    def in_the_regular_face(canvas: Canvas) -> None:
        canvas.setFont(fonts.regular, 9)  # the state the chart begins in names the face

    store = DiskStore(tmp_path)
    charts_pdf([_labelled(fonts, store)], in_the_regular_face)
    (raw,) = _codes(store).values()
    assert fonts.regular.encode() not in raw
    names = {token: name for name, token in images._tokens(fonts).items()}
    kept = written.restore(raw, names)
    assert kept is not None and kept.calls[0][0] is pdfmetrics.getFont(fonts.regular)
    assert kept.start[0][2] == fonts.regular  # the canvas's font, as state() lists it
    assert written.restore(raw, {}) is None  # a stand-in this process has no face for: drawn


def test_a_chart_whose_text_the_fonts_now_number_otherwise_is_drawn_and_its_new_code_kept(
    fonts, tmp_path, monkeypatch
):
    other_text_first = another_character_first(fonts.regular)

    drawn = charts_pdf([_labelled(fonts, None)], other_text_first)
    store = DiskStore(tmp_path)
    charts_pdf([_labelled(fonts, store)])  # code kept as the chart alone numbers its text
    said = answers_of_again(monkeypatch)
    assert charts_pdf([_next_build(fonts, store)], other_text_first) == drawn
    assert said == [False]  # the state matched, the fonts did not
    assert charts_pdf([_next_build(fonts, store)], other_text_first) == drawn  # kept as that draw wrote it
    assert said == [False, True]


def test_a_chart_keeps_the_code_of_its_last_few_canvas_states(fonts, tmp_path):
    store = DiskStore(tmp_path)
    charts_pdf([_labelled(fonts, store)])
    for size in range(6, 6 + images.CODES + 1):  # a chart drawn after text set at another size each time

        def sized(canvas: Canvas, size: int = size) -> None:
            canvas.setFont(fonts.regular, size)

        charts_pdf([_next_build(fonts, store)], sized)
    assert len(_codes(store)) == images.CODES
