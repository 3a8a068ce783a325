"""Slide builders: one section's charts, lists, tables and profile laid out and measured. Pure.

Every builder returns SlidePlans whose text has been wrapped with the theme's font metrics and fitted
by shrinking within the type scale; what still does not fit continues on a "(continued)" slide, and
the split is recorded in self.warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from digibrief.document.types import (
    Bullets,
    Callout,
    Document,
    Figure,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Reference,
    References,
    Section,
    Table,
    Text,
    plain,
)
from digibrief.theme import Theme
from digibrief.writers.contract import MediumName
from digibrief.writers.pptx.layout import (
    PT_PER_IN,
    Box,
    Element,
    Geometry,
    PictureEl,
    RectEl,
    SlidePlan,
    Style,
    TextEl,
)
from digibrief.writers.pptx.tables import Tables
from digibrief.writers.pptx.text import Metrics, Para, Span, clean, fit, paginate, para, shorten

MAX_BULLETS = 5  # highlights on a profile slide
MAX_FIGURES = 3  # key-figure tiles on a profile slide
GAP = 0.12 * PT_PER_IN
PROFILE_SPLIT = 0.56  # share of the content width the chart column takes on a profile slide
TILE_GAP = 0.15 * PT_PER_IN


def figure_media(doc: Document) -> dict[str, MediumName]:
    """The image medium of every chart: a profile's lead chart is half-width, others slide-wide."""
    out: dict[str, MediumName] = {}
    for f in doc.figures():
        out.setdefault(f.chart.id, "slide_half" if f.lead else "slide_wide")
    return out


def spans(text: Text) -> tuple[Span, ...]:
    """Runs as slide text: citation markers dropped (sources go to the notes), styles kept."""
    out = tuple(Span(clean(r.text), r.bold, r.italic) for r in text if not r.cite and r.text)
    if out:
        out = (*out[:-1], replace(out[-1], text=out[-1].text.rstrip()))
    return out


def cites(text: Text) -> list[int]:
    return [n for r in text for n in r.cite]


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


class SlideMaker:
    """Shared state and the builders for every kind of content slide."""

    def __init__(self, doc: Document, theme: Theme, geo: Geometry, aspects: dict[tuple[str, str], float]):
        self.doc = doc
        self.geo = geo
        self.st = Style.of(theme)
        self.m = Metrics(theme.fonts)
        self.aspects = aspects
        self.media = figure_media(doc)
        self.refs = {r.number: r for r in doc.references}
        for s in doc.sections:
            for b in s.blocks:
                if isinstance(b, References):
                    self.refs.update({r.number: r for r in b.items})
        self.tables = Tables(self.m, self.st)
        self.warnings: list[str] = []

    def general_notes(self, s: Section) -> tuple[str, ...]:
        return tuple(clean(n) for n in s.notes)

    def sources(self, numbers: Sequence[int]) -> tuple[str, ...]:
        nums = sorted({n for n in numbers if n in self.refs})
        if not nums:
            return ()
        return ("Sources: " + " ".join(f"[{n}] {clean(self.refs[n].full)}" for n in nums),)

    # --- slide furniture -------------------------------------------------------------------------

    def head(self, title: str, kicker: str) -> list[Element]:
        """Title placeholder (shrunk to fit, shortened as a last resort) and the kicker band above it."""
        st, box = self.st, self.geo.title
        els: list[Element] = []
        got = fit(self.m, lambda s: [para(title, s, st.ink, bold=True)], box.w, box.h, st.title, st.title_min)
        if got is None:
            lines = max(int(box.h // (st.title_min * 1.2)), 1)
            p = shorten(self.m, para(title, st.title_min, st.ink, bold=True), box.w, lines)
            self.warnings.append(f"title shortened to fit: {clean(title)[:60]!r}")
            got = (st.title_min, [p])
        els.append(TextEl(box, tuple(got[1]), "Title", slot="title"))
        if self.geo.kicker is not None and kicker:
            k = self.geo.kicker
            p = shorten(self.m, para(kicker, st.kicker, st.focus, bold=True), k.w, 1)
            els.append(TextEl(k, (p,), "Kicker", anchor="b"))
        if self.geo.builtin:
            bar = Box(self.geo.body.x - 0.3 * PT_PER_IN, box.y + 4, 0.07 * PT_PER_IN, st.title * 1.2 - 8)
            els.append(RectEl(bar, st.focus, "Accent"))
        return els

    def slide(self, layout: str, title: str, kicker: str, s: Section, els: list[Element], notes) -> SlidePlan:
        return SlidePlan(layout, clean(title), s.id, tuple(self.head(title, kicker) + els), tuple(notes))

    def kicker_for(self, s: Section, title: str) -> str:
        return (s.kicker if title == s.title else s.title) or ""

    # --- lists -----------------------------------------------------------------------------------

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

    def line_item(self, text: str, color: str):
        return lambda size: [para(text, size, color)]

    def plain_item(self, text: Text):
        sp = spans(text)
        return lambda size: [Para(sp, size, self.st.ink)]

    def bullet(self, text: Text, color: str | None = None):
        sp = spans(text)
        c = color or self.st.ink
        return lambda size: [Para(sp, size, c, marker="\u2022", indent=size * 1.2)]

    def bullet_slides(self, s: Section, b: Bullets) -> list[SlidePlan]:
        st, body = self.st, self.geo.body
        items = [self.bullet(t) for t in b.items]
        pages = paginate(self.m, items, [(body.w, body.h)], st.body + 2, st.body_min, (st.body + 2) * 0.75)
        title = b.title if b.title and b.title != s.title else s.title
        out = []
        for i, (page, idx) in enumerate(zip(pages, page_items(pages), strict=True)):
            notes = self.sources([n for k in idx for n in cites(b.items[k])])
            t = title + (" (continued)" if i else "")
            out.append(
                self.slide("content", t, self.kicker_for(s, title), s, self.columns(page, body, 1), notes)
            )
        if len(pages) > 1:
            self.warnings.append(f"text split: {clean(title)} continued on a second slide")
        return out

    def reference_slides(self, s: Section, b: References) -> list[SlidePlan]:
        st, body = self.st, self.geo.body

        def item(n: int, ref: Reference):
            head, date = short_reference(ref)

            def make(size: float) -> list[Para]:
                p = para(f"{head} {date}".strip(), size, st.ink, marker=f"{n}.", indent=size * 2.3)
                return [shorten(self.m, p, half, 2, keep=date)]

            return make

        half = (body.w - 0.5 * PT_PER_IN) / 2
        items = [item(r.number, r) for r in b.items]
        pages = paginate(self.m, items, [(half, body.h)] * 2, st.refs, st.refs_min, st.refs * 0.5)
        title = s.title
        out = []
        for i, (page, idx) in enumerate(zip(pages, page_items(pages), strict=True)):
            shown = [b.items[k] for k in idx]
            notes = [f"[{r.number}] {clean(r.full)}" + (f" {clean(r.url)}" if r.url else "") for r in shown]
            t = title + (" (continued)" if i else "")
            out.append(self.slide("content", t, "", s, self.columns(page, body, 2), notes))
        return out

    # --- text fallback ---------------------------------------------------------------------------

    def text_slides(self, s: Section) -> list[SlidePlan]:
        """A section with nothing slide-shaped still gets a slide: its paragraphs, fitted or continued."""
        st, body = self.st, self.geo.body
        paras = [b for b in s.blocks if isinstance(b, Paragraph | Callout)]
        texts = [b.text for b in paras]
        items = [self.plain_item(t) for t in texts]
        if not items:
            items = [lambda size: [para(s.title, size, st.muted)]]
        pages = paginate(self.m, items, [(body.w, body.h)], st.body, st.body_min, st.body * 0.6)
        out = []
        for i, page in enumerate(pages):
            t = s.title + (" (continued)" if i else "")
            notes = self.sources([n for x in texts for n in cites(x)])
            out.append(self.slide("content", t, s.kicker, s, self.columns(page, body, 1), notes))
        if len(pages) > 1:
            self.warnings.append(f"text split: {clean(s.title)} continued on a second slide")
        return out

    # --- charts ----------------------------------------------------------------------------------

    def chart_block(self, f: Figure, box: Box, heading: bool) -> tuple[list[Element], float]:
        """Heading (or subtitle), the picture scaled to fit, then footnotes and the source line; and the
        bottom of what was placed."""
        st, c, m = self.st, f.chart, self.m
        key = (c.id, self.media[c.id])
        els: list[Element] = []
        y = box.y
        top: list[Para] = []
        if heading:
            top.append(shorten(m, para(c.title, st.heading, st.ink, bold=True), box.w, 2))
        if c.subtitle:
            size = st.sub if heading else st.heading
            top.append(shorten(m, para(c.subtitle, size, st.muted), box.w, 2))
        if top:
            h = m.height(top, box.w) + 1
            els.append(
                TextEl(Box(box.x, y, box.w, h), tuple(top), "Chart heading" if heading else "Subtitle")
            )
            y += h + GAP * 0.6
        foot = []  # the chart's own notes are drawn inside the image by charts.py
        if c.source_line:
            foot.append(shorten(m, para(c.source_line, st.small, st.muted), box.w, 2))
        fh = m.height(foot, box.w) + 1 if foot else 0.0
        room_h = box.bottom - y - (fh + GAP * 0.6 if foot else 0.0)
        aspect = self.aspects.get(key, 1.5)
        w = min(box.w, room_h * aspect)
        h = w / aspect
        x = box.x + (box.w - w) / 2 if not heading else box.x
        els.append(PictureEl(Box(x, y, w, h), key, clean(c.alt), f"Chart: {clean(c.title)}"))
        bottom = y + h
        if foot:
            els.append(TextEl(Box(box.x, y + h + GAP * 0.6, box.w, fh), tuple(foot), "Source"))
            bottom += GAP * 0.6 + fh
        return els, bottom

    def chart_slide(self, s: Section, f: Figure) -> SlidePlan:
        notes = (clean(f.chart.alt), *([clean(f.caption)] if f.caption else []), *self.sources(f.cite))
        title = f.chart.title or s.title
        els, _ = self.chart_block(f, self.geo.body, heading=False)
        return self.slide("title_only", title, self.kicker_for(s, title), s, els, notes)

    # --- tables ----------------------------------------------------------------------------------

    def table_slides(self, s: Section, t: Table, condensed: bool) -> list[SlidePlan]:
        title = (t.caption or s.title).rstrip(". ")
        pages = self.tables.pages(t, self.geo.body, condensed)
        if not condensed and (pages is None or len(pages) > 1):
            self.warnings.append(
                f"table skipped: {clean(title)} does not fit one slide legibly (it is in the PDF)"
            )
            return []
        out = []
        for i, (el, rows) in enumerate(pages or []):
            notes: list[str] = []
            if t.caption:
                notes.append(clean(t.caption))
            if condensed:
                notes += [" \u2014 ".join(clean(plain(c)).strip() for c in row) for row in rows]
            notes += self.sources([n for row in rows for c in row for n in cites(c)])
            tt = title + (" (continued)" if i else "")
            out.append(self.slide("title_only", tt, self.kicker_for(s, tt), s, [el], notes))
        return out

    # --- country and context profiles -------------------------------------------------------------

    def profile(self, s: Section) -> list[SlidePlan]:
        """Main chart over 2-3 key-figure tiles on the left, up to five highlights on the right."""
        st, body = self.st, self.geo.body
        figs = [b for b in s.blocks if isinstance(b, Figure)]
        kf = next((b for b in s.blocks if isinstance(b, KeyFigures)), None)
        bul = next((b for b in s.blocks if isinstance(b, Bullets)), None)
        highlights = list(bul.items) if bul else []
        shown, hidden = highlights[:MAX_BULLETS], highlights[MAX_BULLETS:]
        figures = list(kf.items) if kf else []
        main = figs[0] if figs else None
        gap = 0.45 * PT_PER_IN
        els: list[Element] = []
        if main is not None:
            left = Box(body.x, body.y, body.w * PROFILE_SPLIT, body.h)
            col = Box(left.right + gap, body.y, body.right - left.right - gap, body.h)
            figures = figures[: self.tile_count(left.w)]
            tiles, th = self.key_figures(figures, left)
            chart, bottom = self.chart_block(main, replace(left, h=left.h - th), heading=True)
            els += chart + [_shift(e, bottom + GAP - left.y) for e in tiles]
        else:
            figures = figures[: self.tile_count(body.w)]
            tiles, th = self.key_figures(figures, body)
            els += tiles
            col = Box(body.x, body.y + th, min(body.w, 8.5 * PT_PER_IN), body.h - th)
        items = [self.bullet(t) for t in shown]
        pages = paginate(self.m, items, [(col.w, col.h)], st.body, st.body_min, st.body * 0.6)
        if len(pages) > 1:  # put as much as possible on the profile slide itself
            pages = paginate(self.m, items, [(col.w, col.h)], st.body_min, st.body_min, st.body * 0.6)
        if pages[0][0]:
            els.append(TextEl(col, tuple(pages[0][0]), "Highlights", slot="body"))
        rest = [p for pg in pages[1:] for c in pg for p in c]
        cited = [n for k in figures for n in k.fact.cite] + [n for t in shown for n in cites(t)]
        cited += main.cite if main else ()
        notes = list(self.general_notes(s))
        if main is not None:
            notes.append(clean(main.chart.alt))
        notes += [f"{clean(c.title)}: {clean(plain(c.text))}" for c in s.blocks if isinstance(c, Callout)]
        if hidden:
            notes.append("Also in the brief: " + " ".join(clean(plain(t)) for t in hidden))
            self.warnings.append(
                f"{clean(s.title)}: {len(hidden)} highlight(s) beyond the first {MAX_BULLETS} are not on "
                "the slide; they are in its speaker notes"
            )
        notes += self.sources(cited)
        slides = [self.slide("content", s.title, s.kicker, s, els, notes)]
        if rest:
            self.warnings.append(f"text split: {clean(s.title)} highlights continued on a second slide")
            el = TextEl(replace(body, w=min(body.w, 8.5 * PT_PER_IN)), tuple(rest), "Highlights", slot="body")
            slides.append(
                self.slide(
                    "content", s.title + " (continued)", s.kicker, s, [el], ("Highlights, continued.",)
                )
            )
        for f in figs[1:]:
            slides.append(self.chart_slide(s, f))
        return slides

    def tile_count(self, width: float) -> int:
        """How many key-figure tiles a row of this width holds (2-3, each at least 2 inches wide)."""
        return max(2, min(MAX_FIGURES, int((width + TILE_GAP) // (2.0 * PT_PER_IN + TILE_GAP))))

    def key_figures(self, items: Sequence[KeyFigure], area: Box) -> tuple[list[Element], float]:
        """A row of key-figure tiles (big value, label, period) at the top of area, and its height."""
        if not items:
            return [], 0.0
        st, m = self.st, self.m
        pad, gap, bar = 0.1 * PT_PER_IN, TILE_GAP, 4.0
        n = len(items)
        tw = (area.w - gap * (n - 1)) / n
        inner = tw - bar - 2 * pad
        size = st.value
        while size > st.body and any(
            len(m.lines(para(k.fact.display, size, st.focus, bold=True), inner)) > 1 for k in items
        ):
            size -= 1
        blocks = []
        for k in items:
            when, status = k.fact.period, k.fact.status
            if status != "verified" and status not in when:
                when = f"{when} \u00b7 {status}" if when else status
            ps = [
                shorten(m, para(k.fact.display, size, st.focus, bold=True), inner, 2),
                shorten(m, para(k.label, st.label, st.ink, bold=True, space_before=3), inner, 4),
            ]
            if when:
                ps.append(shorten(m, para(when, st.label - 2, st.muted, space_before=2), inner, 2))
            blocks.append(ps)
        h = max(m.height(ps, inner) for ps in blocks) + 2 * pad + 1
        els: list[Element] = []
        for i, ps in enumerate(blocks):
            x = area.x + i * (tw + gap)
            els.append(RectEl(Box(x, area.y, tw, h), st.panel, "Key figure panel"))
            els.append(RectEl(Box(x, area.y, bar, h), st.focus, "Key figure accent"))
            els.append(
                TextEl(Box(x + bar, area.y, tw - bar, h), tuple(ps), "Key figure", inset=(pad, pad, pad, pad))
            )
        return els, h + GAP


def _shift(e: Element, dy: float) -> Element:
    """e moved down by dy points."""
    return replace(e, box=replace(e.box, y=e.box.y + dy))
