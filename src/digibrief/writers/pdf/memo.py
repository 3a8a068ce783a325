"""Layout kept between renders, for a process that renders the same brief again and again (a watch: the
writer's preload calls keep()): paragraph parses and line breaks (here), the canvas calls that drew
each chart (DRAWN, written by images.Recorder), the page code they wrote (WRITTEN, written.py) and the
page code of each plain paragraph (PARAS, paras.py).
forget() empties it all, as a new process. A one-shot build keeps nothing: it would not read the
tables again (its second pass measured no faster with them), and for a 64-country brief they held some
25 MB at the build's peak.

reportlab parses a paragraph's markup into fragments when it is made, and breaks the fragments into lines
on every wrap (a table wraps each cell several times). Both are pure functions of what a key here holds:
the markup, every value of the style, the bullet, the widths, and the font names the markup can reach
with what reportlab maps them to (<b> and <i> follow that mapping; a face's metrics never change under
its name: fonts.register gives other files other names). Results are kept in bounded LRU tables and
shared only where reportlab never writes: fragments, words and lines; each paragraph gets its own lists.
A break that split a long word or hyphenated one is never kept: reportlab changes those words in place
when it splits the paragraph across pages.
"""

from __future__ import annotations

import itertools
import operator
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.platypus.paragraph import _HSFrag

V = TypeVar("V")
_ATTR = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")  # a quoted attribute value in markup
_NOT_STYLE = frozenset(("name", "parent"))  # a style's label and origin: not what it sets
_PLAIN_WORDS = (list, _HSFrag)  # frag words that no later step of reportlab changes in place


_KEEPING = threading.Event()  # set by keep(): until then every table stays empty


class Table(Generic[V]):
    """A bounded table of results: the least recently used one goes first."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        if not _KEEPING.is_set():
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class Parsed:
    """A paragraph's markup parsed: the text reportlab keeps, its fragments, the inline elements its
    first word opens (tagging.Para's lead), and the token its line breaks are kept under."""

    text: str
    frags: tuple[Any, ...]
    lead: tuple[str, ...]
    token: int


@dataclass(frozen=True)
class Broken:
    """The lines a break gave, and what the break left on the paragraph."""

    lines: Any  # reportlab's ParaLines (or a fragment with lines)
    words: tuple[Any, ...] | None  # the frag words that replaced the fragments, or None when kept
    widths: tuple[float, ...]  # the widths list as the break left it (a bullet narrows the first)
    width_max: float


PARSED: Table[Parsed] = Table(2048)  # about 6 kB each with its breaks: bounded to some 30 MB
BROKEN: Table[Broken] = Table(4096)
_TOKENS: Table[int] = Table(1024)  # a style's values -> their token
_SEEN: Table[tuple[tuple[str, ...], tuple[Any, ...], int]] = Table(1024)  # id(style) -> names, values, token
_count = itertools.count(1)
DRAWN: Table[Any] = Table(64)  # a chart's drawing, faces and starting font -> its canvas calls (images.py)
WRITTEN: Table[Any] = Table(64)  # the same key -> the page code those calls wrote (written.py)
PARAS: Table[Any] = Table(4096)  # a plain paragraph's lines and draw -> its code, about 1 kB (paras.py)


def keeping() -> bool:
    """Whether this process keeps results: a one-shot build does not even make their keys."""
    return _KEEPING.is_set()


def keep() -> None:
    """Keep results from now on: this process renders again (a watch)."""
    _KEEPING.set()


def forget() -> None:
    """Empty every table and keep nothing more until keep(), as in a new process."""
    _KEEPING.clear()
    for table in (PARSED, BROKEN, _TOKENS, _SEEN, DRAWN, WRITTEN, PARAS):
        table.clear()


def token() -> int:
    """A number never given out before in this process."""
    return next(_count)


def style_token(style: Any) -> int | None:
    """A number that stands for every value of a ParagraphStyle (and its type: 1 and 1.0 print alike,
    but True is no colour), or None when a value cannot be compared by value. A style seen before with
    the very same value objects has the same number without comparing them by value."""
    attrs = style.__dict__
    names, values = tuple(attrs), tuple(attrs.values())
    seen = _SEEN.get(id(style))
    if seen is not None and seen[0] == names and all(map(operator.is_, seen[1], values)):
        return seen[2]
    items = tuple((k, type(v), v) for k, v in attrs.items() if k not in _NOT_STYLE)
    try:
        number = _TOKENS.get(items)
    except TypeError:  # a value that cannot be compared by value
        return None
    if number is None:
        number = token()
        _TOKENS.put(items, number)
    _SEEN.put(id(style), (names, values, number))
    return number


def faces_key(markup: str, style: Any) -> tuple[Any, ...]:
    """What reportlab maps the font names the markup can reach to: the style's faces and any named in an
    attribute, each with its family and the family's bold and italic faces. A name that is no font maps
    to None (a link target, a callback's name)."""
    names = {style.fontName, style.bulletFontName}
    names.update(a or b for a, b in _ATTR.findall(markup))
    out: list[Any] = []
    for name in sorted(names):
        try:
            family, bold, italic = ps2tt(name)
            out.append((name, family, bold, italic, *(tt2ps(family, b, i) for b in (0, 1) for i in (0, 1))))
        except (ValueError, KeyError, TypeError):
            out.append((name, None))
    return tuple(out)


def parse_key(
    markup: object, style: Any, bullet: object, case_sensitive: int, encoding: str
) -> Hashable | None:
    """The key of a paragraph made from markup, or None when it cannot have one."""
    if not isinstance(markup, str) or not (bullet is None or isinstance(bullet, str)):
        return None
    number = style_token(style)
    if number is None:
        return None
    return (markup, number, bullet, case_sensitive, encoding, faces_key(markup, style))


def keepable(words: list[Any] | None, splits: int, hyphens: int) -> bool:
    """True when a break's result can be shared: no word was split or hyphenated."""
    if splits or hyphens:
        return False
    return words is None or all(type(w) in _PLAIN_WORDS for w in words)
