"""A build sets the composed input aside from the garbage collector while it draws and renders, and
leaves the collector as its caller had it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from digibrief.pipeline import heap


@pytest.fixture
def nothing_frozen() -> Iterator[None]:
    """The suite freezes before each test (conftest.py): start from a collector with nothing set aside."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_build_sets_what_is_alive_aside_while_it_renders_and_puts_it_back(nothing_frozen: None) -> None:
    composed = [object() for _ in range(10)]  # stands in for the project and the document
    with heap.set_aside_while_rendering():
        assert gc.get_freeze_count() >= len(composed)
    assert gc.get_freeze_count() == 0


def test_a_build_puts_it_back_when_the_render_fails(nothing_frozen: None) -> None:
    with pytest.raises(RuntimeError), heap.set_aside_while_rendering():
        raise RuntimeError("a writer failed")
    assert gc.get_freeze_count() == 0


def test_a_caller_that_froze_its_heap_keeps_it_frozen(nothing_frozen: None) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with heap.set_aside_while_rendering():
        pass
    assert gc.get_freeze_count() == frozen


class _Cycle:
    """An object that refers to itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_what_an_earlier_build_left_is_freed_not_set_aside(nothing_frozen: None) -> None:
    left = _Cycle()  # an earlier build's garbage (--per-country builds again in one process)
    gone = weakref.ref(left)
    del left
    with heap.set_aside_while_rendering():
        assert gone() is None
