"""Document text → reportlab Paragraph markup. The only place where markup is written.

Every data string is cleaned of glyphs the font lacks and then escaped with xml.sax.saxutils.escape, so
'<img src=…>', '&', '<font size=80>' or an unbalanced '<b>' print literally. Tags come only from the
templates below; a link is made only for an http(s)/mailto URL, quoted with quoteattr, and citation
markers link to the '#ref-N' anchors that the References block defines.

Links and runs in another language are bracketed by zero-width <onDraw> callbacks that name an entry of
`inlines`: while drawing, they make the run a Link (with what its annotation says) or a Span with its
/Lang in the tagged PDF (see tagging.py). They draw nothing and do not change the line breaks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import unquote
from xml.sax.saxutils import quoteattr

from digibrief.document import citations
from digibrief.document.types import Run, Text
from digibrief.vocabulary import UNSAFE_URL_CHARS, safe_url
from digibrief.writers.pdf.fonts import Glyphs
from digibrief.writers.pdf.tagging import CLOSE_CB, OPEN_CB, Inline

NBSP = "\u00a0"


def readable_url(url: str) -> str:
    """The URL with %-escapes decoded when they form printable UTF-8 text, else unchanged."""
    if "%" not in url:
        return url
    try:
        text = unquote(url, errors="strict")
    except UnicodeDecodeError:
        return url
    return url if UNSAFE_URL_CHARS.search(text) else text


def whole(figure: str) -> str:
    """A figure joined to its qualifier and unit by no-break spaces ("more than 14 million", "24th of
    193"); what follows in brackets or after a comma ("94.04 (2024, reported)") may still break."""
    tokens = figure.split(" ")
    digits = [any(c.isdigit() for c in t) for t in tokens]
    first = next((i for i, x in enumerate(digits) if x), len(tokens))
    out = tokens[0]
    for i in range(1, len(tokens)):
        apart = tokens[i].startswith("(") or tokens[i - 1].endswith(",")
        out += " " if apart or not (digits[i] or digits[i - 1] or i <= first) else NBSP
        out += tokens[i]
    return out


def ref_anchor(number: int) -> str:
    return f"ref-{number}"


class Markup:
    """Builds escaped markup for one render; collects warnings through the shared Glyphs."""

    def __init__(
        self,
        glyphs: Glyphs,
        link_colour: str,
        cite_colour: str,
        anchors: frozenset[int],
        references: Mapping[int, str] | None = None,
    ):
        self.glyphs = glyphs
        self.link_colour = link_colour
        self.cite_colour = cite_colour
        self.anchors = anchors  # reference numbers that have an anchor in this PDF
        self.references = references or {}  # number -> "Publisher. Title. Date.", what a marker's link says
        self.inlines: list[Inline] = []  # the inline elements the markup of this render names

    def inline(self, spec: Inline, markup: str) -> str:
        """Markup bracketed by the callbacks that tag it as spec's elements."""
        self.inlines.append(spec)
        n = len(self.inlines) - 1
        return f'<onDraw name="{OPEN_CB}" label="{n}"/>{markup}<onDraw name="{CLOSE_CB}" label="{n}"/>'

    def plain(self, s: str, bold: bool = False, italic: bool = False) -> str:
        """A data string as literal Paragraph text."""
        return self.glyphs.markup(s, bold, italic)

    def figure(self, s: str, bold: bool = False) -> str:
        """A formatted figure ("more than 14 million", "24th of 193") that never breaks across lines."""
        return self.plain(whole(s), bold)

    def text(self, text: Text) -> str:
        """Runs → markup. A citation marker hugs the word before it (no space, so no line break)."""
        runs = list(text)
        for i in range(len(runs) - 1):
            if runs[i + 1].cite and not runs[i].cite and runs[i].text != runs[i].text.rstrip():
                runs[i] = replace(runs[i], text=runs[i].text.rstrip())
        return "".join(self.run(r) for r in runs)

    def run(self, r: Run) -> str:
        if r.cite:
            return self.cite(r.cite, compact=True)
        out = self.plain(whole(r.text) if r.fact else r.text, r.bold, r.italic)
        roles: tuple[str, ...] = ("Span",) if r.lang else ()
        described = ""
        if r.href is not None:
            url = safe_url(r.href)
            if url is None:
                self.glyphs.warn(
                    f"PDF: link target {r.href!r} dropped: not a plain http, https or mailto URL"
                )
            else:
                out = f"<a href={quoteattr(url)} color={quoteattr(self.link_colour)}>{out}</a>"
                roles += ("Link",)
                described = _described(r.text, url)
        if roles:
            out = self.inline(Inline(roles, contents=described, lang=r.lang), out)
        if r.italic:
            out = f"<i>{out}</i>"
        if r.bold:
            out = f"<b>{out}</b>"
        return out

    def cite(self, numbers: tuple[int, ...], compact: bool = False) -> str:
        """A superscript citation marker. Listed numbers ("1,3,4") each link to their reference; a
        compact label with a range ("1\u20133,5") links as a whole to the first one."""
        if compact and any(last - first >= 2 for first, last in citations.groups(numbers)):
            inner = self._cite_link(min(numbers), citations.label(numbers))
        else:
            ordered = sorted(set(numbers)) if compact else sorted(numbers)
            inner = ",".join(self._cite_link(n, str(n)) for n in ordered)
        return f"<super>{inner}</super>"

    def _cite_link(self, number: int, label: str) -> str:
        shown = self.plain(label)
        if number not in self.anchors:
            self.glyphs.warn(f"PDF: citation {number} has no entry in the references; shown without a link")
            return shown
        link = f'<a href="#{ref_anchor(number)}" color={quoteattr(self.cite_colour)}>{shown}</a>'
        described = " ".join(f"[{label}] {self.references.get(number, '')}".split())
        return self.inline(Inline(("Reference", "Link"), contents=described), link)

    def link(self, url: str, shown: str | None = None, colour: str | None = None) -> str:
        """A visible link to an external URL, or the URL as plain text when its scheme is not allowed.

        The visible text has percent-escapes decoded (a Cyrillic path reads as Cyrillic); the link keeps
        the URL as given."""
        label = self.plain(shown if shown is not None else readable_url(url))
        safe = safe_url(url)
        if safe is None:
            self.glyphs.warn(f"PDF: link target {url!r} shown as text: not a plain http, https or mailto URL")
            return label
        link = f"<a href={quoteattr(safe)} color={quoteattr(colour or self.link_colour)}>{label}</a>"
        return self.inline(Inline(("Link",), contents=_described(shown or readable_url(url), safe)), link)


def _described(text: str, url: str) -> str:
    """What a link's annotation says: its text and, when the text is not the address, the address."""
    text = " ".join(text.split())
    if not text or text in (url, readable_url(url)):
        return url
    return f"{text} ({url})"
