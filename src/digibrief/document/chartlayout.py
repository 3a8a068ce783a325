"""A ChartSpec laid out once for every renderer: value axis, categories, marks and every text a chart shows.

Like Vega's scenegraph, the layout decides what a chart says and where its values sit on the value axis,
and leaves only sizes to the renderers: the matplotlib charts (SVG for the PDF, PNG for slides) and the
deck's native charts draw the same ticks, labels and notes, so the two outputs cannot tell different
stories. The axis rule is stated in docs/charts.md. No renderer library is imported here.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from digibrief.document.numbers import fmt
from digibrief.document.types import ChartSpec, Series, SeriesPoint
from digibrief.document.words import Speech
from digibrief.vocabulary import ChartKind

LINE_KINDS = frozenset({"index_by_year", "trend", "rank_path"})
BAR_KINDS = frozenset({"peer_bar", "online_offline"})
STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)  # round tick steps, times a power of ten
BINS = 5  # about this many intervals between ticks


@dataclass(frozen=True)
class ValueAxis:
    """The value axis: its bounds, its round ticks with their text, and its direction."""

    lo: float
    hi: float
    step: float  # the distance between round ticks, counted from lo (native charts need one step)
    ticks: tuple[float, ...]  # the labelled ticks, in [lo, hi]
    labels: tuple[str, ...]  # their text, in the report's number format
    decimals: int  # the tick labels' decimals
    reverse: bool = False  # ranks: 1 at the top
    shown: bool = True  # False for bars, which carry their values as labels


@dataclass(frozen=True)
class Mark:
    """One value of a series on its category; open when the figure is reported or unverified."""

    value: float | None  # None: a gap, never a zero
    open: bool = False


@dataclass(frozen=True)
class PointLabel:
    at: int  # the category it labels
    text: str


@dataclass(frozen=True)
class LaidSeries:
    """A series as drawn: a mark per category, its end label and the labels on its points."""

    key: str
    name: str  # what a direct label and the deck's Edit Data call it
    marks: tuple[Mark, ...]  # one per category
    emphasis: bool = False
    end: str = ""  # the label at the series' last value: its name, value and year where not the last
    last: int = -1  # the category of its last value, or -1 without one
    early: bool = False  # it ends before the last category: labelled next to its last point
    labels: tuple[PointLabel, ...] = ()  # values written at points or on bars


@dataclass(frozen=True)
class ChartLayout:
    """Everything a chart shows, decided once per spec; renderers add only sizes and colours."""

    kind: ChartKind
    categories: tuple[int | str, ...]  # years, or the bars' names best first
    series: tuple[LaidSeries, ...]
    axis: ValueAxis
    spread: tuple[int, ...]  # series whose end labels stand in a column right of the plot, top first
    notes: tuple[str, ...]  # set under the chart, e.g. what an open marker means
    empty: bool = False  # no value at all: the chart says so instead of drawing an empty frame


# --- the axis rule ---------------------------------------------------------------------------------------


def nice_step(span: float, bins: int = BINS) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) giving at most `bins` intervals."""
    if span <= 0:
        return 1.0
    raw = span / bins
    power = 10 ** math.floor(math.log10(raw))
    for m in (*STEPS, 20.0):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    return 20 * power


def _round_bounds(lo: float, hi: float, bins: int = BINS) -> tuple[float, float, float]:
    """Round bounds around [lo, hi] at most `bins` round steps apart: (lo, hi, step)."""
    if hi <= lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = nice_step(hi - lo, bins)
    while True:
        low, high = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
        if (high - low) / step <= bins + 1e-9:
            return _clean(low), _clean(high), step
        step = nice_step(step * (bins + 1), bins)


def _clean(x: float) -> float:
    return float(f"{x:.12g}")


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    first = math.ceil(lo / step - 1e-9)
    return [_clean(k * step) for k in range(first, math.floor(hi / step + 1e-9) + 1)]


def _tick_decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


def _in_range(spec: ChartSpec, lo: float, hi: float, values: Sequence[float]) -> tuple[float, float]:
    """Bounds kept within the indicator's range, never cutting off a value."""
    if spec.value_range is not None:
        r0, r1 = spec.value_range
        lo = max(lo, min(r0, *values)) if values else lo
        hi = min(hi, max(r1, *values)) if values else hi
    return lo, hi


def is_rank(spec: ChartSpec) -> bool:
    return spec.invert or spec.unit == "rank"


def value_axis(spec: ChartSpec, values: Sequence[float], sp: Speech) -> ValueAxis:
    """The value axis of a spec's values (see docs/charts.md).

    Lines: round bounds around the data, within the indicator's range, at most five steps apart; the
    axis need not reach zero. Bars: from zero (or the lowest negative value) to a round bound above
    the longest bar, within the range. Ranks: 1st at the top, the bottom a round rank below the worst
    one shown, or the range's end when that is near. 100% columns: shares from 0 to 100."""
    if spec.kind == "online_offline":
        return ValueAxis(0.0, 100.0, 25.0, (), (), 0, shown=False)
    if is_rank(spec) and spec.kind != "peer_bar":
        return _rank_axis(spec, values, sp)
    if spec.kind == "peer_bar":
        lo = min(0.0, *values) if values else 0.0
        top = max(values, default=1.0)
        low, high, step = _round_bounds(lo, top if top > lo else lo + 1.0)
        low, high = _in_range(spec, min(low, 0.0), high, values)
        return ValueAxis(low, high, step, (), (), 0, reverse=is_rank(spec), shown=False)
    if not values:
        lo, hi = spec.value_range or (0.0, 1.0)
        low, high, step = _round_bounds(lo, hi)
    else:
        low, high, step = _round_bounds(min(values), max(values))
    low, high = _in_range(spec, low, high, values)
    ticks = _ticks(low, high, step)
    return ValueAxis(low, high, step, tuple(ticks), tick_texts(spec, ticks, sp), _decimals_of(ticks))


def _rank_axis(spec: ChartSpec, values: Sequence[float], sp: Speech) -> ValueAxis:
    """Rank 1 at the top (the axis starts at 0, so that its round steps fall on 10, 20, ...)."""
    end = spec.value_range[1] if spec.value_range is not None else None
    worst = max(values, default=end or 10.0)
    span = max(worst - min(values, default=1.0), 5.0)
    _, high, step = _round_bounds(0.0, worst + span * 0.35)
    step = max(step, 1.0)
    if end is not None and (high >= end or end - high < end * 0.15):
        high = float(max(end, worst))
    ticks = [1.0, *(t for t in _ticks(0.0, high, step) if t - 1 >= step * 0.4)]
    return ValueAxis(0.0, high, step, tuple(ticks), tuple(sp.decimal(t, 0) for t in ticks), 0, reverse=True)


def _decimals_of(ticks: Sequence[float]) -> int:
    step = min((b - a for a, b in pairwise(ticks)), default=1.0)
    places = _tick_decimals(step) if step > 0 else 0
    while places < 6 and len({f"{t:.{places}f}" for t in ticks}) < len(ticks):
        places += 1
    return places


def tick_texts(spec: ChartSpec, ticks: Sequence[float], sp: Speech) -> tuple[str, ...]:
    """Tick labels with as few decimals as keep them apart, a % sign for percent, a true minus."""
    places = _decimals_of(ticks)
    texts = [sp.decimal(t, places) for t in ticks]
    if spec.unit == "percent":
        texts = [sp.word("percent", value=t) for t in texts]
    return tuple(t.replace("-", "\u2212") for t in texts)


# --- texts ------------------------------------------------------------------------------------------------


def known(points: Sequence[SeriesPoint]) -> list[SeriesPoint]:
    return [p for p in points if p.value is not None]


def latest(s: Series) -> SeriesPoint | None:
    """The series' last point with a value."""
    pts = known(s.points)
    return max(pts, key=lambda p: p.year) if pts else None


def value_text(spec: ChartSpec, value: float | None, sp: Speech) -> str:
    return fmt(sp, value, spec.unit, spec.decimals)


def join_names(names: Sequence[str], sp: Speech) -> str:
    """Names as a list in the labels table's words: 'A, B and C'."""
    return names[0] if len(names) == 1 else sp.word("list_and", first=", ".join(names[:-1]), last=names[-1])


def year_runs(years: Sequence[int], sp: Speech) -> str:
    """[2018, 2019, 2021] -> '2018-2019 and 2021' (en dash)."""
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs]
    return join_names(parts, sp) if parts else ""


def _open_note(spec: ChartSpec, sp: Speech) -> list[str]:
    """What an open marker (or an outlined bar) means, when the chart has one."""
    if not any(p.status != "verified" and p.value is not None for s in spec.series for p in s.points):
        return []
    return [sp.word("hollow_note_bars" if spec.kind in BAR_KINDS else "hollow_note")]


def _notes(spec: ChartSpec, sp: Speech, extra: Sequence[str] = ()) -> tuple[str, ...]:
    notes = [*spec.notes, *_open_note(spec, sp)]
    return tuple(notes + [e for e in extra if e not in notes])


# --- the layout of each kind ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def layout(spec: ChartSpec, speech: Speech) -> ChartLayout:
    """The chart's layout in speech's words and number format; the same spec gives the same layout."""
    if spec.kind in LINE_KINDS:
        return _lines(spec, speech)
    if spec.kind == "peer_bar":
        return _bars(spec, speech)
    if spec.kind == "online_offline":
        return _columns(spec, speech)
    axis = ValueAxis(0.0, 1.0, 1.0, (), (), 0, shown=False)
    return ChartLayout(spec.kind, (), (), axis, (), _notes(spec, speech))


def _lines(spec: ChartSpec, sp: Speech) -> ChartLayout:
    """Lines over years: a mark per year (a gap where none), end labels, and a rank path's point labels."""
    years = sorted({p.year for s in spec.series for p in s.points})
    values = [p.value for s in spec.series for p in known(s.points) if p.value is not None]
    axis = value_axis(spec, values, sp)
    ranks = spec.kind == "rank_path" and is_rank(spec)

    def point_text(v: float) -> str:
        return sp.ordinal(round(v)) if spec.unit == "rank" else value_text(spec, v, sp)

    # a rank path labels the focus country's points (every series' without one) and names its lines
    # at their ends only when it has more than one
    focus_any = any(s.emphasis for s in spec.series)
    many = len([s for s in spec.series if known(s.points)]) > 1
    out: list[LaidSeries] = []
    for s in spec.series:
        by_year = {p.year: p for p in s.points}
        marks = tuple(
            Mark(p.value, p.status != "verified" and p.value is not None)
            if (p := by_year.get(y))
            else Mark(None)
            for y in years
        )
        last = latest(s)
        end, at, early = "", -1, False
        labels: tuple[PointLabel, ...] = ()
        if last is not None and last.value is not None:
            at, early = years.index(last.year), last.year != years[-1]
            if spec.kind != "rank_path" or many:
                end = f"{s.label} {point_text(last.value)}" + (f" ({last.year})" if early else "")
            if spec.kind == "rank_path" and (s.emphasis or not focus_any):
                labels = tuple(
                    PointLabel(years.index(p.year), point_text(p.value))
                    for p in sorted(known(s.points), key=lambda p: p.year)
                    if p.value is not None and not (end and p.year == last.year)
                )
        out.append(LaidSeries(s.key, s.label, marks, s.emphasis, end, at, early, labels))
    column = [i for i, s in enumerate(out) if s.end and not s.early]
    column.sort(key=lambda i: _last_value(out[i]) * (1 if axis.reverse or ranks else -1))
    empty = [s.label for s in spec.series if not known(s.points)]
    extra = [sp.word("no_data_for", years=join_names(empty, sp))] if empty else []
    return ChartLayout(
        spec.kind, tuple(years), tuple(out), axis, tuple(column), _notes(spec, sp, extra), empty=not values
    )


def _last_value(s: LaidSeries) -> float:
    return s.marks[s.last].value or 0.0 if s.last >= 0 else 0.0


def _bars(spec: ChartSpec, sp: Speech) -> ChartLayout:
    """One bar per country, best first, countries without a value last; each bar carries its value,
    with its year when the bars are not all of one year."""
    rows = [(s, latest(s)) for s in spec.series]
    have = [r for r in rows if r[1] is not None]
    missing = [r for r in rows if r[1] is None]
    lower_is_better = is_rank(spec)
    have.sort(key=lambda r: (r[1].value or 0.0) * (1 if lower_is_better else -1))  # type: ignore[union-attr]
    rows = have + missing
    show_year = len({p.year for _, p in have if p is not None}) > 1

    def label(p: SeriesPoint | None) -> str:
        if p is None:
            return sp.word("not_available")
        text = value_text(spec, p.value, sp)
        return f"{text} ({p.year})" if show_year else text

    values = [p.value for _, p in have if p is not None and p.value is not None]
    bars = tuple(
        LaidSeries(
            s.key,
            s.label,
            (Mark(p.value if p else None, p is not None and p.status != "verified"),),
            s.emphasis,
            labels=(PointLabel(k, label(p)),),
        )
        for k, (s, p) in enumerate(rows)
    )
    return ChartLayout(
        spec.kind,
        tuple(s.label for s, _ in rows),
        bars,
        value_axis(spec, values, sp),
        (),
        _notes(spec, sp),
        empty=not values,
    )


def _columns(spec: ChartSpec, sp: Speech) -> ChartLayout:
    """100% columns, one per year from the first value to the last (a gap where a year has none): the
    online share on the offline one, each part labelled, the last column's parts named beside it."""
    s = next((x for x in spec.series if x.key == "online"), spec.series[0] if spec.series else None)
    points = sorted(s.points, key=lambda p: p.year) if s else []
    have = known(points)
    by_year = {p.year: p for p in have}
    years = list(range(have[0].year, have[-1].year + 1)) if have else []
    missing = sorted({p.year for p in points if p.value is None} | {y for y in years if y not in by_year})
    online, offline = [], []
    on_labels, off_labels = [], []
    for k, y in enumerate(years):
        p = by_year.get(y)
        if p is None or p.value is None:
            online.append(Mark(None))
            offline.append(Mark(None))
            continue
        v = max(0.0, min(100.0, p.value))
        online.append(Mark(v, p.status != "verified"))
        offline.append(Mark(100.0 - v))
        if k != len(years) - 1:
            on_labels.append(PointLabel(k, value_text(spec, v, sp)))
            off_labels.append(PointLabel(k, value_text(spec, 100.0 - v, sp)))
    last = len(years) - 1
    parts = []
    for key, marks, labels in (("online", online, on_labels), ("offline", offline, off_labels)):
        value = marks[last].value if marks else None
        end = f"{sp.word(key)} {value_text(spec, value, sp)}" if value is not None else ""
        parts.append(
            LaidSeries(key, sp.word(key), tuple(marks), key == "online", end, last, False, tuple(labels))
        )
    extra = [sp.word("no_data_left_out", years=year_runs(missing, sp))] if missing else []
    if not have:
        extra = [sp.word("no_data") + "."]
    return ChartLayout(
        spec.kind,
        tuple(years),
        tuple(parts),
        value_axis(spec, [], sp),
        (0, 1) if have else (),
        _notes(spec, sp, extra),
        empty=not have,
    )
