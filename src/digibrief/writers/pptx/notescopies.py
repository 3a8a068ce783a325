"""A new notes slide gets its notes master's placeholders as copies of the last notes slide's.

python-pptx makes each slide's notes slide empty, then `NotesSlide.clone_master_placeholders` builds
the master's slide image, notes and number placeholders anew: each with its next shape id and name
looked up by XPath, its XML parsed from a template and its properties set one by one, about half a
millisecond a slide, 4% of a deck render. The result depends only on the notes master's XML and the
empty notes slide's, the same for every slide of a deck, so install() puts
clone_master_placeholders() in its place: the first notes slide of each (master, empty notes slide)
pair is made by python-pptx and its children kept; the next ones get copies of them. It installs only
over the method it knows (one notes master argument).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

from lxml import etree
from pptx.slide import NotesSlide

KEEP = 4  # (master, empty notes slide) pairs kept: a deck has one master; a few decks in a process

_ORIGINAL: list[Callable[..., None]] = []  # python-pptx's own method, once install() replaced it
_KEPT: dict[tuple[bytes, bytes], list[Any]] = {}  # the children the placeholders went into, by pair


def clone_master_placeholders(self: NotesSlide, notes_master: Any) -> None:
    """What python-pptx's NotesSlide.clone_master_placeholders does to this notes slide."""
    key = (etree.tostring(notes_master.element), etree.tostring(self.element))
    kept = _KEPT.get(key)
    if kept is not None:
        self.element[:] = [copy.deepcopy(child) for child in kept]
        return
    _ORIGINAL[0](self, notes_master)
    _KEPT[key] = [copy.deepcopy(child) for child in self.element]
    while len(_KEPT) > KEEP:
        del _KEPT[next(iter(_KEPT))]


def forget() -> None:
    _KEPT.clear()


def installed() -> bool:
    return NotesSlide.__dict__.get("clone_master_placeholders") is clone_master_placeholders


def install() -> bool:
    """Replace NotesSlide.clone_master_placeholders by clone_master_placeholders() if it is the method
    expected; whether clone_master_placeholders() is in place afterwards."""
    if installed():
        return True
    own = NotesSlide.__dict__.get("clone_master_placeholders")
    if not inspect.isfunction(own) or list(inspect.signature(own).parameters) != ["self", "notes_master"]:
        return False
    _ORIGINAL[:] = [own]
    NotesSlide.clone_master_placeholders = clone_master_placeholders  # type: ignore[method-assign]
    return True
