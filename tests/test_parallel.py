"""Work on both cores changes nothing but time: same bytes with one worker or two."""

from __future__ import annotations

import hashlib

import pytest

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


@pytest.mark.xdist_group("cold")
def test_outputs_are_identical_with_one_worker_and_with_two(cold_builds):
    # each build in a fresh process with its own empty chart cache, so that with two workers the
    # charts are drawn in the workers, and with one in the process itself
    digests = []
    for name in ("one worker", "two workers"):
        child, out = cold_builds[name]
        assert child.returncode == 0, child.stderr
        assert ", 0 from cache" in child.stdout, child.stdout  # every chart drawn, none read
        digests.append(
            {
                p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*.*"))
                if ".cache" not in p.parts
            }
        )
    assert digests[0] == digests[1]
