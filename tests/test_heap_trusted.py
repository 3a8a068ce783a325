"""A warm build trusts the process's own setting aside rather than counting what is set aside; any
other build counts, and leaves the collector as its caller had it."""

from __future__ import annotations

import gc

import pytest

from digibrief.pipeline import heap


def _uncounted(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise AssertionError("counted what is set aside")

    monkeypatch.setattr(heap.gc, "get_freeze_count", refuse)


def test_a_warm_build_after_the_process_set_aside_counts_nothing(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    heap.set_aside()
    try:
        frozen = gc.get_freeze_count()
        with monkeypatch.context() as m:
            _uncounted(m)
            with heap.set_aside_while_rendering(warm=True):
                pass
        assert gc.get_freeze_count() == frozen  # kept as the process set it
    finally:
        heap.put_back()
    assert gc.get_freeze_count() == 0 and not heap._SET_ASIDE


def test_a_warm_build_before_any_setting_aside_sets_aside_and_puts_back(collector: None) -> None:
    assert not heap._SET_ASIDE
    composed = [object() for _ in range(10)]
    with heap.set_aside_while_rendering(warm=True):
        assert gc.get_freeze_count() >= len(composed)
    assert gc.get_freeze_count() == 0


def test_a_build_of_another_process_still_counts(collector: None, monkeypatch: pytest.MonkeyPatch) -> None:
    heap.set_aside()
    try:
        with monkeypatch.context() as m:
            _uncounted(m)
            with pytest.raises(AssertionError, match="counted"), heap.set_aside_while_rendering():
                pass
    finally:
        heap.put_back()


def test_a_watch_that_stops_puts_back_what_it_set_aside(collector: None) -> None:
    heap.set_aside()
    heap.put_back()
    composed = [object() for _ in range(10)]
    with heap.set_aside_while_rendering(warm=True):  # nothing trusted any more: set aside afresh
        assert gc.get_freeze_count() >= len(composed)
    assert gc.get_freeze_count() == 0
