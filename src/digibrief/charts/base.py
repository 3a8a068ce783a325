"""What every chart kind draws on: the figure, axes and notes skeleton, and the series and axis helpers.

A kind module measures its labels, describes its margins as a Frame and asks the ChartDrawing for axes; the
ChartDrawing fits the figure to the medium, styles the axes and sets the notes under the plot, so the kind
draws only what is its own.

Geometry is worked out in inches and display pixels on an Agg canvas, then stored in data or inch
coordinates, so the same layout comes out in the SVG (72 dpi) and in the PNG (medium dpi).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager
from matplotlib.image import imsave
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from digibrief.document.types import ChartSpec, Series, colour_slots
from digibrief.document.words import ENGLISH, Speech
from digibrief.theme import Theme
from digibrief.vocabulary import Medium

from .colours import readable

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")
# Once the palette runs out, colours repeat with a different dash so no two series look alike.
Dash = str | tuple[float, tuple[float, float]]
DASHES: tuple[Dash, ...] = (
    "-",
    (0, (4.0, 1.6)),
    (0, (1.0, 1.4)),
)
LINESPACING = 1.15

# --- matplotlib settings and fonts ---------------------------------------------------------------


def rc_params(family: str) -> dict[RcKeyType, Any]:
    """Settings that make the bytes reproducible and keep text as text in the theme's font."""
    return {
        "svg.hashsalt": "digibrief",
        "svg.fonttype": "none",  # text stays text: the PDF sets it in the embedded font, searchable
        "svg.image_inline": True,
        "font.family": list(dict.fromkeys([family, "DejaVu Sans"])),  # DejaVu draws what the font lacks
        "axes.unicode_minus": True,
        "text.parse_math": False,  # data text is never TeX: "$5 to $10" prints as written, never raises
        "savefig.facecolor": "white",
        "savefig.edgecolor": "white",
        "savefig.transparent": False,
        "savefig.bbox": "standard",
        "savefig.pad_inches": 0.0,
        "path.simplify": False,
        "lines.antialiased": True,
        "patch.antialiased": True,
    }


def register_fonts(theme: Theme) -> str:
    """Make the theme's TTFs known to matplotlib's font manager (once: it remembers each file it has);
    return the family name the files declare."""
    known = {entry.fname for entry in fontManager.ttflist}
    for path in (theme.fonts.regular, theme.fonts.bold):
        if str(path) not in known:
            fontManager.addfont(str(path))
    return FontProperties(fname=str(theme.fonts.regular)).get_name()


def font_pt(theme: Theme, medium: Medium) -> float:
    """The base type size: the medium's own, else the theme's size for print or for slides."""
    if medium.font_pt is not None:
        return medium.font_pt
    return theme.size("chart_print" if medium.for_print else "chart_slide")


def save(fig: Figure, fmt: Literal["svg", "png"], dpi: float) -> bytes:
    """The figure as SVG or PNG without dates or software names, so equal charts give equal bytes."""
    buf = io.BytesIO()
    face = fig.get_facecolor()  # white, or a template slide's background (rc's savefig colour is white)
    paper: dict[str, Any] = {} if face[:3] == (1.0, 1.0, 1.0) else {"facecolor": face, "edgecolor": face}
    if fmt == "svg":
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, **paper)
    else:
        if not isinstance(fig.canvas, _PngCanvas):
            _PngCanvas(fig)  # the figure's canvas from now on: it holds no drawing of its own yet
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, **paper)
    return buf.getvalue()


class _PngCanvas(FigureCanvasAgg):
    """An Agg canvas that writes an opaque figure (every chart's face is) as an RGB PNG: the pixels of
    matplotlib's RGBA one without its alpha channel, which is 255 throughout and only costs encoding
    time and bytes. A figure with any pixel less than opaque is written as matplotlib writes it."""

    def print_png(
        self,
        filename_or_obj: str | os.PathLike | BinaryIO,
        *,
        metadata: dict[str, str] | None = None,
        pil_kwargs: dict[str, Any] | None = None,
        **applied: Any,  # dpi, colours, bbox: savefig has set them on the figure already
    ) -> None:
        FigureCanvasAgg.draw(self)
        rgba = self.buffer_rgba()
        if np.asarray(rgba)[..., 3].min() < 255:
            imsave(
                filename_or_obj,
                rgba,
                format="png",
                origin="upper",
                dpi=self.figure.dpi,
                metadata=metadata,
                pil_kwargs=pil_kwargs,
            )
            return
        info = PngInfo()
        for key, value in (metadata or {}).items():
            if value is not None:  # None drops an entry, as matplotlib has it (no default Software here)
                info.add_text(key, value)
        height, width = np.asarray(rgba).shape[:2]
        image = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
        image.save(
            filename_or_obj,
            format="png",
            dpi=(self.figure.dpi, self.figure.dpi),
            pnginfo=info,
            **(pil_kwargs or {}),
        )


# --- the skeleton --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notes:
    """A chart's notes wrapped to the figure's width, and the height they take under the plot."""

    lines: tuple[str, ...]
    height: float  # inches, including the gap above them; 0 without notes


@dataclass(frozen=True)
class Frame:
    """Where the plot sits in the figure: margins in inches, with the notes set under it."""

    notes: Notes
    left: float
    right: float
    top: float
    x_labels: float = 0.0  # the band under the plot for its x tick labels
    above_notes: float = 0.04  # between the plot (or its x labels) and the notes

    @property
    def bottom(self) -> float:
        return self.x_labels + self.notes.height + self.above_notes


# Text measured in inches by (text, font file, size, dpi), for every chart this process draws: the same
# names, ticks and notes recur from chart to chart and from one draw to the next (a watch, a kept
# worker), and measuring them was a third of a chart's drawing. A measure depends on nothing else:
# the renderer is Agg at the figure's dpi, and the rc settings that touch glyph metrics are fixed.
_SIZES: dict[tuple[str, object, float, float], tuple[float, float]] = {}
_KEPT = 50_000  # entries a table holds (about 10 MB of measures); emptied when full
# Wrapped text by (text, font file, size, dpi, width, hyphenate): a wrap is made of measures alone, and
# the timeline wraps each label again for every type size and width it tries.
_WRAPS: dict[tuple[str, object, float, float, float, bool], str] = {}
# one small Agg renderer per dpi, to measure text on (ChartDrawing.renderer)
_MEASURING: dict[float, RendererAgg] = {}


def _keep(table: dict[Any, Any], key: Any, value: Any) -> None:
    """Put value in one of the tables above, emptying it first when it is full."""
    if len(table) >= _KEPT:
        table.clear()
    table[key] = value


@dataclass
class ChartDrawing:
    """One chart being drawn: its spec, theme and medium, the figure, and text measured in inches."""

    spec: ChartSpec
    theme: Theme
    medium: Medium
    pt: float  # base font size in points
    speech: Speech = ENGLISH  # the report's words and number format, for the few words a chart adds
    fig: Figure = field(init=False)
    canvas: FigureCanvasAgg = field(init=False)
    _layouts: dict[tuple[object, ...], tuple[Text, Bbox]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.fig = Figure(figsize=(self.medium.width_in, self.medium.height_in), dpi=self.medium.dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        self.fig.patch.set_facecolor(self.theme.paper)

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
        """The notes' type size in points: a little smaller than the labels, never below 6 pt."""
        return max(self.pt * 0.88, 6.0)

    @property
    def tick_band(self) -> float:
        """The height under the plot that its x tick labels take, with their padding."""
        return self.line_height(self.font()) + self.inch(self.pt * 0.9)

    # fonts
    def font(self, bold: bool = False, size: float | None = None) -> FontProperties:
        path = self.theme.fonts.bold if bold else self.theme.fonts.regular
        return FontProperties(fname=str(path), size=size or self.pt)

    # measuring
    @property
    def renderer(self) -> RendererAgg:
        """An Agg renderer at the figure's dpi, for measuring text: a text's layout depends on the dpi,
        never on the canvas, so one small renderer per dpi serves every figure (the canvas's own, the
        figure's size in pixels, is allocated only when a PNG is drawn)."""
        dpi = self.fig.dpi
        kept = _MEASURING.get(dpi)
        if kept is None:
            kept = _MEASURING[dpi] = RendererAgg(1, 1, dpi)
        return kept

    def measure(self, s: str, prop: FontProperties) -> tuple[float, float]:
        """Width and height of a (possibly multi-line) string in inches."""
        if not s:
            return 0.0, 0.0
        key = (s, prop.get_file(), prop.get_size_in_points(), self.fig.dpi)
        size = _SIZES.get(key)
        if size is None:
            t = Text(0, 0, s, fontproperties=prop, linespacing=LINESPACING)
            t.set_figure(self.fig)
            bb = t.get_window_extent(self.renderer)
            size = (bb.width / self.fig.dpi, bb.height / self.fig.dpi)
            _keep(_SIZES, key, size)
        return size

    def width(self, s: str, prop: FontProperties) -> float:
        return self.measure(s, prop)[0]

    def line_height(self, prop: FontProperties) -> float:
        return self.measure("Hg", prop)[1]

    def wrap(self, s: str, prop: FontProperties, max_w: float, hyphenate: bool = False) -> str:
        """Greedy word wrap to max_w inches. A word longer than a line keeps a line of its own,
        or with hyphenate is split over lines with hyphens."""
        key = (s, prop.get_file(), prop.get_size_in_points(), self.fig.dpi, max_w, hyphenate)
        done = _WRAPS.get(key)
        if done is None:
            done = self._wrap(s, prop, max_w, hyphenate)
            _keep(_WRAPS, key, done)
        return done

    def _wrap(self, s: str, prop: FontProperties, max_w: float, hyphenate: bool) -> str:
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
        """The text's box in display pixels, as artist.get_window_extent gives it.

        Laying text out is most of a chart's time, and the label searches try many positions for one
        text. The layout does not depend on the position, so it is kept per text, alignment and style
        and moved to each position the way matplotlib moves it: the same floats (a test compares)."""
        if artist.get_wrap() or not artist.get_visible() or not artist.get_text():
            return artist.get_window_extent(self.renderer)
        key = (
            id(artist),
            artist.get_text(),
            artist.get_horizontalalignment(),
            artist.get_verticalalignment(),
            getattr(artist, "_multialignment", None),
            artist.get_rotation(),
            artist.get_rotation_mode(),
            artist.get_transform_rotates_text(),
            artist.get_linespacing(),
            artist.get_usetex(),
            hash(artist.get_fontproperties()),
            self.fig.dpi,
        )
        kept = self._layouts.get(key)
        if kept is None or kept[0] is not artist:
            artist._renderer = self.renderer  # type: ignore[attr-defined]  # as get_window_extent sets it
            kept = self._layouts[key] = (artist, artist._get_layout(self.renderer)[0])  # type: ignore[attr-defined]
        x, y = artist.get_transform().transform(artist.get_unitless_position())
        return kept[1].translated(x, y)

    # drawing
    def text(
        self,
        where: Axes | Figure,
        x: float,
        y: float,
        s: str,
        *,
        bold: bool = False,
        size: float | None = None,
        **kw: Any,  # passed on to matplotlib's Text
    ) -> Text:
        """Text in the theme's font, ink unless a colour is given."""
        kw.setdefault("color", self.theme.ink)
        kw.setdefault("linespacing", LINESPACING)
        return where.text(x, y, s, fontproperties=self.font(bold, size), **kw)

    def inch_text(self, x: float, y: float, s: str, **kw: Any) -> Text:
        """Text placed in inches from the figure's bottom-left corner."""
        kw.setdefault("transform", self.fig.dpi_scale_trans)
        return self.text(self.fig, x, y, s, **kw)

    def set_height(self, h: float) -> None:
        """Shrink the figure to h inches: a kind may need less than its medium, never more."""
        self.fig.set_size_inches(self.W, min(h, self.H))

    # the skeleton: notes, then axes inside the frame
    def notes(self, notes: Sequence[str]) -> Notes:
        """The chart's notes (from its layout) wrapped to the figure's width, small and muted."""
        prop = self.font(size=self.small)
        wrapped = tuple(self.wrap(n, prop, self.W - 0.1) for n in notes)
        if not wrapped:
            return Notes((), 0.0)
        heights = [self.measure(w, prop)[1] for w in wrapped]
        gap = self.inch(self.small * 0.35)
        return Notes(wrapped, sum(heights) + gap * (len(wrapped) - 1) + self.inch(self.pt * 0.6))

    def draw_notes(self, notes: Notes) -> None:
        """The notes at the foot of the figure, the last one lowest."""
        prop = self.font(size=self.small)
        y = 0.04
        gap = self.inch(self.small * 0.35)
        for note in reversed(notes.lines):
            self.inch_text(0.05, y, note, size=self.small, color=self.theme.muted, va="bottom")
            y += self.measure(note, prop)[1] + gap

    def axes(self, frame: Frame, plot_h: float | None = None) -> Axes:
        """Styled axes inside the frame's margins, with the notes under them.

        With plot_h (inches) the figure first shrinks to fit a plot that tall. The axes have no top,
        right or left spine and muted ticks; a kind adds its own grid, limits and labels."""
        if plot_h is not None:
            self.set_height(frame.top + frame.bottom + plot_h)
        w, h = self.fig.get_size_inches()
        left, bottom, right, top = frame.left, frame.bottom, frame.right, frame.top
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
        self.draw_notes(frame.notes)
        return ax


# --- series, values, notes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How one series is drawn and labelled."""

    colour: str
    label_colour: str
    marker: str
    dash: Dash
    lw: float
    ms: float
    z: float
    bold: bool


def series_styles(ctx: ChartDrawing, series: Sequence[Series], ms: float) -> list[Style]:
    """Focus in colour against grey peers when any series has emphasis; else palette + markers."""
    t = ctx.theme
    lw = ctx.pt * 0.17
    if any(s.emphasis for s in series):
        return [
            Style(t.focus, readable(t.focus, t.paper), "o", "-", lw * 1.15, ms * 1.1, 4, True)
            if s.emphasis
            else Style(t.peer, t.muted, "o", "-", lw * 0.75, ms * 0.85, 2, False)
            for s in series
        ]
    n = len(t.palette)
    slots = colour_slots(series)
    return [
        Style(
            t.palette[i % n],
            readable(t.palette[i % n], t.paper),
            MARKERS[i % len(MARKERS)],
            DASHES[(i // n) % len(DASHES)],
            lw,
            ms,
            3,
            False,
        )
        if i >= 0
        else Style(
            t.muted, readable(t.muted, t.paper), MARKERS[i], DASHES[1], lw * 0.85, ms * 0.9, 2.5, False
        )
        for i in slots
    ]


def no_data(ctx: ChartDrawing, ax: Axes) -> None:
    """The whole plot says so when a chart has nothing to draw (never an empty frame or a zero)."""
    ctx.text(
        ax,
        0.5,
        0.5,
        ctx.speech.word("no_data"),
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=ctx.theme.muted,
    )


def style_value_grid(ctx: ChartDrawing, ax: Axes, ticks: Sequence[float], labels: Sequence[str]) -> None:
    """Light horizontal grid lines at the ticks, muted tick labels, no y spine."""
    ax.set_yticks(list(ticks), list(labels), fontproperties=ctx.font())
    ax.yaxis.grid(True, color=ctx.theme.rule, linewidth=0.6)
    ax.xaxis.grid(False)
    ax.set_axisbelow(True)
