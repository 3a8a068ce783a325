"""Slide builders: charts with their headline, key figures, short lists and backup material. Pure.

Text is set at the fixed sizes of the type scale and wrapped with the theme's font metrics; what does
not fit is never made smaller: it moves to the speaker notes or to a "(continued)" slide, and the
builder records a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise, takewhile

from digibrief.document.talk import also_said, chart_points, figure_points, text_points
from digibrief.document.types import (
    Bullets,
    Callout,
    ChartSpec,
    Document,
    Figure,
    KeyFigure,
    KeyFigures,
    Lane,
    Paragraph,
    Reference,
    References,
    Section,
    Table,
    Text,
    plain,
)
from digibrief.theme import Theme
from digibrief.vocabulary import MediumName
from digibrief.writers.pptx.layout import (
    PT_PER_IN,
    Box,
    ChartEl,
    Element,
    Geometry,
    PictureEl,
    RectEl,
    SlidePlan,
    Style,
    TableEl,
    TextEl,
)
from digibrief.writers.pptx.native import NATIVE_KINDS, TABLE_KINDS, Builder
from digibrief.writers.pptx.notes import Sources, cites, said, sentence, words
from digibrief.writers.pptx.palette import Colours, on
from digibrief.writers.pptx.tables import Tables
from digibrief.writers.pptx.text import (
    LINE,
    SLACK,
    Metrics,
    Para,
    Span,
    clean,
    fixed,
    paginate,
    para,
    shorten,
)

MAX_FIGURES = 4  # key-figure tiles on a slide
MAX_ITEMS = 5  # points on a list slide
MAX_WORDS_ITEM = 12  # words in one bullet
MAX_WORDS_SLIDE = 60  # words on a main slide
SOURCE_LINES = 3  # lines a chart's source line may wrap to; a longer one is said in the notes
GAP = 0.12 * PT_PER_IN
TILE_GAP = 0.2 * PT_PER_IN
HEAT_INSET = (0.08 * PT_PER_IN, 0.06 * PT_PER_IN, 0.08 * PT_PER_IN, 0.06 * PT_PER_IN)
TIGHT_INSET = (0.04 * PT_PER_IN, 0.04 * PT_PER_IN, 0.04 * PT_PER_IN, 0.04 * PT_PER_IN)

Mode = str  # "native" or "picture"


TIMELINE_EVENTS = 9  # the events one slide's timeline shows with its labels at the label size


def figure_media(doc: Document) -> dict[str, MediumName]:
    """The image medium of every chart drawn as a picture on a slide: the whole content width."""
    return {part.id: "slide_wide" for f in doc.figures() for part in slide_parts(f.chart)}


def slide_parts(spec: ChartSpec) -> list[ChartSpec]:
    """The pictures a chart takes on slides: a timeline with more events than one slide holds with its
    labels at full size, its lanes in consecutive groups (one slide each); any other chart, itself."""
    if spec.kind != "timeline" or sum(len(lane.events) for lane in spec.lanes) <= TIMELINE_EVENTS:
        return [spec]
    groups: list[list[Lane]] = [[]]
    for lane in spec.lanes:
        if groups[-1] and sum(len(x.events) for x in groups[-1]) + len(lane.events) > TIMELINE_EVENTS:
            groups.append([])
        groups[-1].append(lane)
    if len(groups) == 1:
        return [spec]
    return [replace(spec, id=f"{spec.id}-part{i}", lanes=tuple(g)) for i, g in enumerate(groups, 1)]


def drawn_as_picture(spec: ChartSpec, mode: Mode) -> bool:
    """Whether the deck shows this chart as a PNG: every chart with --deck-charts picture, else only
    the kinds PowerPoint cannot draw natively."""
    return mode == "picture" or (spec.kind not in NATIVE_KINDS and spec.kind not in TABLE_KINDS)


def spans(text: Text) -> tuple[Span, ...]:
    """Runs as slide text: citation markers dropped (sources go to the notes), styles kept."""
    out = tuple(Span(clean(r.text), r.bold, r.italic) for r in text if not r.cite and r.text)
    if out:
        out = (*out[:-1], replace(out[-1], text=out[-1].text.rstrip()))
    return out


def slide_form(text: Text) -> Text:
    """What a list item shows on a slide: its bold lead ("Kazakhstan leads.") when it opens with one,
    else the whole item; the rest is said in the notes."""
    runs = [r for r in text if not r.cite and r.text.strip()]
    if len(runs) > 1 and runs[0].bold and not all(r.bold for r in runs):
        lead = list(takewhile(lambda r: r.bold, runs))  # a bold lead may hold a figure's own run
        lead[0] = replace(lead[0], text=lead[0].text.lstrip())
        lead[-1] = replace(lead[-1], text=lead[-1].text.rstrip())
        return tuple(lead)
    return tuple(runs)


def short_reference(r: Reference) -> tuple[str, str]:
    """('UN DESA. Title.', '2018.'): the short publisher and title, and the date kept with it."""
    return f"{r.short_publisher}. {r.title}.", f"{r.date}."


def page_items(pages: list[list[list[Para]]]) -> list[list[int]]:
    """Which list items (by index) each page shows: an item starts at a paragraph with a marker."""
    out, k = [], -1
    for page in pages:
        idx: list[int] = []
        for col in page:
            for p in col:
                k += 1 if p.marker else 0
                if k >= 0 and (not idx or idx[-1] != k):
                    idx.append(k)
        out.append(idx)
    return out


def slide_words(els: Sequence[Element]) -> int:
    """Words of a slide's message: every text box but the furniture (footer, slide number) and the
    attribution under a chart (its source line and notes), which the audience does not read out."""
    return sum(
        words("".join(s.text for p in e.paras for s in (*p.spans, Span(" "))))
        for e in els
        if isinstance(e, TextEl) and e.name not in ("Footer", "Slide number", "Source")
    )


@dataclass(frozen=True)
class Tile:
    value: str
    label: str
    when: str


class SlideMaker:
    """Shared state and the builders for every kind of slide."""

    def __init__(
        self,
        doc: Document,
        theme: Theme,
        geo: Geometry,
        colours: Colours,
        aspects: dict[tuple[str, str], float],
        mode: Mode = "native",
    ):
        self.doc = doc
        self.geo = geo
        self.st = Style.of(theme, colours)
        self.c = colours
        self.m = Metrics(theme.fonts)
        self.family = theme.fonts.family
        self.aspects = aspects
        self.mode = mode
        self.media = figure_media(doc)
        refs = list(doc.references)
        for s in doc.sections:
            for b in s.blocks:
                if isinstance(b, References):
                    refs += list(b.items)
        self.refs = tuple(refs)
        self.sources = Sources(refs, self.doc.speech)
        self.tables = Tables(self.m, self.st)
        self.native = Builder(colours, self.m, self.st.label, self.family, doc.speech)
        self.title_style = theme.slide_titles
        self.warnings: list[str] = []

    def title_para(self, text: str, size: float, colour: str) -> Para:
        """A title at size: on a template in the template's own colour, font and alignment (its master
        and layout style the placeholder), on the built-in design in colour, left; either as the
        theme's slide_titles say where they say it."""
        own, font, align = self.title_style
        if self.geo.builtin:
            return para(text, size, own or colour, bold=True, align=align or "l", font=font or None)
        return para(text, size, own, bold=True, align=align, font=font)

    # --- slide furniture -------------------------------------------------------------------------

    def title_lines(self, title: str) -> tuple[int, int]:
        """(lines the title takes, lines its box holds) at the title size."""
        st, box = self.st, self.geo.title
        room = max(int((box.h + 0.5) // (st.title * LINE)), 1)
        return len(self.m.lines(self.title_para(title, st.title, st.ink), box.w)), room

    def extra(self, title: str) -> float:
        """Height a long title takes below its box: one more line at most, never a smaller size."""
        need, room = self.title_lines(title)
        return self.st.title * LINE if need > room else 0.0

    def content(self, title: str) -> Box:
        """The content area of a slide with this title: below the title, however many lines it takes."""
        body, extra = self.geo.body, self.extra(title)
        return Box(body.x, body.y + extra, body.w, body.h - extra)

    def head(self, title: str, kicker: str) -> tuple[list[Element], bool]:
        """The title at the title size (one line more than its box holds at most, pushing the content
        down), and the kicker above it; True when even so the title had to be shortened (the caller
        says it in full in the notes)."""
        st, box = self.st, self.geo.title
        pitch = st.title * LINE
        p = self.title_para(title, st.title, st.ink)
        need, room = self.title_lines(title)
        extra = self.extra(title)
        cut = need > room + 1
        if cut:
            p = shorten(self.m, p, box.w, room + 1)
            self.warnings.append(
                f"title shortened to fit {room + 1} line(s); in full in the notes: {clean(title)[:70]!r}"
            )
        lines = min(need, room + 1)
        tbox = Box(box.x, box.y, box.w, box.h + extra)
        els: list[Element] = [
            TextEl(tbox, (p,), "Title", slot="title", anchor="b" if self.geo.builtin else "t")
        ]
        if self.geo.kicker is not None and kicker:  # just above the title's first line
            k = self.geo.kicker
            y = tbox.bottom - lines * pitch - k.h if self.geo.builtin else k.y
            kp = shorten(self.m, para(kicker, st.subtitle, st.focus, bold=True), k.w, 1)
            els.append(TextEl(Box(k.x, max(k.y, y), k.w, k.h), (kp,), "Kicker", anchor="b"))
        if self.geo.builtin:  # a bar beside the title's lines
            n = lines * pitch
            bar = Box(self.geo.body.x - 0.3 * PT_PER_IN, tbox.bottom - n + 6, 0.07 * PT_PER_IN, n - 10)
            els.append(RectEl(bar, self.c.focus, "Accent"))
        return els, cut

    def slide(
        self,
        layout: str,
        title: str,
        kicker: str,
        s: Section | None,
        els: list[Element],
        notes: Sequence[str],
        backup: bool = False,
    ) -> SlidePlan:
        head, cut = self.head(title, kicker)
        said_notes = list(dict.fromkeys(n for n in notes if n))  # each point once
        if cut:
            said_notes.insert(0, f"Title: {sentence(title)}")
        plan = SlidePlan(
            layout, clean(title), s.id if s else "", tuple(head + els), tuple(said_notes), backup
        )
        n = slide_words(plan.elements)
        if not backup and n > MAX_WORDS_SLIDE:
            self.warnings.append(
                f"slide {clean(title)[:50]!r} carries {n} words (the limit is {MAX_WORDS_SLIDE})"
            )
        return plan

    def kicker_for(self, s: Section, title: str) -> str:
        return (s.kicker if title == s.title else s.title) or ""

    # --- talk: charts ----------------------------------------------------------------------------

    def chart_slides(
        self, s: Section, f: Figure, talk: Sequence[str] = (), continued: bool = False
    ) -> list[SlidePlan]:
        """The headline as title, the unit and period under it, the chart as large as the slide allows,
        its source under it; notes say what the chart shows, the talking points and the sources. A
        picture in parts (a long timeline) takes a slide per part, the later ones titled as continued."""
        parts = slide_parts(f.chart) if drawn_as_picture(f.chart, self.mode) else [f.chart]
        if len(parts) > 1:
            return [
                slide
                for i, part in enumerate(parts)
                for slide in self.chart_slides(s, replace(f, chart=part), talk if i == 0 else (), i > 0)
            ]
        st, c, m = self.st, f.chart, self.m
        title = plain(f.headline).strip() or c.title
        if continued:
            title += " " + self.doc.speech.word("continued")
        body = self.content(title)
        if not plain(f.headline).strip():
            self.warnings.append(f"chart {c.id!r} has no headline: its label {c.title!r} is the slide title")
        native = None if drawn_as_picture(c, self.mode) else c.kind
        foot_lines = [c.source_line] if c.source_line else []
        if foot_lines and not self._foot_fits(foot_lines, body.w):
            foot_lines = []  # never cut: a source line too long for the slide is said in the notes
            self.warnings.append(
                f"{clean(c.title)}: the source line takes more than {SOURCE_LINES} lines; it is in the notes"
            )
        more: list[TableEl] = []  # the rest of a table split over continuation slides
        drawn: list[Element] = []
        extra_notes: tuple[str, ...] = ()
        sub: Para | None = None
        if c.subtitle:
            full = para(c.subtitle, st.subtitle, st.muted)
            sub = shorten(m, full, body.w, 2)
            if sub != full:
                self.warnings.append(
                    f"{clean(c.title)}: subtitle shortened to two lines; in full in the notes"
                )
                talk = [self.doc.speech.word("note_chart_shows", subtitle=sentence(c.subtitle)), *talk]
        # a table that does not fit whole gives up, in turn, its source line and its subtitle to the
        # notes, and only then continues on another slide; other charts size themselves to the room
        attempts = [(True, True, False), (True, False, False), (False, False, False), (True, True, True)]
        for with_subtitle, with_source, split in attempts if native in TABLE_KINDS else attempts[:1]:
            els: list[Element] = []
            y = body.y
            if sub is not None and with_subtitle:
                h = m.height([sub], body.w) + 1
                els.append(TextEl(Box(body.x, y, body.w, h), (sub,), "Subtitle"))
                y += h + GAP * 0.5
            chart_box = Box(body.x, y, body.w, body.bottom - y)
            shown = foot_lines if with_source else []
            fits = True
            if native in TABLE_KINDS:
                tables, fits = self.heatmap(c, chart_box, self._foot_height(shown, body.w), split)
                drawn, bottom, more = [tables[0]], tables[0].box.bottom, tables[1:]
            elif native is not None:
                drawn, bottom, extra_notes = self.native_chart(c, chart_box, foot_lines, body.w)
            else:
                drawn, bottom = self.picture(
                    c, chart_box, self._foot_height(foot_lines + list(c.notes), body.w)
                )
            if fits or split:
                break
        if not fits:
            self.warnings.append(f"{clean(c.title)}: the table does not fit the slide at {st.matrix:g} pt")
        if native in TABLE_KINDS and not split:
            if sub is not None and not with_subtitle:
                self.warnings.append(
                    f"{clean(c.title)}: the chart needs the subtitle's room; the subtitle is in the notes"
                )
                talk = [self.doc.speech.word("note_chart_shows", subtitle=sentence(c.subtitle)), *talk]
            if foot_lines and not with_source:
                self.warnings.append(
                    f"{clean(c.title)}: the table needs the source line's room; the source is in the notes"
                )
            foot_lines = shown
        lines = foot_lines + list(extra_notes)
        foot: list[Element] = []
        if lines:
            paras = [para(t, st.source, st.muted) for t in lines]  # wrapped in full, never cut
            h = m.height(paras, body.w) + 1
            foot.append(TextEl(Box(body.x, bottom + GAP * 0.5, body.w, h), tuple(paras), "Source"))
        notes = [
            *talk,
            *chart_points(c, self.doc.speech),
        ]  # what to say, never the alt text or the brief's paragraphs
        notes.append(self.sources.line(f.cite, lead=sentence(c.source_line) if c.source_line else ""))
        kicker = self.kicker_for(s, title)
        out = [self.slide("title_only", title, kicker, s, [*els, *drawn, *foot], notes)]
        for table in more:
            shift = bottom - table.box.bottom
            rest = [_shift(e, -shift) for e in foot]
            out.append(
                self.slide(
                    "title_only",
                    title + " " + self.doc.speech.word("continued"),
                    kicker,
                    s,
                    [*els, table, *rest],
                    notes[-1:],
                )
            )
        if more:
            self.warnings.append(f"{clean(c.title)}: the table continues on {len(more)} more slide(s)")
        return out

    def _foot_height(self, lines: Sequence[str], width: float) -> float:
        if not lines:
            return 0.0
        paras = [para(t, self.st.source, self.st.muted) for t in lines]
        return self.m.height(paras, width) + 1 + GAP * 0.5

    def _foot_fits(self, lines: Sequence[str], width: float) -> bool:
        """Whether source lines take at most SOURCE_LINES lines under a chart, wrapped in full."""
        return (
            sum(len(self.m.lines(para(t, self.st.source, self.st.muted), width)) for t in lines)
            <= SOURCE_LINES
        )

    def native_chart(
        self, c: ChartSpec, box: Box, foot: Sequence[str], width: float
    ) -> tuple[list[Element], float, tuple[str, ...]]:
        """The chart built natively in what the source line leaves of box; chart notes go under it."""
        probe = self.native.build(c, box.w, box.h)
        notes = probe.notes if probe else ()
        room = box.h - self._foot_height([*foot, *notes], width)
        chart = self.native.build(c, box.w, room)
        if chart is None:
            p = para(self.doc.speech.word("no_data"), self.st.body, self.st.muted)
            return (
                [TextEl(Box(box.x, box.y, box.w, self.st.body * LINE), (p,), "No data")],
                box.y + self.st.body * LINE,
                (),
            )
        w, h = chart.size
        el = ChartEl(Box(box.x, box.y, w, h), chart, clean(c.alt), f"Chart: {clean(c.title)}")
        return [el], box.y + h, chart.notes

    def picture(self, c: ChartSpec, box: Box, foot_h: float) -> tuple[list[Element], float]:
        """The chart's PNG scaled to fit; it is drawn on the slide's own background (image_requests asks
        for it on a template's), so it sits on the slide without a box of its own."""
        key = (c.id, self.media[c.id])
        aspect = self.aspects.get(key, 2.0)
        w = min(box.w, (box.h - foot_h) * aspect)
        h = w / aspect
        x = box.x + (box.w - w) / 2
        return [PictureEl(Box(x, box.y, w, h), key, clean(c.alt), f"Chart: {clean(c.title)}")], box.y + h

    def heatmap(
        self, c: ChartSpec, box: Box, foot_h: float, split: bool = True
    ) -> tuple[list[TableEl], bool]:
        """The risk matrix as native tables, each cell filled by its level: one row per country, or one
        per category when the categories' names do not fit as column heads at the label size; on a
        narrow slide (4:3) one step down the type scale, at the chart-label size in tighter cells, before
        its categories are split over continuation slides. False when nothing fits."""
        steps = ((self.st.matrix, HEAT_INSET), (self.st.label, TIGHT_INSET))
        for size, inset in steps[: 2 if self.st.label < self.st.matrix else 1]:
            for transpose in (False, True):
                table, ok = self._heat_table(c, box, foot_h, transpose, size=size, inset=inset)
                if ok:
                    return [table], True
        if not split:
            return [table], False
        n = len(c.columns)
        for k in (2, 3):  # the categories in k parts of (nearly) equal size
            cuts = [round(i * n / k) for i in range(k + 1)]
            parts = [self._heat_table(c, box, foot_h, False, (a, b)) for a, b in pairwise(cuts)]
            if all(ok for _, ok in parts):
                return [t for t, _ in parts], True
        return [self._heat_table(c, box, foot_h, False)[0]], False

    def _heat_table(
        self,
        c: ChartSpec,
        box: Box,
        foot_h: float,
        transpose: bool,
        part: tuple[int, int] | None = None,
        size: float | None = None,
        inset: tuple[float, float, float, float] = HEAT_INSET,
    ) -> tuple[TableEl, bool]:
        """The table in one orientation (with only the categories in part) at size (the matrix size by
        default), and whether every word fits its cell and the table its room."""
        st, m = self.st, self.m
        size = size or st.matrix
        tight = inset != HEAT_INSET
        name_size = size if tight else size + 2
        pad, vpad = inset[0] + inset[2], inset[1] + inset[3]
        levels = c.level_labels
        start, end = part or (0, len(c.columns))
        rows, cols = (c.columns, c.rows) if transpose else (c.rows, c.columns[start:end])

        def level(i: int, j: int) -> int | None:
            return c.cells[j][i] if transpose else c.cells[i][start + j]

        def text_of(v: int | None) -> str:
            return (
                levels[v]
                if v is not None and v < len(levels)
                else (c.level_missing or self.doc.speech.word("not_assessed"))
            )

        # a brief of some countries names them in bold, the other countries in muted type
        mark = [True] * len(rows) if transpose or not c.row_emphasis else list(c.row_emphasis)
        names = [
            para(r, name_size, st.ink if on else st.muted, bold=on) for r, on in zip(rows, mark, strict=True)
        ]
        natural = min(max(m.width(r, name_size, True) for r in rows) + pad + 4, box.w * 0.3)
        # the names wrap at words when the columns need the room
        word = max(m.width(w, name_size, True) for r in rows for w in r.split()) / SLACK + pad + 1
        widest = max((m.width(w, size) for h in cols for w in h.split()), default=0.0) / SLACK + pad + 1
        name_w = min(natural, max(word, box.w - widest * len(cols)))
        col_w = (box.w - name_w) / max(len(cols), 1)
        marked = transpose and bool(c.row_emphasis)  # the countries are the column heads
        head = [
            para(h, size, st.ink if not marked or on else st.muted, bold=marked and on)
            for h, on in zip(cols, c.row_emphasis if marked else [False] * len(cols), strict=True)
        ]
        ok = all(m.words_fit(p, name_w - pad) for p in names) and all(
            m.words_fit(p, col_w - pad) for p in head
        )
        head_h = max(m.height([p], col_w - pad) for p in head) + vpad + 2
        cells: list[tuple[tuple[Para, ...], ...]] = [((para("", size, st.ink),), *((p,) for p in head))]
        fills: list[tuple[str | None, ...]] = [(None,) * (len(cols) + 1)]
        hatched: list[tuple[int, int]] = []
        needs: list[float] = []
        for i, name in enumerate(names):
            out: list[tuple[Para, ...]] = [(name,)]
            fill_row: list[str | None] = [None]
            need = m.height([name], name_w - pad)
            for j in range(len(cols)):
                v = level(i, j)
                fill = self.c.risk[v] if v is not None and v < len(self.c.risk) else None
                p = para(text_of(v), size, on(fill) if fill else st.muted, align="c")
                ok = ok and m.words_fit(p, col_w - pad)
                need = max(need, m.height([p], col_w - pad))
                out.append((p,))
                fill_row.append(fill)
                if fill is None:
                    hatched.append((i + 1, j + 1))
            cells.append(tuple(out))
            fills.append(tuple(fill_row))
            needs.append(need + vpad + (2 if tight else 4))
        room = box.h - foot_h - head_h
        spare = max(room - sum(needs), 0.0) / max(len(needs), 1)
        heights = (head_h, *(min(h + spare, max(h, 48.0)) for h in needs))
        ok = ok and sum(heights) <= box.h - foot_h + 0.5
        widths = (name_w, *([col_w] * len(cols)))
        table = TableEl(
            Box(box.x, box.y, box.w, sum(heights)),
            widths,
            heights,
            tuple(cells),
            inset,
            self.c.background,
            self.c.background,
            f"Chart: {clean(c.title)}",
            body_fill=self.c.background,
            fills=tuple(fills),
            patterned=tuple(hatched),
            alt=clean(c.alt),
            anchor="m",
            grid=self.c.background,
        )
        return table, ok

    # --- talk: key figures --------------------------------------------------------------------------

    def tiles(self, items: Sequence[KeyFigure]) -> list[Tile]:
        return [Tile(k.fact.display, k.label, k.when or k.fact.period) for k in items]

    def tile(self, t: Tile, inner: float, compact: bool) -> list[Para]:
        """A key figure's value, label and year (on a line of its own, or after the label if compact)."""
        st, m = self.st, self.m
        value = shorten(m, para(t.value, st.figure, st.focus, bold=True), inner, 2)
        if compact and t.when:
            spans = (Span(clean(t.label)), Span(" \u00b7 " + clean(t.when), color=st.muted))
            label = Para(spans, st.body, st.ink, space_before=4)
            return [value, label if len(m.lines(label, inner)) <= 3 else shorten(m, label, inner, 3)]
        ps = [value, shorten(m, para(t.label, st.body, st.ink, space_before=4), inner, 2)]
        if t.when:
            ps.append(shorten(m, para(t.when, st.body, st.muted, space_before=2), inner, 1))
        return ps

    def key_figure_slide(self, s: Section, kf: KeyFigures, talk: Sequence[str]) -> SlidePlan:
        """Up to four key figures as large numbers with a one-line label; the rest are said in the notes."""
        m, body = self.m, self.content(s.title)
        pad, bar = 0.14 * PT_PER_IN, 5.0
        for n in range(min(MAX_FIGURES, len(kf.items)), 0, -1):  # as many as fit, at the fixed sizes
            shown, rest = list(kf.items[:n]), list(kf.items[n:])
            cols = 1 if n == 1 else 2
            rows = math.ceil(n / cols)
            tw = (body.w - TILE_GAP * (cols - 1)) / cols
            inner = tw - bar - 2 * pad
            for compact in (False, True):  # the year on the label's last line when the slide is short (4:3)
                blocks = [self.tile(t, inner, compact) for t in self.tiles(shown)]
                heights = [  # each row as tall as its tallest tile
                    max(m.height(ps, inner) for ps in blocks[r * cols : (r + 1) * cols]) + 2 * pad + 1
                    for r in range(rows)
                ]
                if sum(heights) + TILE_GAP * (rows - 1) <= body.h:
                    break
            else:
                continue
            break
        if len(shown) < min(MAX_FIGURES, len(kf.items)):
            self.warnings.append(
                f"{clean(s.title)}: {len(shown)} key figures fit the slide; the rest are in its notes"
            )
        els: list[Element] = []
        for i, ps in enumerate(blocks):
            x = body.x + (i % cols) * (tw + TILE_GAP)
            y = body.y + sum(heights[: i // cols]) + (i // cols) * TILE_GAP
            th = heights[i // cols]
            els.append(RectEl(Box(x, y, tw, th), self.c.panel, "Key figure panel"))
            els.append(RectEl(Box(x, y, bar, th), self.c.focus, "Key figure accent"))
            els.append(
                TextEl(
                    Box(x + bar, y, tw - bar, th),
                    tuple(ps),
                    "Key figure",
                    inset=(pad, pad, pad, pad),
                    anchor="m",
                )
            )
        notes = [*talk, *figure_points(shown, self.doc.speech)]
        if rest:
            notes.append(also_said(rest, self.doc.speech))
        cited = [n for k in kf.items for n in k.fact.cite]
        notes.append(self.sources.line(cited))
        title = s.title
        return self.slide("title_only", title, s.kicker or "", s, els, notes)

    # --- talk: short lists -------------------------------------------------------------------------

    def list_slides(self, s: Section, b: Bullets, talk: Sequence[str]) -> list[SlidePlan]:
        """Points of at most 12 words, at most five and 60 words a slide; a longer point is said in the
        notes instead, and what does not fit one slide continues on the next."""
        st, m = self.st, self.m
        size = st.lead
        items: list[tuple[int, Text]] = []
        unshown: list[str] = []  # points too long for a slide, said on the first slide instead
        for i, t in enumerate(b.items):
            form = slide_form(t)
            if words(plain(form)) > MAX_WORDS_ITEM:
                self.warnings.append(
                    f"{clean(s.title)}: point {i + 1} has more than {MAX_WORDS_ITEM} words; it is said in the notes"
                )
                unshown.append(said(t))
                continue
            items.append((i, form))
        title = b.title if b.title and b.title != s.title else s.title
        body = self.content(title + (" " + self.doc.speech.word("continued")))
        budget = MAX_WORDS_SLIDE - words(title) - words(self.kicker_for(s, title))
        groups: list[list[tuple[int, Text]]] = [[]]
        used = 0
        for i, form in items:
            n = words(plain(form))
            if groups[-1] and (len(groups[-1]) >= MAX_ITEMS or used + n > budget):
                groups.append([])
                used = 0
            groups[-1].append((i, form))
            used += n

        widest = max((m.width(f"{i + 1}.", size) for i, _ in items), default=0.0) if b.numbered else size
        indent = widest + size * 0.6  # the number hangs in the indent

        def maker(k: int, form: Text) -> Callable[[float], list[Para]]:
            marker = f"{k + 1}." if b.numbered else "\u2022"
            return fixed(Para(spans(form), size, st.ink, marker=marker, indent=indent))

        out: list[SlidePlan] = []
        for g, group in enumerate(groups):
            made = [maker(i, form) for i, form in group]
            pages = paginate(m, made, [(body.w, body.h)], size, size, size * 0.7)
            for p, page in enumerate(pages):
                shown = [group[k] for k in page_items(pages)[p] if k < len(group)]
                # each point as the slide shows it, its figures with their status; the brief has the rest
                if b.numbered:
                    many = len(b.items) != 1
                    lead = [
                        self.doc.speech.word(
                            "note_findings" if many else "note_finding_one", count=len(b.items)
                        )
                    ]
                    told = [f"{i + 1}. {text_points(form, self.doc.speech)}" for i, form in shown]
                else:
                    lead = [*talk, self.doc.speech.word("note_each_point")]
                    told = [text_points(form, self.doc.speech) for _, form in shown]
                notes = [*([] if g or p else [*lead, *unshown]), *told]
                notes.append(self.sources.line(n for i, _ in shown for n in cites(b.items[i])))
                heading = title + ((" " + self.doc.speech.word("continued")) if g or p else "")
                els = self.columns(page, body, 1)
                out.append(self.slide("content", heading, self.kicker_for(s, title), s, els, notes))
        if len(out) > 1:
            self.warnings.append(f"text split: {clean(title)} continued on a second slide")
        return out

    def columns(self, page: list[list[Para]], box: Box, n: int) -> list[Element]:
        """One text element per non-empty column; the first is the layout's body placeholder."""
        gap = 0.5 * PT_PER_IN if n > 1 else 0.0
        w = (box.w - gap * (n - 1)) / n
        els: list[Element] = []
        for i, col in enumerate(page):
            if col:
                b = Box(box.x + i * (w + gap), box.y, w, box.h)
                name, slot = ("Body", "body") if i == 0 else (f"Column {i + 1}", "")
                els.append(TextEl(b, tuple(col), name, slot))
        return els

    def statement_slide(self, s: Section, talk: Sequence[str]) -> SlidePlan:
        """A section of the talk with nothing slide-shaped: its title, and its text in the notes."""
        return self.slide("title_only", s.title, s.kicker, s, [], [*talk] or [sentence(s.title)])

    # --- backup --------------------------------------------------------------------------------------

    def text_slides(self, s: Section) -> list[SlidePlan]:
        """Paragraphs at the backup size, continued on further slides (reference material)."""
        st, body = self.st, self.content(s.title + (" " + self.doc.speech.word("continued")))
        texts = [b.text for b in s.blocks if isinstance(b, Paragraph | Callout)]
        if not texts:
            return []
        sp = [spans(t) for t in texts]
        items = [fixed(Para(x, st.backup, st.ink)) for x in sp]
        pages = paginate(self.m, items, [(body.w, body.h)], st.backup, st.backup, st.backup * 0.6)
        out = []
        for i, page in enumerate(pages):
            t = s.title + ((" " + self.doc.speech.word("continued")) if i else "")
            notes = [self.doc.speech.word("note_reference_material", topic=clean(s.title).lower())]
            notes.append(self.sources.line(n for x in texts for n in cites(x)))
            out.append(
                self.slide(
                    "content",
                    t,
                    self.doc.speech.word("backup"),
                    s,
                    self.columns(page, body, 1),
                    notes,
                    backup=True,
                )
            )
        return out

    def reference_slides(self, s: Section, b: References) -> list[SlidePlan]:
        st, body = (
            self.st,
            self.content(self.doc.speech.word("sources_title") + " " + self.doc.speech.word("continued")),
        )
        half = (body.w - 0.5 * PT_PER_IN) / 2

        def item(n: int, ref: Reference):
            head, date = short_reference(ref)

            def make(size: float) -> list[Para]:
                # wrapped in full, never cut: a reader looks a source up by its title
                return [para(f"{head} {date}".strip(), size, st.ink, marker=f"{n}.", indent=size * 2.3)]

            return make

        items = [item(r.number, r) for r in b.items]
        pages = paginate(self.m, items, [(half, body.h)] * 2, st.table, st.table, st.table * 0.5)
        out = []
        for i, (page, idx) in enumerate(zip(pages, page_items(pages), strict=True)):
            first, last = b.items[idx[0]].number, b.items[idx[-1]].number
            notes = [self.doc.speech.word("note_sources_range", first=first, last=last)]
            t = self.doc.speech.word("sources_title") + (
                (" " + self.doc.speech.word("continued")) if i else ""
            )
            out.append(
                self.slide(
                    "content",
                    t,
                    self.doc.speech.word("backup"),
                    s,
                    self.columns(page, body, 2),
                    notes,
                    backup=True,
                )
            )
        return out

    def table_slides(self, s: Section, t: Table) -> list[SlidePlan]:
        title = (t.caption or s.title).rstrip(". ")
        condensed = t.on_slide == "condensed"
        pages = self.tables.pages(
            t, self.content(title + (" " + self.doc.speech.word("continued"))), condensed
        )
        if pages is None:
            self.warnings.append(
                f"table skipped: {clean(title)} does not fit a slide legibly (it is in the PDF)"
            )
            return []
        out = []
        for i, (el, rows) in enumerate(pages):
            notes = [self.doc.speech.word("note_detailed_table", title=clean(title))]
            notes.append(self.sources.line(n for row in rows for c in row for n in cites(c)))
            tt = title + ((" " + self.doc.speech.word("continued")) if i else "")
            out.append(
                self.slide("title_only", tt, self.doc.speech.word("backup"), s, [el], notes, backup=True)
            )
        return out


def _shift(e: Element, dy: float) -> Element:
    """e moved down by dy points."""
    return replace(e, box=replace(e.box, y=e.box.y + dy))
