"""Page craft of the charts drawn from the shipped data (issue 13): one colour per country in every
chart of both outputs, line-end labels apart, rank axes with round ticks and gaps at missing years,
one dash in titles and subtitles and no period repeated from the title."""

from __future__ import annotations

import math
import re
from functools import cache
from itertools import combinations

import pytest

from digibrief import charts
from digibrief.charts.colours import readable
from digibrief.document.compose import compose
from digibrief.document.types import ChartSpec, Series, SeriesPoint, colour_slots
from digibrief.project.load import load
from digibrief.project.theming import make_theme
from digibrief.vocabulary import print_medium
from digibrief.writers.pptx.native import Builder
from digibrief.writers.pptx.palette import Colours

from .conftest import DATA, REPORT


@cache
def project():
    return load(DATA, REPORT)


@cache
def specs() -> tuple[ChartSpec, ...]:
    return tuple({f.chart.id: f.chart for f in compose(project()).figures()}.values())


@cache
def theme():
    return make_theme(project().theme, REPORT)


def spec(spec_id: str) -> ChartSpec:
    return next(s for s in specs() if s.id == spec_id)


def drawn(s: ChartSpec, medium: str = "print"):
    m = charts.MEDIA[print_medium(s.kind)] if medium == "print" else charts.MEDIA[medium]
    fig = charts.draw(s, theme(), m)
    fig.draw_without_rendering()  # laid out as a draw lays it out, the same extents, without the pixels
    return fig


def test_each_country_keeps_one_colour_in_every_chart_and_the_context_country_none():
    seen: dict[str, set[int | None]] = {}
    for s in specs():
        for series in s.series:
            seen.setdefault(series.key, set()).add(series.colour)
    assert all(len(v) == 1 for v in seen.values()), seen
    focus = {k: next(iter(v)) for k, v in seen.items() if project().countries[k].role == "focus"}
    assert sorted(focus.values()) == list(range(len(focus)))  # distinct, from the report's order
    assert focus["KAZ"] == 0 and seen["TKM"] == {None}  # Turkmenistan is context: no focus colour


def end_label_colours(s: ChartSpec) -> dict[str, str]:
    from matplotlib.colors import to_hex

    fig = drawn(s)
    names = {series.label for series in s.series}
    return {
        t.get_text().split(" ")[0]: to_hex(t.get_color())
        for t in fig.axes[0].texts
        if t.get_text().split(" ")[0] in names
    }


def test_the_pdf_charts_draw_a_country_in_the_same_colour_and_turkmenistan_not_in_a_focus_colour():
    a, b = end_label_colours(spec("egdi-score")), end_label_colours(spec("internet-users"))
    assert set(a) == set(b) == {s.label for s in spec("egdi-score").series}
    assert a == b
    palette = {readable(c) for c in theme().palette}
    assert a["Kazakhstan"] == readable(theme().palette[0])
    assert a["Turkmenistan"] not in palette
    assert len(set(a.values())) == len(a)


def test_the_deck_reads_the_same_colour_field():
    c = Colours.of_theme(theme())
    s = spec("internet-users")
    layout = Builder.__new__(Builder)
    layout.c = c
    styles = layout.styles(s.series)
    for series, slot, style in zip(s.series, colour_slots(s.series), styles, strict=True):
        if series.colour is None:
            assert style[0] not in c.series and style[4] != "solid"
        else:
            assert style[0] == c.series[slot]


@pytest.mark.parametrize("medium", ["print", "slide_wide", "slide_half"])
@pytest.mark.parametrize("spec_id", ["egdi-score", "internet-users", "kgz-internet"])
def test_line_end_labels_never_collide(spec_id, medium):
    fig = drawn(spec(spec_id), medium)
    r = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(r)) for t in fig.axes[0].texts if t.get_text().strip()]
    for (ta, a), (tb, b) in combinations(boxes, 2):
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert not (w > 0.5 and h > 0.5), f"{ta!r} overlaps {tb!r}"


def test_close_line_ends_are_spread_apart():
    """Tajikistan and Turkmenistan ending a thousandth apart still get separate labels."""
    years = [2016, 2018, 2022, 2024]

    def s(key: str, label: str, vals: list[float], colour: int | None) -> Series:
        return Series(
            key, label, tuple(SeriesPoint(y, v) for y, v in zip(years, vals, strict=True)), colour=colour
        )

    close = ChartSpec(
        id="close",
        kind="index_by_year",
        title="t",
        subtitle="s",
        source_line="",
        alt="a",
        unit="score",
        decimals=3,
        value_range=(0, 1),
        series=(
            s("TJK", "Tajikistan", [0.34, 0.42, 0.50, 0.561], 3),
            s("TKM", "Turkmenistan", [0.33, 0.37, 0.48, 0.560], None),
        ),
    )
    for medium in ("print", "slide_wide"):
        fig = drawn(close, medium)
        r = fig.canvas.get_renderer()
        a, b = (t.get_window_extent(r) for t in fig.axes[0].texts if t.get_text().startswith("T"))
        assert min(a.y1, b.y1) - max(a.y0, b.y0) <= 0.5


def test_a_rank_path_breaks_its_line_at_missing_years():
    s = spec("uzb-ai-rank")
    years = [p.year for p in s.series[0].points]
    assert years == list(range(2019, 2025))  # the index is yearly: 2020-2022 are points without a value
    assert [p.value is None for p in s.series[0].points] == [False, True, True, True, False, False]
    fig = drawn(s)
    line = max(fig.axes[0].lines, key=lambda ln: len(ln.get_xdata()))
    xs, ys = list(line.get_xdata()), list(line.get_ydata())
    assert xs == years and all(math.isnan(ys[xs.index(y)]) for y in (2020, 2021, 2022))
    # a biennial survey stays joined: a gap is a missing publication, not the step between them
    egdi = [p.year for p in spec("kaz-egdi-rank").series[0].points]
    assert egdi == list(range(2014, 2025, 2))


@pytest.mark.parametrize("spec_id", ["uzb-ai-rank", "kaz-egdi-rank"])
def test_rank_axes_have_round_ticks(spec_id):
    fig = drawn(spec(spec_id))
    ticks = [
        t for t in fig.axes[0].get_yticks() if fig.axes[0].get_ylim()[1] <= t <= fig.axes[0].get_ylim()[0]
    ]
    assert ticks[0] == 1
    assert all(t % 5 == 0 for t in ticks[1:]), ticks


def test_titles_and_subtitles_use_one_dash_and_do_not_repeat_the_period():
    for s in specs():
        for text in (s.title, s.subtitle):
            assert not re.search(r"\d\s*[-\u2014]\s*\d", text), text
    # a title that gives the years leaves them out of the subtitle
    assert spec("egdi-score").subtitle == "score (0\u20131)"
    assert spec("internet-users").subtitle.endswith("2010\u20132023")


# --- the locator map -------------------------------------------------------------------------------


def locator(country: str | None = None) -> ChartSpec:
    from digibrief.document.chartspecs import SpecBuilder
    from digibrief.document.words import ENGLISH

    return SpecBuilder(project(), ENGLISH, lambda ids: (1,)).locator_map(country)[0]


def test_the_boundaries_file_is_small_sourced_and_holds_the_region():
    from digibrief.project.geo import WORLD

    assert WORLD.stat().st_size < 200_000
    geo = project().geo
    assert geo is not None and geo.source == "NATURAL_EARTH_110M"
    assert project().sources[geo.source].kind == "primary"
    ids = {s.id for s in geo.shapes}
    assert set(project().countries) <= ids
    assert {"RUS", "CHN", "AFG", "IRN"} <= ids


def test_the_locator_map_fills_focus_countries_in_their_chart_colours_and_outlines_the_context():
    spec = locator()
    roles = {s.key: (s.role, s.colour) for s in spec.shapes}
    for series in spec_of_region().series:
        assert roles[series.key] == ("focus" if series.colour is not None else "context", series.colour)
    assert roles["RUS"] == ("neighbour", None)
    assert spec.source_line == "Source: Natural Earth (2018)."
    fig = drawn(spec)
    from matplotlib.colors import to_hex
    from matplotlib.patches import Polygon

    fills = {to_hex(p.get_facecolor()) for p in fig.axes[0].patches if isinstance(p, Polygon)}
    focus = [s.colour for s in spec.shapes if s.role == "focus"]
    assert len(focus) == 4 and {theme().palette[i].lower() for i in focus} <= fills


def spec_of_region() -> ChartSpec:
    return spec("egdi-score")


@pytest.mark.parametrize("medium", ["print", "slide_half", "slide_wide"])
@pytest.mark.parametrize("country", [None, "TJK", "KGZ"])
def test_the_locator_map_names_countries_without_overlaps_or_clipping(country, medium):
    fig = drawn(locator(country), medium)
    r = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(r)) for t in fig.axes[0].texts if t.get_text().strip()]
    names = {text for text, _ in boxes}
    if country is None:
        assert {"Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"} <= names
    else:
        assert names == set()  # it stands beside the country's title, which names it
    frame = fig.axes[0].bbox
    for text, box in boxes:
        assert frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5, f"{text!r} clipped"
        assert frame.y0 - 0.5 <= box.y0 and box.y1 <= frame.y1 + 0.5, f"{text!r} clipped"
    for (ta, a), (tb, b) in combinations(boxes, 2):
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert not (w > 0.5 and h > 0.5), f"{ta!r} overlaps {tb!r}"


def test_a_country_page_map_highlights_that_country_alone():
    spec = locator("TJK")
    assert [s.key for s in spec.shapes if s.emphasis] == ["TJK"]
    fig = drawn(spec)
    from matplotlib.colors import to_hex

    fills = [to_hex(p.get_facecolor()) for p in fig.axes[0].patches]
    palette = [c.lower() for c in theme().palette]
    tjk = palette[next(s.colour for s in spec.shapes if s.key == "TJK")]
    assert tjk in fills and not (set(palette) - {tjk}) & set(fills)


def test_the_map_bytes_are_reproducible():
    spec = locator()
    m = charts.MEDIA["print"]
    assert charts.render(spec, theme(), m, "svg") == charts.render(spec, theme(), m, "svg")


def test_bad_boundaries_are_located_errors(tmp_path):
    from digibrief.project.geo import load_geo

    def problems(text: str) -> list[str]:
        path = tmp_path / "g.geojson"
        path.write_text(text, encoding="utf-8")
        out: list = []
        assert load_geo(path, "data/geo/g.geojson", out) is None
        return [str(p) for p in out]

    assert problems('{"type": "FeatureCollection",\n "features": [}')[0].startswith("data/geo/g.geojson:2:")
    ring = "[[60,40],[61,40],[61,41],[60,40]]"
    bad_id = (
        '{"type":"FeatureCollection","source":"X","frame":[44,33,90,56],"features":['
        '{"type":"Feature","properties":{"id":"kaz","name":"K"},"geometry":{"type":"Polygon","coordinates":['
        + ring
        + "]}}]}"
    )
    assert any("features[0].properties.id" in p for p in problems(bad_id))
    bad_point = bad_id.replace('"kaz"', '"KAZ"').replace("[60,40],[61,40]", "[60,40],[200,40]")
    assert any("features[0].geometry.coordinates[0]" in p and "outside" in p for p in problems(bad_point))
    bad_frame = bad_id.replace('"kaz"', '"KAZ"').replace('"frame":[44,33,90,56],', '"frame":[90,33,44,56],')
    assert any("frame" in p for p in problems(bad_frame))


@pytest.mark.parametrize("medium", ["print", "slide_wide"])
def test_every_milestone_label_hangs_from_its_event_on_a_leader_clear_of_every_dot(medium):
    from matplotlib.colors import to_hex

    s = next(x for x in specs() if x.kind == "timeline")
    fig = drawn(s, medium)
    ax = fig.axes[0]
    r = fig.canvas.get_renderer()
    dots = []
    leaders = []
    for line in ax.lines:
        xs, ys = line.get_xdata(), line.get_ydata()
        if line.get_marker() == "o":
            px, py = ax.transData.transform((xs[0], ys[0]))
            rad = line.get_markersize() * fig.dpi / 72 / 2
            dots.append((px - rad, py - rad, px + rad, py + rad))
        elif len(xs) == 2 and xs[0] == xs[1] and to_hex(line.get_color()) != theme().rule.lower():
            (_, ya), (_, yb) = ax.transData.transform([(xs[0], ys[0]), (xs[1], ys[1])])
            leaders.append(abs(yb - ya))
    labels = [t for t in ax.texts if t.get_text() not in {lane.label for lane in s.lanes}]
    assert len(leaders) == len(labels) == sum(len(lane.events) for lane in s.lanes)
    radius = max(d[2] - d[0] for d in dots) / 2
    assert min(leaders) > radius * 1.5  # a leader shows beyond the dot for every label
    for t in labels:
        b = t.get_window_extent(r)
        for x0, y0, x1, y1 in dots:
            assert not (b.x0 < x1 and x0 < b.x1 and b.y0 < y1 and y0 < b.y1), f"{t.get_text()!r} covers a dot"


def test_the_context_country_page_map_outlines_it_in_no_focus_colour():
    from matplotlib.colors import to_hex

    fig = drawn(locator("TKM"))
    fills = {to_hex(p.get_facecolor()) for p in fig.axes[0].patches}
    assert not {c.lower() for c in theme().palette} & fills


def test_a_kept_text_layout_measures_exactly_what_matplotlib_measures():
    from digibrief.charts.base import ChartDrawing, font_pt
    from digibrief.vocabulary import MEDIA

    ctx = ChartDrawing(specs()[0], theme(), MEDIA["print"], font_pt(theme(), MEDIA["print"]))
    ax = ctx.fig.add_axes((0.1, 0.1, 0.8, 0.8))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    text = ctx.text(ax, 1.0, 1.0, "Kyrgyzstan 83.4%\nsecond line", bold=True)
    for x, y, ha, va in [
        (1, 1, "left", "baseline"),
        (3.3, 7.1, "center", "center"),
        (9.9, 0.2, "right", "top"),
    ]:
        text.set_position((x, y))
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        for _ in range(2):  # measured, then taken from what was kept
            assert ctx.extent(text).bounds == text.get_window_extent(ctx.renderer).bounds
    text.set_fontsize(20)  # a style change is a new layout, not the kept one
    assert ctx.extent(text).bounds == text.get_window_extent(ctx.renderer).bounds
    text.set_text("shorter")
    assert ctx.extent(text).bounds == text.get_window_extent(ctx.renderer).bounds
