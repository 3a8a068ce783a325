"""A ChartSpec as a native chart: its data, series colours, axes and direct labels, laid out (pure).

The same spec the PDF draws with matplotlib becomes a chart PowerPoint can edit: lines over years on a
time axis (gaps, never zeros, where a year has no value), ranks on a reversed axis, bars and 100%
columns. Labels are written by digibrief in the document's number format and placed here, where the
plot area is fixed, so that end labels never overlap. Nothing here imports python-pptx.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from digibrief.document.numbers import fmt
from digibrief.document.types import ChartSpec, Series, SeriesPoint, colour_slots
from digibrief.document.words import word
from digibrief.writers.pptx.palette import Colours, blend, legible, on
from digibrief.writers.pptx.text import LINE, Metrics

Kind = Literal["line", "bar", "stacked"]
Position = Literal["r", "t", "ctr", "outEnd", "inEnd"]

NATIVE_KINDS = frozenset({"index_by_year", "trend", "rank_path", "peer_bar", "online_offline"})
TABLE_KINDS = frozenset({"heatmap"})  # drawn as a native table with filled cells
# kinds that stay pictures: a timeline is dozens of positioned labels with no data sheet behind them
PICTURE_KINDS = frozenset({"timeline"})

MARKERS = ("circle", "square", "triangle", "diamond", "x", "star")
DASHES = ("solid", "dash", "sysDot")
UNVERIFIED = "reported or unverified"  # the name of a series of open markers, in Edit Data
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


def known(points: Sequence[SeriesPoint]) -> list[SeriesPoint]:
    return [p for p in points if p.value is not None]


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power + 1e-12:
            return m * power
    return 10 * power


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


def tick_text(unit: str, value: float) -> str:
    """About what an axis tick shows, for measuring its width."""
    return f"{value:g}" + ("%" if unit == "percent" else "")


def year_step(first: int, last: int) -> int:
    span = last - first
    return 1 if span <= 8 else 2 if span <= 18 else 5


def value_axis(spec: ChartSpec, values: list[float]) -> Axis:
    """Round limits and ticks: the indicator's range when the data fills it, else round numbers."""
    hi = max(values, default=1.0)
    lo = min(values, default=0.0)
    if spec.invert:
        step = nice_step(hi)
        top = math.ceil(hi * 1.08 / step) * step
        return Axis(0.0, top, step, excel_format(spec.unit, 0, step), reverse=True)
    if spec.value_range is not None and spec.value_range[0] <= lo and hi <= spec.value_range[1]:
        low, high = spec.value_range
        if hi - min(lo, 0) >= 0.4 * (high - low):
            step = nice_step(high - low)
            return Axis(low, high, step, excel_format(spec.unit, spec.decimals, step))
    low = min(0.0, lo)
    step = nice_step(hi - low)
    high = math.ceil(hi / step) * step if hi > 0 else step
    return Axis(math.floor(low / step) * step, high, step, excel_format(spec.unit, spec.decimals, step))


def one_line(text: str) -> str:
    """Spaces made non-breaking: chart apps wrap data labels at a width of their own choosing."""
    return text.replace(" ", "\u00a0")


def text_of(spec: ChartSpec, value: float | None) -> str:
    return fmt(value, spec.unit, spec.decimals)


def chart_notes(spec: ChartSpec, bars: bool, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """spec.notes (the hollow-marker note says 'bars' under bars), then extra notes."""
    notes = [word("hollow_note_bars") if bars and n == word("hollow_note") else n for n in spec.notes]
    return tuple(notes + [e for e in extra if e not in notes])


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

    def __init__(self, colours: Colours, m: Metrics, size: float, font: str):
        self.c = colours
        self.m = m
        self.size = size
        self.font = font

    def build(self, spec: ChartSpec, w: float, h: float) -> NativeChart | None:
        """The native chart for spec in a w x h frame; None when the spec has no value to draw."""
        if not any(known(s.points) for s in spec.series):
            return None
        if spec.kind == "peer_bar":
            return self.bars(spec, w, h)
        if spec.kind == "online_offline":
            return self.stacked(spec, w, h)
        return self.lines(spec, w, h)

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

    def lines(self, spec: ChartSpec, w: float, h: float) -> NativeChart:
        years = sorted({p.year for s in spec.series for p in s.points})
        by_year = [{p.year: p for p in s.points} for s in spec.series]
        values = [p.value for s in spec.series for p in known(s.points)]
        axis = value_axis(spec, [v for v in values if v is not None])
        styles = self.styles(spec.series)
        single = len(spec.series) == 1
        pitch = self.size * LINE
        ticks = [
            axis.minimum + k * axis.major
            for k in range(round((axis.maximum - axis.minimum) / axis.major) + 1)
        ]
        tick_w = max(self._width(tick_text(spec.unit, t)) for t in ticks)
        left = tick_w + 10
        bottom = pitch + 8
        top = pitch + 4 if single else pitch / 2 + 4
        ends: list[tuple[int, int, str, str, bool]] = []  # series, point index, text, colour, bold
        for i, s in enumerate(spec.series):
            have = [k for k, y in enumerate(years) if by_year[i].get(y) and by_year[i][y].value is not None]
            if not have:
                continue
            last = have[-1]
            value = by_year[i][years[last]].value
            text = text_of(spec, value) if single else one_line(f"{s.label} {text_of(spec, value)}")
            ends.append((i, last, text, styles[i][1], s.emphasis))
        right = (
            max(self._width(t, b) for *_, t, _, b in ends) + 14
            if not single
            else self._width(ends[0][2]) / 2 + 8
            if ends
            else 8
        )
        plot_w, plot_h = w - left - right, h - top - bottom

        def y_of(v: float) -> float:
            share = (v - axis.minimum) / (axis.maximum - axis.minimum)
            return top + (share if axis.reverse else 1 - share) * plot_h

        series_out: list[NSeries] = []
        labels: dict[int, list[Label]] = {i: [] for i in range(len(spec.series))}
        if single:  # one line: every point carries its value, above it
            s = spec.series[0]
            for k, y in enumerate(years):
                p = by_year[0].get(y)
                if p is not None and p.value is not None:
                    labels[0].append(Label(k, text_of(spec, p.value), styles[0][1], "t", bold=True))
        else:
            wanted = [y_of(by_year[i][years[k]].value or 0.0) for i, k, *_ in ends]
            placed = spread(wanted, pitch, top - pitch / 2, top + plot_h + pitch / 2)
            for (i, k, text, colour, bold), want, got in zip(ends, wanted, placed, strict=True):
                labels[i].append(Label(k, text, colour, "r", bold=bold, dy=got - want))
        overlays: list[NSeries] = []
        for i, s in enumerate(spec.series):
            colour, _, width, marker, dash, msize = styles[i]
            vals = tuple(by_year[i][y].value if y in by_year[i] else None for y in years)
            hollow = tuple(
                k
                for k, y in enumerate(years)
                if y in by_year[i] and by_year[i][y].value is not None and by_year[i][y].status != "verified"
            )
            series_out.append(
                NSeries(s.label, vals, colour, width, marker, msize, dash, hollow, (), tuple(labels[i]))
            )
            if hollow:  # open markers as a ring: a disc in the series colour under one in the background's,
                # each a series of its own, since LibreOffice draws neither point styles nor marker outlines
                marks = tuple(v if k in hollow else None for k, v in enumerate(vals))
                ring = max(msize, 7)
                overlays.append(
                    NSeries(f"{s.label}: {UNVERIFIED}", marks, colour, 0.0, "circle", ring + 4, overlay=True)
                )
                overlays.append(
                    NSeries(
                        f"{s.label}: {UNVERIFIED} (open)",
                        marks,
                        self.c.background,
                        0.0,
                        "circle",
                        ring,
                        overlay=True,
                    )
                )
        # the focus country is drawn last, on top of its peers, and open markers over everything
        order = sorted(range(len(series_out)), key=lambda i: spec.series[i].emphasis)
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
            notes=chart_notes(spec, bars=False),
        )

    # --- bars: peer_bar ---------------------------------------------------------------------------

    def bars(self, spec: ChartSpec, w: float, h: float) -> NativeChart:
        c = self.c
        focus_any = any(s.emphasis for s in spec.series)
        rows = [(s, known(s.points)[-1] if known(s.points) else None) for s in spec.series]
        have = [r for r in rows if r[1] is not None]
        missing = [r for r in rows if r[1] is None]
        have.sort(key=lambda r: (r[1].value or 0.0) * (1 if spec.invert else -1))  # type: ignore[union-attr]
        rows = have + missing
        show_year = len({p.year for _, p in have if p is not None}) > 1

        def label(p: SeriesPoint | None) -> str:
            if p is None:
                return word("not_available")
            return f"{text_of(spec, p.value)} ({p.year})" if show_year else text_of(spec, p.value)

        names = tuple(s.label + ("" if p is not None else " (no data)") for s, p in rows)
        values = tuple(p.value if p is not None else None for _, p in rows)
        colours = [c.focus if s.emphasis or not focus_any else c.peer for s, _ in rows]
        base = c.focus if not focus_any else c.peer
        labels = tuple(
            Label(k, label(p), c.focus_text if s.emphasis else c.ink, "outEnd", bold=s.emphasis)
            for k, (s, p) in enumerate(rows)
            if p is not None
        )
        known_values = [v for v in values if v is not None]
        hi = max(known_values, default=1.0)
        if spec.value_range is not None and spec.value_range[1] >= hi and hi >= 0.4 * spec.value_range[1]:
            hi = spec.value_range[1]
        lo = min(0.0, *known_values)
        axis = Axis(
            lo,
            hi if hi > lo else lo + 1,
            nice_step(hi - lo),
            excel_format(spec.unit, spec.decimals),
            visible=False,
            gridlines=False,
        )
        left = max(self._width(n, True) for n in names) + 12
        right = max((self._width(lb.text, lb.bold) for lb in labels), default=0.0) + 12
        n = max(len(rows), 1)
        height = min(h, n * MAX_BAR_ROW + 8)
        hollow = tuple(k for k, (_, p) in enumerate(rows) if p is not None and p.status != "verified")
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
            values=axis,
            number_format=excel_format(spec.unit, spec.decimals),
            plot=(left / w, 4 / height, (w - left - right) / w, (height - 8) / height),
            size=(w, height),
            gap_width=45,
            categories_reversed=True,
            names=c.ink,
            notes=chart_notes(spec, bars=True),
        )

    # --- 100% columns: online_offline -------------------------------------------------------------

    def stacked(self, spec: ChartSpec, w: float, h: float) -> NativeChart:
        c = self.c
        s = next((x for x in spec.series if x.key == "online"), spec.series[0])
        by_year = {p.year: p for p in s.points}
        have = [p.year for p in known(s.points)]
        years = list(range(min(have), max(have) + 1))
        missing = [y for y in years if y not in have]
        online = tuple(by_year[y].value if y in have else None for y in years)
        offline = tuple(None if v is None else 100.0 - v for v in online)
        pitch = self.size * LINE
        last = len(years) - 1
        hollow = tuple(k for k, y in enumerate(years) if y in have and by_year[y].status != "verified")
        end_on = one_line(f"{text_of(spec, online[last])} online")
        end_off = one_line(f"{text_of(spec, offline[last])} offline")
        w_on, w_off = self._width(end_on, True), self._width(end_off)
        right = max(w_on, w_off) + 16
        bottom = pitch + 8
        plot_w = w - 8 - right
        bar_w = plot_w / len(years) / (1 + GAP_COLUMNS / 100)
        fill_off = blend(c.rule, c.background, 0.35)
        on_labels = [
            Label(k, text_of(spec, v), c.focus_text if k in hollow else on(c.focus), "ctr", bold=True)
            for k, v in enumerate(online)
            if v is not None and k != last
        ]
        off_labels = [
            Label(k, text_of(spec, v), c.ink, "ctr")
            for k, v in enumerate(offline)
            if v is not None and k != last
        ]
        # the last column names its two parts, to its right, instead of a legend
        on_labels.append(Label(last, end_on, c.focus_text, "ctr", bold=True, dx=bar_w / 2 + w_on / 2 + 6))
        off_labels.append(Label(last, end_off, c.muted, "ctr", dx=bar_w / 2 + w_off / 2 + 6))
        extra = [word("no_data_for", years=", ".join(str(y) for y in missing))] if missing else []
        return self._chart(
            "stacked",
            spec,
            categories=tuple(str(y) for y in years),
            series=(
                NSeries(word("online"), online, c.focus, hollow=hollow, labels=tuple(on_labels)),
                NSeries(word("offline"), offline, fill_off, labels=tuple(off_labels)),
            ),
            values=Axis(
                0.0, 1.0, 0.25, "0%", visible=False, gridlines=False
            ),  # a 100% chart counts in shares
            number_format=excel_format("percent", spec.decimals),
            plot=(8 / w, 4 / h, plot_w / w, (h - 4 - bottom) / h),
            size=(w, h),
            gap_width=GAP_COLUMNS,
            notes=chart_notes(spec, bars=True, extra=extra),
        )
