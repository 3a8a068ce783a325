"""Slide builders: charts with their headline, key figures, short lists and backup material. Pure.

Text is set at the fixed sizes of the type scale and wrapped with the theme's font metrics; what does
not fit is never made smaller: it moves to the speaker notes or to a "(continued)" slide, and the
builder records a warning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from digibrief.document.types import (
    Bullets,
    Callout,
    ChartSpec,
    Document,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Reference,
    References,
    Run,
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
from digibrief.writers.pptx.text import LINE, Metrics, Para, Span, clean, fixed, paginate, para, shorten

MAX_FIGURES = 4  # key-figure tiles on a slide
MAX_ITEMS = 5  # points on a list slide
MAX_WORDS_ITEM = 12  # words in one bullet
MAX_WORDS_SLIDE = 60  # words on a main slide
GAP = 0.12 * PT_PER_IN
TILE_GAP = 0.2 * PT_PER_IN
HEAT_INSET = (0.08 * PT_PER_IN, 0.06 * PT_PER_IN, 0.08 * PT_PER_IN, 0.06 * PT_PER_IN)

Mode = str  # "native" or "picture"


def figure_media(doc: Document) -> dict[str, MediumName]:
    """The image medium of every chart drawn as a picture on a slide: the whole content width."""
    return {f.chart.id: "slide_wide" for f in doc.figures()}


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
        return (Run(runs[0].text.strip(), bold=True),)
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
    """Words a reader sees on a slide: every text box but the footer and the slide number."""
    return sum(
        words("".join(s.text for p in e.paras for s in (*p.spans, Span(" "))))
        for e in els
        if isinstance(e, TextEl) and e.name not in ("Footer", "Slide number")
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
        self.sources = Sources(refs)
        self.tables = Tables(self.m, self.st)
        self.native = Builder(colours, self.m, self.st.label, self.family)
        self.warnings: list[str] = []

    # --- slide furniture -------------------------------------------------------------------------

    def head(self, title: str, kicker: str) -> tuple[list[Element], bool]:
        """The title at the title size in as many lines as its box holds, and the kicker above it;
        True when the title had to be shortened (the caller says it in full in the notes)."""
        st, box = self.st, self.geo.title
        p = para(title, st.title, st.ink, bold=True)
        room = max(int((box.h + 0.5) // (st.title * LINE)), 1)
        cut = len(self.m.lines(p, box.w)) > room
        if cut:
            p = shorten(self.m, p, box.w, room)
            self.warnings.append(
                f"title shortened to fit {room} line(s); in full in the notes: {clean(title)[:70]!r}"
            )
        els: list[Element] = [
            TextEl(box, (p,), "Title", slot="title", anchor="b" if self.geo.builtin else "t")
        ]
        lines = min(len(self.m.lines(p, box.w)), room)
        if self.geo.kicker is not None and kicker:  # just above the title's first line
            k = self.geo.kicker
            y = box.bottom - lines * st.title * LINE - k.h if self.geo.builtin else k.y
            kp = shorten(self.m, para(kicker, st.subtitle, st.focus, bold=True), k.w, 1)
            els.append(TextEl(Box(k.x, max(k.y, y), k.w, k.h), (kp,), "Kicker", anchor="b"))
        if self.geo.builtin:
            bar = Box(
                self.geo.body.x - 0.3 * PT_PER_IN,
                box.bottom - st.title * LINE + 5,
                0.07 * PT_PER_IN,
                st.title * LINE - 10,
            )
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

    def text_box(self, box: Box, paras: Sequence[Para], name: str, slot: str = "") -> TextEl:
        return TextEl(box, tuple(paras), name, slot)

    # --- talk: charts ----------------------------------------------------------------------------

    def chart_slide(self, s: Section, f: Figure, talk: Sequence[str] = ()) -> SlidePlan:
        """The headline as title, the unit and period under it, the chart as large as the slide allows,
        its source under it; notes say what the chart shows, the talking points and the sources."""
        st, c, m, body = self.st, f.chart, self.m, self.geo.body
        title = plain(f.headline).strip() or c.title
        if not plain(f.headline).strip():
            self.warnings.append(f"chart {c.id!r} has no headline: its label {c.title!r} is the slide title")
        els: list[Element] = []
        y = body.y
        if c.subtitle:
            sub = shorten(m, para(c.subtitle, st.subtitle, st.muted), body.w, 1)
            h = m.height([sub], body.w) + 1
            els.append(TextEl(Box(body.x, y, body.w, h), (sub,), "Subtitle"))
            y += h + GAP * 0.5
        native = None if drawn_as_picture(c, self.mode) else c.kind
        foot_lines = [c.source_line] if c.source_line else []
        chart_box = Box(body.x, y, body.w, body.bottom - y)
        drawn: list[Element]
        extra_notes: tuple[str, ...] = ()
        if native in TABLE_KINDS:
            drawn, bottom = self.heatmap(c, chart_box, self._foot_height(foot_lines, body.w))
        elif native is not None:
            drawn, bottom, extra_notes = self.native_chart(c, chart_box, foot_lines, body.w)
        else:
            drawn, bottom = self.picture(c, chart_box, self._foot_height(foot_lines + list(c.notes), body.w))
        els += drawn
        lines = foot_lines + list(extra_notes)
        if lines:
            paras = [shorten(m, para(t, st.source, st.muted), body.w, 2) for t in lines]
            h = m.height(paras, body.w) + 1
            els.append(TextEl(Box(body.x, bottom + GAP * 0.5, body.w, h), tuple(paras), "Source"))
        notes = [sentence(c.alt)]
        if f.caption:
            notes.append(sentence(f.caption))
        notes += talk
        notes.append(self.sources.line(f.cite, lead=sentence(c.source_line) if c.source_line else ""))
        return self.slide("title_only", title, self.kicker_for(s, title), s, els, notes)

    def _foot_height(self, lines: Sequence[str], width: float) -> float:
        if not lines:
            return 0.0
        paras = [shorten(self.m, para(t, self.st.source, self.st.muted), width, 2) for t in lines]
        return self.m.height(paras, width) + 1 + GAP * 0.5

    def native_chart(
        self, c: ChartSpec, box: Box, foot: Sequence[str], width: float
    ) -> tuple[list[Element], float, tuple[str, ...]]:
        """The chart built natively in what the source line leaves of box; chart notes go under it."""
        probe = self.native.build(c, box.w, box.h)
        notes = probe.notes if probe else ()
        room = box.h - self._foot_height([*foot, *notes], width)
        chart = self.native.build(c, box.w, room)
        if chart is None:
            p = para("No data", self.st.body, self.st.muted)
            return (
                [TextEl(Box(box.x, box.y, box.w, self.st.body * LINE), (p,), "No data")],
                box.y + self.st.body * LINE,
                (),
            )
        w, h = chart.size
        el = ChartEl(Box(box.x, box.y, w, h), chart, clean(c.alt), f"Chart: {clean(c.title)}")
        return [el], box.y + h, chart.notes

    def picture(self, c: ChartSpec, box: Box, foot_h: float) -> tuple[list[Element], float]:
        key = (c.id, self.media[c.id])
        aspect = self.aspects.get(key, 2.0)
        room_h = box.h - foot_h
        w = min(box.w, room_h * aspect)
        h = w / aspect
        x = box.x + (box.w - w) / 2
        return [PictureEl(Box(x, box.y, w, h), key, clean(c.alt), f"Chart: {clean(c.title)}")], box.y + h

    def heatmap(self, c: ChartSpec, box: Box, foot_h: float) -> tuple[list[Element], float]:
        """The risk matrix as a native table: one row per country, each cell filled by its level."""
        st, m = self.st, self.m
        size = st.label
        name_size = st.label + 2
        pad = HEAT_INSET[0] + HEAT_INSET[2]
        levels = c.level_labels
        missing = c.level_missing or "Not assessed"  # the word from the risk table, as in the PDF

        def text_of(v: int | None) -> str:
            return levels[v] if v is not None and v < len(levels) else missing

        name_w = max(m.width(r, name_size, True) for r in c.rows) + pad + 4
        col_w = (box.w - name_w) / max(len(c.columns), 1)
        head = [para(h, size, st.ink) for h in c.columns]
        head_h = max(m.height([p], col_w - pad) for p in head) + HEAT_INSET[1] + HEAT_INSET[3] + 2
        room = box.h - foot_h - head_h
        row_h = min(
            max(name_size * LINE + HEAT_INSET[1] + HEAT_INSET[3] + 4, room / max(len(c.rows), 1)), 48.0
        )
        cells: list[tuple[tuple[Para, ...], ...]] = [((para("", size, st.ink),), *((p,) for p in head))]
        fills: list[tuple[str | None, ...]] = [(None,) * (len(c.columns) + 1)]
        hatched: list[tuple[int, int]] = []
        for i, (name, row) in enumerate(zip(c.rows, c.cells, strict=True), start=1):
            out: list[tuple[Para, ...]] = [(para(name, name_size, st.ink, bold=True),)]
            fill_row: list[str | None] = [None]
            for j, v in enumerate(row, start=1):
                fill = self.c.risk[v] if v is not None and v < len(self.c.risk) else None
                colour = on(fill) if fill else st.muted
                out.append((para(text_of(v), size, colour, align="c"),))
                fill_row.append(fill)
                if fill is None:
                    hatched.append((i, j))
            cells.append(tuple(out))
            fills.append(tuple(fill_row))
        heights = (head_h, *([row_h] * len(c.rows)))
        widths = (name_w, *([col_w] * len(c.columns)))
        table = TableEl(
            Box(box.x, box.y, box.w, sum(heights)),
            widths,
            heights,
            tuple(cells),
            HEAT_INSET,
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
        return [table], box.y + sum(heights)

    # --- talk: key figures --------------------------------------------------------------------------

    def tiles(self, items: Sequence[KeyFigure]) -> list[Tile]:
        out = []
        for k in items:
            when, status = k.fact.period, k.fact.status
            if status != "verified" and status not in when:
                when = f"{when} \u00b7 {status}" if when else status
            out.append(Tile(k.fact.display, k.label, when))
        return out

    def key_figure_slide(self, s: Section, kf: KeyFigures, talk: Sequence[str]) -> SlidePlan:
        """Up to four key figures as large numbers with a one-line label; the rest are said in the notes."""
        st, m, body = self.st, self.m, self.geo.body
        shown, rest = list(kf.items[:MAX_FIGURES]), list(kf.items[MAX_FIGURES:])
        cols = 1 if len(shown) == 1 else 2
        rows = math.ceil(len(shown) / cols)
        tw = (body.w - TILE_GAP * (cols - 1)) / cols
        pad, bar = 0.14 * PT_PER_IN, 5.0
        inner = tw - bar - 2 * pad
        blocks = []
        for t in self.tiles(shown):
            ps = [
                shorten(m, para(t.value, st.figure, st.focus, bold=True), inner, 2),
                shorten(m, para(t.label, st.body, st.ink, space_before=4), inner, 2),
            ]
            if t.when:
                ps.append(shorten(m, para(t.when, st.body, st.muted, space_before=2), inner, 1))
            blocks.append(ps)
        th = max(m.height(ps, inner) for ps in blocks) + 2 * pad + 1 if blocks else 0.0
        th = min(th, (body.h - TILE_GAP * (rows - 1)) / max(rows, 1))
        els: list[Element] = []
        for i, ps in enumerate(blocks):
            x = body.x + (i % cols) * (tw + TILE_GAP)
            y = body.y + (i // cols) * (th + TILE_GAP)
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
        notes = [*talk]
        for k in shown:
            if k.note:
                notes.append(f"{clean(k.label)}: {said(k.note)}")
        if rest:
            also = "; ".join(
                f"{clean(k.label)}, {clean(k.fact.display)} ({clean(k.fact.period)})" for k in rest
            )
            notes.append(sentence(f"Also worth saying: {also}"))
        cited = [n for k in kf.items for n in k.fact.cite]
        notes.append(self.sources.line(cited))
        title = s.title
        return self.slide("title_only", title, s.kicker or "", s, els, notes)

    # --- talk: short lists -------------------------------------------------------------------------

    def list_slides(self, s: Section, b: Bullets, talk: Sequence[str]) -> list[SlidePlan]:
        """Points of at most 12 words, at most five and 60 words a slide; a longer point is said in the
        notes instead, and what does not fit one slide continues on the next."""
        st, body, m = self.st, self.geo.body, self.m
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
                notes = [*([] if g or p else [*talk, *unshown]), *(said(b.items[i]) for i, _ in shown)]
                notes.append(self.sources.line(n for i, _ in shown for n in cites(b.items[i])))
                heading = title + (" (continued)" if g or p else "")
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
        st, body = self.st, self.geo.body
        texts = [b.text for b in s.blocks if isinstance(b, Paragraph | Callout)]
        if not texts:
            return []
        sp = [spans(t) for t in texts]
        items = [fixed(Para(x, st.backup, st.ink)) for x in sp]
        pages = paginate(self.m, items, [(body.w, body.h)], st.backup, st.backup, st.backup * 0.6)
        out = []
        for i, page in enumerate(pages):
            t = s.title + (" (continued)" if i else "")
            notes = [f"Reference material for questions: {clean(s.title).lower()}."]
            notes.append(self.sources.line(n for x in texts for n in cites(x)))
            out.append(self.slide("content", t, "Backup", s, self.columns(page, body, 1), notes, backup=True))
        return out

    def reference_slides(self, s: Section, b: References) -> list[SlidePlan]:
        st, body = self.st, self.geo.body
        half = (body.w - 0.5 * PT_PER_IN) / 2

        def item(n: int, ref: Reference):
            head, date = short_reference(ref)

            def make(size: float) -> list[Para]:
                p = para(f"{head} {date}".strip(), size, st.ink, marker=f"{n}.", indent=size * 2.3)
                return [shorten(self.m, p, half, 2, keep=date)]

            return make

        items = [item(r.number, r) for r in b.items]
        pages = paginate(self.m, items, [(half, body.h)] * 2, st.table, st.table, st.table * 0.5)
        out = []
        for i, (page, idx) in enumerate(zip(pages, page_items(pages), strict=True)):
            first, last = b.items[idx[0]].number, b.items[idx[-1]].number
            notes = [
                f"Sources {first} to {last} of the brief, by number; the printed brief gives each in full with its link."
            ]
            t = "Sources" + (" (continued)" if i else "")
            out.append(self.slide("content", t, "Backup", s, self.columns(page, body, 2), notes, backup=True))
        return out

    def table_slides(self, s: Section, t: Table) -> list[SlidePlan]:
        title = (t.caption or s.title).rstrip(". ")
        condensed = t.on_slide == "condensed"
        pages = self.tables.pages(t, self.geo.body, condensed)
        if pages is None:
            self.warnings.append(
                f"table skipped: {clean(title)} does not fit a slide legibly (it is in the PDF)"
            )
            return []
        out = []
        for i, (el, rows) in enumerate(pages):
            notes = [f"Detailed table for questions: {clean(title)}."]
            notes.append(self.sources.line(n for row in rows for c in row for n in cites(c)))
            tt = title + (" (continued)" if i else "")
            out.append(self.slide("title_only", tt, "Backup", s, [el], notes, backup=True))
        return out
