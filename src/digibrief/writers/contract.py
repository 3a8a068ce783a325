"""What every writer shares with the pipeline: the images it asks for, the choices it reads, its result.

A writer is a module with two functions (see writers/pdf/brief.py and writers/pptx/deck.py):
  image_requests(doc, options) -> list[ImageRequest]     the charts it needs, in which medium and format
  render(doc, images, theme, options) -> Rendered          bytes plus warnings; writers never touch the disk
and an options module with `resolve(choices) -> Options`, which the pipeline calls before any chart is
drawn, so a bad option fails fast. Each writer's cache key holds only its own options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from digibrief.document.types import ChartSpec
from digibrief.vocabulary import MediumName

Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class ImageRequest:
    chart: ChartSpec
    medium: MediumName
    fmt: Literal["svg", "png"]

    @property
    def key(self) -> tuple[str, str]:
        return (self.chart.id, self.medium)


Images = dict[tuple[str, str], bytes]  # (chart id, medium) -> SVG or PNG bytes


@dataclass(frozen=True)
class Choices:
    """What the user chose for the outputs (command line over report.yaml); each writer reads its part."""

    paper: Paper = "a4"
    template: Path | None = None
    deck_charts: str = "native"  # native (editable) or picture (PNG) charts in the deck


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    pages: int = 0  # pages or slides written, for the summary
