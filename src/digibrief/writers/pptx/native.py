"""A chart's layout as a native chart: its data, series colours, plot area and label positions (pure).

The layout the PDF's charts draw (document/chartlayout: value axis, marks, every label's text, notes)
becomes a chart PowerPoint can edit: lines over years on a time axis (gaps, never zeros, where a year
has no value), ranks on a reversed axis, bars and 100% columns. Only sizes are decided here: the plot
area and how far end labels move apart so that they never overlap. Nothing here imports python-pptx.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from digibrief.document.chartlayout import ChartLayout, LaidSeries, layout
from digibrief.document.types import ChartSpec, Series, colour_slots
from digibrief.document.words import ENGLISH, Speech
from digibrief.writers.pptx.palette import Colours, blend, legible
from digibrief.writers.pptx.palette import on as on_colour
from digibrief.writers.pptx.text import LINE, Metrics

Kind = Literal["line", "bar", "stacked"]
Position = Literal["r", "t", "ctr", "outEnd", "inEnd"]

NATIVE_KINDS = frozenset({"index_by_year", "trend", "rank_path", "peer_bar", "online_offline"})
TABLE_KINDS = frozenset({"heatmap"})  # drawn as a native table with filled cells
# kinds that stay pictures: a timeline is dozens of positioned labels with no data sheet behind them
PICTURE_KINDS = frozenset({"timeline"})

MARKERS = ("circle", "square", "triangle", "diamond", "x", "star")
DASHES = ("solid", "dash", "sysDot")
GAP_COLUMNS = 40  # space between 100% columns, as a percentage of a column's width
MAX_BAR_ROW = 52.0  # points per bar row: a chart of few bars is not stretched to the full height


@dataclass(frozen=True)
class Label:
    index: int  # the point it labels
    text: str
    colour: str
    position: Position = "r"
    bold: bool = False
    dx: float = 0.0  # points moved from the default position (right, down)
    dy: float = 0.0


@dataclass(frozen=True)
class NSeries:
    name: str  # the column heading in Edit Data
    values: tuple[float | None, ...]  # None = an empty cell, drawn as a gap
    colour: str  # line or bar fill
    width: float = 0.0  # line width (pt)
    marker: str = "none"
    marker_size: int = 7
    dash: str = "solid"
    hollow: tuple[int, ...] = ()  # points reported by one source or unverified
    point_colours: tuple[tuple[int, str], ...] = ()  # bars that differ from the series colour
    labels: tuple[Label, ...] = ()
    overlay: bool = False  # open markers over the points of another series: no line, no labels


@dataclass(frozen=True)
class Axis:
    minimum: float
    maximum: float
    major: float
    number_format: str
    reverse: bool = False
    visible: bool = True
    gridlines: bool = True


@dataclass(frozen=True)
class NativeChart:
    kind: Kind
    categories: tuple[int | str, ...]  # years (on a time axis when dates) or country names
    series: tuple[NSeries, ...]
    values: Axis
    number_format: str  # of the cells in Edit Data
    plot: tuple[float, float, float, float]  # inner plot area x, y, w, h as shares of the frame
    size: tuple[float, float]  # the frame, points
    label_size: float
    text: str  # axis text
    rule: str  # gridlines and axis line
    background: str
    font: str = ""
    names: str = ""  # category labels, when not in the axis colour (bar charts name countries in ink)
    dates: bool = False
    year_step: int = 1
    gap_width: int = 60
    categories_reversed: bool = False  # bars: the first category at the top
    notes: tuple[str, ...] = ()  # printed under the chart, e.g. what a hollow marker means


# --- helpers ---------------------------------------------------------------------------------------


def excel_format(unit: str, decimals: int, step: float | None = None) -> str:
    """The Excel number format of a unit: for cells in Edit Data, or for axis ticks at a given step."""
    if step is None:
        places = decimals
    else:
        text = f"{step:g}"
        places = len(text.split(".")[1]) if "." in text else 0
    number = "0" + ("." + "0" * places if places else "")
    if unit == "percent":
        return number + '"%"'
    if unit in ("count", "usd"):
        return "#,##0"
    if unit == "rank":
        return "0" if step is None else "#"  # '#' leaves the zero at the end of a rank axis blank
    return number


def year_step(first: int, last: int) -> int:
    span = last - first
    return 1 if span <= 8 else 2 if span <= 18 else 5


def axis_of(lay: ChartLayout, unit: str) -> Axis:
    """The layout's value axis with its Excel tick format."""
    a = lay.axis
    fmt_unit = "rank" if a.reverse else unit
    return Axis(
        a.lo,
        a.hi,
        a.step,
        excel_format(fmt_unit, a.decimals, a.step),
        reverse=a.reverse,
        visible=a.shown,
        gridlines=a.shown,
    )


def one_line(text: str) -> str:
    """Spaces made non-breaking: chart apps wrap data labels at a width of their own choosing."""
    return text.replace(" ", "\u00a0")


def spread(wanted: list[float], height: float, low: float, high: float) -> list[float]:
    """Label centres moved apart so that no two are closer than height, kept within [low, high]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    ys = [wanted[i] for i in order]
    for k in range(1, len(ys)):  # push down
        ys[k] = max(ys[k], ys[k - 1] + height)
    overflow = ys[-1] - high if ys else 0.0
    if overflow > 0:  # then up from the bottom
        ys[-1] -= overflow
        for k in range(len(ys) - 2, -1, -1):
            ys[k] = min(ys[k], ys[k + 1] - height)
    ys = [max(y, low) for y in ys]
    out = [0.0] * len(wanted)
    for i, y in zip(order, ys, strict=True):
        out[i] = y
    return out


# --- the builder -------------------------------------------------------------------------------------


class Builder:
    """Lays out native charts in a frame of w x h points, with labels at size in the theme's font."""

    def __init__(self, colours: Colours, m: Metrics, size: float, font: str, speech: Speech = ENGLISH):
        self.c = colours
        self.m = m
        self.size = size
        self.font = font
        self.speech = speech  # the document's: the layout's words and numbers

    def build(self, spec: ChartSpec, w: float, h: float) -> NativeChart | None:
        """The native chart for spec in a w x h frame; None when the spec has no value to draw."""
        lay = layout(spec, self.speech)
        if lay.empty:
            return None
        if spec.kind == "peer_bar":
            return self.bars(spec, lay, w, h)
        if spec.kind == "online_offline":
            return self.stacked(spec, lay, w, h)
        return self.lines(spec, lay, w, h)

    def _width(self, text: str, bold: bool = False) -> float:
        return self.m.width(text, self.size, bold)

    def _chart(self, kind: Kind, spec: ChartSpec, **kw: object) -> NativeChart:
        return NativeChart(
            kind=kind,
            label_size=self.size,
            text=self.c.muted,
            rule=self.c.rule,
            background=self.c.background,
            font=self.font,
            **kw,  # type: ignore[arg-type]
        )

    # --- lines: index_by_year, trend, rank_path ----------------------------------------------------

    def styles(self, series: Sequence[Series]) -> list[tuple[str, str, float, str, str, int]]:
        """(line colour, label colour, width, marker, dash, marker size) per series: the focus country
        in colour against grey peers, or each country in its own colour with its own marker."""
        c = self.c
        if any(s.emphasis for s in series):
            return [
                (c.focus, c.focus_text, 3.0, "circle", "solid", 8)
                if s.emphasis
                else (c.peer, c.muted, 1.75, "circle", "solid", 5)
                for s in series
            ]
        n = len(c.series)
        return [
            (
                c.series[i % n],
                legible(c.series[i % n], c.background),
                2.5,
                MARKERS[i % len(MARKERS)],
                DASHES[(i // n) % len(DASHES)],
                7,
            )
            if i >= 0  # the country's own colour (document.types.colour_slots); a context country is grey
            else (c.muted, legible(c.muted, c.background), 2.0, MARKERS[i], DASHES[1], 6)
            for i in colour_slots(series)
        ]

    def lines(self, spec: ChartSpec, lay: ChartLayout, w: float, h: float) -> NativeChart:
        years = [int(y) for y in lay.categories]
        axis = axis_of(lay, spec.unit)
        styles = self.styles(spec.series)
        pitch = self.size * LINE
        tick_w = max((self._width(t) for t in lay.axis.labels), default=0.0)
        left = tick_w + 10
        bottom = pitch + 8
        ends = [(i, s) for i, s in enumerate(lay.series) if s.end]
        top = pitch / 2 + 4 if ends else pitch + 4
        point_w = max((self._width(lb.text, True) for s in lay.series for lb in s.labels), default=0.0)
        right = (
            max(self._width(one_line(s.end), s.emphasis) for _, s in ends) + 14 if ends else point_w / 2 + 8
        )
        plot_w, plot_h = w - left - right, h - top - bottom

        def y_of(v: float) -> float:
            share = (v - axis.minimum) / (axis.maximum - axis.minimum)
            return top + (share if axis.reverse else 1 - share) * plot_h

        labels: dict[int, list[Label]] = {i: [] for i in range(len(lay.series))}
        for i, s in enumerate(lay.series):  # values written at points, above them
            labels[i] += [Label(lb.at, lb.text, styles[i][1], "t", bold=True) for lb in s.labels]
        # end labels at the right of their last points, moved apart (the layout's column, and the
        # labels of lines that end early, which a native chart cannot set beside free space)
        wanted = [y_of(s.marks[s.last].value or 0.0) for _, s in ends]
        placed = spread(wanted, pitch, top - pitch / 2, top + plot_h + pitch / 2)
        for (i, s), want, got in zip(ends, wanted, placed, strict=True):
            labels[i].append(
                Label(s.last, one_line(s.end), styles[i][1], "r", bold=s.emphasis, dy=got - want)
            )
        series_out: list[NSeries] = []
        overlays: list[NSeries] = []  # named in Edit Data as reported or unverified
        say = self.speech.word
        for i, s in enumerate(lay.series):
            colour, _, width, marker, dash, msize = styles[i]
            vals = tuple(m.value for m in s.marks)
            hollow = tuple(k for k, m in enumerate(s.marks) if m.open)
            series_out.append(
                NSeries(s.name, vals, colour, width, marker, msize, dash, hollow, (), tuple(labels[i]))
            )
            if hollow:  # open markers as a ring: a disc in the series colour under one in the background's,
                # each a series of its own, since LibreOffice draws neither point styles nor marker outlines
                marks = tuple(v if k in hollow else None for k, v in enumerate(vals))
                ring = max(msize, 7)
                overlays.append(
                    NSeries(
                        say("series_unverified", series=s.name),
                        marks,
                        colour,
                        0.0,
                        "circle",
                        ring + 4,
                        overlay=True,
                    )
                )
                overlays.append(
                    NSeries(
                        say("series_unverified_ring", series=s.name),
                        marks,
                        self.c.background,
                        0.0,
                        "circle",
                        ring,
                        overlay=True,
                    )
                )
        # the focus country is drawn last, on top of its peers, and open markers over everything
        order = sorted(range(len(series_out)), key=lambda i: lay.series[i].emphasis)
        return self._chart(
            "line",
            spec,
            categories=tuple(years),
            series=(*(series_out[i] for i in order), *overlays),
            values=axis,
            number_format=excel_format(spec.unit, spec.decimals),
            plot=(left / w, top / h, plot_w / w, plot_h / h),
            size=(w, h),
            dates=True,
            year_step=year_step(years[0], years[-1]),
            notes=lay.notes,
        )

    # --- bars: peer_bar ---------------------------------------------------------------------------

    def bars(self, spec: ChartSpec, lay: ChartLayout, w: float, h: float) -> NativeChart:
        c = self.c
        rows = lay.series
        focus_any = any(r.emphasis for r in rows)
        values = tuple(r.marks[0].value for r in rows)
        colours = [c.focus if r.emphasis or not focus_any else c.peer for r in rows]
        base = c.focus if not focus_any else c.peer
        labels = tuple(
            Label(k, r.labels[0].text, c.focus_text if r.emphasis else c.ink, "outEnd", bold=r.emphasis)
            for k, r in enumerate(rows)
            if r.marks[0].value is not None
        )
        names = tuple(str(n) for n in lay.categories)
        left = max(self._width(n, True) for n in names) + 12
        right = max((self._width(lb.text, lb.bold) for lb in labels), default=0.0) + 12
        n = max(len(rows), 1)
        height = min(h, n * MAX_BAR_ROW + 8)
        hollow = tuple(k for k, r in enumerate(rows) if r.marks[0].open)
        series = NSeries(
            spec.subtitle or spec.unit_label or "value",
            values,
            base,
            hollow=hollow,
            point_colours=tuple((k, col) for k, col in enumerate(colours) if col != base),
            labels=labels,
        )
        return self._chart(
            "bar",
            spec,
            categories=names,
            series=(series,),
            values=axis_of(lay, spec.unit),
            number_format=excel_format(spec.unit, spec.decimals),
            plot=(left / w, 4 / height, (w - left - right) / w, (height - 8) / height),
            size=(w, height),
            gap_width=45,
            categories_reversed=True,
            names=c.ink,
            notes=lay.notes,
        )

    # --- 100% columns: online_offline -------------------------------------------------------------

    def stacked(self, spec: ChartSpec, lay: ChartLayout, w: float, h: float) -> NativeChart:
        c = self.c
        on, off = lay.series
        years = [str(y) for y in lay.categories]
        pitch = self.size * LINE
        last = on.last
        hollow = tuple(k for k, m in enumerate(on.marks) if m.open)
        end_on, end_off = one_line(on.end), one_line(off.end)
        w_on, w_off = self._width(end_on, True), self._width(end_off)
        right = max(w_on, w_off) + 16
        bottom = pitch + 8
        plot_w = w - 8 - right
        bar_w = plot_w / len(years) / (1 + GAP_COLUMNS / 100)
        fill_off = blend(c.rule, c.background, 0.35)
        on_labels = [
            Label(lb.at, lb.text, c.focus_text if lb.at in hollow else on_colour(c.focus), "ctr", bold=True)
            for lb in on.labels
        ]
        off_labels = [Label(lb.at, lb.text, c.ink, "ctr") for lb in off.labels]
        # the last column names its two parts, to its right, instead of a legend
        on_labels.append(Label(last, end_on, c.focus_text, "ctr", bold=True, dx=bar_w / 2 + w_on / 2 + 6))
        off_labels.append(Label(last, end_off, c.muted, "ctr", dx=bar_w / 2 + w_off / 2 + 6))
        return self._chart(
            "stacked",
            spec,
            categories=tuple(years),
            series=(
                NSeries(on.name, _values(on), c.focus, hollow=hollow, labels=tuple(on_labels)),
                NSeries(off.name, _values(off), fill_off, labels=tuple(off_labels)),
            ),
            values=Axis(
                0.0, 1.0, 0.25, "0%", visible=False, gridlines=False
            ),  # a 100% chart counts in shares
            number_format=excel_format("percent", spec.decimals),
            plot=(8 / w, 4 / h, plot_w / w, (h - 4 - bottom) / h),
            size=(w, h),
            gap_width=GAP_COLUMNS,
            notes=lay.notes,
        )


def _values(s: LaidSeries) -> tuple[float | None, ...]:
    return tuple(m.value for m in s.marks)
