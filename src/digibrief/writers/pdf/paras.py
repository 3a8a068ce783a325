"""A paragraph written again from the page code it wrote last time, in a process that renders again.

A paragraph's page code (drawn at the origin its Flowable.drawOn moves to) is a function of its lines,
the values its draw reads (its style, size, bullet, offsets), the canvas's state, what the fonts number
its text as, and the marked content it opens. Lines are kept under a key that holds all they depend
on (memo.BROKEN, tagging.Para.breakLines): a paragraph whose lines are those kept lines, drawn in the
same canvas state (written.state, but for how many objects the document and annotations the page hold:
its code refers to neither), writes the same code, but for two things. One written.py handles for
charts: the subset numbering of its text (its font calls are made again and must give what they gave).
One is its own: its marked content is numbered from the page's next MCID, so the code is kept with each
MCID relative to the first, and the MCIDs it took are given to the same elements (its text's owner, its
bullet's label) as the draw would give them.

Only a paragraph that the tagger sees as plain text is kept: no inline element (a link, a span in
another language), no callback, no annotation or object; a draw that did anything else to the tagger,
the canvas, the page or the document is never kept (written.record, and the checks below).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from digibrief.writers.pdf import written
from digibrief.writers.pdf.memo import PARAS, style_token


class Tags(Protocol):
    """What this module asks of the tagger (tagging.Tagger, whose Para draws through this module, so
    this module names none of tagging's types): an owner is one of its structure nodes."""

    def plain_key(self, owner: Any) -> tuple[bool, ...]: ...

    def before_plain(self, owners: tuple[Any, Any]) -> Any: ...

    def taken_since(self, before: Any) -> tuple[int, ...] | None: ...

    def give(self, owners: tuple[Any, Any], marks: tuple[int, ...]) -> int: ...


_MCID = re.compile(r"<</MCID (\d+)>>")
Code = str | tuple[tuple[str, ...], tuple[int, ...]]  # a line of code, or its parts around MCIDs


@dataclass(frozen=True)
class Kept:
    """What a paragraph's draw wrote: the state it began in, its font calls and what it added to the
    page and document (written, without its code), its code (MCIDs relative to the first it took), and
    which owner took each MCID, in order (0: its text's element, 1: its bullet's label)."""

    written: written.Written
    code: tuple[Code, ...]
    marks: tuple[int, ...]


def draw(para: Any, t: Tags, owner: Any, label: Any, draw: Callable[[], None]) -> None:
    """Draw para (draw() does it as reportlab would) or write it from the code it wrote last time."""
    key = _key(para, t, owner, label)
    if key is None:
        draw()
        return
    kept = PARAS.get(key)
    if kept is not None and _write(para.canv, t, owner, label, kept):
        return
    new = _record(para.canv, t, owner, label, draw)
    if new is not None:
        PARAS.put(key, new)


def _key(para: Any, t: Tags, owner: Any, label: Any) -> Hashable | None:
    """All that decides the paragraph's code but the canvas state, or None when it is not kept: its
    lines not the kept ones (Para.breakLines), or its text not plain."""
    lines = para.__dict__.get("_kept_lines")
    if lines is None or lines[1] is not para.blPara or para.style.wordWrap == "RTL":
        return None
    if not para.__dict__.get("plain", False):  # as parsed (tagging._plain)
        return None
    style = style_token(para.style)  # as it is now: a style changed since the break is seen
    if style is None:
        return None
    return (
        type(para),
        lines[0],
        style,
        para.width,
        para.height,
        tuple(para.__dict__.get("_offsets", (0,))),
        para.__dict__.get("_JustifyLast", False),
        tuple(para.__dict__.get("_wrapWidths", None) or ()),
        para.bulletText,
        para.debug,
        label is None,
        t.plain_key(owner),
    )


def _record(canv: Any, t: Tags, owner: Any, label: Any, draw: Callable[[], None]) -> Kept | None:
    before = t.before_plain((owner, label))
    done = written.record(canv, draw)
    taken = t.taken_since(before) if done is not None else None
    if done is None or taken is None:
        return None
    code = tuple(_relative(line, before.first) for line in done.code)
    return Kept(replace(done, code=()), code, taken)  # the code once, with its MCIDs relative


def _relative(line: str, first: int) -> Code:
    if "<</MCID " not in line:
        return line
    parts = _MCID.split(line)
    return tuple(parts[::2]), tuple(int(n) - first for n in parts[1::2])


def _write(canv: Any, t: Tags, owner: Any, label: Any, kept: Kept) -> bool:
    done = kept.written
    if (now := written.settled(written.state(canv))) is None or written.settled(done.start) != now:
        return False
    if not written.again(canv, done):
        return False
    first = t.give((owner, label), kept.marks)
    canv._code.extend(line if isinstance(line, str) else _absolute(line, first) for line in kept.code)
    canv._extgstate._c.update(done.named)
    canv._doc._pdfVersion = done.version
    return True


def _absolute(line: tuple[tuple[str, ...], tuple[int, ...]], first: int) -> str:
    parts, mcids = line
    out = [parts[0]]
    for text, n in zip(parts[1:], mcids, strict=True):
        out += [f"<</MCID {first + n}>>", text]
    return "".join(out)
