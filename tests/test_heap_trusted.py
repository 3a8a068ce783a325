"""A build in a process that set its heap aside for good (a watch, its kept workers, the test suite's
workers) trusts that rather than counting what is set aside; a heap its caller froze by other means
is counted, and left as the caller had it."""

from __future__ import annotations

import gc

import pytest

from digibrief.pipeline import heap


def _uncounted(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> int:
        raise AssertionError("counted what is set aside")

    monkeypatch.setattr(heap.gc, "get_freeze_count", refuse)


def test_a_build_after_the_process_set_aside_counts_nothing(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    heap.set_aside()
    try:
        frozen = gc.get_freeze_count()
        with monkeypatch.context() as m:
            _uncounted(m)
            with heap.set_aside_while_rendering():
                pass
        assert gc.get_freeze_count() == frozen  # kept as the process set it
    finally:
        heap.put_back()
    assert gc.get_freeze_count() == 0 and not heap._SET_ASIDE


def test_a_build_before_any_setting_aside_sets_aside_and_puts_back(collector: None) -> None:
    assert not heap._SET_ASIDE
    composed = [object() for _ in range(10)]
    with heap.set_aside_while_rendering():
        assert gc.get_freeze_count() >= len(composed)
    assert gc.get_freeze_count() == 0


def test_a_heap_its_caller_froze_by_other_means_is_counted(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    gc.freeze()
    with monkeypatch.context() as m:
        _uncounted(m)
        with pytest.raises(AssertionError, match="counted"), heap.set_aside_while_rendering():
            pass
    assert gc.get_freeze_count() > 0  # the caller's, untouched


def test_a_watch_that_stops_puts_back_what_it_set_aside(collector: None) -> None:
    heap.set_aside()
    heap.put_back()
    composed = [object() for _ in range(10)]
    with heap.set_aside_while_rendering():  # nothing trusted any more: set aside afresh
        assert gc.get_freeze_count() >= len(composed)
    assert gc.get_freeze_count() == 0
