"""What a slide plan is made of: boxes, elements, slides, the slide geometry and the type scale (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from digibrief.theme import Theme, hex_colour, mix
from digibrief.writers.pptx.text import Para

PT_PER_IN = 72.0

LAYOUTS = {"cover": "Title Slide", "content": "Title and Content", "title_only": "Title Only"}


@dataclass(frozen=True)
class Box:
    """A rectangle in points from the slide's top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class TextEl:
    box: Box
    paras: tuple[Para, ...]
    name: str
    slot: str = ""  # "" = a text box; title, subtitle, body, footer, number = the layout's placeholder
    anchor: str = "t"  # t, m, b
    inset: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, top, right, bottom


@dataclass(frozen=True)
class PictureEl:
    box: Box
    key: tuple[str, str]  # (chart id, medium) in Images
    alt: str
    name: str


@dataclass(frozen=True)
class RectEl:
    box: Box
    fill: str
    name: str


@dataclass(frozen=True)
class TableEl:
    box: Box
    widths: tuple[float, ...]
    heights: tuple[float, ...]
    cells: tuple[tuple[tuple[Para, ...], ...], ...]  # rows of cells; row 0 is the header
    inset: tuple[float, float, float, float]
    header_fill: str
    band_fill: str
    name: str


Element = TextEl | PictureEl | RectEl | TableEl


@dataclass(frozen=True)
class SlidePlan:
    layout: str  # a key of LAYOUTS
    title: str
    section: str  # the id of the section the slide belongs to; "" for the closing slide
    elements: tuple[Element, ...]
    notes: tuple[str, ...]


@dataclass
class Plan:
    slides: list[SlidePlan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Geometry:
    """Where the layouts put things, read from the template (or from the built-in design)."""

    width: float
    height: float
    title: Box  # the title placeholder of content slides
    body: Box  # the content area
    cover_title: Box
    cover_subtitle: Box
    kicker: Box | None = None  # a band above the title for the section name (built-in design only)
    footer: Box | None = None
    number: Box | None = None
    builtin: bool = False


def builtin_geometry() -> Geometry:
    """The built-in 16:9 design (13.333 x 7.5 in), in points."""
    w, h = 960.0, 540.0
    margin = 0.6 * PT_PER_IN
    return Geometry(
        width=w,
        height=h,
        kicker=Box(margin, 0.36 * PT_PER_IN, w - 2 * margin, 0.3 * PT_PER_IN),
        title=Box(margin, 0.66 * PT_PER_IN, w - 2 * margin, 0.86 * PT_PER_IN),
        body=Box(margin, 1.62 * PT_PER_IN, w - 2 * margin, 5.3 * PT_PER_IN),
        cover_title=Box(1.1 * PT_PER_IN, 1.9 * PT_PER_IN, w - 2.2 * PT_PER_IN, 1.75 * PT_PER_IN),
        cover_subtitle=Box(1.1 * PT_PER_IN, 3.85 * PT_PER_IN, w - 2.2 * PT_PER_IN, 2.2 * PT_PER_IN),
        footer=Box(margin, 7.06 * PT_PER_IN, 9.0 * PT_PER_IN, 0.26 * PT_PER_IN),
        number=Box(w - margin - 1.5 * PT_PER_IN, 7.06 * PT_PER_IN, 1.5 * PT_PER_IN, 0.26 * PT_PER_IN),
        builtin=True,
    )


@dataclass(frozen=True)
class Style:
    """Type sizes (pt) and colours for slides, derived from the theme's slide_title and slide_body."""

    title: float
    title_min: float
    body: float
    body_min: float
    cover: float
    heading: float
    sub: float
    small: float
    kicker: float
    footer: float
    value: float
    label: float
    table: float
    table_min: float
    refs: float
    refs_min: float
    ink: str
    muted: str
    focus: str
    accent: str
    rule: str
    panel: str
    band: str

    @classmethod
    def of(cls, theme: Theme) -> Style:
        t, b = theme.size("slide_title"), theme.size("slide_body")
        return cls(
            title=t,
            title_min=max(t - 8, 16),
            body=b,
            body_min=max(b - 4, 12),
            cover=round(t * 1.5),
            heading=b - 2,
            sub=b - 4,
            small=max(round(b * 0.6), 10),
            kicker=b - 4,
            footer=max(round(b * 0.55), 9),
            value=t,
            label=b - 4,
            table=b,
            table_min=max(b - 6, 11),
            refs=b - 4,
            refs_min=max(b - 6, 11),
            ink=theme.ink,
            muted=theme.muted,
            focus=theme.focus,
            accent=theme.accent,
            rule=theme.rule,
            panel=hex_colour(mix("#FFFFFF", theme.rule, 0.35)),
            band=hex_colour(mix("#FFFFFF", theme.rule, 0.25)),
        )
