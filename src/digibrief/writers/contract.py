"""What every writer shares: the image it asks for and the result it returns.

A writer is a module with two functions (see render_pdf.py and render_pptx.py):
  image_requests(doc) -> list[ImageRequest]     the charts it needs, in which size and format
  render(doc, images, theme, options) -> Rendered   bytes plus warnings; writers never touch the disk
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from digibrief.document.types import ChartSpec

MediumName = Literal["print", "print_tall", "slide_wide", "slide_half"]


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
class Options:
    paper: Literal["a4", "letter"] = "a4"
    template: Path | None = None


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    pages: int = 0  # pages or slides written, for the summary
