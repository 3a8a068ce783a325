"""Whether the input folders exist: checked before anything else, even before a no-op build's hashing,
so this module imports nothing heavier than the error type (no YAML parser)."""

from __future__ import annotations

from pathlib import Path

from digibrief.errors import Problem


def missing_folders(data_dir: Path, report_dir: Path) -> list[Problem]:
    """A problem for each input folder that does not exist, naming where it looked and how to point elsewhere."""
    problems = []
    for folder, label in ((data_dir, "data"), (report_dir, "report")):
        if not folder.is_dir():
            problems.append(
                Problem(
                    str(folder),
                    0,
                    0,
                    "",
                    f"{label} folder not found (looked in {folder.resolve()}); run digibrief in the "
                    f"project folder or pass --{label} DIR",
                )
            )
    return problems
