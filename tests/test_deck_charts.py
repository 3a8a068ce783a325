"""Native deck charts: every value read back from the chart XML equals the data; gaps, ranks, colours,
direct labels, alt text, the embedded workbook (Edit Data) and its reproducible bytes."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO
from itertools import pairwise

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from digibrief.document.chartlayout import nice_step, value_axis
from digibrief.document.types import ChartSpec, Figure, Series, SeriesPoint, plain
from digibrief.document.words import ENGLISH
from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.native import (
    NATIVE_KINDS,
    PICTURE_KINDS,
    Builder,
    excel_format,
    spread,
)
from digibrief.writers.pptx.options import DeckOptions
from digibrief.writers.pptx.palette import Colours
from digibrief.writers.pptx.slides import slide_parts
from digibrief.writers.pptx.text import Metrics

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
EPOCH_1900 = dt.date(1899, 12, 30)  # Excel's serial date 0
UNVERIFIED = ENGLISH.word("series_unverified", series="").removeprefix(": ")  # open markers' series


@pytest.fixture(scope="module")
def project(shipped_doc, shipped_theme):
    """The shipped document and theme, composed once per session."""
    return shipped_doc, shipped_theme


@pytest.fixture(scope="module")
def rendered(rendered_deck):
    """The shipped deck and its images, rendered once per session (each chart drawn once)."""
    return rendered_deck


@pytest.fixture(scope="module")
def deck(rendered):
    return Presentation(BytesIO(rendered[0].data))


def frames(deck):
    """Every native chart of the deck by its alt text: (graphic frame, chart XML root)."""
    out = {}
    for slide in deck.slides:
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                descr = shape._element.nvGraphicFramePr.cNvPr.get("descr")
                out[descr] = (shape, shape.chart._chartSpace)
    return out


def series_of(space) -> list[tuple[str, list[str | float], list[float | None]]]:
    """(name, categories, values) of every series, as the chart XML caches them (empty cell = None)."""
    out = []
    for ser in space.iter(f"{C}ser"):
        name = ser.find(f"{C}tx").find(f".//{C}v").text
        cat = ser.find(f"{C}cat")
        cats: list[str | float] = []
        for cache_ in cat.iter(f"{C}numCache", f"{C}strCache"):
            n = int(cache_.find(f"{C}ptCount").get("val"))
            pts = {int(p.get("idx")): p.find(f"{C}v").text for p in cache_.iter(f"{C}pt")}
            numeric = cache_.tag == f"{C}numCache"
            cats = [float(pts[i]) if numeric else pts[i] for i in range(n)]
        val = ser.find(f"{C}val").find(f"{C}numRef/{C}numCache")
        n = int(val.find(f"{C}ptCount").get("val"))
        pts = {int(p.get("idx")): float(p.find(f"{C}v").text) for p in val.iter(f"{C}pt")}
        out.append((name, cats, [pts.get(i) for i in range(n)]))
    return out


def year_of(serial: float) -> int:
    return (EPOCH_1900 + dt.timedelta(days=serial)).year


def native_figures(doc) -> list[Figure]:
    return [f for f in doc.figures() if f.chart.kind in NATIVE_KINDS]


# --- how many charts are native --------------------------------------------------------------------------


def test_at_least_eight_native_charts_and_at_most_a_quarter_pictures(project, deck):
    doc, _ = project
    natives = frames(deck)
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    heat = [s for slide in deck.slides for s in slide.shapes if s.has_table and s.name.startswith("Chart: ")]
    total = len(natives) + len(pictures) + len(heat)
    assert total == len(
        {p.id for f in doc.figures() for p in slide_parts(f.chart)}
    )  # a long timeline in parts
    assert len(natives) >= 8
    assert len(pictures) <= total / 4
    assert {
        f.chart.kind
        for f in doc.figures()
        if f.chart.alt in {p._element._nvXxPr.cNvPr.get("descr") for p in pictures}
    } <= PICTURE_KINDS


# --- every value equals the data ---------------------------------------------------------------------------


def expected_lines(spec: ChartSpec) -> dict[str, dict[int, float | None]]:
    years = sorted({p.year for s in spec.series for p in s.points})
    return {
        s.label: {y: next((p.value for p in s.points if p.year == y), None) for y in years}
        for s in spec.series
    }


def test_every_series_value_of_every_native_chart_equals_the_data(project, deck):
    doc, _ = project
    found = frames(deck)
    checked = 0
    for f in native_figures(doc):
        spec = f.chart
        _, space = found[spec.alt]
        got = series_of(space)
        if spec.kind in ("index_by_year", "trend", "rank_path"):
            want = expected_lines(spec)
            main = {
                name: (cats, vals)
                for name, cats, vals in got
                if not name.endswith(UNVERIFIED) and UNVERIFIED not in name
            }
            assert set(main) == set(want), spec.id
            for name, (cats, vals) in main.items():
                assert [year_of(float(c)) for c in cats] == list(want[name]), spec.id
                assert vals == list(want[name].values()), f"{spec.id}: {name}"
                checked += sum(v is not None for v in vals)
        elif spec.kind == "peer_bar":
            ((name, cats, vals),) = got
            latest = {
                s.label: next((p.value for p in reversed(s.points) if p.value is not None), None)
                for s in spec.series
            }
            assert dict(zip([str(c).removesuffix(" (no data)") for c in cats], vals, strict=True)) == latest
            assert vals == sorted((v for v in vals if v is not None), reverse=not spec.invert), "best first"
            checked += len(vals)
        elif spec.kind == "online_offline":
            (on_name, cats, online), (off_name, _, offline) = got
            assert (on_name, off_name) == ("Online", "Offline")
            data = {p.year: p.value for p in spec.series[0].points}
            assert [int(c) for c in cats] == list(range(min(data), max(data) + 1)), (
                "missing years stay as gaps"
            )
            assert online == [data.get(int(c)) for c in cats]
            assert offline == [None if v is None else pytest.approx(100 - v) for v in online]
            checked += len(data)
    assert checked > 150


def test_missing_years_are_gaps_never_zeros(project, deck):
    doc, _ = project
    found = frames(deck)
    trend = next(
        f.chart
        for f in native_figures(doc)
        if f.chart.kind == "trend" and not any(s.emphasis for s in f.chart.series)
    )
    _, space = found[trend.alt]
    assert space.find(f".//{C}dispBlanksAs").get("val") == "gap"
    gaps = [
        (name, i)
        for name, _, vals in series_of(space)
        for i, v in enumerate(vals)
        if v is None and UNVERIFIED not in name
    ]
    assert gaps, "the shipped data has missing years (Tajikistan 2018-2019)"
    assert all(v != 0 for _, _, vals in series_of(space) for v in vals)


def test_the_embedded_workbook_holds_the_same_values_for_edit_data(project, deck):
    doc, _ = project
    found = frames(deck)
    spec = next(f.chart for f in native_figures(doc) if f.chart.kind == "index_by_year")
    frame, _ = found[spec.alt]
    blob = frame.chart.part.chart_workbook.xlsx_part.blob
    with zipfile.ZipFile(BytesIO(blob)) as z:
        sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        strings = [
            t.text for t in etree.fromstring(z.read("xl/sharedStrings.xml")).iter() if t.tag.endswith("}t")
        ]
        core = z.read("docProps/core.xml").decode()
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    numbers = {float(v.text) for c in sheet.iter(f"{ns}c") if c.get("t") != "s" for v in c.iter(f"{ns}v")}
    for s in spec.series:
        assert s.label in strings, "countries head the columns"
        assert {p.value for p in s.points if p.value is not None} <= numbers
    epoch = dt.datetime.fromtimestamp(doc.meta.epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{epoch}<" in core, "the workbook is dated by the document, not by the build"


# --- how the charts look -----------------------------------------------------------------------------------


def colour(el) -> str | None:
    found = el.find(f"{C}spPr/{{http://schemas.openxmlformats.org/drawingml/2006/main}}ln//*[@val]")
    return found.get("val") if found is not None else None


def test_the_focus_country_is_coloured_and_its_peers_grey(project, deck):
    doc, theme = project
    found = frames(deck)
    focused = [
        f.chart
        for f in native_figures(doc)
        if f.chart.kind == "trend" and any(s.emphasis for s in f.chart.series)
    ]
    assert focused
    for spec in focused:
        _, space = found[spec.alt]
        focus = next(s.label for s in spec.series if s.emphasis)
        for ser in space.iter(f"{C}ser"):
            name = ser.find(f"{C}tx").find(f".//{C}v").text
            if UNVERIFIED in name:
                continue
            want = theme.focus if name == focus else theme.peer
            assert colour(ser) == want.lstrip("#").upper(), name


def test_bars_show_the_focus_in_colour_against_grey(project, deck):
    doc, theme = project
    found = frames(deck)
    spec = next(
        f.chart
        for f in native_figures(doc)
        if f.chart.kind == "peer_bar" and any(s.emphasis for s in f.chart.series)
    )
    _, space = found[spec.alt]
    ser = next(space.iter(f"{C}ser"))
    fill = ser.find(f"{C}spPr//{{http://schemas.openxmlformats.org/drawingml/2006/main}}srgbClr").get("val")
    assert fill == theme.peer.lstrip("#").upper()
    points = {int(p.find(f"{C}idx").get("val")): p for p in ser.iter(f"{C}dPt")}
    focus = [
        p for p in points.values() if p.find(f".//*[@val='{theme.focus.lstrip('#').upper()}']") is not None
    ]
    assert len(focus) == 1


def test_direct_end_labels_name_each_line_instead_of_a_legend(project, deck):
    doc, _ = project
    found = frames(deck)
    for f in native_figures(doc):
        frame, space = found[f.chart.alt]
        assert not frame.chart.has_legend
        assert space.find(f".//{C}autoTitleDeleted").get("val") == "1"
        if f.chart.kind in ("index_by_year", "trend"):
            labels = ["".join(t.itertext()) for t in space.iter(f"{C}dLbl")]
            for s in f.chart.series:
                assert any(t.replace("\u00a0", " ").startswith(s.label + " ") for t in labels), s.label


def test_rank_charts_put_first_at_the_top_with_years_along_the_bottom(project, deck):
    doc, _ = project
    found = frames(deck)
    ranks = [f.chart for f in native_figures(doc) if f.chart.invert]
    assert ranks
    for spec in ranks:
        _, space = found[spec.alt]
        val = space.find(f".//{C}valAx")
        assert val.find(f"{C}scaling/{C}orientation").get("val") == "maxMin"
        years = space.find(f".//{C}dateAx")
        assert years.find(f"{C}crosses").get("val") == "max", "the years cross the value axis at its maximum"


def test_reported_or_unverified_points_get_open_markers(project, deck):
    doc, _ = project
    found = frames(deck)
    spec = next(
        f.chart
        for f in native_figures(doc)
        if any(p.status != "verified" for s in f.chart.series for p in s.points)
    )
    _, space = found[spec.alt]
    marks = [vals for name, _, vals in series_of(space) if UNVERIFIED in name]
    assert len(marks) == 2, "a ring: a disc in the series colour under one in the background's"
    odd = [p.value for s in spec.series for p in s.points if p.status != "verified"]
    assert [v for v in marks[0] if v is not None] == odd


def test_every_native_chart_has_its_alt_text_and_the_heatmap_is_a_filled_table(project, deck):
    doc, theme = project
    assert {f.chart.alt for f in native_figures(doc)} <= set(frames(deck))
    heat = next(f.chart for f in doc.figures() if f.chart.kind == "heatmap")
    table = next(
        s for slide in deck.slides for s in slide.shapes if s.has_table and s.name.startswith("Chart: ")
    )
    assert table._element.nvGraphicFramePr.cNvPr.get("descr") == heat.alt
    across = table.table.cell(0, 1).text == heat.rows[0]  # countries as columns: the categories' names fit
    for i, row in enumerate(heat.cells, start=1):
        for j, level in enumerate(row, start=1):
            tc_pr = table.table.cell(j, i)._tc.tcPr if across else table.table.cell(i, j)._tc.tcPr
            if level is None:
                assert tc_pr.find(qn("a:pattFill")) is not None, "not assessed: a hatch, not a colour"
            else:
                fill = tc_pr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val")
                assert fill == theme.risk_levels[level].lstrip("#").upper()


def test_chart_labels_are_at_least_fourteen_points(deck):
    sizes = []
    for _, space in frames(deck).values():
        sizes += [
            int(r.get("sz"))
            for r in space.iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}rPr",
                "{http://schemas.openxmlformats.org/drawingml/2006/main}defRPr",
            )
            if r.get("sz")
        ]
    assert sizes and min(sizes) >= 1400


def test_headlines_are_the_slide_titles(project, deck):
    doc, _ = project
    titles = {s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title is not None}
    for f in doc.figures():
        assert plain(f.headline).strip(), f"{f.chart.id} has no headline"
        assert plain(f.headline) in titles


# --- reproducible ------------------------------------------------------------------------------------------


def test_two_builds_with_native_charts_are_byte_identical(project, rendered):
    doc, theme = project
    first, images = rendered
    again = render_pptx.render(doc, images, theme, DeckOptions())
    assert again.data == first.data
    with zipfile.ZipFile(BytesIO(first.data)) as z:
        books = [n for n in z.namelist() if re.match(r"ppt/embeddings/.*\.xlsx$", n)]
        assert len(books) == len(frames(Presentation(BytesIO(first.data))))


# --- the layout, unit by unit ---------------------------------------------------------------------------


def test_labels_are_spread_apart_and_kept_in_range():
    placed = spread([100.0, 104.0, 300.0, 106.0], 16.8, 0.0, 400.0)
    ordered = sorted(placed)
    assert all(b - a >= 16.8 - 1e-9 for a, b in pairwise(ordered))
    assert placed[2] == 300.0, "a label with room stays where it is"
    assert max(spread([390.0, 395.0, 399.0], 16.8, 0.0, 400.0)) <= 400.0


def test_round_steps_and_formats():
    assert nice_step(100) == 20 and nice_step(1.0) == 0.2 and nice_step(160) == 50
    assert excel_format("percent", 1) == '0.0"%"' and excel_format("score", 3, 0.2) == "0.0"
    assert excel_format("rank", 0, 50) == "#", "a rank axis leaves its zero blank"


def spec_of(kind, values, unit="percent", invert=False, value_range=(0.0, 100.0)) -> ChartSpec:
    series = tuple(
        Series(k, k, tuple(SeriesPoint(2010 + i, v) for i, v in enumerate(vs)), emphasis=(k == "A"))
        for k, vs in values.items()
    )
    return ChartSpec(
        "t",
        kind,
        "T",
        "",
        "",
        "",
        unit=unit,
        unit_label="u",
        decimals=1,
        value_range=value_range,
        invert=invert,
        series=series,
    )


def test_a_rank_axis_is_reversed_from_zero_to_a_round_worst(project):
    axis = value_axis(spec_of("rank_path", {"A": [39, 24]}, "rank", True, (1, 193)), [39.0, 24.0], ENGLISH)
    assert axis.reverse and axis.lo == 0 and axis.hi == 50 and axis.step == 10
    assert axis.ticks[0] == 1 and axis.labels[0] == "1", "1st is labelled at the top"


def test_a_chart_without_values_is_not_drawn_natively(project):
    _, theme = project
    b = Builder(Colours.of_theme(theme), Metrics(theme.fonts), 14, "DejaVu Sans")
    assert b.build(spec_of("trend", {"A": [None, None]}), 800, 300) is None
    line = b.build(spec_of("trend", {"A": [10, None, 30], "B": [20, 25, None]}), 800, 300)
    assert line is not None
    assert [(s.name, s.values) for s in line.series] == [("B", (20, 25, None)), ("A", (10, None, 30))]
