"""What every writer shares with the pipeline: the images it asks for, the choices it reads, its result.

A writer is a module with two functions (see writers/pdf/brief.py and writers/pptx/deck.py):
  image_requests(doc, options) -> list[ImageRequest]     the charts it needs, in which medium and format
  render(doc, images, theme, options) -> Rendered          bytes plus warnings; no output file is opened
A writer may also take, as keyword arguments of render, what saves it work between builds: hint=
(what its previous render learned, Rendered.hint, kept by the pipeline in the manifest) and store= (a
Store for its own derived bytes, e.g. the PDF writer's pickled parsed charts, which the pipeline's
DiskStore writes under the chart cache's writers/ folder). Neither may change the bytes (a test checks).
A writer may also have warm(request, image, theme, options, store): the pipeline calls it for each image
as it arrives, while the other charts are being drawn, so that render finds its work in the store: in
the process that will render that writer, or (in a watch) in the worker that drew the image.
A writer may also have preload(): a process that builds again and again (watch) calls it before its
workers fork, so that they inherit the writer's libraries instead of importing them on every build;
and an options module with `resolve(choices) -> Options`, which the pipeline calls before any chart is
drawn, so a bad option fails fast. Each writer's cache key holds only its own options.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from digibrief.document.types import ChartSpec
from digibrief.theme import Ground
from digibrief.vocabulary import MediumName

Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class ImageRequest:
    chart: ChartSpec
    medium: MediumName
    fmt: Literal["svg", "png"]
    ground: Ground | None = None  # drawn on this background in these text colours (a template's slide)

    @property
    def key(self) -> tuple[str, str]:
        return (self.chart.id, self.medium)


Images = dict[tuple[str, str], bytes]  # (chart id, medium) -> SVG or PNG bytes


class Arriving(Mapping[tuple[str, str], bytes]):
    """The images of a writer that renders while some of its charts are still being drawn (a watch's
    brief, beside the workers that draw the charts an edit changed). It reads as the whole mapping: asking
    for an image still being drawn waits until it is (wait returns it). arrived() tells, without waiting,
    whether an image is here, so that a writer can set out its pages up to where it needs one."""

    def __init__(
        self,
        drawn: dict[tuple[str, str], bytes],
        coming: Iterable[tuple[str, str]],
        wait: Callable[[tuple[str, str]], bytes],
    ):
        self._drawn, self._coming, self._wait = dict(drawn), list(coming), wait

    def arrived(self, key: tuple[str, str]) -> bool:
        return key in self._drawn

    def __getitem__(self, key: tuple[str, str]) -> bytes:
        if key not in self._drawn and key in self._coming:
            self._drawn[key] = self._wait(key)
        return self._drawn[key]

    def __contains__(self, key: object) -> bool:
        return key in self._drawn or key in self._coming

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter([*self._drawn, *(k for k in self._coming if k not in self._drawn)])

    def __len__(self) -> int:
        return len(set(self._drawn) | set(self._coming))


class Store(Protocol):
    """Bytes a writer derives from its inputs and keeps between builds, by a key it makes (content
    hashes and library versions). The pipeline keeps them in OUT/.cache; a miss only costs time."""

    def get(self, key: str) -> bytes | None: ...

    def has(self, key: str) -> bool: ...

    def put(self, key: str, data: bytes) -> None: ...


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
    hint: dict[str, object] | None = None  # JSON: handed back to the next render (see above)
    passes: int = 1  # layout passes it took, for -v


def sources(folder: Path) -> str:
    """sha256 of the Python sources in folder, by name and content: part of the key of what a writer
    keeps in its store (the deck's slides, the brief's parsed charts), so that an entry an earlier
    version of its code made is made again rather than read."""
    code = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes())
    return code.hexdigest()
