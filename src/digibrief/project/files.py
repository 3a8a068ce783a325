"""A file of data/ or report/ as the loader and the rules share it: its name, located content and problems.

It sits below both load.py (which reads and validates the files) and rules.py (which checks one file
against another), so neither of them imports the other.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from digibrief.errors import Problem
from digibrief.project.yamlsource import KeyPath, Located, dotted

PLACEHOLDER = "TODO"  # how `digibrief new` marks a value still to be filled in; check refuses it
# how `digibrief init` marks prose still to write: valid text that reads as a placeholder, which
# check lists as a warning ("[Placeholder: a short point on Armenia]")
PROSE_PLACEHOLDER = "[Placeholder"


def is_placeholder(value: object) -> bool:
    """True for a scaffold's "TODO: ..." text that nobody has replaced yet."""
    return isinstance(value, str) and value.strip().startswith(PLACEHOLDER)


def holds_placeholder(value: object) -> bool:
    """True for a text that still holds an `init` placeholder, "[Placeholder: ...]"."""
    return isinstance(value, str) and PROSE_PLACEHOLDER in value


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name that name was most likely meant to be, if one is close enough."""
    hint = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return hint[0] if hint else None


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """The message for a name that is not defined, with a "did you mean" when a known one is close."""
    hint = closest(name, known)
    return f"unknown {kind} '{name}'" + (f"; did you mean '{hint}'?" if hint else "")


@dataclass(eq=False)
class YamlFile:
    """One YAML file as read; its problems go to the list the whole load shares, so none is lost."""

    name: str  # as the user will recognise it (see load.display_path)
    located: Located | None  # None when the file could not be read or parsed
    problems: list[Problem]

    def at(self, path: KeyPath, message: str, *, key: bool = False) -> Problem:
        """A problem located at path: at its key rather than its value when key is set."""
        line, col = self.located.where(path, key=key) if self.located else (0, 0)
        return Problem(self.name, line, col, dotted(path), message)

    def problem(self, path: KeyPath, message: str, *, key: bool = False) -> None:
        """Record a problem located at path."""
        self.problems.append(self.at(path, message, key=key))
