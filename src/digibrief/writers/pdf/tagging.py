"""Tagged PDF while drawing: marked content in the page streams, and the structure it belongs to.

reportlab's open-source edition has no tagging API, so the writer does it in three parts:

- Before drawing, the story is built together with a skeleton of structure elements (Node) in the
  document's order: Document > Sect > H2, P, L > LI > Lbl + LBody, Table > TR > TH/TD, Figure, TOC, ...
  Each flowable carries the element its content belongs to.
- While drawing, a Tagger (one per canvas, so one per build pass) wraps what is drawn in marked content:
  `/P <</MCID n>> BDC … EMC` for real content (MCIDs counted per page in painting order) and
  `/Artifact … BDC … EMC` for page furniture, table rules and backgrounds and repeated header rows. It
  records which element owns each MCID and each link annotation. Elements made while drawing (the
  Link and Span elements of inline runs, the entries of the contents) are kept per pass too.
- After the last pass, postprocess.py writes the structure tree, the parent tree and the metadata with
  pikepdf (the page streams are not touched).

Inline runs (links, spans in another language) are delimited by zero-width `<onDraw>` callbacks that
Markup puts around them; the callbacks split the paragraph's text object into Span | Link | Span marked
sections. reportlab creates link annotations at the end of each line; each is matched to the Link
element whose text is on that line, in order (a link broken over lines or pages gets one annotation per
piece, all owned by one Link element).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from digibrief.writers.pdf import paras
from digibrief.writers.pdf.memo import (
    BROKEN,
    PARSED,
    Broken,
    Parsed,
    keepable,
    keeping,
    parse_key,
    style_token,
    token,
)

OPEN_CB = "tag_open"  # the <onDraw> callback names Markup writes around inline runs
CLOSE_CB = "tag_close"
_SHOWS_TEXT = re.compile(r"\((?:[^()\\]|\\.)+\)\s*(?:Tj|'|\")|\]\s*TJ|[0-9A-Fa-f]>\s*Tj")  # shows glyphs


@dataclass(eq=False)
class Node:
    """A structure element: its type, the attributes the writer knows before drawing and its static
    children, in reading order. Compared by identity: the tagger keys what is drawn by the node."""

    role: str
    alt: str = ""
    lang: str = ""
    contents: str = ""  # Link: the description its annotations carry (/Contents)
    attrs: dict[str, dict[str, str]] = field(default_factory=dict)  # owner -> {key: name}
    kids: list[Node] = field(default_factory=list)

    def add(self, role: str, *, alt: str = "", attrs: dict[str, dict[str, str]] | None = None) -> Node:
        child = Node(role, alt=alt, attrs=attrs or {})
        self.kids.append(child)
        return child


@dataclass(frozen=True)
class Inline:
    """An inline element around a run of a paragraph: a Link (with what its annotation says), a
    Reference wrapping a Link, or a Span in another language."""

    roles: tuple[str, ...]  # outermost first, e.g. ("Reference", "Link")
    contents: str = ""
    lang: str = ""


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: its page (0-based) and MCID."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annot:
    """A link annotation: its page (0-based) and its index in the page's /Annots."""

    page: int
    index: int


Content = Node | Marked | Annot


@dataclass
class _Mark:
    code: list[str]
    at: int  # index of the BDC in code
    node: Node
    item: Marked
    text: bool  # in a text object: empty unless a text operator shows glyphs


@dataclass(frozen=True)
class _Before:
    """The tagger before a plain paragraph is drawn (Tagger.before_plain)."""

    owners: tuple[Node, Node | None]
    counts: tuple[int, ...]  # how much each owner had drawn
    known: tuple[bool, ...]  # whether it had anything drawn yet
    first: int  # the page's next MCID
    state: tuple[Any, ...]


class Tagger:
    """What one build pass draws, as marked content owned by elements."""

    def __init__(self, canv: Canvas, inlines: Sequence[Inline]):
        self.canv = canv
        self.inlines = inlines
        self.stray = Node("Div")  # owner of content drawn outside any element (none in a correct writer)
        self.drawn: dict[Node, list[Content]] = {}  # per element: what was drawn for it, in order
        self.boxes: dict[Node, tuple[int, tuple[float, float, float, float]]] = {}  # figures: page, bbox
        self.memo: dict[tuple[int, int], Node] = {}  # elements made while drawing, e.g. contents entries
        self._next: dict[int, int] = {}  # page -> next MCID
        self._stack: list[Node | None] = []
        self._marks: list[_Mark | None] = []
        self._artifacts: list[bool] = []  # per artifact begun: whether it was written
        self._text: Any = None  # the text object of the paragraph being drawn
        self._bullet: Node | None = None  # the Lbl of the bullet about to be drawn
        self._open: dict[Node, list[Node]] = {}  # owner -> inline elements still open (split paragraphs)
        self._pending: dict[Node, list[Node]] = {}  # owner -> links whose annotations are still to come

    def release(self) -> None:
        """Let go of the canvas once its pass is over: the canvas, which holds its tagger, is then freed
        as soon as nothing else holds it, without waiting for a garbage collection."""
        del self.canv

    # --- the element that owns what is drawn ----------------------------------------------------

    def top(self) -> Node:
        for node in reversed(self._stack):
            if node is not None:
                return node
        return self.stray

    def push(self, node: Node | None) -> None:
        self._stack.append(node)

    def pop(self) -> None:
        self._stack.pop()

    @contextmanager
    def within(self, node: Node | None) -> Iterator[None]:
        self.push(node)
        try:
            yield
        finally:
            self.pop()

    def content(self, node: Node) -> list[Content]:
        return self.drawn.setdefault(node, [])

    def child(self, parent: Node, role: str, *, contents: str = "", lang: str = "") -> Node:
        """An element made while drawing, after what was drawn for the parent so far."""
        node = Node(role, contents=contents, lang=lang)
        self.content(parent).append(node)
        return node

    @property
    def page(self) -> int:
        return int(self.canv.getPageNumber()) - 1

    # --- marked content -------------------------------------------------------------------------

    def mark(self, code: list[str], node: Node | None = None, text: bool = False) -> None:
        """Begin a marked-content sequence in code (the page's or a text object's) owned by node (by
        default the current element). Never inside an artifact or another sequence."""
        if self.in_artifact or any(m is not None for m in self._marks):
            self._marks.append(None)
            return
        owner = node or self.top()
        page = self.page
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        item = Marked(page, mcid)
        self.content(owner).append(item)
        code.append(f"/{owner.role} <</MCID {mcid}>> BDC")
        self._marks.append(_Mark(code, len(code) - 1, owner, item, text))

    def unmark(self) -> None:
        m = self._marks.pop()
        if m is None:
            return
        drawn = self.content(m.node)
        after = m.code[m.at + 1 :]
        empty = not any(_SHOWS_TEXT.search(op) for op in after) if m.text else not after
        if empty and drawn and drawn[-1] is m.item and self._next[m.item.page] == m.item.mcid + 1:
            # nothing was shown: take the sequence back rather than leave an empty element
            m.code[m.at] = ""
            drawn.pop()
            self._next[m.item.page] -= 1
        else:
            m.code.append("EMC")

    def begin_artifact(self, code: list[str], kind: str = "Layout", subtype: str = "") -> None:
        """Begin an artifact (page furniture, rules, backgrounds); nothing inside it is tagged. Inside
        an artifact or a marked-content sequence it is already accounted for, and nothing is written."""
        if self.in_artifact or any(m is not None for m in self._marks):
            self._artifacts.append(False)
            return
        props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
        code.append(f"/Artifact <<{props}>> BDC")
        self._artifacts.append(True)

    def end_artifact(self, code: list[str]) -> None:
        if self._artifacts.pop():
            code.append("EMC")

    @property
    def in_artifact(self) -> bool:
        return any(self._artifacts)

    # --- paragraphs -----------------------------------------------------------------------------

    def text_begin(self, tx: Any, lead: Sequence[str] = ()) -> None:
        """A paragraph's text object begins: its text belongs to the current element, or to the inline
        element a split paragraph left open, or to the inline elements its first word opens (lead)."""
        self._text = tx
        owner = self.top()
        still = self._open.get(owner)
        self.mark(tx._code, still[-1] if still else owner, text=True)
        for label in lead:
            self._open_inline(tx, label)

    def text_end(self, tx: Any) -> bool:
        if tx is not self._text:
            return False
        self.unmark()
        self._text = None
        return True

    def bullet(self, label: Node | None) -> None:
        self._bullet = label

    def take_bullet(self) -> Node | None:
        label, self._bullet = self._bullet, None
        return label

    def inline_open(self, canv: Canvas, kind: str, label: str | None) -> None:
        self._open_inline(canv._curr_tx_info["tx"], label)

    def _open_inline(self, tx: Any, label: str | None) -> None:
        if tx is not self._text or self.in_artifact:
            return
        spec = self.inlines[int(label or 0)]
        owner = self.top()
        chain = self._open.setdefault(owner, [])
        parent = chain[-1] if chain else owner
        self.unmark()
        for role in spec.roles:
            parent = self.child(
                parent,
                role,
                contents=spec.contents if role == "Link" else "",
                lang=spec.lang if role == "Span" else "",
            )
            chain.append(parent)
            if role == "Link":
                self._pending.setdefault(owner, []).append(parent)
        self.mark(tx._code, parent, text=True)

    def inline_close(self, canv: Canvas, kind: str, label: str | None) -> None:
        tx = canv._curr_tx_info["tx"]
        if tx is not self._text or self.in_artifact:
            return
        spec = self.inlines[int(label or 0)]
        owner = self.top()
        chain = self._open.get(owner, [])
        self.unmark()
        del chain[len(chain) - len(spec.roles) :]
        self.mark(tx._code, chain[-1] if chain else owner, text=True)

    # --- plain paragraphs written from their kept code (paras.py) -------------------------------

    def plain_key(self, owner: Node) -> tuple[bool, ...]:
        """What decides which of a plain paragraph's marks are written and whom its text goes to."""
        return (
            self.in_artifact,
            any(m is not None for m in self._marks),
            bool(self._open.get(owner)),
            bool(self._pending.get(owner)),
        )

    def _plain_state(self) -> tuple[Any, ...]:
        """What a plain paragraph's draw leaves as it found it."""
        return (
            self.page,
            len(self.drawn),
            len(self.memo),
            len(self.boxes),
            sum(map(len, self._open.values())),
            sum(map(len, self._pending.values())),
            len(self._marks),
            len(self._artifacts),
            len(self._stack),
            self._text,
            self._bullet,
        )

    def before_plain(self, owners: tuple[Node, Node | None]) -> _Before:
        """The tagger before a paragraph whose text goes to owners[0] and bullet to owners[1] is drawn."""
        counts = tuple(len(self.drawn.get(n, ())) if n is not None else 0 for n in owners)
        known = tuple(n is not None and n in self.drawn for n in owners)
        return _Before(owners, counts, known, self._next.get(self.page, 0), self._plain_state())

    def taken_since(self, before: _Before) -> tuple[int, ...] | None:
        """Which owner took each MCID since before (0: the text's, 1: the label), or None when the draw
        did anything else to the tagger."""
        gained = sum(1 for n, k in zip(before.owners, before.known, strict=True) if n is not None and not k)
        state = self._plain_state()
        if state[0] != before.state[0] or state[2:] != before.state[2:]:
            return None
        if not before.state[1] <= state[1] <= before.state[1] + gained:  # content given to another element
            return None
        taken: dict[int, int] = {}
        for which, (node, count) in enumerate(zip(before.owners, before.counts, strict=True)):
            for item in self.drawn.get(node, [])[count:] if node is not None else ():
                if not isinstance(item, Marked) or item.page != self.page:
                    return None
                taken[item.mcid - before.first] = which
        if sorted(taken) != list(range(self._next.get(self.page, 0) - before.first)):
            return None
        return tuple(taken[i] for i in range(len(taken)))

    def give(self, owners: tuple[Node, Node | None], marks: tuple[int, ...]) -> int:
        """Give the owners the next MCIDs of the page as a kept draw gave them (see taken_since); the
        first one given."""
        page = self.page
        first = self._next.get(page, 0)
        for i, which in enumerate(marks):
            node = owners[which]
            assert node is not None  # the paragraph's key holds whether it has a label
            self.content(node).append(Marked(page, first + i))
        if marks:
            self._next[page] = first + len(marks)
        return first

    # --- annotations ----------------------------------------------------------------------------

    def annotation(self, index: int) -> None:
        """reportlab added a link annotation to the page: the next link of the paragraph being drawn
        owns it (one still open at the line's end also owns the next line's piece), else the Link the
        drawing is inside (a contents entry)."""
        owner = self.top()
        waiting = self._pending.get(owner)
        link: Node | None = None
        if waiting:
            link = waiting.pop(0)
            if link in self._open.get(owner, ()):
                waiting.append(link)
        else:
            link = next((n for n in reversed(self._stack) if n is not None and n.role == "Link"), None)
        if link is None:  # a link drawn by something that did not declare it: still reachable
            link = self.child(owner, "Link")
        self.content(link).append(Annot(self.page, index))

    # --- figures --------------------------------------------------------------------------------

    def place(self, node: Node, width: float, height: float) -> None:
        """The bounding box, in page space, of a figure drawn at the current origin."""
        a, b, c, d, e, f = self.canv._currentMatrix
        xs = [a * x + c * y + e for x, y in ((0, 0), (width, 0), (0, height), (width, height))]
        ys = [b * x + d * y + f for x, y in ((0, 0), (width, 0), (0, height), (width, height))]
        self.boxes[node] = (self.page, (min(xs), min(ys), max(xs), max(ys)))


def tagger_of(canv: object) -> Tagger | None:
    return getattr(canv, "tagger", None)


def drafting(canv: object) -> bool:
    """Whether canv draws a draft pass (flowables.BriefTemplate.draft): one that only measures, whose
    pages are never written and whose tagger is dropped, so that what it draws changes nothing."""
    return bool(getattr(getattr(canv, "_doctemplate", None), "draft", False))


class TaggedCanvas(Canvas):
    """A canvas with a Tagger: closes paragraph text in its marked content, marks bullets as labels and
    tells the tagger about every link annotation."""

    def __init__(self, *args: Any, inlines: Sequence[Inline] = (), **kw: Any):
        super().__init__(*args, **kw)
        self.tagger = Tagger(self, inlines)
        self.setNamedCB(OPEN_CB, self.tagger.inline_open)
        self.setNamedCB(CLOSE_CB, self.tagger.inline_close)

    def drawText(self, aTextObject: object) -> None:
        t = self.tagger
        if t.text_end(aTextObject):
            super().drawText(aTextObject)
            return
        label = t.take_bullet()
        if label is None:
            super().drawText(aTextObject)
            return
        t.mark(self._code, label)
        super().drawText(aTextObject)
        t.unmark()

    def _addAnnotation(self, annotation: object, name: object = None, addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        if addtopage:
            self.tagger.annotation(len(self._annotationrefs) - 1)


@contextmanager
def artifact(canv: Canvas, kind: str = "Layout", subtype: str = "") -> Iterator[None]:
    """Draw page furniture: a running head, a footer, an ornament."""
    t = tagger_of(canv)
    if t is None:
        yield
        return
    t.begin_artifact(canv._code, kind, subtype)
    try:
        yield
    finally:
        t.end_artifact(canv._code)


def _opens(frag: object) -> str | None:
    """The label of an inline element's opening callback, or None for any other fragment."""
    cb = getattr(frag, "cbDefn", None)
    if cb is not None and getattr(cb, "kind", "") == "onDraw" and getattr(cb, "name", "") == OPEN_CB:
        return str(cb.label)
    return None


def _plain(frags: Sequence[Any], lead: Sequence[str]) -> bool:
    """Whether parsed fragments are plain text to the tagger: no inline element, callback (an anchor, an
    image) or link (paras.py keeps only such a paragraph's code)."""
    return not lead and not any(
        getattr(f, "cbDefn", None) is not None or getattr(f, "link", None) for f in frags
    )


@dataclass(frozen=True, eq=False)
class _Break:
    """A paragraph's last line break: what it was made from, what it left, and its lines."""

    widths: tuple[Any, ...]
    words: Any  # the paragraph's fragments after the break (reportlab may replace them)
    style: Any
    bullet: Any
    leading: Any  # the paragraph's own autoLeading, if any
    after: tuple[Any, ...]  # the widths list as the break left it
    width_max: float
    lines: Any


class Para(Paragraph):
    """A Paragraph whose text is tagged: as the content of its element (tag), or of the element it is
    drawn in (a table cell) when it has none; a bullet becomes the label element (label).

    reportlab never breaks a word that begins with a callback, so an opening callback never begins one:
    after a line break it moves before the break, and at the start of the paragraph the inline element
    is opened when the text begins (lead)."""

    def __init__(
        self,
        text: str | None,
        style: object = None,
        bulletText: object = None,
        frags: object = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
        *,
        tag: Node | None = None,
        label: Node | None = None,
    ):
        self.tag = tag
        self.label = label
        bullet = bulletText or getattr(style, "bulletText", None)
        made = frags is None and style is not None and keeping()  # from markup: parsed here, kept (memo.py)
        key = parse_key(text, style, bullet, caseSensitive, encoding) if made else None
        parsed = PARSED.get(key) if key is not None else None
        self._memo = parsed.token if parsed is not None else None  # what the fragments were made from
        if parsed is not None:
            self._reuse(parsed, style, bullet, caseSensitive, encoding)
            self.plain = _plain(self.frags, self.lead)
            return
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self.lead: list[str] = []
        parts: list[Any] = self.frags
        while parts and (first := _opens(parts[0])) is not None:
            self.lead.append(first)
            parts.pop(0)
        for i in range(1, len(parts)):
            j = i
            while j > 0 and _opens(parts[j]) is not None and getattr(parts[j - 1], "lineBreak", False):
                parts[j - 1], parts[j] = parts[j], parts[j - 1]
                j -= 1
        if key is not None and self.style is style and self.bulletText is bullet:  # no <para> or <bullet>
            self._memo = token()
            PARSED.put(key, Parsed(self.text, tuple(parts), tuple(self.lead), self._memo))
        self.plain = _plain(parts, self.lead)

    def _reuse(self, parsed: Parsed, style: Any, bullet: Any, case_sensitive: int, encoding: str) -> None:
        """The paragraph as Paragraph._setup and __init__ leave it, from a parse the memo kept."""
        self.caseSensitive, self.encoding = case_sensitive, encoding
        self.text, self.style, self.frags = parsed.text, style, list(parsed.frags)
        self.bulletText, self.debug = bullet, 0
        self.lead = list(parsed.lead)

    def breakLines(self, width: Any) -> Any:
        """reportlab's line breaks, kept for the next paragraph with the same fragments, style, bullet
        and widths (memo.py); the paragraph is left as reportlab's own break leaves it."""
        self._kept_lines: tuple[Any, Any] | None = None  # (key, lines) when the lines are the kept ones
        style = None if self._memo is None else style_token(self.style)
        if style is None:
            return self._break_again(width)
        widths = tuple(width) if isinstance(width, list | tuple) else (width,)
        key = (self._memo, style, widths, self.bulletText, self.__dict__.get("autoLeading"))
        broken = BROKEN.get(key)
        if broken is not None:
            if isinstance(width, list):
                width[:] = broken.widths
            if broken.words is not None:
                self.frags = list(broken.words)
            self._width_max, self.height = broken.width_max, 0
            self._splitLongWordCount = self._hyphenations = 0
            self._kept_lines = (key, broken.lines)
            return broken.lines
        before = self.frags
        lines = super().breakLines(width)
        words = self.frags if self.frags is not before else None
        if keepable(words, self._splitLongWordCount, self._hyphenations):
            after = tuple(width) if isinstance(width, list) else widths
            BROKEN.put(key, Broken(lines, None if words is None else tuple(words), after, self._width_max))
            self._kept_lines = (key, lines)
        return lines

    def _break_again(self, width: Any) -> Any:
        """reportlab's line breaks, or the ones this paragraph's last break gave when it is broken again
        at the same widths with nothing changed since (a table wraps a cell several times, a frame
        wraps a paragraph before and after it tries to split it): what the break leaves on the
        paragraph is left again. A break that split or hyphenated a word is not kept (see memo.py)."""
        widths = tuple(width) if isinstance(width, list | tuple) else (width,)
        last: _Break | None = self.__dict__.get("_last_break")
        if (
            last is not None
            and last.widths == widths
            and self.frags is last.words
            and self.style is last.style
            and self.bulletText is last.bullet
            and self.__dict__.get("autoLeading") == last.leading
        ):
            if isinstance(width, list):
                width[:] = last.after
            self._width_max, self.height = last.width_max, 0
            self._splitLongWordCount = self._hyphenations = 0
            return last.lines
        self._last_break = None
        before = self.frags
        lines = super().breakLines(width)
        words = self.frags if self.frags is not before else None
        if self.style.wordWrap != "RTL" and keepable(words, self._splitLongWordCount, self._hyphenations):
            after = tuple(width) if isinstance(width, list) else widths  # (RTL: drawing reverses lines)
            leading = self.__dict__.get("autoLeading")
            self._last_break = _Break(
                widths, self.frags, self.style, self.bulletText, leading, after, self._width_max, lines
            )
        return lines

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for i, p in enumerate(parts):
            if p is not self and isinstance(p, Para):
                p.tag = self.tag
                p.label = self.label if p.bulletText else None
                if i == 0:
                    p.lead = self.lead
        return parts

    def beginText(self, x: float, y: float) -> object:
        tx = super().beginText(x, y)
        t = tagger_of(self.canv)
        if t is not None:
            t.text_begin(tx, self.lead)
        return tx

    def draw(self) -> None:
        if drafting(self.canv):
            return
        t = tagger_of(self.canv)
        if t is None:
            super().draw()
            return
        label = self.label if self.bulletText else None
        owner = self.tag if self.tag is not None else t.top()
        if keeping():  # a process that renders again: written from its kept code when it can be
            paras.draw(self, t, owner, label, partial(self._draw_tagged, t, label))
        else:
            self._draw_tagged(t, label)

    def _draw_tagged(self, t: Tagger, label: Node | None) -> None:
        with t.within(self.tag):
            t.bullet(label)
            try:
                super().draw()
            finally:
                t.bullet(None)


class Tagged(Flowable):
    """Draws one flowable as the content of one element: a chart as its Figure (marked as one sequence,
    with its bounding box), or a placeholder whose own paragraphs are tagged (mark=False)."""

    def __init__(self, inner: Flowable, node: Node, mark: bool = True):
        super().__init__()
        self.inner = inner
        self.node = node
        self.mark = mark
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        canv = getattr(self, "canv", None)
        self.width, self.height = self.inner.wrapOn(canv, availWidth, availHeight)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def draw(self) -> None:
        t = tagger_of(self.canv)
        if t is None:
            self.inner.drawOn(self.canv, 0, 0)
            return
        with t.within(self.node):
            if self.mark:
                t.mark(self.canv._code, self.node)
            self.inner.drawOn(self.canv, 0, 0)
            if self.mark:
                t.unmark()
        t.place(self.node, self.width, self.height)


# --- tables --------------------------------------------------------------------------------------


class GridTags:
    """How a grid's rows and cells map onto elements. The base class: a layout grid, whose paragraphs
    carry their own elements; only its rules and backgrounds are drawn here, as artifacts."""

    node: Node | None = None

    def row(self, t: Tagger, row: int) -> Node | None:
        return None

    def cell(self, t: Tagger, row: int, col: int) -> Node | None:
        return None


class DataTable(GridTags):
    """Table > TR > TH (the header row, scoped to its column) / TD."""

    def __init__(self, parent: Node, rows: int, cols: int, header_rows: int = 1):
        self.node = parent.add("Table")
        self.rows = [self.node.add("TR") for _ in range(rows)]
        self.cells = [
            [
                tr.add("TH", attrs={"Table": {"Scope": "Column"}}) if r < header_rows else tr.add("TD")
                for _ in range(cols)
            ]
            for r, tr in enumerate(self.rows)
        ]

    def row(self, t: Tagger, row: int) -> Node | None:
        return self.rows[row]

    def cell(self, t: Tagger, row: int, col: int) -> Node | None:
        return self.cells[row][col]


class ListTable(GridTags):
    """A numbered list set as a grid: L > LI > Lbl (first column) + LBody (second)."""

    def __init__(self, parent: Node, rows: int, numbering: str = "Decimal"):
        self.node = parent.add("L", attrs={"List": {"ListNumbering": numbering}})
        self.items = []
        for _ in range(rows):
            li = self.node.add("LI")
            self.items.append((li, li.add("Lbl"), li.add("LBody")))

    def row(self, t: Tagger, row: int) -> Node | None:
        return self.items[row][0]

    def cell(self, t: Tagger, row: int, col: int) -> Node | None:
        return self.items[row][1 if col == 0 else 2]


class TocTable(GridTags):
    """The contents: TOC > TOCI > Link, one link element per entry holding its kicker, title and page
    number (three annotations, each described as the entry)."""

    def __init__(self, node: Node, described: Sequence[str]):
        self.node = self.toc = node
        self.described = list(described)

    def row(self, t: Tagger, row: int) -> Node | None:
        key = (id(self), row)
        if key not in t.memo:
            toci = t.child(self.toc, "TOCI")
            t.memo[key] = t.child(
                toci, "Link", contents=self.described[row] if row < len(self.described) else ""
            )
        return t.memo[key]

    def cell(self, t: Tagger, row: int, col: int) -> Node | None:
        return None  # the row's Link, pushed for the row


def render_cb(table: Any, event: str, *args: Any) -> None:
    """reportlab's Table render callback: rules and backgrounds as artifacts, rows and cells as the
    grid's elements, a header row repeated on a continuation page as an artifact."""
    canv = table.canv
    t = tagger_of(canv)
    if t is None:
        return
    tags: GridTags = getattr(table, "tags", None) or GridTags()
    code = canv._code
    if event == "startTable":
        t.push(tags.node)
    elif event == "endTable":
        t.pop()
    elif event in ("startBG", "startLines"):
        t.begin_artifact(code)
    elif event in ("endBG", "endLines"):
        t.end_artifact(code)
    elif event == "startRow":
        source, repeated = row_sources(table)[int(args[0])]
        if repeated:
            t.begin_artifact(code, "Pagination")
            t.push(None)
        else:
            t.push(tags.row(t, source))
        table._tag_row = (source, repeated)
    elif event == "endRow":
        t.pop()
        if table._tag_row[1]:
            t.end_artifact(code)
    elif event == "startCell":
        source, repeated = table._tag_row
        t.push(None if repeated else tags.cell(t, source, int(args[1])))
    elif event == "endCell":
        t.pop()


def row_sources(table: Any) -> list[tuple[int, bool]]:
    """Per row of a table or of a part of one: the row of the whole table it shows, and whether it is a
    header row repeated on a continuation page."""
    rows = getattr(table, "_tag_rows", None)
    if rows is None:
        rows = [(i, False) for i in range(table._nrows)]
        table._tag_rows = rows
    return rows


def split_rows(table: Any, parts: list[Any]) -> None:
    """Give the two parts of a split table their rows' sources. The second part starts with the
    repeated header rows; when a row was split in two, both parts show a piece of it."""
    if len(parts) != 2:
        return
    rows = row_sources(table)
    first, second = parts
    n0 = first._nrows
    repeat = table.repeatRows if isinstance(table.repeatRows, int) else len(table.repeatRows)
    in_row = n0 + second._nrows - repeat == len(rows) + 1
    first._tag_rows = rows[:n0]
    rest = rows[n0 - 1 :] if in_row else rows[n0:]
    second._tag_rows = [(r, True) for r, _ in rows[:repeat]] + rest
    for part in parts:
        part.tags = getattr(table, "tags", None)
