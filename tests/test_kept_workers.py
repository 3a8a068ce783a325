"""A process that builds again and again (watch) keeps one pool of warm workers: every build uses the
same workers, a dead worker or a failed build costs a new pool, and none outlives the watch."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digibrief.pipeline import pool as parallel

from .conftest import ROOT, Lines, cli_argv, replace_in


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "2")
    parallel.keep_workers()
    try:
        yield
    finally:
        parallel.release_workers()


def _pid() -> int:
    return os.getpid()


def _fail() -> None:
    raise RuntimeError("cannot warm up")


def _workers_of(executor: object) -> set[int]:
    return {executor.submit(_pid).result() for _ in range(6)}  # type: ignore[attr-defined]


def _gone(pids: list[int] | set[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_kept_pool_serves_every_build_with_the_same_workers(kept):
    with parallel.pool(4) as first:
        assert not isinstance(first, parallel.Serial)
        seen = _workers_of(first)
    with parallel.pool(4) as second:
        assert second is first
        seen |= _workers_of(second)
    assert seen <= set(parallel.kept_workers()) and os.getpid() not in seen


def test_a_kept_pool_whose_worker_died_is_replaced_by_the_next_build(kept):
    with parallel.pool(4) as first:
        _workers_of(first)
    dead = parallel.kept_workers()[0]
    os.kill(dead, signal.SIGKILL)
    assert _gone([dead])
    with parallel.pool(4) as second:
        assert second is not first
        assert dead not in _workers_of(second)
        assert second.submit(int, "7").result() == 7


def test_a_build_that_fails_in_the_kept_pool_ends_it_and_the_next_starts_afresh(kept):
    with pytest.raises(KeyboardInterrupt), parallel.pool(4) as first:
        before = parallel.kept_workers()
        raise KeyboardInterrupt  # what an interrupted build raises through the pool
    assert parallel.kept_workers() == [] and _gone(before)
    with parallel.pool(4) as second:
        assert second is not first
        assert second.submit(int, "3").result() == 3


def test_workers_whose_warm_up_fails_work_all_the_same(kept):
    parallel.start_workers(_fail)
    with parallel.pool(4) as workers:
        assert workers.submit(int, "5").result() == 5
        assert _workers_of(workers) <= set(parallel.kept_workers())


def test_releasing_the_workers_ends_every_one_of_them(kept):
    parallel.start_workers()
    pids = parallel.kept_workers()
    assert len(pids) == 2
    parallel.release_workers()
    assert parallel.kept_workers() == [] and _gone(pids)
    with parallel.pool(4) as workers:  # no longer kept: a one-shot pool
        assert workers.submit(int, "2").result() == 2
    assert parallel.kept_workers() == []


def _children(pid: int) -> list[int]:
    """The processes whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_watch_keeps_its_workers_across_saves_and_leaves_none_behind(shipped_copy, sig):
    # a child process: the workers, the signals and the exit are the point (two saves: ~1.6 s of CPU).
    # The web page: its edit's charts are drawn on the kept workers as the brief's are, and it renders
    # in a tenth of the brief's time
    opts = shipped_copy
    argv = cli_argv(
        "watch",
        *("--data", str(opts.data), "--report", str(opts.report), "--out", str(opts.out)),
        *("--only", "html", "-v"),
    )
    proc = subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, "DIGIBRIEF_WORKERS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = Lines(proc)
    kgz = opts.data / "countries" / "kgz.yaml"
    try:
        out.wait_for("watching", timeout=120)
        workers = _children(proc.pid)
        assert len(workers) == 2, out.text  # started before the first save
        renders = []
        edited = f"79.81{sig.value:02d}"  # a value of this test's own: its first render is no one else's
        for old, new in (("79.7703", edited), (edited, "79.7703")):  # an edit, then its undo
            replace_in(kgz, f"2022: {{value: {old}", f"2022: {{value: {new}")
            out.wait_for("changed: kgz.yaml", timeout=30)
            if new == edited:  # its charts are new: drawn, by the kept workers
                assert out.wait_for("draw charts", timeout=120).split()[4] != "0", out.text
            renders.append(out.wait_for("render brief.html", timeout=120).rstrip())
            out.wait_for("built in", timeout=120)
            assert _children(proc.pid) == workers, out.text
        assert not renders[0].endswith("from cache") and renders[1].endswith("from cache"), out.text
        code = out.stop(sig, timeout=30)
    finally:
        out.end()
    out.assert_stopped_watching(code)
    assert _gone(workers), "a worker outlived the watch"


def test_a_kept_pool_takes_even_a_single_task_beside_the_caller(monkeypatch: pytest.MonkeyPatch):
    """A watch's sentence edit redraws no chart: its deck alone goes to a kept worker while the brief
    renders here, rather than before it, in this process (a fresh pool for one task is not worth it)."""
    from digibrief.pipeline.pool import Serial, keep_workers, kept_workers, pool, release_workers

    monkeypatch.delenv("DIGIBRIEF_WORKERS", raising=False)
    with pool(1) as fresh:
        assert isinstance(fresh, Serial)
    keep_workers()
    try:
        with pool(1) as kept:
            assert not isinstance(kept, Serial)
            assert kept.submit(os.getpid).result() in kept_workers()
        monkeypatch.setenv("DIGIBRIEF_WORKERS", "1")  # everything in this process, kept or not
        with pool(1) as one:
            assert isinstance(one, Serial)
    finally:
        release_workers()


def test_a_watch_s_kept_workers_yield_the_cores_to_it_and_a_build_s_own_do_not(
    monkeypatch: pytest.MonkeyPatch,
):
    """The watch's own process lays out the brief, the edit's critical path, while its kept workers
    draw the charts and the deck beside it: they run at a lower priority. A one-shot build's workers
    run at the build's."""
    from digibrief.pipeline.pool import KEPT_NICENESS, pool, release_workers, start_workers

    monkeypatch.delenv("DIGIBRIEF_WORKERS", raising=False)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    with pool(2) as fresh:
        assert fresh.submit(os.getpriority, os.PRIO_PROCESS, 0).result() == own
    start_workers()
    try:
        with pool(2) as kept:
            assert kept.submit(os.getpriority, os.PRIO_PROCESS, 0).result() == min(19, own + KEPT_NICENESS)
    finally:
        release_workers()
