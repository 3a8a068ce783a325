"""Typed, located errors; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_WARNINGS = 3
EXIT_RENDER = 4
EXIT_INTERRUPTED = 130


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with where it is (line and column are 1-based; 0 = unknown)."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class DigibriefError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = EXIT_RENDER
    rewritten: tuple[str, ...] = ()  # outputs a watch wrote before the build failed (the brief, the deck)


class InputError(DigibriefError):
    """The data or report definition is invalid; carries every problem found."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s) in the input")


class UsageError(DigibriefError):
    """The command line asks for something that cannot be done."""

    exit_code = EXIT_USAGE


class RenderError(DigibriefError):
    """A writer could not produce its output."""

    exit_code = EXIT_RENDER


class Interrupted(DigibriefError):
    """Ctrl-C or SIGTERM stopped the build before it wrote anything."""

    exit_code = EXIT_INTERRUPTED


class BuildLocked(DigibriefError):
    """Another build holds the output folder."""

    exit_code = EXIT_RENDER


def blocker(path: Path) -> Path | None:
    """The file standing where the folder path, or one of the folders above it, should be; None if none."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return None if candidate.is_dir() else candidate
    return None


def os_cause(exc: OSError) -> str:
    """What an operating-system failure means to a user, in a few words."""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (is it read-only?)"
    if exc.errno == errno.ENOSPC:
        return exc.strerror or "No space left on device"
    if exc.errno in (errno.EFBIG, errno.EDQUOT):
        return "the disk or the user's quota is full (file too large)"
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return "a file is in the way where a folder is needed"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    return (exc.strerror or str(exc) or type(exc).__name__).rstrip(".")


def write_failure(
    exc: OSError, where: Path | str | None = None, tail: str = "nothing was written"
) -> RenderError:
    """A failed write as one line naming the path and the cause (exit 4)."""
    path = Path(exc.filename) if exc.filename else (Path(where) if where is not None else None)
    if path is not None and isinstance(exc, (FileExistsError, NotADirectoryError)):
        found = blocker(path)
        if found is not None:
            return RenderError(f"{path}: {found} is a file, not a folder; {tail}")
    named = f"{path}: " if path is not None else ""
    return RenderError(f"{named}{os_cause(exc)}; {tail}")
