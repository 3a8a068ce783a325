"""Page geometry, colours and paragraph styles of the printed brief, all derived from the Theme."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from digibrief.theme import Theme, mix
from digibrief.writers.pdf.fonts import FontSet
from digibrief.writers.pdf.tagging import GridTags, drafting, render_cb, split_rows

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Page:
    """A4 or US Letter with margins of about 20 mm; the running header sits in the top margin."""

    width: float
    height: float
    left: float = 20 * mm
    right: float = 20 * mm
    top: float = 24 * mm
    bottom: float = 21 * mm

    @classmethod
    def for_paper(cls, paper: str) -> Page:
        w, h = LETTER if paper == "letter" else A4
        return cls(w, h)

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


def colour(value: str, fallback: str = "#000000") -> Color:
    return HexColor(value if _HEX.fullmatch(value or "") else fallback)


def hexstr(c: Color) -> str:
    """'#rrggbb' for markup attributes (built from parsed colours, never from data)."""
    return "#{:02x}{:02x}{:02x}".format(*(round(v * 255) for v in (c.red, c.green, c.blue)))


def tint(c: Color, t: float) -> Color:
    """c moved a fraction t of the way towards white."""
    return Color(*mix(hexstr(c), "#FFFFFF", t))


@dataclass(frozen=True)
class Palette:
    ink: Color
    muted: Color
    accent: Color
    focus: Color
    rule: Color
    panel: Color  # light background of the at-a-glance panel and table headers
    callout: Color  # light warm background of callouts
    cover: Color  # the cover band
    series: tuple[Color, ...]  # the chart palette

    @classmethod
    def from_theme(cls, theme: Theme) -> Palette:
        ink = colour(theme.ink, "#1F2933")
        accent = colour(theme.accent, "#D55E00")
        rule = colour(theme.rule, "#D5DAE0")
        return cls(
            ink=ink,
            muted=colour(theme.muted, "#5F6B76"),
            accent=accent,
            focus=colour(theme.focus, "#0072B2"),
            rule=rule,
            panel=tint(rule, 0.62),
            callout=tint(accent, 0.93),
            cover=ink,
            series=tuple(colour(c, "#5F6B76") for c in theme.palette) or (accent,),
        )


MEASURE_EM = 35.0  # running text is set on a measure of 35 ems, about 72 characters a line


class Styles:
    """Every ParagraphStyle the writer uses, all in the theme's font family. Running text (paragraphs,
    lists, takeaways, notes to the reader) has one size, the theme's body size, on a measure of
    MEASURE_EM ems at most: charts, tables and panels take the full width."""

    def __init__(self, theme: Theme, fonts: FontSet, pal: Palette, frame_width: float = 0.0):
        self.fonts = fonts
        self.pal = pal
        body = theme.size("body")
        small = theme.size("small")
        self.body_size = body
        self.small_size = small
        self.measure = min(frame_width, body * MEASURE_EM) if frame_width else body * MEASURE_EM
        indent = max(0.0, frame_width - self.measure)  # what running text leaves free at the right
        reg, bold, italic = fonts.regular, fonts.bold, fonts.italic

        def ps(name: str, **kw: object) -> ParagraphStyle:
            if "parent" in kw:  # inherit everything not given here
                return ParagraphStyle(name, **kw)
            base = {
                "fontName": reg,
                "fontSize": body,
                "leading": body * 1.45,
                "textColor": pal.ink,
                "bulletFontName": reg,
                "alignment": TA_LEFT,
                "allowWidows": 0,
                "allowOrphans": 0,
                "splitLongWords": 1,
            }
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.body = ps("body", spaceAfter=body * 0.75, rightIndent=indent)
        self.lead = ps("lead", spaceAfter=body, rightIndent=indent)
        self.note = ps("note", fontName=italic, fontSize=small, leading=small * 1.4, textColor=pal.muted)
        self.note.spaceBefore = 4
        self.bullet = ps(
            "bullet",
            leftIndent=13,
            bulletIndent=2,
            spaceAfter=body * 0.4,
            bulletColor=pal.accent,
            rightIndent=indent,
        )
        self.bullet_kept = ps("bullet_kept", parent=self.bullet, keepWithNext=1)
        h1, h2, h3 = theme.size("h1"), theme.size("h2"), theme.size("h3")
        self.kicker = ps(
            "kicker",
            fontName=bold,
            fontSize=small,
            leading=small * 1.3,
            textColor=pal.accent,
            spaceBefore=h1 * 1.4,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.h1 = ps(
            "h1",
            fontName=bold,
            fontSize=h1,
            leading=h1 * 1.2,
            spaceBefore=h1 * 1.4,
            spaceAfter=h1 * 0.7,
            keepWithNext=1,
        )
        self.h1_after_kicker = ps("h1k", parent=self.h1, spaceBefore=0)
        self.h2 = ps(
            "h2", fontName=bold, fontSize=h2, leading=h2 * 1.25, spaceBefore=h2, spaceAfter=5, keepWithNext=1
        )
        self.h3 = ps(
            "h3",
            fontName=bold,
            fontSize=h3,
            leading=h3 * 1.3,
            spaceBefore=h3 * 1.1,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.h3_loose = ps("h3_loose", parent=self.h3, keepWithNext=0)
        self.fig_title = ps("fig_title", parent=self.h3, spaceBefore=body * 1.6, spaceAfter=1)
        self.fig_sub = ps("fig_sub", fontSize=small + 0.5, leading=(small + 0.5) * 1.35, textColor=pal.muted)
        self.fig_sub.spaceAfter = 4
        self.source = ps("source", fontSize=small, leading=small * 1.35, textColor=pal.muted, spaceBefore=3)
        self.source.spaceAfter = body * 1.2
        self.caption = ps("caption", parent=self.source, fontName=italic)
        self.placeholder = ps("placeholder", parent=self.source, alignment=TA_CENTER)
        cell = max(small, body - 0.5)
        self.cell_size = cell
        self.cell = ps("cell", fontSize=cell, leading=cell * 1.3)
        self.cell_head = ps("cell_head", fontName=bold, fontSize=cell, leading=cell * 1.3)
        self.ref = ps(
            "ref",
            fontSize=small + 0.5,
            leading=(small + 0.5) * 1.35,
            leftIndent=24,
            bulletIndent=0,
            spaceAfter=small * 0.6,
            bulletFontSize=small + 0.5,
            bulletColor=pal.muted,
        )
        # at a glance
        self.panel_title = ps(
            "panel_title", fontName=bold, fontSize=small, leading=small * 1.3, textColor=pal.muted
        )
        self.fact = ps("fact", fontSize=body - 0.5, leading=(body - 0.5) * 1.4)
        self.kf_value = ps(
            "kf_value", fontName=bold, fontSize=h2 + 2, leading=(h2 + 2) * 1.2, textColor=pal.focus
        )
        self.kf_label = ps("kf_label", fontSize=small + 0.5, leading=(small + 0.5) * 1.3, spaceBefore=2)
        self.kf_meta = ps("kf_meta", fontSize=small, leading=small * 1.35, textColor=pal.muted, spaceBefore=1)
        self.kf_foot = ps("kf_foot", fontSize=small, leading=small * 1.4, textColor=pal.muted)
        # callouts and takeaways
        self.callout_title = ps("callout_title", fontName=bold, spaceAfter=2)
        self.callout_text = ps("callout_text")
        self.take_num = ps("take_num", fontName=bold, fontSize=h2 + 3, leading=h2 + 5, textColor=pal.accent)
        self.take_text = ps("take_text")
        # contents
        self.toc_kicker = ps(
            "toc_kicker", fontName=bold, fontSize=small, leading=body * 1.45, textColor=pal.muted
        )
        self.toc_entry = ps("toc_entry", fontSize=body + 1.5, leading=(body + 1.5) * 1.35)
        self.toc_page = ps("toc_page", parent=self.toc_entry, alignment=TA_RIGHT)
        # cover
        ct = theme.size("cover_title")
        self.cover_label = ps("cover_label", fontName=bold, fontSize=small + 0.5, leading=small * 1.6)
        self.cover_label.textColor = tint(pal.accent, 0.35)
        self.cover_title = ps("cover_title", fontName=bold, fontSize=ct, leading=ct * 1.15, textColor=white)
        self.cover_title.spaceBefore = 10
        self.cover_sub = ps("cover_sub", fontSize=h2, leading=h2 * 1.4, textColor=tint(pal.rule, 0.3))
        self.cover_sub.spaceBefore = 12
        self.cover_countries = ps("cover_countries", fontSize=h2, leading=h2 * 1.4, textColor=pal.ink)
        self.cover_meta = ps(
            "cover_meta", fontSize=body + 0.5, leading=(body + 0.5) * 1.5, textColor=pal.muted
        )
        self.cover_pub = ps("cover_pub", fontName=bold, fontSize=body + 2, leading=(body + 2) * 1.4)


SPLIT_ROWS = 5  # a table's header and first two rows, and its last two, stay together (blocks.table)


class Grid(Table):
    """A platypus Table in the theme's font (a Table selects Helvetica for every cell otherwise, which
    the PDF then references, unembedded), tagged: its rules and backgrounds are artifacts, its rows and
    cells the elements its tags say (a layout grid's paragraphs carry their own)."""

    def __init__(
        self,
        data: Sequence[Sequence[object]],
        *args: object,
        font: str | None = None,
        tags: GridTags | None = None,
        **kw: object,
    ):
        kw.setdefault("renderCB", render_cb)
        super().__init__(data, *args, **kw)
        self.tail = 0.0  # what must follow the table's last rows on their page (its source line)
        if tags is not None:
            self.tags = tags
        if font is not None:  # parts made by split() inherit the cell styles instead
            self.setStyle([("FONTNAME", (0, 0), (-1, -1), font)])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Its size; a table that would fit only without its tail says it does not, so that it splits
        and its last rows go over with the tail rather than leave it alone at the next page's top."""
        w, h = super().wrap(availWidth, availHeight)
        at_top = getattr(getattr(self, "_frame", None), "_atTop", False)
        splits = len(self._rowHeights) > SPLIT_ROWS  # else, at a page's top, no page would do better
        if self.tail and h <= availHeight < h + self.tail and (splits or not at_top):
            return w, h + self.tail
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        tail = self.tail
        heights = getattr(self, "_rowHeights", None) or ()
        if any(h is None for h in heights):  # not measured yet (split before any wrap): measure now
            super().wrap(availWidth, availHeight)
            heights = self._rowHeights
        rows = sum(heights)
        short = bool(tail) and rows <= availHeight < rows + tail  # whole, but not with its tail
        parts = super().split(availWidth, availHeight - tail if short else availHeight)
        if short and len(parts) < 2:
            return []  # no split leaves rows to go over with the tail: the table goes over whole
        split_rows(self, parts)
        if len(parts) > 1:  # the tail follows the last part
            for part in parts:
                part.tail = 0.0
            parts[-1].tail = tail
        return parts

    def draw(self) -> None:
        if drafting(self.canv):  # nothing a draft pass draws is kept (its cells' paragraphs neither)
            return
        super().draw()

    def _drawCell(self, cellval: object, cellstyle: object, pos: object, size: object) -> None:
        if isinstance(cellval, str) and not cellval.strip():
            return  # an empty cell: no empty text object that no element or artifact would own
        super()._drawCell(cellval, cellstyle, pos, size)
