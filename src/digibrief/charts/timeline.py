"""The timeline: one lane of dated events per country, each label set in a row above or below its lane.

Labels are placed greedily so that no label covers another and no leader line crosses a label;
the type shrinks, then labels are cut short, before the chart may outgrow its medium.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.font_manager import FontProperties
from matplotlib.transforms import offset_copy

from digibrief.document.chartlayout import layout
from digibrief.document.types import ChartSpec, Event

from .base import ChartDrawing, Frame


def event_x(e: Event) -> float:
    return e.year + ((e.month - 0.5) / 12 if e.month else 0.5)


@dataclass
class Placed:
    event: Event
    text: str
    x: float  # inches from the axes' left edge: the event
    left: float  # inches from the axes' left edge: the label's left edge
    side: int  # +1 above the lane, -1 below
    row: int  # 1 = nearest the lane


@dataclass
class LanePlan:
    label: str
    placed: list[Placed]
    rows: dict[tuple[int, int], float]  # (side, row) -> height in inches
    crossings: int = 0  # labels that a leader had to cross (a layout to avoid)

    def above(self) -> list[float]:
        return [self.rows[(1, k)] for k in range(1, 1 + max((k for s, k in self.rows if s > 0), default=0))]

    def below(self) -> list[float]:
        return [self.rows[(-1, k)] for k in range(1, 1 + max((k for s, k in self.rows if s < 0), default=0))]

    def height(self, g: float, sep: float) -> float:
        return sum(self.rows.values()) + 2 * g + sep


@dataclass
class Rows:
    """Label rows on both sides of one lane: what each row holds, and where leaders pass."""

    hgap: float  # between two labels in a row
    clear: float  # between a leader and a label it passes
    end: float  # how far in from a label's end a foreign dot would be mistaken for its own
    occupied: dict[tuple[int, int], list[tuple[float, float]]] = field(default_factory=dict)
    leaders: dict[tuple[int, int], list[float]] = field(default_factory=dict)

    def free(
        self,
        side: int,
        k: int,
        span: tuple[float, float],
        x: float,
        pending: list[float],
        others: list[float],
        rules: int,
    ) -> bool:
        """Whether a label spanning span (inches) for the event at x fits in row k on side.

        rules: 0 = no overlap with another label; 1 = nor with a leader, and its own leader
        crosses no label; 2 = nor, next to the lane, has it another event's dot under either
        end; 3 = nor does it cover an event still to place (whose leader may have to rise
        through this row)."""
        a0, a1 = span[0] - self.hgap, span[1] + self.hgap
        if any(b > a0 and a < a1 for a, b in self.occupied.get((side, k), [])):
            return False
        if rules == 0:
            return True
        if any(a0 < lx < a1 for lx in self.leaders.get((side, k), [])):
            return False
        c = self.clear
        for r in range(1, k):
            if any(a - c < x < b + c for a, b in self.occupied.get((side, r), [])):
                return False
        if rules < 2:
            return True
        # next to the lane, a dot under either end of a label reads as the label's own
        out = self.end * 0.35
        ends = ((span[0] - out, span[0] + self.end), (span[1] - self.end, span[1] + out))
        if k == 1 and any(a < px < b for px in others for a, b in ends):
            return False
        return rules < 3 or not any(span[0] - c < px < span[1] + c for px in pending if px != x)

    def take(self, side: int, k: int, span: tuple[float, float], x: float) -> None:
        self.occupied.setdefault((side, k), []).append(span)
        for r in range(1, k):
            self.leaders.setdefault((side, r), []).append(x)


def plan_lane(
    ctx: ChartDrawing,
    events: tuple[Event, ...],
    label: str,
    prop: FontProperties,
    wrap_w: float,
    x0: float,
    per_year: float,
    axes_w: float,
    max_lines: int,
    strictest: int = 3,
) -> LanePlan:
    """Greedy rows: above 1, below 1, above 2, ... the first where the label (running right from
    its event, else left) hits no other label and its leader crosses none."""
    lead = ctx.inch(ctx.pt * 0.12)
    vpad = ctx.inch(ctx.pt * 0.3)
    rows = Rows(hgap=ctx.inch(ctx.pt * 0.7), clear=ctx.inch(ctx.pt * 0.1), end=ctx.em * 2.5)
    placed: list[Placed] = []
    heights: dict[tuple[int, int], float] = {}
    crossings = 0
    # right to left: a label runs rightwards from its event, so a leader further left rises past
    # the labels already placed without crossing them (a staircase)
    order = sorted(events, key=lambda e: (-event_x(e), e.label))
    xs = [(event_x(o) - x0) * per_year for o in order]
    narrowest = ctx.em * 9

    def variant(label: str, width: float) -> tuple[str, float, float]:
        text = ctx.wrap(label, prop, width)
        if max_lines and text.count("\n") >= max_lines:
            text = "\n".join(text.split("\n")[:max_lines]).rstrip(",;:") + "\u2026"
        return (text, *ctx.measure(text, prop))

    for n, e in enumerate(order):
        x = xs[n]
        variants = [variant(e.label, wrap_w)]
        # too wide for the room on either side of its event: also try it wrapped to that room,
        # so it need not be pushed over other events
        for room in (axes_w - x + lead, x + lead):
            if variants[0][1] > room >= narrowest:
                v = variant(e.label, room)
                if v[1] <= room and v[0].count("\n") < 3:
                    variants.append(v)
        options = [
            (k, side, (left, left + w), text, h)
            for k in range(1, len(events) + 2)
            for side in (1, -1)
            for text, w, h in variants
            for left in dict.fromkeys(
                [max(0.0, min(x - lead, axes_w - w)), max(0.0, min(x + lead - w, axes_w - w))]
            )
        ]
        rules, (k, side, span, text, h) = next(
            (rules, o)
            for rules in range(strictest, -1, -1)
            for o in options
            if rows.free(o[1], o[0], o[2], x, xs[n + 1 :], xs[:n] + xs[n + 1 :], rules)
        )
        crossings += rules == 0
        rows.take(side, k, span, x)
        placed.append(Placed(e, text, x, span[0], side, k))
        heights[(side, k)] = max(heights.get((side, k), 0.0), h + vpad)
    for side, k in list(heights):  # rows skipped on the way out keep a minimal height
        for r in range(1, k):
            heights.setdefault((side, r), ctx.line_height(prop) + vpad)
    return LanePlan(label, placed, heights, crossings)


def draw_timeline(ctx: ChartDrawing, spec: ChartSpec) -> None:
    """Lanes of events over the years, at the largest type and fullest labels that fit the medium."""
    t = ctx.theme
    lanes = spec.lanes
    events = [e for lane in lanes for e in lane.events]
    lane_prop = ctx.font(True)
    tick_prop = ctx.font()
    gap = ctx.inch(ctx.pt * 0.8)
    left = max((ctx.width(lane.label, lane_prop) for lane in lanes), default=0.2) + gap + 0.04
    frame = Frame(
        ctx.notes(layout(spec, ctx.speech).notes), left=left, right=0.08, top=0.04, x_labels=ctx.tick_band
    )
    axes_w = ctx.W - frame.left - frame.right
    if events:
        x0, x1 = min(e.year for e in events), max(e.year for e in events) + 1
    else:
        x0, x1 = 0, 1
    per_year = axes_w / (x1 - x0)
    room = ctx.H - frame.bottom - frame.top
    # lane line to the nearest label row: a leader clear of the dot, so every label hangs from its
    # event; a shorter one only where full labels would not fit otherwise
    g_tall, g_short = ctx.inch(ctx.pt * 0.8), ctx.inch(ctx.pt * 0.45)
    sep = ctx.inch(ctx.pt * 0.7)  # between lanes

    best: tuple[tuple[bool, int, float], float, list[LanePlan], float, float] | None = None
    floor = 6.5 if ctx.pt < 10 else 10.0  # smallest type the labels may shrink to, points
    # First every word, at the largest type that fits; then labels cut to two lines, then to one,
    # each as wide (least cut) as fits, shrinking the type before cutting further.
    scales = [sc for sc in (1.0, 0.93, 0.86, 0.8, 0.77) if sc == 1.0 or ctx.pt * sc >= floor]
    # Within each, strict placement first, then without the rules that only avoid ambiguity.
    attempts = [
        (sc, fr, 0, rules, g)
        for g in (g_tall, g_short)
        for rules in (3, 1)
        for sc in scales
        for fr in (0.4, 0.3, 0.23, 0.17)
    ]
    attempts += [
        (sc, fr, lines, rules, g_short)
        for lines in (2, 1)
        for rules in (3, 1)
        for fr in (0.4, 0.3, 0.23, 0.17, *((0.12, 0.08) if lines == 1 else ()))
        for sc in scales
    ]
    # the lanes' plans do not depend on the gap to the lane: an attempt with the other gap reuses them
    planned: dict[tuple[float, float, int, int], list[LanePlan]] = {}
    for scale, frac, lines, strictest, g in attempts:
        prop = ctx.font(size=ctx.pt * scale)
        narrowest = ctx.em * 4 if lines == 1 else ctx.width("Digital Kazakhstan", prop)
        wrap_w = max(frac * axes_w, narrowest)
        key = (scale, wrap_w, lines, strictest)
        if key not in planned:
            planned[key] = [
                plan_lane(ctx, lane.events, lane.label, prop, wrap_w, x0, per_year, axes_w, lines, strictest)
                for lane in lanes
            ]
        plans = planned[key]
        total = sum(p.height(g, sep) for p in plans)
        crossings = sum(p.crossings for p in plans)
        if crossings == 0 and total <= room:
            best = ((False, 0, total), scale, plans, total, g)
            break
        if best is None or (total > room, crossings, total) < best[0]:
            best = ((total > room, crossings, total), scale, plans, total, g)
    assert best is not None
    _, scale, plans, total, g = best
    size = ctx.pt * scale

    ax = ctx.axes(frame, plot_h=max(total, ctx.em * 2))
    axes_h = ax.bbox.height / ctx.fig.dpi
    ax.set_xlim(x0, x1)
    ax.set_ylim(0, axes_h)
    ax.spines["bottom"].set_visible(False)
    ax.set_yticks([])

    # years: ticks at the boundaries, labels in the middle of each year
    years = list(range(x0, x1))
    label_room = ctx.width("2020", tick_prop) * 1.5
    # a long lane label can leave almost no room for the years: then only the first is labelled
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if s * per_year >= label_room), max(1, x1 - x0))
    shown = [y for y in years if (y - x0) % step == 0]
    ax.set_xticks([y + 0.5 for y in shown], [str(y) for y in shown], fontproperties=tick_prop)
    ax.tick_params(axis="x", length=0)
    for y in range(x0, x1 + 1):
        ax.axvline(y, color=t.rule, lw=0.5, zorder=0.5)

    line_tr = offset_copy(ax.transData, fig=ctx.fig, x=-gap * 72, y=0, units="points")
    y_top = axes_h
    ms = ctx.pt * 0.6
    stand_out = any(lane.emphasis for lane in lanes)  # a brief of some countries: theirs in ink
    for plan, lane in zip(plans, lanes, strict=True):
        above, below = plan.above(), plan.below()
        y_line = y_top - sep / 2 - sum(above) - g
        y_top -= plan.height(g, sep)
        on = lane.emphasis or not stand_out
        ax.plot(
            [x0, x1],
            [y_line, y_line],
            color=t.ink if lane.emphasis else t.muted,
            lw=1.2 if lane.emphasis else 0.7,
            zorder=1,
            clip_on=False,
        )
        ctx.text(
            ax,
            x0,
            y_line,
            plan.label,
            ha="right",
            va="center",
            bold=on,
            color=t.ink if on else t.muted,
            transform=line_tr,
        )
        for p in plan.placed:
            xd = x0 + p.x / per_year
            if p.side > 0:
                y_text = y_line + g + sum(above[: p.row - 1])
                va = "bottom"
            else:
                y_text = y_line - g - sum(below[: p.row - 1])
                va = "top"
            ax.plot([xd, xd], [y_line, y_text], color=t.muted, lw=0.5, zorder=1.5)
            ax.plot(
                [xd],
                [y_line],
                ls="none",
                marker="o",
                ms=ms,
                mfc=t.focus,
                mec=t.paper,
                mew=0.6,
                zorder=3,
                clip_on=False,
            )
            ctx.text(
                ax,
                x0 + p.left / per_year,
                y_text,
                p.text,
                ha="left",
                va=va,
                size=size,
                zorder=4,
            )
    if not events:
        ctx.text(ax, 0.5, 0.5, ctx.speech.word("no_events"), transform=ax.transAxes, ha="center", va="center")
