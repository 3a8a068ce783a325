"""A NativeChart drawn with python-pptx: data in a reproducible embedded workbook, styles, labels, alt text.

python-pptx embeds each chart's data as an .xlsx written by XlsxWriter, which stamps the current time
into the workbook's properties; here the workbook carries the document's epoch instead, so two builds
give the same bytes (XlsxWriter already dates its zip entries 1980-01-01).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, cast

from lxml import etree
from pptx.chart.chart import Chart
from pptx.chart.data import CategoryChartData, ChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_MARKER_STYLE, XL_TICK_MARK
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide
from pptx.util import Emu, Pt
from xlsxwriter import Workbook

from digibrief.writers.pptx.layout import ChartEl
from digibrief.writers.pptx.native import Label, NativeChart, NSeries

EMU_PER_PT = 12700
TYPES = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED_100,
}
MARKERS = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "square": XL_MARKER_STYLE.SQUARE,
    "triangle": XL_MARKER_STYLE.TRIANGLE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "x": XL_MARKER_STYLE.X,
    "star": XL_MARKER_STYLE.STAR,
    "none": XL_MARKER_STYLE.NONE,
}
DASHES = {
    "solid": MSO_LINE_DASH_STYLE.SOLID,
    "dash": MSO_LINE_DASH_STYLE.DASH,
    "sysDot": MSO_LINE_DASH_STYLE.ROUND_DOT,
}
POSITIONS = {
    "r": XL_LABEL_POSITION.RIGHT,
    "t": XL_LABEL_POSITION.ABOVE,
    "ctr": XL_LABEL_POSITION.CENTER,
    "outEnd": XL_LABEL_POSITION.OUTSIDE_END,
    "inEnd": XL_LABEL_POSITION.INSIDE_END,
}


def _emu(pt: float) -> Emu:
    return Emu(round(pt * EMU_PER_PT))


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


# --- reproducible embedded workbook --------------------------------------------------------------------


class _StableWorkbookWriter(CategoryWorkbookWriter):
    """python-pptx's workbook writer with fixed document properties instead of the time of the build."""

    def __init__(self, chart_data: CategoryChartData, created: dt.datetime):
        super().__init__(chart_data)
        self._created = created

    @contextmanager
    def _open_worksheet(self, xlsx_file: IO[bytes]) -> Iterator[tuple[Workbook, object]]:
        workbook = Workbook(xlsx_file, {"in_memory": True})
        workbook.set_properties({"created": self._created, "author": "digibrief"})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class StableChartData(ChartData):
    """Category chart data whose embedded workbook is dated `created`, not now."""

    def __init__(self, created: dt.datetime, number_format: str = "General"):
        super().__init__(number_format)
        self._stable_writer = _StableWorkbookWriter(self, created)

    @property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return self._stable_writer


# --- drawing -------------------------------------------------------------------------------------------


def _positive_axis_ids(chart: Chart) -> None:
    """Number the chart's axes 1, 2, ... in their order: python-pptx's bar-chart template writes negative
    ids, which the schema (an unsignedInt) refuses; every c:axId and c:crossAx keeps its pairing."""
    plot_area = chart._chartSpace.chart.plotArea
    ids: dict[str, str] = {}
    for el in plot_area.iter(qn("c:axId"), qn("c:crossAx")):
        el.set("val", ids.setdefault(el.get("val"), str(len(ids) + 1)))


# a drawn chart's part and workbook (chart XML, xlsx bytes), by the chart's repr and the date its
# workbook carries: a slide drawn again around the same chart (a new headline) adds them as they were
_DRAWN: OrderedDict[str, tuple[bytes, bytes]] = OrderedDict()
KEEP_CHARTS = 64


def forget() -> None:
    """Drop the kept charts, as a new process has none."""
    _DRAWN.clear()


class ChartDrawer:
    def __init__(self, created: dt.datetime):
        self.created = created

    def draw(self, slide: Slide, el: ChartEl) -> None:
        """The chart on the slide: its parts as drawn before, or drawn."""
        key = f"{self.created.isoformat()}\0{el.chart!r}"
        kept = _DRAWN.get(key)
        frame = self._add_drawn(slide, el, *kept) if kept is not None else None
        if frame is not None:
            _DRAWN.move_to_end(key)
        else:
            frame = self._draw(slide, el)
            part = frame.chart_part
            _DRAWN[key] = (part.blob, part.chart_workbook.xlsx_part.blob)
            while len(_DRAWN) > KEEP_CHARTS:
                _DRAWN.popitem(last=False)
        frame.name = el.name
        frame._element.nvGraphicFramePr.cNvPr.set("descr", el.alt)  # no public alt-text API

    def _add_drawn(self, slide: Slide, el: ChartEl, xml: bytes, workbook: bytes) -> GraphicFrame | None:
        """A chart part and workbook drawn before, added as python-pptx's add_chart adds new ones; None
        (and nothing added) if the part read back would not be written as it was."""
        chart_space = parse_xml(xml)
        if serialize_part_xml(chart_space) != xml or chart_space.xlsx_part_rId != "rId1":
            return None
        package = slide.part.package
        part = ChartPart(
            package.next_partname(ChartPart.partname_template), CT.DML_CHART, package, chart_space
        )
        part.relate_to(EmbeddedXlsxPart.new(workbook, package), RT.PACKAGE)  # its first: rId1
        rid = slide.part.relate_to(part, RT.CHART)
        w, h = el.chart.size
        shapes = slide.shapes
        graphic = shapes._add_chart_graphicFrame(rid, _emu(el.box.x), _emu(el.box.y), _emu(w), _emu(h))
        shapes._recalculate_extents()
        return cast(GraphicFrame, shapes._shape_factory(graphic))

    def _draw(self, slide: Slide, el: ChartEl) -> GraphicFrame:
        n = el.chart
        data = StableChartData(self.created, n.number_format)
        if n.dates:
            data.categories = [dt.date(int(y), 1, 1) for y in n.categories]
            data.categories.number_format = "yyyy"
        else:
            data.categories = list(n.categories)
        for s in n.series:
            data.add_series(s.name, list(s.values))
        w, h = n.size
        frame = cast(
            GraphicFrame,  # python-pptx's annotation says Chart; it returns the frame holding the chart
            slide.shapes.add_chart(TYPES[n.kind], _emu(el.box.x), _emu(el.box.y), _emu(w), _emu(h), data),
        )
        chart = frame.chart
        _positive_axis_ids(chart)
        chart.has_title = False
        chart.has_legend = False
        chart.font.size = Pt(n.label_size)
        chart.font.color.rgb = _rgb(n.text)
        if n.font:
            chart.font.name = n.font
        self._no_fill(chart)
        self._plot_area(chart, n)
        if n.kind == "line":
            self._line_axes(chart, n)
        else:
            self._bar_axes(chart, n)
        plot = chart.plots[0]
        if n.kind != "line":
            plot.gap_width = n.gap_width
            plot.vary_by_categories = False
            if n.kind == "stacked":
                plot.overlap = 100
        for series, spec in zip(plot.series, n.series, strict=True):
            if n.kind == "line":
                self._line(series, spec, n)
            else:
                self._bar(series, spec, n)
            for label in spec.labels:
                self._label(series, label, n)
            if spec.labels:  # labels moved apart from each other need no line back to their point
                d_lbls = series._element.find(qn("c:dLbls"))
                lines = d_lbls.find(qn("c:showLeaderLines")) if d_lbls is not None else None
                if lines is not None:
                    lines.set("val", "0")
        return frame

    # --- chart furniture -----------------------------------------------------------------------

    def _no_fill(self, chart: Chart) -> None:
        """Transparent chart and plot areas, so the slide (light or dark) shows through."""
        space = chart._chartSpace
        for parent, before in ((space, qn("c:txPr")), (space.chart.plotArea, None)):
            sppr = parent.find(qn("c:spPr"))
            if sppr is None:
                sppr = etree.SubElement(parent, qn("c:spPr"))
                anchor = parent.find(before) if before else None
                if anchor is not None:
                    anchor.addprevious(sppr)
            for child in list(sppr):
                sppr.remove(child)
            etree.SubElement(sppr, qn("a:noFill"))
            ln = etree.SubElement(sppr, qn("a:ln"))
            etree.SubElement(ln, qn("a:noFill"))

    def _plot_area(self, chart: Chart, n: NativeChart) -> None:
        """The inner plot area where native.py placed it, so its label positions hold."""
        plot_area = chart._chartSpace.chart.plotArea
        layout = plot_area.find(qn("c:layout"))
        if layout is None:
            layout = etree.Element(qn("c:layout"))
            plot_area.insert(0, layout)
        for child in list(layout):
            layout.remove(child)
        manual = etree.SubElement(layout, qn("c:manualLayout"))
        x, y, w, h = n.plot
        for tag, val in (("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge")):
            etree.SubElement(manual, qn(f"c:{tag}"), val=val)
        for tag, v in (("x", x), ("y", y), ("w", w), ("h", h)):
            etree.SubElement(manual, qn(f"c:{tag}"), val=f"{v:.4f}")

    def _ticks(self, axis, n: NativeChart, colour: str) -> None:
        axis.tick_labels.font.size = Pt(n.label_size)
        axis.tick_labels.font.color.rgb = _rgb(colour)
        if n.font:
            axis.tick_labels.font.name = n.font

    def _line_axes(self, chart: Chart, n: NativeChart) -> None:
        va = chart.value_axis
        va.minimum_scale, va.maximum_scale, va.major_unit = n.values.minimum, n.values.maximum, n.values.major
        va.tick_labels.number_format = n.values.number_format
        va.tick_labels.number_format_is_linked = False
        va.has_major_gridlines = n.values.gridlines
        if n.values.gridlines:
            va.major_gridlines.format.line.color.rgb = _rgb(n.rule)
            va.major_gridlines.format.line.width = Pt(0.75)
        va.format.line.fill.background()
        va.major_tick_mark = XL_TICK_MARK.NONE
        self._ticks(va, n, n.text)
        if n.values.reverse:  # ranks: 1st at the top, the years still along the bottom
            va.reverse_order = True
            va.crosses = XL_AXIS_CROSSES.MAXIMUM
        ca = chart.category_axis
        ca.format.line.color.rgb = _rgb(n.text)
        ca.major_tick_mark = XL_TICK_MARK.OUTSIDE
        self._ticks(ca, n, n.text)
        date_axis = chart._chartSpace.find(f".//{qn('c:dateAx')}")
        if date_axis is not None:  # a time axis counted in years, not days
            date_axis.find(qn("c:baseTimeUnit")).set("val", "years")
            etree.SubElement(date_axis, qn("c:majorUnit"), val=str(n.year_step))
            etree.SubElement(date_axis, qn("c:majorTimeUnit"), val="years")

    def _bar_axes(self, chart: Chart, n: NativeChart) -> None:
        va = chart.value_axis
        va.minimum_scale, va.maximum_scale = n.values.minimum, n.values.maximum
        va.has_major_gridlines = False
        va.visible = False
        ca = chart.category_axis
        ca.format.line.color.rgb = _rgb(n.rule)
        ca.major_tick_mark = XL_TICK_MARK.NONE
        self._ticks(ca, n, n.names or n.text)
        if n.categories_reversed:
            ca.reverse_order = True

    # --- series --------------------------------------------------------------------------------

    def _line(self, series, s: NSeries, n: NativeChart) -> None:
        series.smooth = False
        if s.overlay:  # markers only, over another series
            series.format.line.fill.background()
            marker = series.marker
            marker.style = MARKERS[s.marker]
            marker.size = s.marker_size
            look = marker.format
            look.fill.solid()
            look.fill.fore_color.rgb = _rgb(s.colour)
            look.line.fill.background()
            return
        colour = _rgb(s.colour)
        line = series.format.line
        line.color.rgb = colour
        line.width = Pt(s.width)
        line.dash_style = DASHES[s.dash]
        marker = series.marker
        marker.style = MARKERS[s.marker]
        marker.size = s.marker_size
        look = marker.format
        look.fill.solid()
        look.fill.fore_color.rgb = colour
        look.line.color.rgb = colour

    def _bar(self, series, s: NSeries, n: NativeChart) -> None:
        series.invert_if_negative = False
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(s.colour)
        series.format.line.fill.background()
        colours = dict(s.point_colours)
        for k, colour in colours.items():
            point = series.points[k]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colour)
        for k in s.hollow:  # reported or unverified: an outlined bar
            point = series.points[k]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(n.background)
            point.format.line.color.rgb = _rgb(colours.get(k, s.colour))
            point.format.line.width = Pt(1.75)

    def _label(self, series, label: Label, n: NativeChart) -> None:
        dl = series.points[label.index].data_label
        dl.has_text_frame = True
        tf = dl.text_frame
        tf.text = label.text
        body = dl._dLbl.find(f"{qn('c:tx')}/{qn('c:rich')}/{qn('a:bodyPr')}")
        body.set("wrap", "none")  # one line: native.py measured it as one
        size, colour = Pt(n.label_size), _rgb(label.colour)
        for run in tf.paragraphs[0].runs:
            font = run.font
            font.size = size
            font.bold = label.bold
            font.color.rgb = colour
            if n.font:
                font.name = n.font
        dl.position = POSITIONS[label.position]
        if label.dx or label.dy:  # moved off its default place (apart from another label)
            d_lbl = dl._get_or_add_dLbl()
            layout = etree.Element(qn("c:layout"))
            manual = etree.SubElement(layout, qn("c:manualLayout"))
            w, h = n.size
            etree.SubElement(manual, qn("c:x"), val=f"{label.dx / w:.4f}")
            etree.SubElement(manual, qn("c:y"), val=f"{label.dy / h:.4f}")
            d_lbl.idx.addnext(layout)
