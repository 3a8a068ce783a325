"""Slide text as measured paragraphs: wrap with the theme's TrueType metrics, fit by shrinking, paginate.

Sizes are in points. Every paragraph gets an exact line pitch (size x LINE) so that the height measured
here is the height PowerPoint and LibreOffice lay out; widths keep a small safety margin (SLACK).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from digibrief.theme import FontFiles

LINE = 1.2  # line pitch as a multiple of the font size
SLACK = 0.97  # wrap to this share of the measured width: renderers hint and kern a little differently
REF = 1000  # fonts are loaded at this pixel size and scaled, so 1 px = 1 pt at size REF

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORDS = re.compile(r"\S+|\s+")
_SPACES = re.compile("[\t\n\r\x0b\x0c\u2028\u2029]")


def clean(text: str) -> str:
    """Text safe for XML and for one paragraph: line breaks become spaces, control characters go."""
    return _INVALID.sub("", _SPACES.sub(" ", text))


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None  # None = the paragraph's colour


@dataclass(frozen=True)
class Para:
    """A paragraph at a fixed size. A colour, alignment or font of "" is left to the placeholder's
    layout and master (a template's own title style); font None is the deck's family."""

    spans: tuple[Span, ...]
    size: float
    color: str
    align: str = "l"  # l, c, r
    marker: str = ""  # "•" for a bullet, "12." for a numbered reference: hung in the left indent
    indent: float = 0.0  # left indent (pt) of every line; the marker sits in it
    space_before: float = 0.0
    font: str | None = None

    @property
    def pitch(self) -> float:
        return round(self.size * LINE, 2)


def para(text: str, size: float, color: str, *, bold: bool = False, **kw) -> Para:
    return Para((Span(clean(text), bold=bold),), size, color, **kw)


Face = tuple[str, int, int]  # a font file: its path, size and modification time (an edited file is another)
Faces = tuple[Face, Face, Face, Face]  # regular, bold, italic, bold italic


def face(path: Path) -> Face:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=8)
def _font(f: Face) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f[0], REF)


# the advances a store gave for a render's faces (lengths.py), added to as words are measured
KNOWN: dict[Face, dict[str, float]] = {}


@lru_cache(maxsize=65536)
def _length(f: Face, text: str) -> float:
    """A word's advance at the reference size, kept: fitting and paginating measure the same words
    again at every candidate size and in every watch rebuild."""
    known = KNOWN.get(f)
    if known is None:
        return float(_font(f).getlength(text))
    if (length := known.get(text)) is None:
        length = known[text] = float(_font(f).getlength(text))
    return length


class _Measure:
    """Widths and wrapping in four font files, computed."""

    def __init__(self, faces: Faces):
        self._faces = faces
        self._by_style = {
            (False, False): faces[0],
            (True, False): faces[1],
            (False, True): faces[2],
            (True, True): faces[3],
        }

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        if not text:
            return 0.0
        return _length(self._by_style.get((bold, italic), self._by_style[True, True]), text) * size / REF

    def wrap(self, p: Para, width: float) -> list[list[Span]]:
        """Greedy wrap at spaces (overlong words break anywhere) into lines no wider than width."""
        room = max(width - p.indent, 1.0) * SLACK
        pieces: list[Span] = []
        for s in p.spans:
            pieces += [Span(t, s.bold, s.italic, s.color) for t in _WORDS.findall(s.text)]
        out: list[list[Span]] = [[]]
        used = 0.0
        for piece in pieces:
            limit = room
            w = self.width(piece.text, p.size, piece.bold, piece.italic)
            if piece.text.isspace():
                if out[-1]:
                    out[-1].append(piece)
                    used += w
                continue
            if used + w <= limit:
                out[-1].append(piece)
                used += w
                continue
            if out[-1]:
                _trim(out[-1])
                out.append([])
                used = 0.0
                limit = room
            while w > limit:  # a word longer than a line: cut it
                n = self._chars_that_fit(piece, p.size, limit)
                out[-1].append(replace(piece, text=piece.text[:n]))
                out.append([])
                piece = replace(piece, text=piece.text[n:])
                w = self.width(piece.text, p.size, piece.bold, piece.italic)
                limit = room
            out[-1].append(piece)
            used = w
        _trim(out[-1])
        return out

    def _chars_that_fit(self, s: Span, size: float, limit: float) -> int:
        lo, hi = 1, len(s.text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.width(s.text[:mid], size, s.bold, s.italic) <= limit:
                lo = mid
            else:
                hi = mid - 1
        return lo


@lru_cache(maxsize=16384)
def _wrapped(faces: Faces, p: Para, width: float) -> tuple[tuple[Span, ...], ...]:
    """p's lines at width, kept by all they depend on (the font files, the paragraph, the width): a
    rebuild plans the deck again and measures the same paragraphs in the same boxes."""
    return tuple(tuple(line) for line in _Measure(faces).wrap(p, width))


def forget() -> None:
    """Drop the loaded fonts and the measured words and paragraphs, as a new process has none."""
    for memo in (_font, _length, _wrapped):
        memo.cache_clear()


class Metrics(_Measure):
    """Widths of text in the theme's four font files."""

    def __init__(self, fonts: FontFiles):
        self.fonts = fonts
        f = fonts
        super().__init__((face(f.regular), face(f.bold), face(f.italic), face(f.bold_italic)))

    @property
    def faces(self) -> Faces:
        """The font files measured in, by identity."""
        return self._faces

    # --- wrapping --------------------------------------------------------------------------------

    def lines(self, p: Para, width: float) -> list[list[Span]]:
        """Greedy wrap at spaces (overlong words break anywhere) into lines no wider than width."""
        return [list(line) for line in _wrapped(self._faces, p, width)]

    def count(self, p: Para, width: float) -> int:
        """How many lines p takes at width."""
        return len(_wrapped(self._faces, p, width))

    def height(self, paras: Sequence[Para], width: float) -> float:
        """Height of paragraphs laid out in a text area width wide (no insets)."""
        total = 0.0
        for i, p in enumerate(paras):
            total += (p.space_before if i else 0.0) + self.count(p, width) * p.pitch
        return total

    def fits(self, paras: Sequence[Para], width: float, height: float) -> bool:
        return self.height(paras, width) <= height + 0.01

    def words_fit(self, p: Para, width: float) -> bool:
        """Whether every word of p fits a line (so that no word has to be cut)."""
        room = max(width - p.indent, 1.0) * SLACK
        return all(self.width(w, p.size, s.bold, s.italic) <= room for s in p.spans for w in s.text.split())


def _trim(line: list[Span]) -> None:
    while line and line[-1].text.isspace():
        line.pop()


# --- fitting and pagination -----------------------------------------------------------------------


def sizes(top: float, bottom: float) -> list[float]:
    """Candidate font sizes from top down to bottom in 1 pt steps (both included)."""
    out, s = [], top
    while s > bottom + 1e-6:
        out.append(s)
        s -= 1.0
    out.append(bottom)
    return out


def shorten(m: Metrics, p: Para, width: float, max_lines: int, keep: str = "") -> Para:
    """p itself if it takes at most max_lines lines, else cut and ended with an ellipsis (then keep)."""
    if m.count(p, width) <= max_lines:
        return p
    text = "".join(s.text for s in p.spans)
    if keep and text.endswith(keep):
        text = text[: -len(keep)].rstrip()
    span = replace(p.spans[0], text=text) if p.spans else Span(text)

    def cand(t: str) -> Para:
        end = "\u2026" + (" " + keep if keep else "")
        return replace(p, spans=(replace(span, text=t.rstrip(" ,.;:") + end),))

    def ok(t: str) -> bool:
        return m.count(cand(t), width) <= max_lines

    words = text.split(" ")
    lo, hi = 0, len(words)  # the most words that fit: fewer words never take more lines
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(" ".join(words[:mid])):
            lo = mid
        else:
            hi = mid - 1
    if lo == 0 and words and words[0]:
        word = words[0]
        lo_c, hi_c = 0, len(word)
        while lo_c < hi_c:
            mid = (lo_c + hi_c + 1) // 2
            if ok(word[:mid]):
                lo_c = mid
            else:
                hi_c = mid - 1
        return cand(word[:lo_c])
    return cand(" ".join(words[:lo]))


Item = Callable[[float], list[Para]]  # one unit of a list (a bullet, a reference) at a given size


def fixed(*paras: Para) -> Item:
    """An item at the size its paragraphs already have: the deck sets text at fixed sizes."""
    return lambda size: list(paras)


def paginate(
    m: Metrics,
    items: Sequence[Item],
    columns: Sequence[tuple[float, float]],
    top: float,
    bottom: float,
    gap: float,
) -> list[list[list[Para]]]:
    """Lay items into pages of columns ((width, height) each): [page][column] -> paragraphs.

    Uses the largest size that needs no more pages than the smallest size does; an item too tall for a
    whole column is cut into line-sized pieces (never overflowing).
    """
    target = len(_pack(m, items, columns, bottom, gap))
    for s in sizes(top, bottom):
        pages = _pack(m, items, columns, s, gap)
        if len(pages) <= target:
            return pages
    return _pack(m, items, columns, bottom, gap)


def _pack(
    m: Metrics, items: Sequence[Item], columns: Sequence[tuple[float, float]], size: float, gap: float
) -> list[list[list[Para]]]:
    pages: list[list[list[Para]]] = [[[] for _ in columns]]
    col = 0
    queue = [list(it(size)) for it in items]
    while queue:
        paras = queue.pop(0)
        w, h = columns[col]
        cur = pages[-1][col]
        spaced = [replace(paras[0], space_before=gap), *paras[1:]] if cur else paras
        if m.fits(cur + spaced, w, h):
            cur += spaced
            continue
        if not cur:  # too tall even alone: keep what fits, continue the rest
            head, rest = _split(m, paras, w, h)
            cur += head
            if rest:
                queue.insert(0, rest)
        else:
            queue.insert(0, paras)
        col += 1
        if col == len(columns):
            pages.append([[] for _ in columns])
            col = 0
    while len(pages) > 1 and not any(pages[-1]):
        pages.pop()
    return pages


def _split(m: Metrics, paras: list[Para], w: float, h: float) -> tuple[list[Para], list[Para]]:
    """Cut paragraphs at a line boundary so that the head fits h."""
    head: list[Para] = []
    for i, p in enumerate(paras):
        if m.fits([*head, p], w, h):
            head.append(p)
            continue
        lines = m.lines(p, w)
        used = m.height(head, w) + (p.space_before if head else 0.0)
        n = max(int((h - used) // p.pitch), 0)
        if n == 0 and not head:
            n = 1  # a single line always goes somewhere
        if n:
            first = [s for line in lines[:n] for s in [*line, Span(" ")]][:-1]
            rest = [s for line in lines[n:] for s in [*line, Span(" ")]][:-1]
            head.append(replace(p, spans=_merge(first)))
            tail = replace(p, spans=_merge(rest), marker="", space_before=0.0)
            return head, [tail, *paras[i + 1 :]]
        return head, list(paras[i:])
    return head, []


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for s in spans:
        if out and (out[-1].bold, out[-1].italic, out[-1].color) == (s.bold, s.italic, s.color):
            out[-1] = replace(out[-1], text=out[-1].text + s.text)
        else:
            out.append(s)
    return tuple(out)
