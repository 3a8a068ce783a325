"""Blocks of the neutral document → reportlab flowables (one function per block kind), each flowable
with the structure element its content belongs to (tagging.py), made in the document's order under the
current section's element: paragraphs P, lists L > LI > Lbl + LBody, tables Table > TR > TH/TD, figures
Div > H, P, Figure (with the chart's alt text), Caption."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from digibrief.document import types as d
from digibrief.document.words import ENGLISH, Speech
from digibrief.vocabulary import print_medium
from digibrief.writers.pdf.flowables import Closing, Float, Gap, Heading
from digibrief.writers.pdf.images import Chart
from digibrief.writers.pdf.markup import Markup, ref_anchor
from digibrief.writers.pdf.styles import Grid, Page, Styles, hexstr
from digibrief.writers.pdf.tagging import DataTable, ListTable, Node, Para, Tagged

T = TypeVar("T")
CARD_PAD, CARD_GUTTER, CARD_COLUMNS = 12.0, 14.0, 3
SHORT_TABLE = 0.3  # a table shorter than this share of the page is kept whole, a longer one may split
MIN_VALUE_SIZE = 11.0  # key-figure values are set smaller (for the whole brief) until every one fits its card


@dataclass
class Ctx:
    """What every block builder needs for one render."""

    styles: Styles
    m: Markup
    page: Page
    charts: dict[tuple[str, str], Flowable]  # parsed and scaled images, by request key
    node: Node = field(default_factory=lambda: Node("Sect"))  # the element blocks are added to
    level: int = 3  # the heading level of sub-headings (H1 is the title, H2 a section's)
    anchored: set[int] = field(default_factory=set)  # reference numbers whose anchor is placed
    values: tuple[str, ...] = ()  # every key-figure value of the brief
    speech: Speech = ENGLISH  # the document's: the fixed words the blocks print
    _value_style: ParagraphStyle | None = None
    _keys: set[str] = field(default_factory=set)

    @property
    def width(self) -> float:
        return self.page.frame_width

    def value_style(self) -> ParagraphStyle:
        """The key figures' value style: one size for the brief, the largest at which every value
        (kept whole, "more than 14 million") fits on one line of its card."""
        if self._value_style is None:
            st = self.styles
            card_w = (self.width - 2 * CARD_PAD - (CARD_COLUMNS - 1) * CARD_GUTTER) / CARD_COLUMNS
            size = st.kf_value.fontSize
            widest = max((stringWidth(v, st.fonts.bold, 1.0) for v in self.values), default=0.0)
            while size > MIN_VALUE_SIZE and widest * size > card_w:
                size -= 0.5
            self._value_style = ParagraphStyle(
                f"kf_value-{size}", parent=st.kf_value, fontSize=size, leading=size * 1.2
            )
        return self._value_style

    def key(self, hint: str) -> str:
        """A unique destination name, safe inside markup attributes."""
        base = re.sub(r"[^A-Za-z0-9_-]+", "_", hint)[:60] or "h"
        key, n = base, 1
        while key in self._keys or key.startswith("ref-"):
            n += 1
            key = f"{base}-{n}"
        self._keys.add(key)
        return key

    def heading(self, text: str, style: object) -> Heading:
        """A sub-heading of the current section, with its outline entry one level below the section's."""
        markup = self.m.plain(text, bold=True)
        outline = self.m.glyphs.clean(text, bold=True)
        tag = self.node.add(f"H{self.level}")
        return Heading(markup, style, key=self.key("h-" + text), outline=outline, level=1, tag=tag)

    def para(self, markup: str, style: object, role: str = "P", parent: Node | None = None) -> Para:
        """A paragraph that is an element of its own (by default a P of the current section)."""
        return Para(markup, style, tag=(parent or self.node).add(role))


def build_blocks(section: d.Section, ctx: Ctx) -> list[Flowable]:
    return [f for block in section.blocks for f in BUILDERS[type(block)](block, ctx)]


def paragraph(b: d.Paragraph, ctx: Ctx) -> list[Flowable]:
    st = ctx.styles
    style = {"lead": st.lead, "note": st.note}.get(b.style, st.body)
    return [ctx.para(ctx.m.text(b.text), style)]


def bullets(b: d.Bullets, ctx: Ctx) -> list[Flowable]:
    if b.numbered:
        return takeaways(b, ctx)
    out: list[Flowable] = []
    if b.title:
        out.append(ctx.heading(b.title, ctx.styles.h3))
    items = ctx.node.add("L", attrs={"List": {"ListNumbering": "Disc"}})
    n = len(b.items)
    for i, item in enumerate(b.items):
        li = items.add("LI")
        label, body = li.add("Lbl"), li.add("LBody")
        # the first item stays with the second and the last with the one before: no item alone on a page
        style = ctx.styles.bullet_kept if i == 0 or i == n - 2 else ctx.styles.bullet
        out.append(Para(ctx.m.text(item), style, bulletText="\u2022", tag=body, label=label))
    out.append(Gap(1, 4))
    return out


def takeaways(b: d.Bullets, ctx: Ctx) -> list[Flowable]:
    """Key takeaways: numbered, each on a hairline, larger text."""
    st = ctx.styles
    out: list[Flowable] = []
    if b.title:
        out.append(ctx.heading(b.title, st.h3))
    rows = [
        [Para(str(i), st.take_num), Para(ctx.m.text(item), st.take_text)] for i, item in enumerate(b.items, 1)
    ]
    if rows:
        tags = ListTable(ctx.node, len(rows))  # the number cell is the item's label, the text its body
        t = Grid(rows, font=st.fonts.regular, colWidths=[30, st.measure], hAlign="LEFT", tags=tags)
        t.setStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, st.pal.rule),
            ]
        )
        out.append(t)
    return out


def key_figures(b: d.KeyFigures, ctx: Ctx) -> list[Flowable]:
    """The at-a-glance panel: facts, then cards of big numbers, at most three to a row, and the cards' notes.
    One mark system: citation numbers. A card's status is said in words in its period line, and its
    note is listed under the cards after the labels of the cards it belongs to."""
    st, m, pal = ctx.styles, ctx.m, ctx.styles.pal
    pad, gut, ncol = CARD_PAD, CARD_GUTTER, CARD_COLUMNS
    card_w = (ctx.width - 2 * pad - (ncol - 1) * gut) / ncol
    widths = [pad] + [w for i in range(ncol) for w in ([card_w] if i == 0 else [gut, card_w])] + [pad]
    ncols = len(widths)

    def span_row(content: object) -> list[object]:
        return ["", content] + [""] * (ncols - 2)

    panel = ctx.node.add("Div")
    title = ctx.para(m.plain(b.title.upper(), bold=True), st.panel_title, f"H{ctx.level}", panel)
    rows: list[list[object]] = [span_row(title)]
    for label, value in b.facts:
        shown = m.plain(value) if isinstance(value, str) else m.text(value)
        muted = f'<font color="{hexstr(pal.muted)}">{m.plain(label)}</font>'
        rows.append(span_row(ctx.para(f"{muted}\u2002{shown}", st.fact, parent=panel)))
    cards_list = panel.add("L", attrs={"List": {"ListNumbering": "None"}})  # the cards, one item each
    notes: dict[d.Text, list[str]] = {}  # note -> the labels of its cards; identical notes listed once
    cards: list[list[Flowable]] = []
    for kf in b.items:
        fact = kf.fact
        meta = m.plain(kf.when or fact.period)
        if kf.note:
            notes.setdefault(kf.note, []).append(kf.label)
        cite = m.cite(fact.cite) if fact.cite else ""
        body = cards_list.add("LI").add("LBody")
        card: list[Flowable] = [
            ctx.para(m.figure(fact.display, bold=True), ctx.value_style(), parent=body),
            ctx.para(m.plain(kf.label) + cite, st.kf_label, parent=body),
        ]
        if meta:
            card.append(ctx.para(meta, st.kf_meta, parent=body))
        cards.append(card)
    first_card_row = len(rows)
    for chunk in card_rows(cards, ncol):
        row: list[object] = [""]
        for j in range(ncol):
            if j:
                row.append("")
            row.append(chunk[j] if j < len(chunk) else "")
        row.append("")
        rows.append(row)
    last_card_row = len(rows) - 1
    foot: list[Flowable] = [
        ctx.para(f"{m.plain('; '.join(labels), bold=True)}: {m.text(note)}", st.kf_foot, parent=panel)
        for note, labels in notes.items()
    ]
    if foot:
        rows.append(span_row(foot))
    style: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), pal.panel),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, 0), 10),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ("LINEABOVE", (0, 0), (-1, 0), 2, pal.focus),
    ]
    for r in range(len(rows)):
        if r < first_card_row or r > last_card_row:
            style.append(("SPAN", (1, r), (ncols - 2, r)))
    for r in range(first_card_row, last_card_row + 1):
        style += [("TOPPADDING", (0, r), (-1, r), 10), ("BOTTOMPADDING", (0, r), (-1, r), 4)]
        for j in range(ncol):
            c = 1 + 2 * j
            if rows[r][c] != "":
                style.append(("LINEABOVE", (c, r), (c, r), 0.6, pal.rule))
    if foot:
        style.append(("TOPPADDING", (0, -1), (-1, -1), 8))
    t = Grid(rows, font=st.fonts.regular, colWidths=widths, hAlign="LEFT", splitByRow=1, splitInRow=1)
    t.setStyle(style)
    return [Float([t]), Gap(1, 14)]  # a float, like a figure: text fills the page when it does not fit


def card_rows(cards: list[T], ncol: int) -> list[list[T]]:
    """Cards in rows of at most ncol, as even as can be and fuller rows first, so that no card stands
    alone on a row unless it is the only one (7 in threes: 3, 2, 2; 4: 2, 2)."""
    n = len(cards)
    nrows = -(-n // ncol)
    sizes = [n // nrows + (1 if i < n % nrows else 0) for i in range(nrows)]
    out, at = [], 0
    for size in sizes:
        out.append(cards[at : at + size])
        at += size
    return out


def table(b: d.Table, ctx: Ctx) -> list[Flowable]:
    st, m, pal = ctx.styles, ctx.m, ctx.styles.pal
    n = len(b.columns)
    if n == 0:
        return []
    rel = list(b.widths) if len(b.widths) == n and all(w > 0 for w in b.widths) else [1.0] * n
    widths = _fit_widths([ctx.width * w / sum(rel) for w in rel], _needed_widths(b, st, ctx.width), 10.0)
    # numeric columns right-aligned, header included (DejaVu Sans's digits are tabular)
    right = ParagraphStyle(f"{st.cell.name}-right", parent=st.cell, alignment=TA_RIGHT)
    right_head = ParagraphStyle(f"{st.cell_head.name}-right", parent=st.cell_head, alignment=TA_RIGHT)
    head = [
        Para(m.plain(c, bold=True), right_head if i in b.numeric else st.cell_head)
        for i, c in enumerate(b.columns)
    ]
    body = [
        [Para(m.text(cell), right if i in b.numeric else st.cell) for i, cell in enumerate(row[:n])]
        + [""] * (n - len(row))
        for row in b.rows
    ]
    caption = ctx.heading(b.caption, st.h3) if b.caption else None  # its element before the table's
    t = Grid(
        [head, *body],
        font=st.fonts.regular,
        colWidths=widths,
        repeatRows=1,
        splitByRow=1,
        splitInRow=0,  # a row never splits across pages
        hAlign="LEFT",
        tags=DataTable(ctx.node, 1 + len(body), n),  # the header row's cells are TH, scoped to their column
    )
    style: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
        ("BACKGROUND", (0, 0), (-1, 0), pal.panel),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, pal.ink),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, pal.ink),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, pal.rule),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, pal.ink),
    ]
    # rows grouped by a repeated first column (e.g. country): a darker rule between groups
    firsts = [d.plain(row[0]) if row else "" for row in b.rows]
    if len(firsts) > 3 and len(set(firsts)) < len(firsts) * 0.7:
        for i in range(1, len(firsts)):
            if firsts[i] != firsts[i - 1]:
                style.append(("LINEABOVE", (0, i + 1), (-1, i + 1), 0.6, pal.muted))
    t.setStyle(style)
    t.wrap(ctx.width, ctx.page.frame_height)
    rows_h = list(t._rowHeights)
    if max(rows_h, default=0.0) > ctx.page.frame_height * 0.8:
        t.splitInRow = 1  # only a row taller than a page is split, or it could not be set at all
    elif len(body) >= 4:  # no row alone under a header: the first two and the last two stay together
        t.setStyle([("NOSPLIT", (0, 0), (-1, 2)), ("NOSPLIT", (0, -2), (-1, -1))])
    short = sum(rows_h) <= ctx.page.frame_height * SHORT_TABLE
    if caption is not None and not short:
        caption.style = st.h3_loose  # a CondPageBreak keeps it with the first rows instead
    source = [ctx.para(m.plain(b.source), st.source)] if b.source else []  # after the table's element
    if source and not short:  # never alone at the top of a page: the last rows go over with it
        t.tail = sum(f.wrap(ctx.width, ctx.page.frame_height)[1] + f.getSpaceBefore() for f in source)
    after = [] if source else [Gap(1, 10)]  # a source line ends with its own space
    if short:  # kept whole
        kept = [f for f in (caption, t, *source) if f is not None]
        return [Gap(1, 4) if caption is None else Gap(1, 0), KeepTogether(kept), *after]
    # a longer table splits between rows, its header repeated at the top of the next page; its caption
    # stays with the header and the first rows
    head_h = (caption.wrap(ctx.width, ctx.page.frame_height)[1] + caption.getSpaceBefore()) if caption else 0
    start = [CondPageBreak(head_h + sum(rows_h[:3]) + 2)]
    return [*start, *([caption] if caption else []), t, *source, *after]


def _needed_widths(b: d.Table, st: Styles, total: float) -> list[float]:
    """Per column, the width its text needs: a short column (labels like "2 Moderate") on one line,
    any other at least its longest word, so that no word is broken inside a cell."""
    out = []
    for i, col in enumerate(b.columns):
        cells = [[(x, st.fonts.bold) for x in col.split()]]
        for row in b.rows:
            if i < len(row):
                cells.append([(x, st.fonts.name(r.bold, r.italic)) for r in row[i] for x in r.text.split()])
        longest = max((stringWidth(x, f, st.cell_size) for c in cells for x, f in c), default=0.0)
        body = cells[1:] or cells
        line = max(stringWidth(" ".join(x for x, _ in c), st.fonts.regular, st.cell_size) for c in body)
        out.append(max(line, longest) if line < total * 0.2 else longest)
    return out


def _fit_widths(widths: list[float], text: list[float], pad: float) -> list[float]:
    """Widen columns whose text does not fit, taking the room from columns with slack."""
    need = [min(w + pad + 1, sum(widths) / 2) for w in text]
    short = sum(max(0.0, nd - w) for nd, w in zip(need, widths, strict=True))
    slack = sum(max(0.0, w - nd) for nd, w in zip(need, widths, strict=True))
    if short <= 0 or slack <= short:
        return widths
    return [nd if nd > w else w - (w - nd) * short / slack for nd, w in zip(need, widths, strict=True)]


def figure(b: d.Figure, ctx: Ctx) -> list[Flowable]:
    """Title, subtitle, the chart scaled to the measure, then the source line with its markers."""
    st, m = ctx.styles, ctx.m
    c = b.chart
    section, ctx.node = ctx.node, ctx.node.add("Div")  # the figure's title, chart and caption together
    parts: list[Flowable] = [ctx.heading(d.plain(b.headline).strip() or c.title, st.fig_title)]
    if c.subtitle:
        parts.append(ctx.para(m.plain(c.subtitle), st.fig_sub))
    chart = ctx.charts[(c.id, print_medium(c.kind))]
    # the chart is the Figure, its meaning in the alt text; a placeholder's own text is tagged instead
    figure = ctx.node.add("Figure", alt=" ".join(c.alt.split()) or c.title)
    parts.append(Tagged(chart, figure, mark=isinstance(chart, Chart)))
    source = m.plain(c.source_line) + (m.cite(b.cite) if b.cite else "")
    if source or b.caption:  # the source line and the caption make up the figure's Caption
        caption = ctx.node.add("Caption")
        if source:
            parts.append(ctx.para(source, st.source, parent=caption))
        if b.caption:
            parts.append(ctx.para(m.plain(b.caption, italic=True), st.caption, parent=caption))
    ctx.node = section
    return [Float(parts)]


SMALL_MAP = 0.25  # a country page's locator map, as a share of the measure


def locator(b: d.Locator, ctx: Ctx) -> list[Flowable]:
    """The locator map as a Figure with its alt text; its source is in the references. On a country's
    page it is small, at the right with its top at the title's, taking only the height it needs below."""
    c = b.chart
    figure = ctx.node.add("Figure", alt=" ".join(c.alt.split()) or c.title)
    chart = ctx.charts[(c.id, print_medium(c.kind))]
    chart.hAlign = "RIGHT"
    if not any(s.emphasis for s in c.shapes):
        return [Tagged(chart, figure, mark=isinstance(chart, Chart))]
    h1 = ctx.styles.h1_after_kicker  # the title just above (a kicker, where there is one, is higher still)
    lift = h1.leading + h1.spaceAfter
    return [Tagged(Beside(chart, ctx.width * SMALL_MAP, lift), figure, mark=isinstance(chart, Chart))]


class Beside(Flowable):
    """A flowable scaled to width at the right of the measure, drawn lift points higher than where it
    stands (beside the heading above it): it takes only the height that hangs below the heading."""

    def __init__(self, inner: Flowable, width: float, lift: float):
        super().__init__()
        self.inner, self.box_w, self.lift = inner, width, lift
        self.hAlign = "LEFT"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        w, h = self.inner.wrap(availWidth, availHeight)
        self.scale = self.box_w / w if w else 1.0
        self.avail, self.drawn_h = availWidth, h * self.scale
        self.width, self.height = availWidth, max(0.0, self.drawn_h - self.lift)
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(self.avail - self.box_w, self.height + self.lift - self.drawn_h)
        c.scale(self.scale, self.scale)
        self.inner.drawOn(c, 0, 0)
        c.restoreState()


CALLOUT_PAD = 10.0


def callout(b: d.Callout, ctx: Ctx) -> list[Flowable]:
    st, pal = ctx.styles, ctx.styles.pal
    box = ctx.node.add("Div")
    rows = [
        [ctx.para(ctx.m.plain(b.title, bold=True), st.callout_title, parent=box)],
        [ctx.para(ctx.m.text(b.text), st.callout_text, parent=box)],
    ]
    width = min(ctx.width, st.measure + 2 * CALLOUT_PAD)  # its text on the measure of running text
    t = Grid(rows, font=st.fonts.regular, colWidths=[width], hAlign="LEFT", splitByRow=1, splitInRow=1)
    t.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), pal.callout),
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, pal.accent),
            ("LEFTPADDING", (0, 0), (-1, -1), CALLOUT_PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), CALLOUT_PAD),
            ("TOPPADDING", (0, 0), (-1, 0), 7),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
            ("TOPPADDING", (0, 1), (-1, 1), 1),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
        ]
    )
    return [Gap(1, 4), Closing([t]), Gap(1, 8)]


LAST_KEPT = 3  # references that end the list on one page together


def references(b: d.References, ctx: Ctx) -> list[Flowable]:
    """Numbered sources, each with an anchor that citation markers link to."""
    st, m, pal = ctx.styles, ctx.m, ctx.styles.pal
    out: list[Flowable] = [
        CondPageBreak(st.body_size * 10),
        ctx.heading(ctx.speech.word("references"), st.h2),
    ]
    muted = hexstr(pal.muted)
    items = ctx.node.add("L", attrs={"List": {"ListNumbering": "Decimal"}})
    entries: list[Flowable] = []
    for ref in b.items:
        anchor = ref.number not in ctx.anchored  # a destination name may be defined once only
        ctx.anchored.add(ref.number)
        # its url field, linked, and the addresses that the document made links in its text and note
        text = (f'<a name="{ref_anchor(ref.number)}"/>' if anchor else "") + m.text(
            ref.linked or (d.Run(ref.full),)
        )
        if ref.url:  # on a line of its own, so that it breaks only when longer than the line
            text += "<br/>" + m.link(ref.url)
        if ref.note:
            text += f'<br/><font color="{muted}">{m.text(ref.note_linked or (d.Run(ref.note),))}</font>'
        li = items.add("LI")
        label, body = li.add("Lbl"), li.add("LBody")
        entries.append(Para(text, st.ref, bulletText=f"[{ref.number}]", tag=body, label=label))
    # each entry whole; the last few together, so the list never ends with one entry alone on a page
    tail = max(0, len(entries) - LAST_KEPT)
    out += [KeepTogether([e]) for e in entries[:tail]] + ([KeepTogether(entries[tail:])] if entries else [])
    return out


# one builder per block kind of the document
BUILDERS: dict[type, Callable[..., list[Flowable]]] = {
    d.Paragraph: paragraph,
    d.Bullets: bullets,
    d.KeyFigures: key_figures,
    d.Table: table,
    d.Figure: figure,
    d.Callout: callout,
    d.Locator: locator,
    d.References: references,
}
