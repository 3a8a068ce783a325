"""Measured word advances kept between builds, in the slide cache's entry (slidecache.py): measuring
a word with the theme's fonts (PIL, shaped by raqm when it has it) is most of planning a deck, and
every build of a deck measures the same words again.

The advances are kept with a stamp of what they were measured with: the font files' bytes, the
reference size, PIL and its layout engine. An advance read back under the same stamp is the one
measuring would give, so wrapping, and so the deck's bytes, are the same. Tables past LIMIT words a
face are dropped and measured afresh, so an entry never holds more than a few megabytes of them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PIL import features

from digibrief.writers.pptx import text
from digibrief.writers.pptx.text import Face, Faces

if TYPE_CHECKING:
    from digibrief.writers.pptx.slidecache import SlideCache

LIMIT = 50_000  # words a face's table holds at most when it is read back
_lock = threading.Lock()  # renders in threads of one process share text.KNOWN


@contextmanager
def known(cache: SlideCache | None, faces: Faces) -> Iterator[None]:
    """While the deck is planned and drawn, the advances the cache kept for faces are known; the words
    measured meanwhile are added to them, and saved with the cache's entry (again, if the render did
    not save it)."""
    if cache is None:
        yield
        return
    stamp = _stamp(faces)
    tables = _tables(cache.lengths, stamp, len(faces))
    with _lock:
        mine = not any(f in text.KNOWN for f in faces)  # else another render of these faces has them
        if mine:
            text.KNOWN.update(zip(faces, tables, strict=True))
    cache.lengths = {"stamp": stamp, "tables": tables}
    before = [len(t) for t in tables]
    try:
        yield
    finally:
        if mine:
            with _lock:
                for f in faces:
                    text.KNOWN.pop(f, None)
    if [len(t) for t in tables] != before:  # not after a failed render: it saves nothing
        cache.keep_lengths()


def _tables(kept: dict[str, Any], stamp: str, faces: int) -> list[dict[str, float]]:
    """The kept tables when they were measured as now and are whole, else empty ones."""
    tables = kept.get("tables")
    if (
        kept.get("stamp") != stamp
        or not isinstance(tables, list)
        or len(tables) != faces
        or not all(isinstance(t, dict) and len(t) <= LIMIT for t in tables)
        or not all(type(k) is str and type(v) is float for t in tables for k, v in t.items())
    ):
        return [{} for _ in range(faces)]
    return tables


def _stamp(faces: Faces) -> str:
    """What an advance depends on: the font files' bytes, the reference size and how PIL measures."""
    return "|".join((*(_digest(f) for f in faces), str(text.REF), *_measurer()))


@cache
def _digest(f: Face) -> str:
    """sha256 of a font file, by its path, size and modification time (an edited file is another)."""
    return hashlib.sha256(Path(f[0]).read_bytes()).hexdigest()


@cache
def _measurer() -> tuple[str, ...]:
    """PIL's version and its layout engine's and font library's (raqm shapes text, and so measures it,
    otherwise)."""
    return tuple(
        f"{name} {v}"
        for name, v in (
            ("pillow", version("pillow")),
            ("raqm", features.version("raqm")),
            ("freetype", features.version("freetype2")),
        )
    )
