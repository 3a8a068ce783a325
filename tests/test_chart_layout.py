"""One chart layout, drawn twice: the brief's matplotlib chart and the deck's native chart show the same
labels and the same value axis for the same spec, and the axis fits the data."""

from __future__ import annotations

from io import BytesIO

import pytest
from matplotlib.text import Text
from pptx import Presentation

from digibrief import charts
from digibrief.document.chartlayout import layout, value_axis
from digibrief.document.types import ChartSpec, Series, SeriesPoint
from digibrief.document.words import ENGLISH
from digibrief.vocabulary import print_medium
from digibrief.writers.pptx.native import NATIVE_KINDS, Builder
from digibrief.writers.pptx.palette import Colours
from digibrief.writers.pptx.text import Metrics

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def same(text: str) -> str:
    """Text with whitespace aside: non-breaking spaces and line breaks count as one space."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def shipped(shipped_doc, rendered_deck):
    deck, _ = rendered_deck  # the shipped deck, rendered once per session
    spaces = {}
    for slide in Presentation(BytesIO(deck.data)).slides:
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                spaces[shape._element.nvGraphicFramePr.cNvPr.get("descr")] = shape.chart._chartSpace
    specs = {f.chart.id: f.chart for f in shipped_doc.figures() if f.chart.kind in NATIVE_KINDS}
    return specs, spaces


def brief_chart(spec: ChartSpec, theme):
    return charts.draw(spec, theme, charts.MEDIA[print_medium(spec.kind)])


def brief_texts(fig) -> set[str]:
    return {same(t.get_text()) for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()}


def native_labels(space) -> list[str]:
    """The text of every data label, as its rich text holds it."""
    runs = ("".join(t.text or "" for t in d.iter(f"{A}t")) for d in space.iter(f"{C}dLbl"))
    return [same(text) for text in runs if text.strip()]


def test_every_native_data_label_is_a_text_of_the_brief_chart(shipped, shipped_theme):
    specs, spaces = shipped
    assert len(specs) >= 8
    checked = 0
    for spec in specs.values():
        labels = native_labels(spaces[spec.alt])
        assert labels, spec.id
        missing = set(labels) - brief_texts(brief_chart(spec, shipped_theme))
        assert not missing, f"{spec.id}: the deck writes {sorted(missing)}, which its brief chart does not"
        checked += len(labels)
    assert checked >= 40


def test_the_deck_carries_the_brief_year_qualifiers(shipped):
    specs, spaces = shipped
    qualified = [
        (spec, s.end)
        for spec in specs.values()
        for s in layout(spec, ENGLISH).series
        if s.early and s.end.endswith(")")
    ]
    assert qualified, "the shipped data has a series that ends early (Turkmenistan, 2017)"
    for spec, end in qualified:
        assert same(end) in native_labels(spaces[spec.alt]), end


def test_native_and_brief_value_axes_have_the_same_bounds(shipped, shipped_theme):
    specs, spaces = shipped
    for spec in specs.values():
        if spec.kind == "online_offline":
            continue  # 100% columns: shares in the deck, percentages in the brief, both 0 to all
        scaling = spaces[spec.alt].find(f".//{C}valAx/{C}scaling")
        native = (float(scaling.find(f"{C}min").get("val")), float(scaling.find(f"{C}max").get("val")))
        ax = brief_chart(spec, shipped_theme).axes[0]
        drawn = ax.get_xlim() if spec.kind == "peer_bar" else ax.get_ylim()
        assert sorted(drawn) == pytest.approx(native), spec.id
        axis = layout(spec, ENGLISH).axis
        assert native == pytest.approx((axis.lo, axis.hi)), spec.id


def wide_range_spec(kind: str = "trend") -> ChartSpec:
    values = {"A": [102.0, 118.0, 131.0, 157.0], "B": [100.0, 110.0, 126.0, 144.0]}
    series = tuple(
        Series(
            k, f"Country {k}", tuple(SeriesPoint(2020 + i, v) for i, v in enumerate(vs)), emphasis=k == "A"
        )
        for k, vs in values.items()
    )
    return ChartSpec(
        "wide",
        kind,  # type: ignore[arg-type]
        "T",
        "Index 0-300",
        "Source: X.",
        "A chart.",
        unit="score",
        unit_label="Index",
        decimals=0,
        value_range=(0.0, 300.0),
        series=series,
    )


@pytest.mark.parametrize("kind", ["trend", "peer_bar"])
def test_an_axis_ranged_0_to_300_fits_data_near_100_to_160_in_both_outputs(kind, shipped_theme):
    spec = wide_range_spec(kind)
    axis = layout(spec, ENGLISH).axis
    assert 157 <= axis.hi <= 200, "the top bound is the round number above the data, not the range's 300"
    if kind == "trend":
        assert axis.ticks[-1] <= 200 and axis.lo >= 60, "a line chart's axis need not start at zero"
    else:
        assert axis.lo == 0, "bars start at zero"
    native = Builder(Colours.of_theme(shipped_theme), Metrics(shipped_theme.fonts), 14, "DejaVu Sans")
    chart = native.build(spec, 800, 300)
    assert chart is not None
    assert (chart.values.minimum, chart.values.maximum) == (axis.lo, axis.hi)
    ax = brief_chart(spec, shipped_theme).axes[0]
    drawn = sorted(ax.get_xlim() if kind == "peer_bar" else ax.get_ylim())
    assert drawn == pytest.approx([axis.lo, axis.hi])
    if kind == "trend":
        assert max(ax.get_yticks()) <= 200


def test_axis_bounds_are_round_within_the_range_and_bars_start_at_zero():
    spec = wide_range_spec()
    axis = value_axis(spec, [0.52, 0.91], ENGLISH)
    assert (axis.lo, axis.hi, axis.step) == (0.5, 1.0, 0.1)
    assert axis.labels == ("0.5", "0.6", "0.7", "0.8", "0.9", "1.0")
    capped = value_axis(spec, [150.0, 290.0], ENGLISH)
    assert capped.hi == 300, "never beyond the indicator's range"
    bars = value_axis(wide_range_spec("peer_bar"), [21.0, 92.0], ENGLISH)
    assert (bars.lo, bars.hi) == (0.0, 100.0)


def test_an_open_marker_note_is_a_layout_note_worded_for_the_kind():
    def with_reported(kind: str) -> ChartSpec:
        spec = wide_range_spec(kind)
        first = spec.series[0]
        points = (*first.points[:-1], SeriesPoint(first.points[-1].year, 157.0, "reported"))
        return ChartSpec(**{**spec.__dict__, "series": (Series("A", first.label, points), *spec.series[1:])})

    assert any(n.startswith("Hollow markers") for n in layout(with_reported("trend"), ENGLISH).notes)
    assert any(n.startswith("Hollow bars") for n in layout(with_reported("peer_bar"), ENGLISH).notes)
    assert not layout(wide_range_spec(), ENGLISH).notes
