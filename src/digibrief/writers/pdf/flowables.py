"""The writer's own flowables: headings that feed the outline and contents, section markers for the
running header, the clickable table of contents, and the document template that ties them together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import unescape

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, Spacer
from reportlab.platypus.doctemplate import ActionFlowable, FrameBreak
from reportlab.platypus.tableofcontents import IndexingFlowable

from digibrief.writers.pdf.styles import Grid, Styles
from digibrief.writers.pdf.tagging import Node, Para, TocTable, artifact, tagger_of

FILL = 0.6  # no page is left less full than this because a section opened the next one
SLACK = 0.03  # the space after the last block counts in the layout but not in the ink a reader sees


class Heading(Para):
    """A heading with a named destination; the template adds it to the outline and the contents.

    Not split: a heading that does not fit moves to the next page whole (and, with its keepWithNext
    style, together with what follows). Only one taller than a whole page is split, as plain text
    after a zero-size mark that carries its destination.
    """

    def __init__(
        self,
        markup: str,
        style: object,
        *,
        key: str,
        outline: str,
        level: int | None,
        toc: tuple[str, str] | None = None,
        tag: Node | None = None,
    ):
        super().__init__(markup, style, tag=tag)
        self.key = key
        self.outline_title = outline
        self.outline_level = level  # None: no outline entry
        self.toc = toc  # (kicker markup, title markup) for the contents, or None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if frame is None or self.wrap(availWidth, frame._height)[1] <= frame._height:
            return []
        mark = HeadingMark(self.key, self.outline_title, self.outline_level, self.toc)
        return [mark, *Para(self.text, self.style, tag=self.tag).split(availWidth, availHeight)]

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize * 0.6)
        super().draw()


class HeadingMark(Flowable):
    """The destination (and outline and contents entry) of a heading too tall to keep whole."""

    def __init__(self, key: str, outline: str, level: int | None, toc: tuple[str, str] | None):
        super().__init__()
        self.key, self.outline_title, self.outline_level, self.toc = key, outline, level, toc

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)


class Gap(Spacer):
    """Vertical space that vanishes at the top of a frame (so a page never starts with a blank)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return (availWidth, 0)
        return super().wrap(availWidth, availHeight)


class NewPage(ActionFlowable):
    """Start a new page unless nothing but spacing is on the current one yet."""

    def apply(self, doc: BriefTemplate) -> None:
        if doc.content_on_page:
            doc.handle_pageBreak()


class OpenSection(Flowable):
    """Where a chapter begins: on a new page, unless the page so far is less than FILL full and the
    chapter's opening (its heading and first blocks) fits below; then it opens under a strong rule.
    The same rule for every chapter and paper size, so a chapter never begins mid-page unmarked."""

    locChanger = 1
    RULE = 2.0  # the rule's weight
    ABOVE = 22.0  # space between what comes before and the rule

    def __init__(self, colour: Color):
        super().__init__()
        self.colour = colour
        self.opening: list[Flowable] = []  # filled in once the section's flowables are made
        self.drawn = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.drawn = False
        frame = self._doctemplateAttr("frame")
        if frame is None or getattr(frame, "_atTop", True):
            return 0, 0
        rule = self.RULE + self.ABOVE
        canv = self._doctemplateAttr("canv")
        need = rule + sum(_height(f, canv, availWidth, frame._height) for f in self.opening)
        if 1 - availHeight / frame._height >= FILL + SLACK or need > availHeight:
            frame.add_generated_content(FrameBreak)
            return 0, 0
        self.drawn = True
        self.width = availWidth
        return (availWidth, rule)

    def draw(self) -> None:
        if self.drawn:
            c = self.canv
            with artifact(c):
                c.saveState()
                c.setStrokeColor(self.colour)
                c.setLineWidth(self.RULE)
                c.line(0, self.RULE / 2, self.width, self.RULE / 2)
                c.restoreState()


class Closing(KeepTogether):
    """Kept whole, and never moved in front of a figure: it closes its section (a disagreement note
    follows the section's last chart)."""


class Float(KeepTogether):
    """A figure: kept together, and when it does not fit the rest of the page, the text that follows
    fills the page first (as floats do in print), the figure going to the top of the next one."""


class SectionMarker(Flowable):
    """Zero-size flowable: from here on the running header names this section."""

    def __init__(self, title: str):
        super().__init__()
        self.title = title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        pass


TOC_PAD = 4.0  # above and below each contents entry


@dataclass(frozen=True)
class TocEntry:
    key: str
    kicker: str  # markup
    title: str  # markup
    page: int


class Contents(IndexingFlowable):
    """The table of contents: kicker, title and page number, all linked to the heading.

    Seeded with the known headings (page 0) so that the first pass already has the final height; the
    entries collected in a pass are drawn in the next, and multiBuild repeats until they agree.
    """

    def __init__(self, styles: Styles, seed: list[TocEntry], tag: Node | None = None):
        super().__init__()
        self.styles = styles
        self.tag = tag  # the TOC element; each entry becomes a TOCI holding one Link
        self._entries: list[TocEntry] = []
        self._last: list[TocEntry] = list(seed)
        self._table: Grid | None = None

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        if self._entries:
            self._last = self._entries
        self._entries = []

    def isSatisfied(self) -> bool:
        return self._entries == self._last

    @property
    def shown(self) -> list[TocEntry]:
        """The entries the latest pass drew."""
        return list(self._last)

    def notify(self, kind: str, stuff: object) -> None:
        if kind == "TOCEntry" and isinstance(stuff, TocEntry):
            self._entries.append(stuff)

    def _build(self, width: float) -> Grid:
        """Three columns: kicker, title, page. A run of entries with the same kicker (the country
        profiles) is one group: the kicker is shown once, and hairlines under it only end the group."""
        st = self.styles
        rows: list[list[object]] = []
        groups: list[tuple[int, int]] = []
        for i, e in enumerate(self._last):
            href = f'href="#{e.key}"'
            first = i == 0 or e.kicker != self._last[i - 1].kicker
            if first:
                groups.append((i, i))
            else:
                groups[-1] = (groups[-1][0], i)
            rows.append(
                [
                    Para(f"<a {href}>{e.kicker}</a>" if e.kicker and first else "", st.toc_kicker),
                    Para(f"<a {href}>{e.title}</a>", st.toc_entry),
                    Para(f"<a {href}>{e.page or ''}</a>", st.toc_page),
                ]
            )
        if not rows:
            rows = [["", "", ""]]
        widths = [width * 0.24, width * 0.66, width * 0.10]
        style: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BASELINE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), TOC_PAD),
            ("BOTTOMPADDING", (0, 0), (-1, -1), TOC_PAD),
            ("LINEBELOW", (1, 0), (-1, -1), 0.4, st.pal.rule),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, st.pal.ink),
        ]
        style += [("LINEBELOW", (0, end), (0, end), 0.4, st.pal.rule) for _, end in groups]
        described = [unescape(e.title) for e in self._last]  # where the entry's link goes
        tags = TocTable(self.tag, described) if self.tag is not None else None
        t = Grid(rows, font=st.fonts.regular, colWidths=widths, hAlign="LEFT", tags=tags)
        t.setStyle(style)
        return t

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._table = self._build(availWidth)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._table = self._build(availWidth)
        return self._table.splitOn(self.canv, availWidth, availHeight)

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        assert self._table is not None
        self._table.drawOn(canvas, x, y, _sW)


class BriefTemplate(BaseDocTemplate):
    """Outline, contents notifications, the section shown in the running header, and "page N of M".

    M is the page count of the previous pass; the build repeats until it matches this pass. The header
    names the section that begins lowest on the page, else the one current at its top (running_head),
    so a chapter that opens mid-page is never under another chapter's name.
    """

    def __init__(self, filename: object, **kw: object):
        super().__init__(filename, **kw)
        self.total_pages = 0
        self.current_section = ""
        self.page_section = ""
        self.begun_on_page: list[str] = []  # sections that begin below the page's top
        self.content_on_page = 0
        self.draft = False

    def _startBuild(self, filename: object = None, canvasmaker: Any = Canvas) -> None:
        earlier = getattr(self, "canv", None)  # the previous pass's, freed once its tagger lets go of it
        super()._startBuild(filename, canvasmaker)
        if earlier is not None and earlier is not self.canv and (t := tagger_of(earlier)) is not None:
            t.release()

    def handle_documentBegin(self) -> None:
        # Until a pass has counted the pages this pass cannot be the last (see _allSatisfied): it only
        # measures, and expensive drawing (charts) is skipped.
        self.draft = self.total_pages == 0
        super().handle_documentBegin()

    def handle_pageBegin(self) -> None:
        self.page_section = self.current_section
        self.begun_on_page = []
        self.content_on_page = 0
        super().handle_pageBegin()

    @property
    def running_head(self) -> str:
        """The last section that begins below the page's top, else the one the page opens or continues:
        a chapter that opens mid-page names its page, as a book's running head names the last section
        begun on it (one that opens the page has its own heading at the top)."""
        return self.begun_on_page[-1] if self.begun_on_page else self.page_section

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables and isinstance(flowables[0], Float):
            self._fill_before_float(flowables)
        super().handle_flowable(flowables)

    def _fill_before_float(self, flowables: list[Flowable]) -> None:
        """When the figure at flowables[0] does not fit, move the whole text units that follow the run of
        figures (up to the next section) in front of it, as many as fit in the space left."""
        frame = self.frame
        width = frame._getAvailableWidth()
        avail = frame._y - frame._y1p
        if frame._atTop or _height(flowables[0], self.canv, width, frame._height) <= avail:
            return
        i = 1  # the run of figures, each with the space that follows it (which goes where it goes)
        while i < len(flowables) and isinstance(flowables[i], (Float, Gap)):
            i += 1
        j, used = i, 0.0
        while j < len(flowables):
            end = j
            while end + 1 < len(flowables) and flowables[end].getKeepWithNext():
                end += 1
            unit = flowables[j : end + 1]
            if any(
                isinstance(f, (Float, Closing, SectionMarker, ActionFlowable, CondPageBreak, OpenSection))
                for f in unit
            ):
                break
            h = sum(_height(f, self.canv, width, frame._height) for f in unit)
            if used + h > avail:
                break
            used += h
            j = end + 1
        if j > i:
            moved = flowables[i:j]
            del flowables[i:j]
            flowables[0:0] = moved

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, SectionMarker):
            self.current_section = flowable.title
            if self.content_on_page == 0:
                self.page_section = flowable.title
            else:
                self.begun_on_page.append(flowable.title)
            return
        if not isinstance(flowable, (Spacer, CondPageBreak, ActionFlowable)):
            self.content_on_page += 1
        if isinstance(flowable, (Heading, HeadingMark)):
            if flowable.outline_level is not None:
                self.canv.addOutlineEntry(
                    flowable.outline_title,
                    flowable.key,
                    flowable.outline_level,
                    closed=flowable.outline_level == 0,
                )
            if flowable.toc is not None:
                kicker, title = flowable.toc
                self.notify("TOCEntry", TocEntry(flowable.key, kicker, title, self.page))

    def _allSatisfied(self) -> bool:
        happy = super()._allSatisfied()
        if self.page != self.total_pages:
            self.total_pages = self.page
            return False
        return bool(happy)


def _height(f: Flowable, canv: object, width: float, frame_height: float) -> float:
    """The height a flowable takes in a frame, with the space around it."""
    _, h = f.wrapOn(canv, width, frame_height)
    if isinstance(f, KeepTogether):
        h = getattr(f, "_H", h)
    return h + f.getSpaceBefore() + f.getSpaceAfter()
