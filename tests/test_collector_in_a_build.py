"""A build sets the composed input aside from the garbage collector while it draws and renders, and
leaves the collector as its caller had it."""

from __future__ import annotations

import gc
import weakref

import pytest

from digibrief.pipeline import heap

from .conftest import Cycle


def test_a_build_sets_what_is_alive_aside_while_it_renders_and_puts_it_back(collector: None) -> None:
    composed = [object() for _ in range(10)]  # stands in for the project and the document
    with heap.set_aside_while_rendering():
        assert gc.get_freeze_count() >= len(composed)
    assert gc.get_freeze_count() == 0


def test_a_build_puts_it_back_when_the_render_fails(collector: None) -> None:
    with pytest.raises(RuntimeError), heap.set_aside_while_rendering():
        raise RuntimeError("a writer failed")
    assert gc.get_freeze_count() == 0


def test_a_caller_that_froze_its_heap_keeps_it_frozen(collector: None) -> None:
    gc.freeze()
    frozen = gc.get_freeze_count()
    with heap.set_aside_while_rendering():
        pass
    assert gc.get_freeze_count() == frozen


def test_what_an_earlier_build_left_is_freed_not_set_aside(collector: None) -> None:
    left = Cycle()  # an earlier build's garbage (--per-country builds again in one process)
    gone = weakref.ref(left)
    del left
    with heap.set_aside_while_rendering():
        assert gone() is None
