"""A new slide's and a new notes slide's placeholders as copies of the last ones python-pptx cloned.

python-pptx gives each new slide its layout's placeholders (`SlideShapes.clone_layout_placeholders`)
and each new notes slide its notes master's (`NotesSlide.clone_master_placeholders`), building each
placeholder anew: its next shape id and name looked up by XPath over the slide, its XML parsed from a
template, its properties set one by one. That is about a millisecond a slide, 6% of a deck render.
What they add depends only on the layout's (or master's) XML and the new slide's, the same for every
slide made on that layout, so install() puts copies in their place: the first slide of each (layout,
new slide) pair gets python-pptx's clones, whose result is kept; the next ones get copies of it. A
shape collection in python-pptx's "turbo" mode (shape ids counted, not looked up) is left to
python-pptx. It installs only over the methods it knows (one layout or master argument).
"""

from __future__ import annotations

import copy
import inspect
import threading
from collections.abc import Callable
from typing import Any

from lxml import etree
from pptx.shapes.shapetree import SlideShapes
from pptx.slide import NotesSlide

KEEP = 16  # (layout, new slide) pairs kept: a deck's few layouts and notes master, for a few decks

_ORIGINAL: dict[str, Callable[..., None]] = {}  # python-pptx's own methods, once install() replaced them
_KEPT: dict[tuple[type, bytes, bytes], list[Any]] = {}  # the children the clones left, by what made them
_LOCK = threading.Lock()  # a render in another thread may keep one at the same time


def _copied(cloner: Any, into: Any, source: Any, clone: Callable[[], None]) -> None:
    """into's children as clone() leaves them on a document like into's from a source like source,
    by a cloner of the same class: clone() run and its result kept the first time, copies after."""
    key = (type(cloner), etree.tostring(source), etree.tostring(into.getroottree()))
    kept = _KEPT.get(key)
    if kept is not None:
        into[:] = [copy.deepcopy(child) for child in kept]
        return
    clone()
    children = [copy.deepcopy(child) for child in into]
    with _LOCK:
        _KEPT[key] = children
        while len(_KEPT) > KEEP:
            del _KEPT[next(iter(_KEPT))]


def clone_layout_placeholders(self: SlideShapes, slide_layout: Any) -> None:
    """What python-pptx's SlideShapes.clone_layout_placeholders does to this slide's shape tree."""
    own = _ORIGINAL["clone_layout_placeholders"]
    if self.turbo_add_enabled:
        return own(self, slide_layout)
    _copied(self, self.element, slide_layout.element, lambda: own(self, slide_layout))


def clone_master_placeholders(self: NotesSlide, notes_master: Any) -> None:
    """What python-pptx's NotesSlide.clone_master_placeholders does to this notes slide."""
    own = _ORIGINAL["clone_master_placeholders"]
    if self.shapes.turbo_add_enabled:
        return own(self, notes_master)
    _copied(self, self.element, notes_master.element, lambda: own(self, notes_master))


def forget() -> None:
    with _LOCK:
        _KEPT.clear()


_OURS: dict[str, tuple[type, Callable[..., None], list[str]]] = {
    "clone_layout_placeholders": (SlideShapes, clone_layout_placeholders, ["self", "slide_layout"]),
    "clone_master_placeholders": (NotesSlide, clone_master_placeholders, ["self", "notes_master"]),
}


def installed() -> bool:
    return all(cls.__dict__.get(name) is ours for name, (cls, ours, _) in _OURS.items())


def install() -> bool:
    """Replace each method by ours where it is the method expected; whether both are ours afterwards."""
    for name, (cls, ours, params) in _OURS.items():
        own = cls.__dict__.get(name)
        if own is ours or not inspect.isfunction(own) or list(inspect.signature(own).parameters) != params:
            continue
        _ORIGINAL[name] = own
        setattr(cls, name, ours)
    return installed()
