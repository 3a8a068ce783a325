"""The PDF writer: the neutral Document → a printable brief (reportlab platypus).

  image_requests(doc) -> list[ImageRequest]   every Figure as SVG, "print" or "print_tall" size
  render(doc, images, theme, options) -> Rendered

Pages: a cover, then body pages with a running header (report and section title) and "page N of M".
The contents and M come from a multi-pass build. Headings become PDF outline entries and named
destinations; citation markers link to the numbered references. Words and number formats come from
doc.speech. Nothing is read from disk except the theme's font files; the only thing written is what
render and warm put in the store they are given (parsed charts, pickled: see images.py), and the bytes
depend only on the inputs (doc.meta.epoch is the only date embedded).

The PDF is tagged (PDF/UA-1): the story is built with its structure elements (tagging.py), the last
pass draws them as marked content, and postprocess.py writes the structure tree and metadata.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from functools import partial
from hashlib import md5
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    FrameBreak,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)
from reportlab.platypus.doctemplate import LayoutError

from digibrief.document import types as d
from digibrief.errors import RenderError
from digibrief.theme import Theme
from digibrief.vocabulary import MEDIA, print_medium
from digibrief.writers.contract import ImageRequest, Images, Rendered, Store
from digibrief.writers.pdf import links, memo
from digibrief.writers.pdf.blocks import BUILDERS, Ctx, locator
from digibrief.writers.pdf.flowables import (
    TOC_PAD,
    BriefTemplate,
    Contents,
    Heading,
    NewPage,
    OpenSection,
    SectionMarker,
    TocEntry,
)
from digibrief.writers.pdf.fonts import Glyphs, register
from digibrief.writers.pdf.images import Pending, Remap, arriving, chart_flowables
from digibrief.writers.pdf.markup import Markup
from digibrief.writers.pdf.options import PdfOptions
from digibrief.writers.pdf.page import PageDecor, body_frame, cover_title_space
from digibrief.writers.pdf.postprocess import finish
from digibrief.writers.pdf.styles import Page, Palette, Styles, hexstr
from digibrief.writers.pdf.tagging import Node, Para, TaggedCanvas

COVER_MEASURE = 0.9  # the cover title's line length, as a share of the text width
_NOT_PDFDOC = re.compile("[\x18-\x1f]")  # ASCII that PDFDocEncoding has no code for (reportlab raises)


def image_requests(doc: d.Document, options: PdfOptions | None = None) -> list[ImageRequest]:
    """One SVG per figure: tall charts (timeline, heatmap) in the taller print size."""
    out: dict[tuple[str, str], ImageRequest] = {}
    for fig in doc.figures():
        req = ImageRequest(fig.chart, print_medium(fig.chart.kind), "svg")
        out.setdefault(req.key, req)
    for s in doc.sections:  # locator maps: the cover's and each country page's, at their own size
        for b in s.blocks:
            if isinstance(b, d.Locator):
                req = ImageRequest(b.chart, print_medium(b.chart.kind), "svg")
                out.setdefault(req.key, req)
    return list(out.values())


def preload() -> None:
    """For a process that renders again and again (watch): keep paragraph breaks and chart drawings
    from one render to the next (memo.py)."""
    memo.keep()


def warm(
    req: ImageRequest, data: bytes, theme: Theme, options: PdfOptions, store: Store | None = None
) -> None:
    """Parse one chart ahead of render, as it arrives: the pipeline calls this in the process that
    will render the brief while the other charts are still being drawn, and render finds it parsed."""
    fonts = register(theme.fonts)
    page = Page.for_paper(options.paper)
    styles = Styles(theme, fonts, Palette.from_theme(theme), page.frame_width)
    chart_flowables([req], {req.key: data}, _width(req, page), styles, store)


def _width(req: ImageRequest, page: Page) -> float:
    """A locator map is set at its medium's size, every other chart at the measure."""
    return MEDIA["print_map"].width_in * 72 if req.medium == "print_map" else page.frame_width


def render(
    doc: d.Document,
    images: Images,
    theme: Theme,
    options: PdfOptions,
    hint: dict[str, Any] | None = None,
    store: Store | None = None,
) -> Rendered:
    """hint: the previous render's page count and contents (Rendered.hint). When this render's pages
    come out the same, the first pass is already the last; otherwise multiBuild goes on as without it.
    store: parsed charts kept between builds (see images.py). images may still be arriving
    (contract.Arriving): the layout waits for each where it needs it."""
    try:
        return _render(doc, images, theme, options, hint, store)
    except Remap:  # a chart that came in late needs its fonts mapped first: start again with all in
        return _render(doc, {k: images[k] for k in images}, theme, options, hint, store)


def _render(
    doc: d.Document,
    images: Images,
    theme: Theme,
    options: PdfOptions,
    hint: dict[str, Any] | None,
    store: Store | None,
) -> Rendered:
    fonts = register(theme.fonts)
    glyphs = Glyphs(fonts, register(theme.fallback) if theme.fallback is not None else None)
    pal = Palette.from_theme(theme)
    page = Page.for_paper(options.paper)
    styles = Styles(theme, fonts, pal, page.frame_width)
    # the references this PDF lists: citation markers link to them, and their links say which
    refs = [r for s in doc.sections for b in s.blocks if isinstance(b, d.References) for r in b.items]
    listed = {r.number: r.full for r in refs}
    markup = Markup(glyphs, hexstr(pal.focus), hexstr(pal.focus), frozenset(listed), listed)
    requests = image_requests(doc)
    arrived = getattr(images, "arrived", None)  # an Arriving: some charts are still being drawn
    charts: dict[tuple[str, str], Flowable] = {}
    for width in sorted({_width(r, page) for r in requests}):
        wide = [r for r in requests if _width(r, page) == width]
        here = [r for r in wide if arrived is None or arrived(r.key)]
        charts |= chart_flowables(here, images, width, styles, store)
        for r in wide if len(here) < len(wide) else ():
            if r not in here:  # laid out up to where it stands, then waited for
                charts[r.key] = Pending(width, partial(arriving, r, images, width, styles, store))
    values = tuple(
        k.fact.display for s in doc.sections for b in s.blocks if isinstance(b, d.KeyFigures) for k in b.items
    )
    ctx = Ctx(styles, markup, page, charts, values=values, speech=doc.speech)
    known = _Hint.read(hint)
    story, title_height, structure = _story(doc, ctx, known.pages)

    buf = io.BytesIO()
    meta = doc.meta
    tmpl = BriefTemplate(
        buf,
        pagesize=(page.width, page.height),
        leftMargin=page.left,
        rightMargin=page.right,
        topMargin=page.top,
        bottomMargin=page.bottom,
        title=meta.title,
        author=meta.author,
        subject=meta.subtitle,
        keywords=", ".join(meta.keywords),
        creator="digibrief",
        initialFontName=fonts.regular,  # else every page references the unembedded Helvetica
        lang=meta.language or None,
        displayDocTitle=1,
        invariant=1,
    )
    decor = PageDecor(page, styles, glyphs, meta, doc.speech)
    templates = [
        PageTemplate(
            "cover", frames=decor.cover_frames(title_height), onPage=decor.cover, autoNextPageTemplate="body"
        ),
        PageTemplate(
            "body",
            frames=[body_frame(page)],
            onPageEnd=decor.page_end,
        ),
    ]
    if not any(s.role == "cover" for s in doc.sections):
        templates.reverse()
    tmpl.addPageTemplates(templates)
    tmpl.total_pages = known.total
    try:
        passes = tmpl.multiBuild(
            story, maxPasses=6, canvasmaker=partial(_EpochCanvas, epoch=meta.epoch, inlines=markup.inlines)
        )
    except LayoutError as exc:
        raise RenderError(f"PDF layout failed: {str(exc).strip().splitlines()[0]}") from exc
    except IndexError as exc:  # multiBuild: the contents or page count never settled
        raise RenderError(f"PDF layout did not settle: {exc}") from exc
    pages, tagger, laid_out = tmpl.total_pages, tmpl.canv.tagger, buf.getvalue()  # the last pass's
    hint = _Hint(pages, {e.key: e.page for e in _contents(story)}).write()
    # the layout: finish needs none of it (60 MB for 64 countries). An earlier pass's canvas and document
    # were freed when the next pass began (BriefTemplate lets its tagger go): no collection is needed
    # before pikepdf runs (one cost 0.05-0.1 s); the last pass's canvas is the tagger's.
    del tmpl, story, charts, ctx, buf
    data = finish(
        laid_out,
        structure,
        tagger,
        title=meta.title,
        language=meta.language,
        author=meta.author,
        subject=meta.subtitle,
        keywords=", ".join(meta.keywords),
        speech=doc.speech,
    )
    return Rendered(data, warnings=list(glyphs.warnings), pages=pages, hint=hint, passes=passes)


@dataclass(frozen=True)
class _Hint:
    """What a previous layout found: its page count and the page of each contents entry."""

    total: int = 0
    pages: dict[str, int] = field(default_factory=dict)

    @classmethod
    def read(cls, hint: dict[str, Any] | None) -> _Hint:
        """The hint, or none when there is none or it is not one of ours: lay out from scratch."""
        total = hint.get("total") if isinstance(hint, dict) else None
        pages = hint.get("pages") if isinstance(hint, dict) else None
        if not isinstance(total, int) or not isinstance(pages, dict):
            return cls()
        if not all(isinstance(k, str) and isinstance(v, int) for k, v in pages.items()):
            return cls()
        return cls(total, pages)

    def write(self) -> dict[str, Any]:
        return {"total": self.total, "pages": dict(self.pages)}


def _contents(story: list[Flowable]) -> list[TocEntry]:
    """The entries the last pass collected (what its contents page shows)."""
    return next((f.shown for f in story if isinstance(f, Contents)), [])


class _EpochCanvas(TaggedCanvas):
    """A canvas whose every embedded date (and the /ID seed) is the document's epoch, in UTC, and whose
    streams (pages, fonts) are left for postprocess.py to compress.

    reportlab reads SOURCE_DATE_EPOCH from the environment; setting the timestamp on this canvas's
    own document keeps the process environment and rl_config untouched.
    """

    def __init__(self, *args: Any, epoch: int, **kw: Any):
        super().__init__(*args, **kw)
        pdf = self._doc
        ts = TimeStamp(invariant=1)
        ts.t = epoch
        ts.lt = time.gmtime(epoch)
        ts.YMDhms = tuple(ts.lt)[:6]
        ts.dhh = ts.dmm = 0
        ts.tzname = "UTC"
        pdf._timeStamp = ts
        sig = pdf.signature = md5(usedforsecurity=False)
        sig.update(b"a reportlab document")
        sig.update(str(epoch).encode())
        self.showOutline()
        # streams are written uncompressed: reportlab would encode pages in Flate and ASCII85 (its
        # rl_config.useA85) and fonts in Flate only for pikepdf to decode them and compress them itself
        # (postprocess.py), to the same bytes
        self.setPageCompression(0)

    def _addAnnotation(self, annotation: object, name: object = None, addtopage: int = 1) -> None:
        links.lighten(annotation)  # formatted in one step when the file is written
        super()._addAnnotation(annotation, name, addtopage)

    def save(self) -> None:
        """Hand each page's code to the file as bytes when it is ASCII that reportlab's PDFDocEncoding
        codec (pure Python, and what an uncompressed stream goes through) gives as themselves."""
        for page in self._doc.Pages.pages:
            code = page.stream
            if isinstance(code, str) and code.isascii() and _NOT_PDFDOC.search(code) is None:
                page.stream = code.encode("ascii")
        super().save()


def _story(doc: d.Document, ctx: Ctx, pages: dict[str, int]) -> tuple[list[Flowable], float, Node]:
    """The flowables, the height of the cover's title block (its frame is made to fit it) and the
    structure: Document > Sect per section. The cover's title is the H1, section titles are H2 and
    headings in a section H3 (without a cover, one level higher)."""
    st, m = ctx.styles, ctx.m
    root = Node("Document")
    level = 2 if any(s.role == "cover" for s in doc.sections) else 1
    keys = {s.id: ctx.key("sec-" + s.id) for s in doc.sections}
    seed = [  # the pages a previous layout found, else 0: the first pass then only measures
        TocEntry(keys[s.id], _kicker(s, ctx), m.plain(s.title, bold=True), pages.get(keys[s.id], 0))
        for s in doc.sections
        if s.in_contents
    ]
    in_toc = {e.key for e in seed}

    story: list[Flowable] = []
    title_height = 0.0
    prev: d.Section | None = None
    for s in doc.sections:
        ctx.node, ctx.level = root.add("Sect"), level + 1
        if s.role == "cover":
            flowables, title_height = _cover(doc, s, ctx, keys[s.id])
            story += flowables
            prev = s
            continue
        title = ctx.m.glyphs.clean(s.title, bold=True)
        start = _section_break(s, prev, ctx, len(seed))
        story.append(start)
        story.append(SectionMarker(title))
        opening = len(story)
        h1 = st.h1
        if s.kicker:
            story.append(ctx.para(m.plain(s.kicker.upper(), bold=True), st.kicker))
            h1 = st.h1_after_kicker
        key = keys[s.id]
        toc = (_kicker(s, ctx), m.plain(s.title, bold=True)) if key in in_toc else None
        tag = ctx.node.add(f"H{level}")
        story.append(
            Heading(m.plain(s.title, bold=True), h1, key=key, outline=title, level=0, toc=toc, tag=tag)
        )
        if s.role == "contents":
            story.append(Contents(st, seed, tag=ctx.node.add("TOC")))
        blocks = [BUILDERS[type(block)](block, ctx) for block in s.blocks]
        if isinstance(start, OpenSection):
            start.opening = story[opening:] + _opening(s.blocks, blocks)
        story += [f for part in blocks for f in part]
        prev = s
    return story, title_height, root


def _opening(blocks: tuple[d.Block, ...], made: list[list[Flowable]]) -> list[Flowable]:
    """What must follow a section's heading on its first page: a locator map, and the first block of
    text (the key figures and figures float to the next page when they do not fit)."""
    out: list[Flowable] = []
    for block, flowables in zip(blocks, made, strict=True):
        out += flowables if not isinstance(block, (d.KeyFigures, d.Figure)) else []
        if not isinstance(block, (d.Locator, d.KeyFigures, d.Figure)):
            break
    return out


def _kicker(s: d.Section, ctx: Ctx) -> str:
    return ctx.m.plain(s.kicker.upper(), bold=True) if s.kicker else ""


def _section_break(s: d.Section, prev: d.Section | None, ctx: Ctx, toc_entries: int) -> Flowable:
    """The first section after the cover opens a page; the contents follow on when they fit whole. Any
    other section opens a new page unless that would leave the current one less than FILL full (see
    OpenSection)."""
    if prev is None or prev.role == "cover":
        return NewPage()
    st = ctx.styles
    if s.role == "contents":
        entry = st.toc_entry.leading + 2 * TOC_PAD
        return CondPageBreak(
            st.h1.leading + st.h1.spaceBefore + st.h1.spaceAfter + entry * (toc_entries + 0.5)
        )
    return OpenSection(st.pal.ink)


def _cover(doc: d.Document, s: d.Section, ctx: Ctx, key: str) -> tuple[list[Flowable], float]:
    """Cover frames: edition label (top of the band), title and subtitle (foot of the band), the
    countries covered, the imprint."""
    st, m, meta = ctx.styles, ctx.m, doc.meta
    out: list[Flowable] = []
    if meta.edition_label:
        out.append(ctx.para(m.plain(meta.edition_label.upper(), bold=True), st.cover_label))
    out.append(FrameBreak())
    for b in s.blocks:  # the locator map, in the band above the title, shrunk to the room left
        if isinstance(b, d.Locator):
            out.append(KeepInFrame(0, 0, locator(b, ctx), mode="shrink", hAlign="RIGHT"))
    out.append(FrameBreak())
    title = s.title or meta.title
    width, space = ctx.page.frame_width * COVER_MEASURE, cover_title_space(ctx.page)
    scale = 1.0
    title_tag = ctx.node.add("H1")  # the document's title
    subtitle_tag = ctx.node.add("P") if meta.subtitle else None
    while True:  # a long title or subtitle is set smaller until it fits the band
        block: list[Flowable] = [
            Heading(
                m.plain(title, bold=True),
                _scaled(st.cover_title, scale),
                key=key,
                outline=m.glyphs.clean(title),
                level=0,
                tag=title_tag,
            )
        ]
        if meta.subtitle:
            block.append(Para(m.plain(meta.subtitle), _scaled(st.cover_sub, scale), tag=subtitle_tag))
        height = sum(f.wrap(width, ctx.page.height)[1] + f.getSpaceBefore() for f in block)
        if height <= space or scale < 0.45:
            break
        scale *= 0.9
    out += [*block, FrameBreak()]
    if meta.countries:
        out.append(ctx.para(m.plain("  \u00b7  ".join(meta.countries)), st.cover_countries))
    out.append(FrameBreak())
    if meta.publisher:
        out.append(ctx.para(m.plain(meta.publisher, bold=True), st.cover_pub))
    if meta.author:
        out.append(ctx.para(m.plain(meta.author), st.cover_meta))
    if meta.edition_label:
        out.append(ctx.para(m.plain(meta.edition_label), st.cover_meta))
    out += [NextPageTemplate("body"), PageBreak()]
    return out, height + 2


def _scaled(style: ParagraphStyle, scale: float) -> ParagraphStyle:
    if scale == 1.0:
        return style
    return ParagraphStyle(
        f"{style.name}-{scale:.3f}",
        parent=style,
        fontSize=style.fontSize * scale,
        leading=style.leading * scale,
        spaceBefore=style.spaceBefore * scale,
    )
