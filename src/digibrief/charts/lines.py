"""Line charts over years: index_by_year (survey scores), trend (a decade of values), rank_path (ranks).

Series are labelled directly at their right-hand end; a series that stops early is labelled next
to its last point when there is room, else in the column with the others.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from digibrief.document.numbers import ordinal
from digibrief.document.types import ChartSpec, Series
from digibrief.document.words import decimal, word

from .base import (
    Ctx,
    Frame,
    Style,
    join_names,
    known,
    latest,
    no_data,
    series_styles,
    style_value_grid,
    tick_text,
    value_axis,
    value_text,
)
from .colours import WHITE
from .placement import Candidate, HAlign, Obstacles, VAlign, place, spread


@dataclass
class EndLabel:
    """A series' label beside its last point: its name, and its latest value where that helps."""

    index: int
    text: str
    x: float  # the last point, data coordinates
    y: float
    style: Style
    early: bool  # the series stops before the last year on the axis


@dataclass(frozen=True)
class Years:
    """What both line kinds plot: the series, their styles, and the years any of them covers."""

    series: tuple[Series, ...]
    styles: list[Style]
    years: list[int]
    values: list[float]  # every known value, for the value axis
    empty: list[str]  # labels of the series without a single value
    x0: int
    x1: int

    @classmethod
    def of(cls, ctx: Ctx, spec: ChartSpec, ms: float) -> Years:
        series = spec.series
        years = sorted({p.year for s in series for p in s.points})
        x0, x1 = (years[0], years[-1]) if years else (0, 1)
        return cls(
            series,
            series_styles(ctx, series, ms),
            years,
            [p.value for s in series for p in known(s.points) if p.value is not None],
            [s.label for s in series if not known(s.points)],
            x0,
            x1,
        )

    def missing(self) -> list[str]:
        """The note naming the series that have no data, so they are not silently absent."""
        return [word("no_data_for", years=join_names(self.empty))] if self.empty else []


# --- shared pieces -------------------------------------------------------------------------------


def value_margin(ctx: Ctx, labels: Sequence[str], gap: float) -> float:
    """The left margin: room for the widest value label and a gap."""
    return max((ctx.width(t, ctx.font()) for t in labels), default=0) + gap + 0.02


def year_axis(ctx: Ctx, ax: Axes, d: Years, pad_share: float, every: bool) -> None:
    """x limits padded by pad_share of the span, with year ticks that fit (see year_ticks)."""
    span = max(d.x1 - d.x0, 1)
    pad = span * pad_share
    ax.set_xlim(d.x0 - pad, d.x1 + pad)
    axes_w = ax.bbox.width / ctx.fig.dpi
    xt = year_ticks(ctx, d.years, axes_w * span / (span + 2 * pad), every=every)
    ax.set_xticks(xt, [str(y) for y in xt], fontproperties=ctx.font())


def draw_all(ctx: Ctx, ax: Axes, d: Years) -> None:
    """Every series, the emphasised ones last so that they sit on top."""
    for s, st in sorted(zip(d.series, d.styles, strict=True), key=lambda p: p[1].z):
        draw_series(ctx, ax, s, st)


def at(ax: Axes, px: float, py: float, ha: HAlign, va: VAlign) -> Candidate:
    """A label candidate at display pixel (px, py), in the axes' data coordinates."""
    x, y = ax.transData.inverted().transform((px, py))
    return (x, y, ha, va)


def year_ticks(ctx: Ctx, years: Sequence[int], axes_w: float, every: bool) -> list[int]:
    """Year ticks that fit: every survey year (thinned if crowded), or a regular step."""
    if not years:
        return []
    room = ctx.width("2020", ctx.font()) * 1.7
    x0, x1 = years[0], years[-1]
    span = max(x1 - x0, 1)
    per_year = axes_w / span
    if every:
        out: list[int] = []
        for y in years:
            if not out or (y - out[-1]) * per_year >= room:
                out.append(y)
        if out[-1] != x1 and (x1 - out[-2 if len(out) > 1 else -1]) * per_year >= room:
            out[-1] = x1
        return out
    for step in (1, 2, 5, 10, 20, 50):
        if step * per_year >= room:
            break
    ticks = list(range(x0, x1 + 1, step))
    if x1 - ticks[-1] >= step * 0.75:
        ticks.append(x1)
    return ticks


def draw_series(ctx: Ctx, ax: Axes, s: Series, st: Style) -> None:
    """The line through the known values (gaps where a value is missing), and a marker at each:
    filled when verified, hollow when reported or unverified."""
    pts = sorted(s.points, key=lambda p: p.year)
    xs = [p.year for p in pts]
    ys = [math.nan if p.value is None else p.value for p in pts]
    ax.plot(
        xs,
        ys,
        color=st.colour,
        lw=st.lw,
        ls=st.dash,
        zorder=st.z,
        clip_on=False,
        solid_capstyle="round",
        solid_joinstyle="round",
    )
    solid = [(p.year, p.value) for p in pts if p.value is not None and p.status == "verified"]
    hollow = [(p.year, p.value) for p in pts if p.value is not None and p.status != "verified"]
    if solid:
        ax.plot(
            *zip(*solid, strict=True),
            ls="none",
            marker=st.marker,
            ms=st.ms,
            mfc=st.colour,
            mec=WHITE,
            mew=st.ms * 0.12,
            zorder=st.z + 0.1,
            clip_on=False,
        )
    if hollow:
        ax.plot(
            *zip(*hollow, strict=True),
            ls="none",
            marker=st.marker,
            ms=st.ms,
            mfc=WHITE,
            mec=st.colour,
            mew=max(st.lw * 0.8, 0.8),
            zorder=st.z + 0.2,
            clip_on=False,
        )


def obstacles_of(ctx: Ctx, ax: Axes, series: Sequence[Series], styles: Sequence[Style]) -> Obstacles:
    """Line segments and marker boxes of every series, in display pixels."""
    obs = Obstacles()
    to_px = ax.transData.transform
    for s, st in zip(series, styles, strict=True):
        pts = sorted(s.points, key=lambda p: p.year)
        r = st.ms * ctx.fig.dpi / 72 / 2 + 1
        for a, b in pairwise(pts):
            if a.value is not None and b.value is not None:
                pa, pb = to_px((a.year, a.value)), to_px((b.year, b.value))
                obs.segments.append(((pa[0], pa[1]), (pb[0], pb[1])))
        for p in pts:
            if p.value is not None:
                x, y = to_px((p.year, p.value))
                obs.boxes.append(Bbox([[x - r, y - r], [x + r, y + r]]))
    return obs


def place_column(ctx: Ctx, ax: Axes, labels: Sequence[EndLabel], gap: float, lo: float) -> None:
    """Direct labels in a column right of the plot, spread apart, with leaders where moved."""
    if not labels:
        return
    dpi = ctx.fig.dpi
    to_px = ax.transData.transform
    inv = ax.transData.inverted().transform
    x_px = ax.bbox.x1 + gap * dpi
    texts, desired, heights = [], [], []
    for lab in labels:
        t = ctx.text(
            ax,
            0,
            0,
            lab.text,
            bold=lab.style.bold,
            color=lab.style.label_colour,
            ha="left",
            va="center",
            zorder=6,
        )
        texts.append(t)
        desired.append(float(to_px((lab.x, lab.y))[1]))
        heights.append(ctx.extent(t).height)
    hi = ctx.fig.bbox.y1 - 2
    centres = spread(desired, heights, lo, hi, gap=ctx.pt * 0.12 * dpi / 72)
    for lab, t, want, got, h in zip(labels, texts, desired, centres, heights, strict=True):
        t.set_position(tuple(inv((x_px, got))))
        if lab.early or abs(got - want) > h * 0.3:
            px0 = to_px((lab.x, lab.y))
            start = (px0[0] + lab.style.ms * dpi / 72 * 0.75, px0[1])
            end = (x_px - ctx.pt * 0.25 * dpi / 72, got)
            (xa, ya), (xb, yb) = inv(start), inv(end)
            ax.plot(
                [xa, xb],
                [ya, yb],
                color=lab.style.colour if lab.style.bold else ctx.theme.muted,
                lw=0.5,
                zorder=1.5,
                clip_on=False,
            )


def halo(ctx: Ctx, t: Text) -> None:
    """A white backing so a label stays legible where it has to sit on a line."""
    t.set_bbox({"boxstyle": "square,pad=0.12", "fc": WHITE, "ec": "none"})


# --- index_by_year and trend ---------------------------------------------------------------------


def draw_lines(ctx: Ctx, spec: ChartSpec) -> None:
    """index_by_year or trend; drawn twice when an early series' label must join the column."""
    forced = _draw_lines(ctx, spec, frozenset())
    if forced:
        ctx.fig.clear()
        _draw_lines(ctx, spec, forced)


def _draw_lines(ctx: Ctx, spec: ChartSpec, forced: frozenset[int]) -> frozenset[int]:
    """Draw; return the series whose inline label found no room (to redo with them in the column)."""
    index = spec.kind == "index_by_year"
    d = Years.of(ctx, spec, ctx.pt * (0.62 if index else 0.5))
    lo, hi, yticks = value_axis(spec, d.values)
    ylabels = tick_text(spec, yticks)

    ends: list[EndLabel] = []
    for i, (s, st) in enumerate(zip(d.series, d.styles, strict=True)):
        last = latest(s)
        if last is None or last.value is None:
            continue
        text = f"{s.label} {value_text(spec, last.value)}"
        if last.year != d.x1:
            text += f" ({last.year})"
        ends.append(EndLabel(i, text, last.year, last.value, st, last.year != d.x1))
    column = [e for e in ends if not e.early or e.index in forced]
    inline = [e for e in ends if e.early and e.index not in forced]

    gap = ctx.inch(ctx.pt * 0.55)
    label_w = max((ctx.width(e.text, ctx.font(e.style.bold)) for e in column), default=0.0)
    frame = Frame(
        ctx.notes(spec, d.missing()),
        left=value_margin(ctx, ylabels, gap),
        right=label_w + gap + 0.04 if column else 0.15,
        top=ctx.line_height(ctx.font()) * 0.7 + 0.04,
        x_labels=ctx.tick_band,
    )
    ax = ctx.axes(frame)
    year_axis(ctx, ax, d, 0.03 if index else 0.02, every=index)
    ax.set_ylim(lo, hi)
    style_value_grid(ctx, ax, yticks, ylabels)
    draw_all(ctx, ax, d)
    if not d.values:
        no_data(ctx, ax)
        return frozenset()

    place_column(ctx, ax, column, gap, lo=ax.bbox.y0 - frame.x_labels * ctx.fig.dpi * 0.4)

    # early-ending series: label next to the last point if there is a free spot
    obs = obstacles_of(ctx, ax, d.series, d.styles)
    obs.boxes += [ctx.extent(t) for t in ax.texts]
    fb = ctx.fig.bbox
    bounds = Bbox([[ax.bbox.x0, ax.bbox.y0], [fb.x1 - 2, fb.y1 - 2]])
    failed: set[int] = set()
    dpi = ctx.fig.dpi
    for e in sorted(inline, key=lambda e: -e.style.z):
        px, py = ax.transData.transform((e.x, e.y))
        off = (e.style.ms / 2 + ctx.pt * 0.35) * dpi / 72
        cands = [
            at(ax, px + off, py, "left", "center"),
            at(ax, px + off * 0.4, py + off * 0.8, "left", "bottom"),
            at(ax, px + off * 0.4, py - off * 0.8, "left", "top"),
            at(ax, px, py + off, "center", "bottom"),
            at(ax, px, py - off, "center", "top"),
            at(ax, px - off * 0.4, py + off * 0.8, "right", "bottom"),
            at(ax, px - off * 0.4, py - off * 0.8, "right", "top"),
        ]
        name, _, rest = e.text.partition(" ")
        for text in (e.text, f"{name}\n{rest}"):  # one line, else the name above the value
            t = ctx.text(ax, 0, 0, text, bold=e.style.bold, color=e.style.label_colour, zorder=6)
            box, hard, soft = place(ctx, t, cands, obs, bounds, pad=ctx.pt * 0.15 * dpi / 72)
            if hard == 0 and soft == 0:
                break
            t.remove()
        else:  # nothing clean: accept crossing a line (behind a halo), never covering text
            t = ctx.text(ax, 0, 0, e.text, bold=e.style.bold, color=e.style.label_colour, zorder=6)
            box, hard, soft = place(ctx, t, cands, obs, bounds, pad=ctx.pt * 0.15 * dpi / 72)
            if hard > 0:
                t.remove()
                failed.add(e.index)
                continue
            halo(ctx, t)
        obs.boxes.append(box)
    return frozenset(failed)


# --- rank_path -----------------------------------------------------------------------------------


def rank_axis(spec: ChartSpec, values: Sequence[float]) -> tuple[float, float, list[float]]:
    """Rank 1 always at the top; the bottom just below the worst rank shown (or the range end)."""
    vr = spec.value_range
    lo = vr[0] if vr is not None else 1.0
    if values:
        span = max(max(values) - min(values), 5.0)
        hi = max(values) + span * 0.35
    else:
        hi = vr[1] if vr is not None else 10.0
    locator = MaxNLocator(nbins=4, integer=True, steps=[1, 2, 2.5, 5, 10])
    above = [float(t) for t in locator.tick_values(lo, hi) if t >= hi]
    hi = min(above) if above else hi
    if vr is not None and (hi >= vr[1] or vr[1] - hi < (vr[1] - lo) * 0.15):
        hi = vr[1]
    if values:
        hi = max(hi, max(values))
    ticks = [float(t) for t in locator.tick_values(lo, hi) if lo <= t <= hi]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else hi - lo
    if lo == 1 and 1 not in ticks:
        ticks = [t for t in ticks if t - 1 >= step * 0.4]
        ticks.insert(0, 1.0)
    return lo, hi, ticks  # round ticks only: the range's end (e.g. 193) is the axis, unlabelled


def draw_rank_path(ctx: Ctx, spec: ChartSpec) -> None:
    """Ranks over the years, 1 at the top, each of the focus country's points labelled."""
    d = Years.of(ctx, spec, ctx.pt * 0.62)
    ranks = spec.invert or spec.unit == "rank"
    if ranks:
        lo, hi, yticks = rank_axis(spec, d.values)
        ylabels = [decimal(t, 0) for t in yticks]
    else:
        lo, hi, yticks = value_axis(spec, d.values)
        ylabels = tick_text(spec, yticks)

    def point_text(v: float) -> str:
        return ordinal(round(v)) if spec.unit == "rank" else value_text(spec, v)

    # with a focus country, only its points carry their rank; peers get theirs in the end label
    series, styles = d.series, d.styles
    focus_any = any(s.emphasis for s in series)
    every = [i for i, s in enumerate(series) if s.emphasis or not focus_any]
    many = len([s for s in series if known(s.points)]) > 1
    ends: list[EndLabel] = []
    for i, (s, st) in enumerate(zip(series, styles, strict=True)):
        last = latest(s)
        if many and last is not None and last.value is not None:
            text = s.label if i in every else f"{s.label} {point_text(last.value)}"
            if i not in every and last.year != d.x1:
                text += f" ({last.year})"
            ends.append(EndLabel(i, text, last.year, last.value, st, last.year != d.x1))

    gap = ctx.inch(ctx.pt * 0.55)
    label_w = max((ctx.width(e.text, ctx.font(e.style.bold)) for e in ends), default=0.0)
    widest = max((ctx.width(point_text(v), ctx.font()) for v in d.values), default=0.0)
    frame = Frame(
        ctx.notes(spec, d.missing()),
        left=value_margin(ctx, ylabels, gap),
        right=label_w + gap + 0.04 if ends else widest * 0.6 + 0.1,
        top=ctx.line_height(ctx.font()) * 1.2 + 0.06,
        x_labels=ctx.tick_band,
    )
    ax = ctx.axes(frame)
    year_axis(ctx, ax, d, 0.06, every=True)
    ax.set_ylim((hi, lo) if ranks else (lo, hi))
    style_value_grid(ctx, ax, yticks, ylabels)
    draw_all(ctx, ax, d)
    if not d.values:
        no_data(ctx, ax)
        return

    dpi = ctx.fig.dpi
    place_column(ctx, ax, ends, gap, lo=ax.bbox.y0)
    obs = obstacles_of(ctx, ax, series, styles)
    obs.boxes += [ctx.extent(t) for t in ax.texts]
    fb = ctx.fig.bbox
    bounds = Bbox([[ax.bbox.x0 - gap * dpi, ax.bbox.y0], [fb.x1 - 2, fb.y1 - 2]])
    if ends:
        bounds = Bbox([[bounds.x0, bounds.y0], [ax.bbox.x1 + gap * dpi * 0.5, bounds.y1]])
    for i in sorted(every, key=lambda i: -styles[i].z):
        s, st = series[i], styles[i]
        for p in sorted(known(s.points), key=lambda p: p.year):
            assert p.value is not None
            t = ctx.text(
                ax,
                0,
                0,
                point_text(p.value),
                bold=st.bold,
                color=st.label_colour,
                zorder=6,
                size=ctx.pt * 0.95,
            )
            px, py = ax.transData.transform((p.year, p.value))
            off = (st.ms / 2 + ctx.pt * 0.3) * dpi / 72
            cands = [
                at(ax, px, py + off, "center", "bottom"),
                at(ax, px, py - off, "center", "top"),
                at(ax, px + off, py, "left", "center"),
                at(ax, px - off, py, "right", "center"),
                at(ax, px + off * 0.7, py + off * 0.7, "left", "bottom"),
                at(ax, px + off * 0.7, py - off * 0.7, "left", "top"),
                at(ax, px - off * 0.7, py + off * 0.7, "right", "bottom"),
                at(ax, px - off * 0.7, py - off * 0.7, "right", "top"),
                at(ax, px, py + off * 2, "center", "bottom"),
                at(ax, px, py - off * 2, "center", "top"),
            ]
            box, hard, soft = place(ctx, t, cands, obs, bounds, pad=ctx.pt * 0.1 * dpi / 72)
            if soft:
                halo(ctx, t)
            if hard > 0 and not s.emphasis and len(every) > 1:
                t.remove()  # crowded: the gridlines give this peer's rank; never overlap text
                continue
            obs.boxes.append(box)
