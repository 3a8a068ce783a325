"""What a slide plan is made of: boxes, elements, slides, the slide geometry and the type scale (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from digibrief.theme import Theme
from digibrief.writers.pptx.native import NativeChart
from digibrief.writers.pptx.palette import Colours
from digibrief.writers.pptx.text import LINE, Para

PT_PER_IN = 72.0

# the plan's layout keys and the slide layouts they use; a template lacking "Section Header" uses its
# title slide for the Backup divider
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
    name: str  # also the role tests read: "Title", "Body", "Subtitle", "Source", "Footer", ...
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
class ChartEl:
    """A native, editable chart: its data, series styles, axes and labels are in chart."""

    box: Box
    chart: NativeChart
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
    body_fill: str = "#FFFFFF"
    fills: tuple[tuple[str | None, ...], ...] = ()  # per-cell fill overriding the row's (a heatmap)
    patterned: tuple[tuple[int, int], ...] = ()  # cells drawn with a hatch: "not assessed"
    alt: str = ""
    anchor: str = "t"  # t, m, b: where text sits in its cell
    grid: str = ""  # lines between cells in this colour ("" = none), e.g. the background between heat cells


Element = TextEl | PictureEl | ChartEl | RectEl | TableEl


@dataclass(frozen=True)
class SlidePlan:
    layout: str  # a key of LAYOUTS
    title: str
    section: str  # the id of the section the slide belongs to; "" for the closing and divider slides
    elements: tuple[Element, ...]
    notes: tuple[str, ...]
    backup: bool = False  # after the Backup divider: reference material, not part of the talk


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


def builtin_geometry(st: Style) -> Geometry:
    """The built-in 16:9 design (13.333 x 7.5 in), in points: a title of two lines at the title size."""
    w, h = 960.0, 540.0
    margin = 0.6 * PT_PER_IN
    kicker_h = st.subtitle * LINE + 1
    title_y = 0.3 * PT_PER_IN + kicker_h
    title_h = 2 * st.title * LINE + 2
    body_y = title_y + title_h + 0.12 * PT_PER_IN
    footer_y = 7.06 * PT_PER_IN
    return Geometry(
        width=w,
        height=h,
        kicker=Box(margin, 0.3 * PT_PER_IN, w - 2 * margin, kicker_h),
        title=Box(margin, title_y, w - 2 * margin, title_h),
        body=Box(margin, body_y, w - 2 * margin, footer_y - 0.1 * PT_PER_IN - body_y),
        # the title at the foot of the cover's band (its top 58%), the subtitle under it inside the band
        cover_title=Box(1.0 * PT_PER_IN, 0.8 * PT_PER_IN, w - 2.0 * PT_PER_IN, 2.35 * PT_PER_IN),
        cover_subtitle=Box(1.0 * PT_PER_IN, 3.25 * PT_PER_IN, w - 2.0 * PT_PER_IN, 3 * st.body * LINE + 2),
        footer=Box(margin, footer_y, 9.0 * PT_PER_IN, 0.26 * PT_PER_IN),
        number=Box(w - margin - 1.5 * PT_PER_IN, footer_y, 1.5 * PT_PER_IN, 0.26 * PT_PER_IN),
        builtin=True,
    )


@dataclass(frozen=True)
class Style:
    """The deck's type scale (pt, fixed steps from the theme: nothing is shrunk to fit) and colours."""

    title: float  # slide titles and headlines
    body: float  # bullets and labels on main slides
    lead: float  # list slides such as the key takeaways
    subtitle: float  # a chart's unit and period, the kicker
    label: float  # chart labels and axes
    source: float  # source lines and chart notes
    footer: float
    figure: float  # key-figure values
    cover: float
    backup: float  # text on backup slides
    table: float  # tables and references on backup slides
    matrix: float  # the risk matrix's cells, read across the room
    c: Colours

    @classmethod
    def of(cls, theme: Theme, colours: Colours | None = None) -> Style:
        return cls(
            title=theme.size("slide_title"),
            body=theme.size("slide_body"),
            lead=theme.size("slide_lead"),
            subtitle=theme.size("slide_subtitle"),
            label=theme.size("slide_label"),
            source=theme.size("slide_source"),
            footer=theme.size("slide_footer"),
            figure=theme.size("slide_figure"),
            cover=theme.size("slide_cover"),
            backup=theme.size("slide_backup"),
            table=theme.size("slide_table"),
            matrix=theme.size("slide_matrix"),
            c=colours or Colours.of_theme(theme),
        )

    # the colours every builder reads
    @property
    def ink(self) -> str:
        return self.c.ink

    @property
    def muted(self) -> str:
        return self.c.muted

    @property
    def focus(self) -> str:
        return self.c.focus_text
