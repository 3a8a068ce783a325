"""The web writer: the neutral Document → one self-contained, accessible HTML page.

  image_requests(doc) -> list[ImageRequest]   every chart as its print SVG, as the PDF asks for them
  render(doc, images, theme, options) -> Rendered

The page is one file: the style sheet is inline, the fonts are the reader's system fonts, and every
chart is an inline <svg role="img"> named by its alt text (svg.py), so nothing is fetched and no
script runs. Its outline is the brief's: a header (the cover), a contents nav, then main with one
section per part, headings at the PDF's levels. Key figures are a description list with the status
in words, tables have scoped header cells, figures a figcaption with headline, unit and source line,
and beside each chart a "Show the data" table with the data pack's values for it. Citation markers
link into the references. All text passes through builder.py, which escapes it.
"""

from __future__ import annotations

from collections.abc import Callable

from digibrief.document import citations
from digibrief.document import types as d
from digibrief.errors import RenderError
from digibrief.theme import Theme
from digibrief.vocabulary import print_medium, safe_url
from digibrief.writers.contract import ImageRequest, Images, Rendered
from digibrief.writers.html.builder import Markup, join, tag, text
from digibrief.writers.html.options import HtmlOptions
from digibrief.writers.html.reading import DataTable, address, chart_data, say
from digibrief.writers.html.style import css
from digibrief.writers.html.svg import ChartError, inline_svg


def image_requests(doc: d.Document, options: HtmlOptions | None = None) -> list[ImageRequest]:
    """One SVG per figure and locator map, in the print size the PDF uses (the same cached files)."""
    out: dict[tuple[str, str], ImageRequest] = {}
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, d.Figure | d.Locator):
                req = ImageRequest(b.chart, print_medium(b.chart.kind), "svg")
                out.setdefault(req.key, req)
    return list(out.values())


def render(doc: d.Document, images: Images, theme: Theme, options: HtmlOptions) -> Rendered:
    """The page as UTF-8 bytes. A chart that was not drawn or is not SVG fails the render (RenderError,
    naming the chart), as in the PDF: a page never shows a placeholder in its place."""
    page = _Page(doc, images)
    body = page.body()
    meta = doc.meta
    head = join(
        [
            tag("meta", {"charset": "utf-8"}),
            tag("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}),
            tag("title", None, meta.title),
            tag("meta", {"name": "description", "content": meta.subtitle}) if meta.subtitle else None,
            tag("meta", {"name": "author", "content": meta.author}) if meta.author else None,
            tag("meta", {"name": "keywords", "content": ", ".join(meta.keywords)}) if meta.keywords else None,
            tag("style", None, Markup(css(theme))),
        ]
    )
    html = "<!DOCTYPE html>\n" + tag("html", {"lang": meta.language or "en"}, tag("head", None, head), body)
    return Rendered((html + "\n").encode("utf-8"), page.warnings, 1)


class _Page:
    """One render: the heading levels, the ids in use and the warnings."""

    def __init__(self, doc: d.Document, images: Images):
        self.doc, self.images = doc, images
        self.warnings: list[str] = []
        self.ids: set[str] = set()
        self.charts = 0
        self.data = chart_data(doc)
        self.listed = {
            r.number for s in doc.sections for b in s.blocks if isinstance(b, d.References) for r in b.items
        }
        self.cover = any(s.role == "cover" for s in doc.sections)
        self.level = 2 if self.cover else 1  # a section's heading; its sub-headings one below

    def id(self, hint: str) -> str:
        base = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in hint)[:60].strip("-")
        base = base or "h"
        key, n = base, 1
        while key in self.ids:
            n += 1
            key = f"{base}-{n}"
        self.ids.add(key)
        return key

    # --- the page's parts ------------------------------------------------------------------------------

    def body(self) -> Markup:
        doc = self.doc
        anchors = {s.id: self.id("sec-" + s.id) for s in doc.sections}
        header: list[Markup] = []
        nav: list[Markup] = []
        main: list[Markup] = []
        for s in doc.sections:
            if s.role == "cover":
                header.append(self.cover_part(s, anchors[s.id]))
            elif s.role == "contents":
                nav.append(self.contents(s, anchors))
            else:
                main.append(self.section(s, anchors[s.id]))
        if not header:  # a brief without a cover still names itself
            header.append(
                tag("header", {"class": "cover"}, tag("p", {"class": "edition"}, doc.meta.edition_label))
            )
        return tag(
            "body", None, tag("div", {"class": "page"}, *header, *nav, tag("main", {"id": "main"}, *main))
        )

    def cover_part(self, s: d.Section, anchor: str) -> Markup:
        meta = self.doc.meta
        parts: list[Markup | None] = [
            tag("p", {"class": "edition"}, meta.edition_label) if meta.edition_label else None,
            tag("h1", {"id": anchor}, s.title or meta.title),
            tag("p", {"class": "subtitle"}, meta.subtitle) if meta.subtitle else None,
            tag("p", {"class": "countries"}, " \u00b7 ".join(meta.countries)) if meta.countries else None,
        ]
        imprint = [x for x in (meta.publisher, meta.author, meta.edition_label) if x]
        if imprint:
            parts.append(tag("p", {"class": "imprint"}, " \u00b7 ".join(imprint)))
        parts += [self.block(b) for b in s.blocks]
        return tag("header", {"class": "cover"}, *parts)

    def contents(self, s: d.Section, anchors: dict[str, str]) -> Markup:
        heading = anchors[s.id]
        items = [
            tag(
                "li",
                None,
                tag(
                    "a",
                    {"href": "#" + anchors[x.id]},
                    *((tag("span", {"class": "kicker"}, x.kicker), " ") if x.kicker else ()),
                    x.title,
                ),
            )
            for x in self.doc.sections
            if x.in_contents and x.role not in ("cover", "contents")
        ]
        blocks = [self.block(b) for b in s.blocks]
        return tag(
            "nav",
            {"class": "contents", "aria-labelledby": heading},
            tag(f"h{self.level}", {"id": heading}, s.title),
            *blocks,
            tag("ol", None, *items),
        )

    def section(self, s: d.Section, anchor: str) -> Markup:
        heading = self.id(anchor + "-title")
        return tag(
            "section",
            {"id": anchor, "aria-labelledby": heading},
            tag("p", {"class": "kicker"}, s.kicker) if s.kicker else None,
            tag(f"h{self.level}", {"id": heading}, s.title),
            *(self.block(b) for b in s.blocks),
        )

    # --- blocks ---------------------------------------------------------------------------------------

    def block(self, b: d.Block) -> Markup:
        if isinstance(b, d.Paragraph):
            return tag("p", {"class": None if b.style == "body" else b.style}, self.runs(b.text))
        if isinstance(b, d.Bullets):
            return self.bullets(b)
        if isinstance(b, d.KeyFigures):
            return self.key_figures(b)
        if isinstance(b, d.Table):
            return self.table(b)
        if isinstance(b, d.Figure):
            return self.figure(b, self.data.get(b.chart.id))
        if isinstance(b, d.Callout):
            return tag(
                "div",
                {"class": "callout", "role": "note"},
                tag("p", None, tag("strong", None, b.title)),
                tag("p", None, self.runs(b.text)),
            )
        if isinstance(b, d.References):
            return self.references(b)
        return self.locator(b)

    def sub(self, title: str) -> Markup:
        return tag(f"h{self.level + 1}", {"id": self.id("h-" + title)}, title)

    def bullets(self, b: d.Bullets) -> Markup:
        items = [tag("li", None, self.runs(item)) for item in b.items]
        listing = tag("ol", {"class": "takeaways"}, *items) if b.numbered else tag("ul", None, *items)
        return join([self.sub(b.title) if b.title else None, listing])

    def key_figures(self, b: d.KeyFigures) -> Markup:
        """The at-a-glance panel: facts, then the figures, each with its period and status in words,
        then the notes of the figures they belong to."""
        heading = self.id("h-" + b.title)
        facts = [
            tag(
                "div",
                None,
                tag("dt", None, label),
                tag("dd", None, value if isinstance(value, str) else self.runs(value)),
            )
            for label, value in b.facts
        ]
        notes: dict[d.Text, list[str]] = {}
        cards = []
        for kf in b.items:
            if kf.note:
                notes.setdefault(kf.note, []).append(kf.label)
            when = kf.when or kf.fact.period
            cards.append(
                tag(
                    "div",
                    None,
                    tag("dt", None, kf.label, self.cite(kf.fact.cite) if kf.fact.cite else None),
                    tag("dd", {"class": "value"}, kf.fact.display),
                    tag("dd", {"class": "when"}, when) if when else None,
                )
            )
        foot = [
            tag("p", None, tag("strong", None, "; ".join(labels)), ": ", self.runs(note))
            for note, labels in notes.items()
        ]
        return tag(
            "div",
            {"class": "glance", "role": "group", "aria-labelledby": heading},
            tag(f"h{self.level + 1}", {"id": heading}, b.title),
            tag("dl", {"class": "facts"}, *facts) if facts else None,
            tag("dl", {"class": "cards"}, *cards) if cards else None,
            tag("div", {"class": "notes"}, *foot) if foot else None,
        )

    def table(self, b: d.Table) -> Markup:
        n = len(b.columns)
        if n == 0:
            return Markup("")

        def cls(i: int) -> str | None:
            return "num" if i in b.numeric else None

        head = _head(b.columns, cls)
        rows = [_row([self.runs(c) for c in list(row[:n]) + [()] * (n - len(row))], cls) for row in b.rows]
        label = self.id("t-" + (b.caption or "table"))
        caption = tag("caption", {"id": label}, b.caption) if b.caption else None
        grid = tag("table", None, caption, head, tag("tbody", None, *rows))
        scroll = {"class": "scroll", "role": "region", "tabindex": "0"}
        scroll |= {"aria-labelledby": label} if b.caption else {"aria-label": b.columns[0]}
        return join([tag("div", scroll, grid), tag("p", {"class": "source"}, b.source) if b.source else None])

    def figure(self, b: d.Figure, data: DataTable | None) -> Markup:
        c = b.chart
        headline = d.plain(b.headline).strip() or c.title
        source = [c.source_line, self.cite(b.cite) if b.cite else None] if c.source_line or b.cite else []
        caption = tag(
            "figcaption",
            None,
            tag(f"h{self.level + 1}", {"id": self.id("f-" + c.id)}, headline),
            tag("p", {"class": "unit"}, c.subtitle) if c.subtitle else None,
            tag("p", {"class": "source"}, *source) if source else None,
            tag("p", {"class": "caption"}, b.caption) if b.caption else None,
        )
        return tag("figure", {"id": self.id("fig-" + c.id)}, caption, self.chart(c), self.data_table(c, data))

    def locator(self, b: d.Locator) -> Markup:
        return tag("figure", {"class": "locator"}, self.chart(b.chart))

    def chart(self, c: d.ChartSpec) -> Markup:
        alt = " ".join(c.alt.split()) or c.title
        data = self.images.get((c.id, print_medium(c.kind)))
        self.charts += 1
        if data is None:  # as in the PDF: a chart the page cannot show fails the render, naming it
            raise RenderError(f"web page: chart {c.id!r} was not drawn")
        try:
            return inline_svg(data, f"c{self.charts}-", alt)
        except ChartError as exc:
            raise RenderError(f"web page: chart {c.id!r} cannot be read as SVG ({exc})") from exc

    def data_table(self, c: d.ChartSpec, data: DataTable | None) -> Markup | None:
        """ "Show the data": the data pack's rows for the chart, closed until the reader opens it."""
        if data is None or not data.rows:
            return None

        def cell(value: str | float | None) -> str:
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return value if isinstance(value, str) else f"{value:g}"

        def cls(i: int) -> str | None:
            return "num" if i in data.numeric else None

        head = _head(data.columns, cls)
        rows = [_row([cell(v) for v in row], cls) for row in data.rows]
        label = self.id("d-" + c.id)
        return tag(
            "details",
            {"class": "data"},
            tag("summary", {"id": label}, say(self.doc, "show_data")),
            tag(
                "div",
                {"class": "scroll", "role": "region", "tabindex": "0", "aria-label": c.title},
                tag("table", None, head, tag("tbody", None, *rows)),
            ),
        )

    def references(self, b: d.References) -> Markup:
        items = []
        for ref in b.items:
            url = address(ref)
            safe = safe_url(url)
            parts: list[Markup | str | None] = [tag("span", {"class": "n"}, f"[{ref.number}]"), ref.full]
            if url:
                parts += [" ", tag("a", {"href": safe}, url) if safe else url]
            if ref.note:
                parts += [" ", tag("span", {"class": "note"}, ref.note)]
            items.append(tag("li", {"id": f"ref-{ref.number}"}, *parts))
        return join([self.sub(say(self.doc, "references")), tag("ol", {"class": "refs"}, *items)])

    # --- inline text ------------------------------------------------------------------------------------

    def runs(self, runs: d.Text) -> Markup:
        """Runs → escaped inline HTML; a citation marker hugs the word before it."""
        out: list[Markup] = []
        items = list(runs)
        for i, r in enumerate(items):
            if r.cite:
                out.append(self.cite(r.cite))
                continue
            value = r.text
            if i + 1 < len(items) and items[i + 1].cite:
                value = value.rstrip()
            shown: Markup = text(value)
            if r.href is not None:
                url = safe_url(r.href)
                if url is None:
                    self.warnings.append(
                        f"web page: link target {r.href!r} dropped: not a plain http, https or mailto URL"
                    )
                else:
                    shown = tag("a", {"href": url}, shown)
            if r.lang:
                shown = tag("span", {"lang": r.lang}, shown)
            if r.italic:
                shown = tag("em", None, shown)
            if r.bold:
                shown = tag("strong", None, shown)
            out.append(shown)
        return join(out)

    def cite(self, numbers: tuple[int, ...]) -> Markup:
        """A superscript marker: a run of three or more as one link to its first ("1–3"), others one each."""
        links: list[Markup] = []
        for first, last in citations.groups(numbers):
            labels = (
                [(first, citations.label(range(first, last + 1)))]
                if last - first >= 2
                else [(n, str(n)) for n in range(first, last + 1)]
            )
            for number, label in labels:
                links.append(
                    tag("a", {"href": f"#ref-{number}"}, label) if number in self.listed else text(label)
                )
        return tag("sup", {"class": "cite"}, *_commas(links))


def _commas(items: list[Markup]) -> list[Markup]:
    out: list[Markup] = []
    for i, item in enumerate(items):
        if i:
            out.append(Markup(","))
        out.append(item)
    return out


def _head(columns: tuple[str, ...], cls: Callable[[int], str | None]) -> Markup:
    """A table's header row: one column header per column, numeric ones marked for right alignment."""
    return tag(
        "thead",
        None,
        tag("tr", None, *(tag("th", {"scope": "col", "class": cls(i)}, c) for i, c in enumerate(columns))),
    )


def _row(cells: list[Markup | str], cls: Callable[[int], str | None]) -> Markup:
    """A table row: its first cell the row's header, numeric cells marked for right alignment."""
    return tag(
        "tr",
        None,
        *(
            tag("th" if i == 0 else "td", {"scope": "row" if i == 0 else None, "class": cls(i)}, c)
            for i, c in enumerate(cells)
        ),
    )
