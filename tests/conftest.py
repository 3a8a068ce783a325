"""Shared fixtures: the shipped project, copies of it to break, and real-client helpers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REPORT = ROOT / "report"


def require_tool(name: str) -> str:
    """Path of a real client; skip when missing, unless CI demands it (DIGIBRIEF_REQUIRE_TOOLS=1)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("DIGIBRIEF_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{name} is required in CI (DIGIBRIEF_REQUIRE_TOOLS=1) but not installed")
        pytest.skip(f"{name} not installed")
    return path


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ and report/ under tmp_path (returned folder holds both)."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPORT, tmp_path / "report")
    return tmp_path


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
    """Run `python -m digibrief` in a subprocess, as a user would."""
    import sys

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "digibrief", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def deck_text(source: Path | bytes) -> str:
    """Every text a deck holds: shapes, table cells and speaker notes, one per line."""
    import io

    from pptx import Presentation

    prs = Presentation(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    out = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                out += [c.text_frame.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            out.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(out)
