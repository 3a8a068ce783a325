"""The deck's type as seen on the slide (issue 22): the risk matrix at 16 pt or more, and the timeline's
labels at 14 pt or more once its picture is placed (its parts on slides of their own when needed)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pptx import Presentation
from pptx.util import Emu

from digibrief import charts
from digibrief.vocabulary import MEDIA
from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.slides import TIMELINE_EVENTS, slide_parts

EMU_PER_IN = 914400


@pytest.fixture(scope="module")
def deck(shipped_doc, rendered_deck):  # type: ignore[no-untyped-def]
    """The session's one render of the shipped deck, its chart requests and images."""
    rendered, images = rendered_deck
    return Presentation(BytesIO(rendered.data)), render_pptx.image_requests(shipped_doc), images


def test_the_risk_matrix_is_set_at_16_pt_or_more(deck) -> None:  # type: ignore[no-untyped-def]
    prs, _, _ = deck
    sizes = [
        run.font.size.pt
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_table and shape.name.startswith("Chart:")
        for row in shape.table.rows
        for cell in row.cells
        for p in cell.text_frame.paragraphs
        for run in p.runs
        if run.text.strip() and run.font.size is not None
    ]
    assert sizes, "the risk matrix is a native table"
    assert min(sizes) >= 16


def test_the_timelines_labels_measure_14_pt_or_more_on_the_slide(deck, shipped_theme) -> None:  # type: ignore[no-untyped-def]
    prs, requests, images = deck
    pictures = {
        shape.image.blob: shape.width
        for slide in prs.slides
        for shape in slide.shapes
        if shape.shape_type == 13
    }
    timelines = [r for r in requests if r.chart.kind == "timeline"]
    assert timelines
    for req in timelines:
        medium = MEDIA[req.medium]
        svg = charts.render(req.chart, shipped_theme, medium, "svg").decode()
        smallest = min(float(x) for x in re.findall(r"font-size: ?([\d.]+)px", svg))
        scale = Emu(pictures[images[req.key]]) / (medium.width_in * EMU_PER_IN)
        assert smallest * scale >= 14, (req.chart.id, smallest, scale)


def test_a_long_timeline_is_split_by_lanes_and_a_short_one_is_not(shipped_doc) -> None:  # type: ignore[no-untyped-def]
    spec = next(f.chart for f in shipped_doc.figures() if f.chart.kind == "timeline")
    parts = slide_parts(spec)
    assert [lane for p in parts for lane in p.lanes] == list(spec.lanes)
    assert all(
        sum(len(lane.events) for lane in p.lanes) <= TIMELINE_EVENTS or len(p.lanes) == 1 for p in parts
    )
    assert len({p.id for p in parts}) == len(parts)
    short = parts[-1]
    assert slide_parts(short) == [short]
