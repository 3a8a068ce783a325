"""One build at a time per output folder: a second build gets a clear message, not a corrupt file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from digibrief.errors import BuildLocked, RenderError


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    lock_path = out / ".cache" / "build.lock"
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(lock_path, timeout=0)
        lock.acquire()
    except Timeout:
        raise BuildLocked(f"another build is writing to {out}; wait for it to finish and run again") from None
    except OSError as exc:
        why = (
            "permission denied; is the folder read-only?"
            if isinstance(exc, PermissionError)
            else exc.strerror
        )
        raise RenderError(
            f"cannot take the build lock {lock_path}: {why or exc}; nothing was written"
        ) from None
    try:
        yield
    finally:
        lock.release()
