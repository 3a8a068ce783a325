"""A key holds a map's outlines as their digest, remembered by the outline's identity: the key stays
what the outline's value makes it, in this process or a new one, and a changed outline changes it."""

from __future__ import annotations

import dataclasses
import functools

from digibrief.document.types import MapShape
from digibrief.pipeline import cache
from digibrief.pipeline.cache import fingerprint

SQUARE = (((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)),)
MOVED = (((0.0, 0.0), (1.0, 0.0), (1.0, 1.5), (0.0, 0.0)),)


def _copy(rings: tuple) -> tuple:
    """An equal outline that is another object, as a new process or a re-read map file makes it."""
    return tuple(tuple((float(x), float(y)) for x, y in ring) for ring in rings)


def test_an_equal_outline_gives_the_key_a_new_process_gives() -> None:
    seen = fingerprint(MapShape("KGZ", "Kyrgyzstan", SQUARE, "focus"))  # remembered now
    copy = _copy(SQUARE)
    assert copy is not SQUARE
    assert fingerprint(MapShape("KGZ", "Kyrgyzstan", copy, "focus")) == seen
    cache._DIGESTS.clear()  # as in a new process
    assert fingerprint(MapShape("KGZ", "Kyrgyzstan", SQUARE, "focus")) == seen


def test_a_changed_outline_changes_the_key_after_the_old_one_was_remembered() -> None:
    before = fingerprint(MapShape("KGZ", "Kyrgyzstan", SQUARE, "focus"))
    after = fingerprint(MapShape("KGZ", "Kyrgyzstan", MOVED, "focus"))
    assert after != before
    assert fingerprint(MapShape("KGZ", "Kyrgyzstan", SQUARE, "focus")) == before


def test_the_other_fields_of_a_shape_still_count() -> None:
    shape = MapShape("KGZ", "Kyrgyzstan", SQUARE, "focus")
    assert fingerprint(MapShape("KGZ", "Kyrgyzstan", SQUARE, "context")) != fingerprint(shape)
    assert fingerprint(MapShape("KGZ", "Kirghizia", SQUARE, "focus")) != fingerprint(shape)


def test_an_outline_in_a_list_is_hashed_by_value_not_remembered() -> None:
    as_list = [list(map(list, SQUARE[0]))]
    shape = MapShape("KGZ", "Kyrgyzstan", as_list, "focus")  # type: ignore[arg-type]
    before = fingerprint(shape)
    as_list[0][2][1] = 1.5  # a mutable outline changed in place: its key follows it
    assert fingerprint(shape) != before
    assert all(not isinstance(v, list) for v, _ in cache._DIGESTS.values())


def test_the_memory_of_outlines_is_bounded() -> None:
    for i in range(cache._DIGESTS_LIMIT + 10):
        fingerprint(MapShape("X", "X", (((float(i), 0.0),),), "neighbour"))
    assert len(cache._DIGESTS) <= cache._DIGESTS_LIMIT


def test_a_plain_fallback_key_digests_the_outline_too() -> None:
    """A part whose dict keys json cannot sort is made plain first: the outline is digested the same way."""
    shape = MapShape("KGZ", "Kyrgyzstan", SQUARE, "focus")
    mixed = {1: "a", "b": shape}
    plain = cache._plain(mixed)
    assert plain["b"]["rings"] == {"sha256": fingerprint(SQUARE)}
    assert fingerprint(mixed) == fingerprint(plain)


@dataclasses.dataclass(frozen=True)
class _Point:
    x: float
    y: float

    @functools.cached_property
    def length(self) -> float:
        return (self.x**2 + self.y**2) ** 0.5


def test_a_dataclass_keys_by_its_fields_only_whatever_else_it_holds() -> None:
    point = _Point(3.0, 4.0)
    before = fingerprint(point)
    assert point.length == 5.0  # now held in the object's own __dict__ beside its fields
    assert fingerprint(point) == before == fingerprint(_Point(3.0, 4.0))
    assert fingerprint(_Point(3.0, 4.5)) != before


def test_a_dataclass_with_slots_keys_as_one_without() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        x: float
        y: float

    @dataclasses.dataclass(frozen=True)
    class Plain:
        x: float
        y: float

    assert fingerprint(Slotted(1.0, 2.0)) == fingerprint(Plain(1.0, 2.0)) != fingerprint(Plain(2.0, 1.0))
