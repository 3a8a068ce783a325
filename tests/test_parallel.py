"""Work on both cores changes nothing but time: same bytes with one worker or two."""

from __future__ import annotations

from digibrief.pipeline import pool as parallel


def _square(x: int) -> int:
    return x * x


def test_pool_runs_work_in_workers_or_serially_with_the_same_results(monkeypatch):
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "2")
    with parallel.pool() as workers:
        assert not isinstance(workers, parallel.Serial)
        assert [workers.submit(_square, i).result() for i in range(5)] == [0, 1, 4, 9, 16]
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "1")
    with parallel.pool() as workers:
        assert isinstance(workers, parallel.Serial)
        assert workers.submit(_square, 7).result() == 49


def test_pool_honours_digibrief_workers_beside_the_caller(monkeypatch):
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "2")
    with parallel.pool(1, beside_caller=True) as workers:
        assert not isinstance(workers, parallel.Serial)  # the caller works on the other core
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "1")
    with parallel.pool(1, beside_caller=True) as workers:
        assert isinstance(workers, parallel.Serial)
