"""A warm process hashes an input file again only when its stat changed, or when it had changed too
recently to trust its stat: the tree's fingerprint always follows the files' bytes."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digibrief.pipeline import cache
from digibrief.pipeline.cache import tree_fingerprint
from digibrief.project import kept


@pytest.fixture
def warm() -> Iterator[None]:
    kept.keep()
    yield
    kept.forget()


def _settle(path: Path) -> None:
    """Make path look last changed long ago (its mtime; its ctime is now, which the test moves past)."""
    old = path.stat().st_mtime_ns - 10 * cache.SETTLED_NS
    os.utime(path, ns=(old, old))


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        seen.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    return seen


@pytest.mark.parametrize(("settled", "hashed"), [(True, 1), (False, 2)], ids=["settled", "just-changed"])
def test_a_settled_file_is_hashed_once_and_one_changed_just_before_it_was_read_each_time(
    tmp_path: Path, warm: None, monkeypatch: pytest.MonkeyPatch, settled: bool, hashed: int
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    if settled:
        monkeypatch.setattr(cache, "SETTLED_NS", 0)  # changed before it was read: settled
    reads = _reads(monkeypatch)
    first = tree_fingerprint(tmp_path)
    assert tree_fingerprint(tmp_path) == first
    assert reads.count(path) == hashed


def test_a_file_rewritten_with_its_size_and_times_is_hashed_again(
    tmp_path: Path, warm: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("value: 1\n")
    _settle(path)
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    before = tree_fingerprint(tmp_path)
    stat = path.stat()
    time.sleep(0.05)  # a later tick of the file system's clock, as a settled file's next change is
    path.write_text("value: 2\n")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and its modification time set back
    after = tree_fingerprint(tmp_path)
    assert after != before
    assert cache._input_digest(path) == hashlib.sha256(b"value: 2\n").digest()


def test_a_cold_process_keeps_no_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n")
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    reads = _reads(monkeypatch)
    tree_fingerprint(tmp_path)
    tree_fingerprint(tmp_path)
    assert reads.count(path) == 2
