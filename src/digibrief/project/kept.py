"""What a warm process (a watch) keeps of its input from one build to the next: each file's parse,
validation and map, by the file's name and the digest of its bytes, so that a save reads again only
the file it changed. A one-shot process keeps nothing.

What is kept is handed out again as it is: no reader or later step changes a parsed value, a
validated model (frozen) or a map.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

LIMIT = 1024  # results of one kind: every file of a project at the loader's limit of country files, twice

_KEEPING = False
_ALL: list[Kept[Any]] = []


def keep() -> None:
    """Keep results from now on: this process builds again and again."""
    global _KEEPING
    _KEEPING = True


def forget() -> None:
    """Keep nothing, and drop what was kept, as in a new process."""
    global _KEEPING
    _KEEPING = False
    for kept in _ALL:
        kept.clear()


def digest(raw: bytes) -> bytes:
    """The digest a result is kept by: of the bytes it was made from, never of their size or time."""
    return hashlib.sha256(raw).digest()


class Kept(Generic[T]):
    """One kind of result, one for each key (a file's name), with the digest of the bytes it came from."""

    def __init__(self) -> None:
        self._items: dict[Hashable, tuple[bytes, T]] = {}
        _ALL.append(self)

    def get(self, key: Hashable, version: bytes) -> T | None:
        """The result kept for key when it was made from the bytes of this digest (never an empty one),
        else None."""
        found = self._items.get(key)
        return found[1] if found is not None and version and found[0] == version else None

    def put(self, key: Hashable, version: bytes, value: T) -> None:
        """Keep value for key (replacing its older one) in a warm process; the oldest goes past LIMIT."""
        if not _KEEPING:
            return
        self._items.pop(key, None)
        if len(self._items) >= LIMIT:
            del self._items[next(iter(self._items))]
        self._items[key] = (version, value)

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()
