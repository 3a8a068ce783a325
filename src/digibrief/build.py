"""The pipeline: load → compose → charts → writers → atomic files in output/."""

from __future__ import annotations

from pathlib import Path

from .compose import compose
from .load import load


def check(data_dir: Path, report_dir: Path) -> str:
    """Validate and compose without writing (Sphinx's dummy builder); return a one-line summary."""
    project = load(data_dir, report_dir)
    doc = compose(project)
    points = sum(len(s) for c in project.countries.values() for s in c.indicators.values())
    return (
        f"data valid: {len(project.countries)} countries, {len(project.indicators)} indicators, "
        f"{points} values, {len(project.sources)} sources; {len(doc.sections)} sections, "
        f"{len(doc.figures())} charts"
    )
