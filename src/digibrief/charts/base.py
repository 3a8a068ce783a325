"""What every chart kind shares: the drawing context, colours, text measurement, label placement.

Geometry is worked out in inches and display pixels on an Agg canvas, then stored in data or inch
coordinates so that the same layout comes out in the SVG (72 dpi) and in the PNG (medium dpi).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from digibrief.document.numbers import fmt
from digibrief.document.types import ChartSpec, Series, SeriesPoint
from digibrief.theme import Theme
from digibrief.vocabulary import HOLLOW_NOTE, Medium

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
# Once the palette runs out, colours repeat with a different dash so no two series look alike.
DASHES: tuple[str | tuple[float, tuple[float, float]], ...] = (
    "-",
    (0, (4.0, 1.6)),
    (0, (1.0, 1.4)),
)
WHITE = "#FFFFFF"
LINESPACING = 1.15

# --- fonts ---------------------------------------------------------------------------------------

_registered: set[str] = set()


def register_fonts(theme: Theme) -> str:
    """Make the theme's TTFs known to matplotlib; return the family name the files declare."""
    for path in (theme.fonts.regular, theme.fonts.bold):
        key = str(path)
        if key not in _registered:
            fontManager.addfont(key)
            _registered.add(key)
    return FontProperties(fname=str(theme.fonts.regular)).get_name()


# --- colours -------------------------------------------------------------------------------------

Colour = str | tuple[float, float, float]


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def lin(u: float) -> float:
        return u / 12.92 if u <= 0.04045 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(u) for u in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: Colour, background: Colour = WHITE, ratio: float = 4.5) -> str:
    """The colour, or the least darker shade of it, that small text can be read in on background."""
    r, g, b = to_rgb(colour)
    k = 1.0
    while k > 0 and contrast((r * k, g * k, b * k), background) < ratio:
        k -= 0.02
    k = max(k, 0.0)
    return to_hex((r * k, g * k, b * k))


def text_on(fill: Colour, ink: Colour) -> str:
    """Ink or white, whichever contrasts more with the fill."""
    return to_hex(ink) if contrast(fill, ink) >= contrast(fill, WHITE) else WHITE


# --- the drawing context -------------------------------------------------------------------------


@dataclass
class Ctx:
    spec: ChartSpec
    theme: Theme
    medium: Medium
    pt: float  # base font size in points
    fig: Figure = field(init=False)
    _sizes: dict[tuple[str, object, float], tuple[float, float]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.fig = Figure(figsize=(self.medium.width_in, self.medium.height_in), dpi=self.medium.dpi)
        FigureCanvasAgg(self.fig)
        self.fig.patch.set_facecolor(WHITE)

    # sizes
    @property
    def W(self) -> float:
        return self.medium.width_in

    @property
    def H(self) -> float:
        return self.medium.height_in

    def inch(self, points: float) -> float:
        return points / 72.0

    @property
    def em(self) -> float:
        """The base font size in inches."""
        return self.pt / 72.0

    @property
    def small(self) -> float:
        return max(self.pt * 0.88, 6.0)

    # fonts
    def font(self, bold: bool = False, size: float | None = None) -> FontProperties:
        path = self.theme.fonts.bold if bold else self.theme.fonts.regular
        return FontProperties(fname=str(path), size=size or self.pt)

    # measuring
    @property
    def renderer(self):  # type: ignore[no-untyped-def]
        return self.fig.canvas.get_renderer()  # type: ignore[attr-defined]

    def measure(self, s: str, prop: FontProperties) -> tuple[float, float]:
        """Width and height of a (possibly multi-line) string in inches."""
        if not s:
            return 0.0, 0.0
        key = (s, prop.get_file(), prop.get_size_in_points())
        if key not in self._sizes:
            t = Text(0, 0, s, fontproperties=prop, linespacing=LINESPACING)
            t.set_figure(self.fig)
            bb = t.get_window_extent(self.renderer)
            self._sizes[key] = (bb.width / self.fig.dpi, bb.height / self.fig.dpi)
        return self._sizes[key]

    def width(self, s: str, prop: FontProperties) -> float:
        return self.measure(s, prop)[0]

    def line_height(self, prop: FontProperties) -> float:
        return self.measure("Hg", prop)[1]

    def wrap(self, s: str, prop: FontProperties, max_w: float, hyphenate: bool = False) -> str:
        """Greedy word wrap to max_w inches. A word longer than a line keeps a line of its own,
        or with hyphenate is split over lines with hyphens."""
        words: list[str] = []
        for word in s.split():
            while hyphenate and len(word) > 3 and self.width(word, prop) > max_w:
                cut = max(
                    (k for k in range(2, len(word) - 1) if self.width(word[:k] + "-", prop) <= max_w),
                    default=2,
                )
                words.append(word[:cut] + "-")
                word = word[cut:]
            words.append(word)
        lines: list[str] = []
        cur = ""
        for word in words:
            trial = f"{cur} {word}" if cur else word
            if cur and (cur.endswith("-") or self.width(trial, prop) > max_w):
                lines.append(cur)
                cur = word
            else:
                cur = trial
        if cur:
            lines.append(cur)
        return "\n".join(lines)

    def extent(self, artist: Text) -> Bbox:
        return artist.get_window_extent(self.renderer)

    # drawing
    def text(self, where: Axes | Figure, x: float, y: float, s: str, **kw: object) -> Text:
        bold = bool(kw.pop("bold", False))
        size = kw.pop("size", None)
        kw.setdefault("color", self.theme.ink)
        kw.setdefault("linespacing", LINESPACING)
        prop = self.font(bold, size)  # type: ignore[arg-type]
        return where.text(x, y, s, fontproperties=prop, **kw)  # type: ignore[arg-type]

    def inch_text(self, x: float, y: float, s: str, **kw: object) -> Text:
        """Text placed in inches from the figure's bottom-left corner."""
        kw.setdefault("transform", self.fig.dpi_scale_trans)
        return self.text(self.fig, x, y, s, **kw)

    def add_axes(self, left: float, bottom: float, right: float, top: float) -> Axes:
        """Axes with margins in inches, styled: no top/right spines, muted ticks."""
        w, h = self.fig.get_size_inches()
        ax = self.fig.add_axes(
            (left / w, bottom / h, max(w - left - right, 0.1) / w, max(h - bottom - top, 0.1) / h)
        )
        ax.set_facecolor("none")
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color(self.theme.muted)
        ax.spines["bottom"].set_linewidth(0.6)
        ax.tick_params(colors=self.theme.muted, labelsize=self.pt, length=0, pad=self.pt * 0.5, width=0.6)
        ax.tick_params(axis="x", length=self.pt * 0.3)
        return ax

    def set_height(self, h: float) -> None:
        self.fig.set_size_inches(self.W, min(h, self.H))

    # notes under the plot
    def prepare_notes(self, notes: Sequence[str], width: float) -> tuple[list[str], float]:
        prop = self.font(size=self.small)
        wrapped = [self.wrap(n, prop, width) for n in notes]
        if not wrapped:
            return [], 0.0
        heights = [self.measure(w, prop)[1] for w in wrapped]
        gap = self.inch(self.small * 0.35)
        return wrapped, sum(heights) + gap * (len(wrapped) - 1) + self.inch(self.pt * 0.6)

    def draw_notes(self, wrapped: Sequence[str], x: float, bottom: float = 0.04) -> None:
        prop = self.font(size=self.small)
        y = bottom
        gap = self.inch(self.small * 0.35)
        for note in reversed(wrapped):
            self.inch_text(x, y, note, size=self.small, color=self.theme.muted, va="bottom")
            y += self.measure(note, prop)[1] + gap


# --- series, values, notes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    colour: str
    label_colour: str
    marker: str
    dash: str | tuple[float, tuple[float, float]]
    lw: float
    ms: float
    z: float
    bold: bool


def series_styles(ctx: Ctx, series: Sequence[Series], ms: float) -> list[Style]:
    """Focus in colour against grey peers when any series has emphasis; else palette + markers."""
    t = ctx.theme
    lw = ctx.pt * 0.17
    if any(s.emphasis for s in series):
        return [
            Style(t.focus, readable(t.focus), "o", "-", lw * 1.15, ms * 1.1, 4, True)
            if s.emphasis
            else Style(t.peer, t.muted, "o", "-", lw * 0.75, ms * 0.85, 2, False)
            for s in series
        ]
    n = len(t.palette)
    return [
        Style(
            t.palette[i % n],
            readable(t.palette[i % n]),
            MARKERS[i % len(MARKERS)],
            DASHES[(i // n) % len(DASHES)],
            lw,
            ms,
            3,
            False,
        )
        for i in range(len(series))
    ]


def no_data(ctx: Ctx, ax: Axes) -> None:
    """The whole plot says so when a chart has nothing to draw (never an empty frame or a zero)."""
    ctx.text(ax, 0.5, 0.5, "No data", transform=ax.transAxes, ha="center", va="center", color=ctx.theme.muted)


def known(points: Sequence[SeriesPoint]) -> list[SeriesPoint]:
    return [p for p in points if p.value is not None]


def latest(s: Series) -> SeriesPoint | None:
    pts = known(s.points)
    return max(pts, key=lambda p: p.year) if pts else None


def value_text(spec: ChartSpec, value: float | None, decimals: int | None = None) -> str:
    return fmt(value, spec.unit, spec.decimals if decimals is None else decimals)


def unverified(spec: ChartSpec) -> bool:
    return any(p.status != "verified" and p.value is not None for s in spec.series for p in s.points)


def chart_notes(spec: ChartSpec, extra: Sequence[str] = ()) -> list[str]:
    """spec.notes, or the hollow-marker note when some points are unverified, then extra notes."""
    notes = list(spec.notes)
    if not notes and unverified(spec):
        bars = spec.kind in ("peer_bar", "online_offline")
        notes.append(HOLLOW_NOTE.replace("markers", "bars") if bars else HOLLOW_NOTE)
    return notes + [e for e in extra if e not in notes]


def join_names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def year_runs(years: Sequence[int]) -> str:
    """[2018, 2019, 2021] -> '2018-2019 and 2021' (en dash)."""
    ys = sorted(set(years))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs]
    return join_names(parts) if parts else ""


def value_axis(
    spec: ChartSpec, values: Sequence[float], nbins: int = 5, zero: bool = True
) -> tuple[float, float, list[float]]:
    """Limits and ticks for the value axis: spec.value_range if given (widened to fit the data)."""
    if spec.value_range is not None:
        lo, hi = spec.value_range
        if values:
            lo, hi = min(lo, *values), max(hi, *values)
    elif values:
        lo, hi = min(values), max(values)
        if zero and lo > 0:
            lo = 0.0
        if hi == lo:
            hi = lo + 1.0
        ticks = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
        lo, hi = min(lo, float(ticks[0])), max(hi, float(ticks[-1]))
    else:
        lo, hi = 0.0, 1.0
    if hi <= lo:
        hi = lo + 1.0
    ticks = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]).tick_values(lo, hi)
    eps = (hi - lo) * 1e-9
    return lo, hi, [float(t) for t in ticks if lo - eps <= t <= hi + eps]


def tick_text(spec: ChartSpec, ticks: Sequence[float]) -> list[str]:
    step = min((b - a for a, b in pairwise(ticks)), default=1.0)
    decimals = 0 if step >= 1 else max(0, -math.floor(math.log10(step) + 1e-9))
    while decimals < 6 and len({f"{t:.{decimals}f}" for t in ticks}) < len(ticks):
        decimals += 1
    suffix = "%" if spec.unit == "percent" else ""
    return [f"{t:,.{decimals}f}{suffix}".replace("-", "\u2212") for t in ticks]


def style_value_grid(ctx: Ctx, ax: Axes, ticks: Sequence[float], labels: Sequence[str]) -> None:
    """Light horizontal grid lines at the ticks, muted tick labels, no y spine."""
    ax.set_yticks(list(ticks), list(labels), fontproperties=ctx.font())
    ax.yaxis.grid(True, color=ctx.theme.rule, linewidth=0.6)
    ax.xaxis.grid(False)
    ax.set_axisbelow(True)


# --- label placement -----------------------------------------------------------------------------


def spread(
    desired: Sequence[float], heights: Sequence[float], lo: float, hi: float, gap: float
) -> list[float]:
    """Move label centres apart along one axis (a simple repel) and keep them inside [lo, hi].

    Labels keep their order; each overlapping run is centred on the mean of what it wanted.
    """
    n = len(desired)
    order = sorted(range(n), key=lambda i: (desired[i], i))
    clusters: list[list[int]] = [[i] for i in order]

    def span(cl: list[int]) -> tuple[float, list[float]]:
        offs, y = [], 0.0
        for i in cl:
            offs.append(y + heights[i] / 2)
            y += heights[i] + gap
        total = y - gap
        bottom = sum(desired[i] - o for i, o in zip(cl, offs, strict=True)) / len(cl)
        bottom = min(max(bottom, lo), hi - total) if total <= hi - lo else lo
        return bottom, [bottom + o for o in offs]

    while True:
        placed = [span(cl) for cl in clusters]
        for k in range(len(clusters) - 1):
            top_k = placed[k][1][-1] + heights[clusters[k][-1]] / 2
            bottom_next = placed[k + 1][0]
            if top_k + gap > bottom_next + 1e-9:
                clusters[k : k + 2] = [clusters[k] + clusters[k + 1]]
                break
        else:
            break
    out = [0.0] * n
    for cl, (_, centres) in zip(clusters, placed, strict=True):
        for i, c in zip(cl, centres, strict=True):
            out[i] = c
    return out


def segment_hits(p: tuple[float, float], q: tuple[float, float], box: Bbox) -> bool:
    """Whether the segment p-q crosses the box (Liang-Barsky clipping)."""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    t0, t1 = 0.0, 1.0
    for pk, qk in (
        (-dx, x0 - box.x0),
        (dx, box.x1 - x0),
        (-dy, y0 - box.y0),
        (dy, box.y1 - y0),
    ):
        if pk == 0:
            if qk < 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def overlap_area(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


@dataclass
class Obstacles:
    """What a new label must not cover, in display pixels."""

    boxes: list[Bbox] = field(default_factory=list)
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=list)

    def cost(self, box: Bbox, bounds: Bbox) -> tuple[float, float]:
        """(hard, soft): covered text, markers or outside the bounds; lines crossed."""
        hard = sum(overlap_area(box, b) for b in self.boxes)
        out_x = max(0.0, bounds.x0 - box.x0) + max(0.0, box.x1 - bounds.x1)
        out_y = max(0.0, bounds.y0 - box.y0) + max(0.0, box.y1 - bounds.y1)
        soft = sum(1.0 for p, q in self.segments if segment_hits(p, q, box))
        return hard + (out_x + out_y) * 1e4, soft


def place(
    ctx: Ctx,
    text: Text,
    candidates: Sequence[tuple[float, float, str, str]],
    obstacles: Obstacles,
    bounds: Bbox,
    pad: float,
) -> tuple[Bbox, float, float]:
    """Put text at the first candidate (x, y, ha, va) that hits nothing, else the least bad one
    (covering no text if possible); return its box and (hard, soft) cost."""
    best: tuple[tuple[float, float], int] | None = None
    for k, (x, y, ha, va) in enumerate(candidates):
        text.set_position((x, y))
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)
        box = ctx.extent(text).padded(pad)
        cost = obstacles.cost(box, bounds)
        if cost == (0, 0):
            return box, 0.0, 0.0
        if best is None or cost < best[0]:
            best = (cost, k)
    assert best is not None
    x, y, ha, va = candidates[best[1]]
    text.set_position((x, y))
    text.set_horizontalalignment(ha)
    text.set_verticalalignment(va)
    return ctx.extent(text).padded(pad), best[0][0], best[0][1]
