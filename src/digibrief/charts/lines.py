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
from matplotlib.transforms import Bbox

from digibrief.document.chartlayout import ChartLayout, LaidSeries, layout
from digibrief.document.types import ChartSpec

from .base import (
    ChartDrawing,
    Frame,
    Style,
    no_data,
    series_styles,
    style_value_grid,
)
from .placement import Candidate, HAlign, Obstacles, VAlign, place, spread


@dataclass
class EndLabel:
    """A series' end label (its text from the layout) beside its last point."""

    index: int
    text: str
    x: float  # the last point, data coordinates
    y: float
    style: Style
    early: bool  # the series stops before the last year on the axis


@dataclass(frozen=True)
class Years:
    """What both line kinds plot: the layout, the series' styles, and the years on the axis."""

    lay: ChartLayout
    styles: list[Style]
    years: list[int]
    x0: int
    x1: int

    @classmethod
    def of(cls, ctx: ChartDrawing, spec: ChartSpec, ms: float) -> Years:
        lay = layout(spec, ctx.speech)
        years = [int(y) for y in lay.categories]
        x0, x1 = (years[0], years[-1]) if years else (0, 1)
        return cls(lay, series_styles(ctx, spec.series, ms), years, x0, x1)

    @property
    def series(self) -> tuple[LaidSeries, ...]:
        return self.lay.series

    def ends(self) -> list[EndLabel]:
        """The end label of every series that has one."""
        return [
            EndLabel(i, s.end, self.years[s.last], s.marks[s.last].value or 0.0, st, s.early)
            for i, (s, st) in enumerate(zip(self.series, self.styles, strict=True))
            if s.end
        ]


# --- shared pieces -------------------------------------------------------------------------------


def value_margin(ctx: ChartDrawing, labels: Sequence[str], gap: float) -> float:
    """The left margin: room for the widest value label and a gap."""
    return max((ctx.width(t, ctx.font()) for t in labels), default=0) + gap + 0.02


def year_axis(ctx: ChartDrawing, ax: Axes, d: Years, pad_share: float, every: bool) -> None:
    """x limits padded by pad_share of the span, with year ticks that fit (see year_ticks)."""
    span = max(d.x1 - d.x0, 1)
    pad = span * pad_share
    ax.set_xlim(d.x0 - pad, d.x1 + pad)
    axes_w = ax.bbox.width / ctx.fig.dpi
    xt = year_ticks(ctx, d.years, axes_w * span / (span + 2 * pad), every=every)
    ax.set_xticks(xt, [str(y) for y in xt], fontproperties=ctx.font())


def draw_all(ctx: ChartDrawing, ax: Axes, d: Years) -> None:
    """Every series, the emphasised ones last so that they sit on top."""
    for s, st in sorted(zip(d.series, d.styles, strict=True), key=lambda p: p[1].z):
        draw_series(ctx, ax, d.years, s, st)


def at(ax: Axes, px: float, py: float, ha: HAlign, va: VAlign) -> Candidate:
    """A label candidate at display pixel (px, py), in the axes' data coordinates."""
    x, y = ax.transData.inverted().transform((px, py))
    return (x, y, ha, va)


def year_ticks(ctx: ChartDrawing, years: Sequence[int], axes_w: float, every: bool) -> list[int]:
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


def draw_series(ctx: ChartDrawing, ax: Axes, years: Sequence[int], s: LaidSeries, st: Style) -> None:
    """The line through the known values (gaps where a value is missing), and a marker at each:
    filled when verified, open when reported or unverified."""
    ys = [math.nan if m.value is None else m.value for m in s.marks]
    ax.plot(
        list(years),
        ys,
        color=st.colour,
        lw=st.lw,
        ls=st.dash,
        zorder=st.z,
        clip_on=False,
        solid_capstyle="round",
        solid_joinstyle="round",
    )
    solid = [(y, m.value) for y, m in zip(years, s.marks, strict=True) if m.value is not None and not m.open]
    hollow = [(y, m.value) for y, m in zip(years, s.marks, strict=True) if m.value is not None and m.open]
    if solid:
        ax.plot(
            *zip(*solid, strict=True),
            ls="none",
            marker=st.marker,
            ms=st.ms,
            mfc=st.colour,
            mec=ctx.theme.paper,
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
            mfc=ctx.theme.paper,
            mec=st.colour,
            mew=max(st.lw * 0.8, 0.8),
            zorder=st.z + 0.2,
            clip_on=False,
        )


def obstacles_of(ctx: ChartDrawing, ax: Axes, d: Years) -> Obstacles:
    """Line segments and marker boxes of every series, in display pixels."""
    obs = Obstacles()
    to_px = ax.transData.transform
    for s, st in zip(d.series, d.styles, strict=True):
        pts = [(y, m.value) for y, m in zip(d.years, s.marks, strict=True)]
        r = st.ms * ctx.fig.dpi / 72 / 2 + 1
        for (ya, va), (yb, vb) in pairwise(pts):
            if va is not None and vb is not None:
                pa, pb = to_px((ya, va)), to_px((yb, vb))
                obs.segments.append(((pa[0], pa[1]), (pb[0], pb[1])))
        for y, v in pts:
            if v is not None:
                x, yy = to_px((y, v))
                obs.boxes.append(Bbox([[x - r, yy - r], [x + r, yy + r]]))
    return obs


def place_column(ctx: ChartDrawing, ax: Axes, labels: Sequence[EndLabel], gap: float, lo: float) -> None:
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


def halo(ctx: ChartDrawing, t: Text) -> None:
    """A backing in the paper's colour so a label stays legible where it has to sit on a line."""
    t.set_bbox({"boxstyle": "square,pad=0.12", "fc": ctx.theme.paper, "ec": "none"})


# --- index_by_year and trend ---------------------------------------------------------------------


def draw_lines(ctx: ChartDrawing, spec: ChartSpec) -> None:
    """index_by_year or trend; drawn twice when an early series' label must join the column."""
    forced = _draw_lines(ctx, spec, frozenset())
    if forced:
        ctx.fig.clear()
        _draw_lines(ctx, spec, forced)


def _draw_lines(ctx: ChartDrawing, spec: ChartSpec, forced: frozenset[int]) -> frozenset[int]:
    """Draw; return the series whose inline label found no room (to redo with them in the column)."""
    index = spec.kind == "index_by_year"
    d = Years.of(ctx, spec, ctx.pt * (0.62 if index else 0.5))
    axis = d.lay.axis
    lo, hi, yticks, ylabels = axis.lo, axis.hi, list(axis.ticks), list(axis.labels)
    ends = d.ends()
    spread_ = set(d.lay.spread)
    column = [e for e in ends if e.index in spread_ or e.index in forced]
    inline = [e for e in ends if e.index not in spread_ and e.index not in forced]

    gap = ctx.inch(ctx.pt * 0.55)
    label_w = max((ctx.width(e.text, ctx.font(e.style.bold)) for e in column), default=0.0)
    frame = Frame(
        ctx.notes(d.lay.notes),
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
    if d.lay.empty:
        no_data(ctx, ax)
        return frozenset()

    place_column(ctx, ax, column, gap, lo=ax.bbox.y0 - frame.x_labels * ctx.fig.dpi * 0.4)

    # early-ending series: label next to the last point if there is a free spot
    obs = obstacles_of(ctx, ax, d)
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


def draw_rank_path(ctx: ChartDrawing, spec: ChartSpec) -> None:
    """Ranks over the years, 1 at the top, the labelled points' values placed where they cover nothing."""
    d = Years.of(ctx, spec, ctx.pt * 0.62)
    axis = d.lay.axis
    lo, hi, yticks, ylabels = axis.lo, axis.hi, list(axis.ticks), list(axis.labels)
    series, styles = d.series, d.styles
    ends = d.ends()

    gap = ctx.inch(ctx.pt * 0.55)
    label_w = max((ctx.width(e.text, ctx.font(e.style.bold)) for e in ends), default=0.0)
    widest = max((ctx.width(lb.text, ctx.font()) for s in series for lb in s.labels), default=0.0)
    frame = Frame(
        ctx.notes(d.lay.notes),
        left=value_margin(ctx, ylabels, gap),
        right=label_w + gap + 0.04 if ends else widest * 0.6 + 0.1,
        top=ctx.line_height(ctx.font()) * 1.2 + 0.06,
        x_labels=ctx.tick_band,
    )
    ax = ctx.axes(frame)
    year_axis(ctx, ax, d, 0.06, every=True)
    ax.set_ylim((hi, lo) if axis.reverse else (lo, hi))
    style_value_grid(ctx, ax, yticks, ylabels)
    draw_all(ctx, ax, d)
    if d.lay.empty:
        no_data(ctx, ax)
        return

    dpi = ctx.fig.dpi
    place_column(ctx, ax, ends, gap, lo=ax.bbox.y0)
    obs = obstacles_of(ctx, ax, d)
    obs.boxes += [ctx.extent(t) for t in ax.texts]
    fb = ctx.fig.bbox
    bounds = Bbox([[ax.bbox.x0 - gap * dpi, ax.bbox.y0], [fb.x1 - 2, fb.y1 - 2]])
    if ends:
        bounds = Bbox([[bounds.x0, bounds.y0], [ax.bbox.x1 + gap * dpi * 0.5, bounds.y1]])
    for i in sorted(range(len(series)), key=lambda i: -styles[i].z):
        s, st = series[i], styles[i]
        for lb in s.labels:
            value = s.marks[lb.at].value
            assert value is not None
            t = ctx.text(ax, 0, 0, lb.text, bold=st.bold, color=st.label_colour, zorder=6, size=ctx.pt * 0.95)
            px, py = ax.transData.transform((d.years[lb.at], value))
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
            box, _, soft = place(ctx, t, cands, obs, bounds, pad=ctx.pt * 0.1 * dpi / 72)
            if soft:
                halo(ctx, t)
            obs.boxes.append(box)
