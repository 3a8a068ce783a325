"""Typed, located errors; only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass

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
