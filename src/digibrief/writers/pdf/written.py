"""A chart written again from the page code it wrote last time, in a process that renders again.

A chart whose canvas calls are kept (images.Recorder) writes the same page code every time it is drawn
from the same canvas state, but for the bytes of its text: a TrueType subset numbers characters in the
order the document first uses them. So with the code a draw wrote, the calls it made to its fonts are
kept (TTFont.splitString and getSubsetInternalName, in order, with what each gave). To write the chart
again those calls are made again, in the same order: when each gives what it gave then, the kept code
is exactly what the draw would write, and it is written instead (a fifth of the time of replaying the
canvas calls). At the first call that differs the chart is drawn as before; the calls already made are
the ones the draw makes first, with the same arguments, so the fonts are left as the draw alone leaves
them. Code is kept only from the canvas state it was written in (but for the origin). A transparency
names a graphics state in the page's resources and raises the document's PDF version: a write does
both alike. A draw that did anything else to the document, the page or the tagger (an object, an
annotation, an image, a font by name, a canvas state left changed) is never kept.

The font methods are wrapped on their class while a chart is recorded, by one thread at a time; a call
for another document (a render in another thread) is passed on and makes the recording worthless.

A one-shot build keeps what a chart wrote in the render's store instead (portable, restore): there its
faces are named by the stand-ins its stored drawing uses, since a face's name is the process's own, and
the entry is found by the canvas state the code was written in, settled (start_digest).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FontCall = tuple[TTFont, str, tuple[Any, ...], Any]  # (font, method, arguments but the document, result)
_WRAPPING = threading.RLock()  # held while the font methods are wrapped: they are put back as found


@dataclass(frozen=True)
class Written:
    """The code one draw wrote, the state it began in, its font calls with their results, and what it
    added to the page and the document: graphics states it named (a transparency) and the PDF version
    that raised."""

    start: tuple[Any, ...]
    calls: tuple[FontCall, ...]
    code: tuple[str, ...]
    named: tuple[tuple[Any, str], ...]  # (setting, name) the page's graphics states gained
    version: tuple[int, int]  # the document's PDF version after the draw


def state(canv: Canvas) -> tuple[Any, ...] | None:
    """The canvas's graphics and text state (what saveState keeps) but for where the origin is, with
    what else a draw could change on the page and in the document; the last two, which a draw may add
    to (the page's named graphics states, the PDF version), are what write() adds to alike. None when
    the tagger waits for text of its own (a bullet, a paragraph's text object), which a chart's text
    would take."""
    tagger = getattr(canv, "tagger", None)
    if tagger is not None and (tagger._text is not None or tagger._bullet is not None):
        return None
    doc, gs = canv._doc, canv._extgstate
    graphics = tuple(
        getattr(canv, k, None) for k in Canvas.STATE_ATTRIBUTES if k not in ("_currentMatrix", "_extgstate")
    )
    page = (  # what the page's resources will list, and the stacks a draw must leave as it found them
        dict(getattr(canv, "_colorsUsed", None) or {}),
        dict(getattr(canv, "_shadingUsed", None) or {}),
        tuple(getattr(canv, "_formsinuse", None) or ()),
        len(canv._annotationrefs),
        len(canv.state_stack),
        canv._currentPageHasImages,
    )
    return (graphics, dict(gs._d), page, len(doc.idToObject), tuple(gs._c.items()), doc._pdfVersion)


_KEPT = 4  # state()[:_KEPT] must be as the draw found it; the rest may only grow


def write(canv: Canvas, kept: Written, anywhere: bool = False) -> bool:
    """Write a chart from its kept code when the canvas is in the state the code was written in and
    the kept font calls give what they gave then; False when it must be drawn. anywhere: in that state
    but for how many objects the document and annotations the page hold (settled)."""
    now = state(canv)
    if (settled(kept.start) != settled(now) if anywhere else kept.start != now) or not again(canv, kept):
        return False
    canv._code.extend(kept.code)
    canv._extgstate._c.update(kept.named)  # shared by every saved state of the page, as set() does
    canv._doc._pdfVersion = kept.version
    return True


def settled(start: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """A state but for how many objects the document and annotations the page hold: code a kept draw
    wrote refers to neither, and a kept draw added neither (record), so it is the code the draw writes
    in any state that is the same but for those."""
    if start is None:
        return None
    graphics, named, page, _, used, version = start
    return (graphics, named, page[:3] + page[4:], used, version)


def again(canv: Canvas, written: Written) -> bool:
    """Make the kept font calls again: True when each gives what it gave when the code was written."""
    doc = canv._doc
    for font, method, args, result in written.calls:
        if getattr(font, method)(*args[:1], doc, *args[1:]) != result:
            return False
    return True


def record(canv: Canvas, draw: Callable[[], None]) -> Written | None:
    """Draw, and return what the draw wrote with its font calls; None when it did anything else, or
    began in a state that cannot be kept."""
    start = state(canv)
    if start is None:
        draw()
        return None
    doc = canv._doc
    calls: list[FontCall] = []
    foreign: list[object] = []

    def split_string(font: TTFont, text: str, on: PDFDocument, *rest: Any) -> Any:
        out = split(font, text, on, *rest)
        if on is doc:
            calls.append((font, "splitString", (text, *rest), list(out)))
        else:
            foreign.append(font)
        return out

    def subset_name(font: TTFont, number: int, on: PDFDocument) -> Any:
        out = subset(font, number, on)
        if on is doc:
            calls.append((font, "getSubsetInternalName", (number,), out))
        else:
            foreign.append(font)
        return out

    def internal_name(pdf: PDFDocument, *args: Any) -> Any:
        foreign.append(args)  # a font by name: the document's font list may grow
        return internal(pdf, *args)

    begin = len(canv._code)
    with _WRAPPING:  # the methods as they are, not as another thread's recording left them meanwhile
        split, subset = TTFont.splitString, TTFont.getSubsetInternalName
        internal = PDFDocument.getInternalFontName
        TTFont.splitString, TTFont.getSubsetInternalName = split_string, subset_name
        PDFDocument.getInternalFontName = internal_name
        try:
            draw()
        finally:
            TTFont.splitString, TTFont.getSubsetInternalName = split, subset
            PDFDocument.getInternalFontName = internal
    end = state(canv)
    if foreign or end is None or end[:_KEPT] != start[:_KEPT]:
        return None
    named, before = end[_KEPT], start[_KEPT]
    if named[: len(before)] != before:  # a name given before was changed: never by reportlab
        return None
    return Written(start, tuple(calls), tuple(canv._code[begin:]), named[len(before) :], doc._pdfVersion)


def start_digest(start: tuple[Any, ...], tokens: dict[str, str]) -> str | None:
    """A digest of a canvas state with its faces named by their stand-ins (tokens: face name ->
    stand-in), the same in every process that is in that state; None when the state prints an
    object's address, which no other process would find."""
    text = repr(_swap(start, tokens))
    return None if " at 0x" in text else hashlib.sha256(text.encode()).hexdigest()


def portable(kept: Written, tokens: dict[str, str]) -> bytes | None:
    """The written code as bytes another process can restore, each face named by its stand-in; None
    when the draw used a font that is none of the faces, or a value that cannot be pickled."""
    # each face by the font reportlab gives for its name: that font's own fontName may be another
    faces = {id(pdfmetrics.getFont(name)): token for name, token in tokens.items()}
    calls = []
    for font, method, args, result in kept.calls:
        token = faces.get(id(font))
        if token is None:
            return None
        calls.append((token, method, args, result))
    try:
        return pickle.dumps(
            (_swap(kept.start, tokens), tuple(calls), kept.code, kept.named, kept.version),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
    except Exception:  # an unpicklable value in the state: nothing kept
        return None


def restore(data: bytes | None, names: dict[str, str]) -> Written | None:
    """What portable() kept, with this process's faces (names: stand-in -> face name), or None when
    there is nothing or it does not load."""
    if data is None:
        return None
    try:
        start, calls, code, named, version = pickle.loads(data)
        fonts = [
            (pdfmetrics.getFont(names[token]), method, args, result) for token, method, args, result in calls
        ]
    except Exception:  # damaged, from another version, or a face this process does not have: draw
        return None
    if not all(isinstance(font, TTFont) for font, *_ in fonts) or not all(isinstance(c, str) for c in code):
        return None
    return Written(_swap(start, names), tuple(fonts), tuple(code), tuple(named), tuple(version))


def _swap(value: Any, names: dict[str, str]) -> Any:
    """value with every string that names maps replaced, in tuples, lists and dicts alike."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, tuple):
        return tuple(_swap(v, names) for v in value)
    if isinstance(value, list):
        return [_swap(v, names) for v in value]
    if isinstance(value, dict):
        return {_swap(k, names): _swap(v, names) for k, v in value.items()}
    return value
