"""Chart images → flowables: SVG stays vector (svglib), scaled to the measure; PNG is placed as an image.

Parsing SVG is most of the writer's time (svglib builds a shape per element and resolves its style),
so each image is parsed once and its drawing, pickled, is kept in the store the render is given (the
pipeline's DiskStore, in the chart cache's writers/pdf/: the one place the PDF writer's data reaches the disk), where
warm() leaves it for this build's render and the next build finds it (about 40 times faster to load
than to parse). Without a store every render parses its charts. Charts are drawn only in the passes
that can be the last one. A missing or unreadable image fails the render with a RenderError naming the
chart: a brief never ships with a hole where a chart was.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
import re
from collections.abc import Iterable
from importlib.metadata import version

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image
from svglib.fonts import register_font
from svglib.svglib import svg2rlg

from digibrief.errors import RenderError
from digibrief.writers.contract import ImageRequest, Images, Store
from digibrief.writers.pdf.fonts import map_family
from digibrief.writers.pdf.styles import Styles

_PNG = b"\x89PNG\r\n\x1a\n"


class Chart(Flowable):
    """A chart, drawn except in a draft pass (the first pass of a multi-pass build, which only measures
    and can never be the last). A vector chart is kept as its pickled drawing and unpickled to be drawn:
    a parsed drawing takes tens of times its pickle's memory, and a long brief holds dozens of charts."""

    def __init__(self, width: float, height: float, *, image: Flowable | None = None, drawing: bytes = b""):
        super().__init__()
        self.image, self.drawing = image, drawing
        self.width, self.height = width, height
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if getattr(getattr(self.canv, "_doctemplate", None), "draft", False):
            return
        shape = self.image if self.image is not None else pickle.loads(self.drawing)
        shape.drawOn(self.canv, 0, 0)


def chart_flowables(
    requests: list[ImageRequest],
    images: Images,
    width: float,
    styles: Styles,
    store: Store | None = None,
) -> dict[tuple[str, str], Flowable]:
    font = styles.fonts.regular
    keys = {req.key: _cache_key(images[req.key], width, font) for req in requests if req.key in images}
    stored: dict[tuple[str, str], Chart] = {}
    damaged: set[tuple[str, str]] = set()  # entries that could not be read: replaced below
    for k in keys if store is not None else ():
        raw = store.get(_stored(keys[k]))  # type: ignore[union-attr]
        if (chart := _unpickle(raw)) is not None:
            stored[k] = chart
        elif raw is not None:
            damaged.add(k)
    todo = {k: images[k] for k in keys if k not in stored}
    _map_svg_fonts(todo.values(), styles)
    errors: dict[tuple[str, str], str] = {}
    read = _read_all(todo, width, font, errors)
    if store is not None:  # parsed once: the next render (this build's or the next one's) unpickles it
        for k, chart in read.items():
            if chart is not None and chart.drawing and (k in damaged or not store.has(_stored(keys[k]))):
                store.put(_stored(keys[k]), pickle.dumps((chart.width, chart.height, chart.drawing)))
    parsed = {**stored, **read}

    out: dict[tuple[str, str], Flowable] = {}
    for req in requests:
        image = parsed.get(req.key)
        if req.key not in images:
            raise RenderError(f"chart '{req.chart.id}' ({req.medium}): no image was drawn for the brief")
        if image is None:
            raise RenderError(f"chart '{req.chart.id}' ({req.medium}) could not be read: {errors[req.key]}")
        out[req.key] = image
    return out


_SVG_FAMILY = re.compile(rb"font-family: ?'([^']+)'")
_mapped: set[tuple[str, str]] = set()


def _map_svg_fonts(datas: Iterable[bytes], styles: Styles) -> None:
    """Chart text arrives as text: point svglib at the brief's own (embedded) faces for every family
    the SVGs name, so labels are set in the same font, searchable and never an unembedded fallback."""
    fonts = styles.fonts
    families = {m.decode("utf-8", "replace") for data in datas for m in _SVG_FAMILY.findall(data)}
    for family in sorted(families):
        for weight, style, name in (
            ("normal", "normal", fonts.regular),
            ("bold", "normal", fonts.bold),
            ("normal", "italic", fonts.italic),
            ("bold", "italic", fonts.bold_italic),
        ):
            key = (f"{family}|{weight}|{style}", name)
            if key in _mapped:
                continue
            path = pdfmetrics.getFont(name).face.filename
            register_font(family, font_path=path, weight=weight, style=style, rlgFontName=name)
            _mapped.add(key)
            map_family(fonts)  # register_font re-registered the face, resetting its bold and italic


def _cache_key(data: bytes, width: float, font: str) -> tuple[str, float, str]:
    return (hashlib.sha256(data).hexdigest(), round(width, 3), font)


def _stored(key: tuple[str, float, str]) -> str:
    """The store's key: the image, its width and font, and the libraries that parsed it."""
    return "|".join(("pdf-chart", *map(str, key), *(f"{n} {version(n)}" for n in ("svglib", "reportlab"))))


def _unpickle(data: bytes | None) -> Chart | None:
    if data is None:
        return None
    try:
        width, height, drawing = pickle.loads(data)
    except Exception:  # damaged or from another version: parse again
        return None
    if not isinstance(drawing, bytes) or not all(isinstance(v, int | float) for v in (width, height)):
        return None
    return Chart(width, height, drawing=drawing)


def _read_all(
    todo: dict[tuple[str, str], bytes], width: float, font: str, errors: dict[tuple[str, str], str]
) -> dict[tuple[str, str], Chart | None]:
    """Each image parsed; what could not be, None, with the reason in errors."""
    out: dict[tuple[str, str], Chart | None] = {}
    for k, data in todo.items():
        try:
            out[k] = _read(data, width, font)
        except Exception as exc:  # svglib and reportlab raise anything on a damaged image
            out[k], errors[k] = None, f"{type(exc).__name__}: {exc}"
    return out


def _read(data: bytes, width: float, font: str) -> Chart:
    """An image as a chart flowable at width; raises when the image cannot be read."""
    if data.startswith(_PNG):
        img = Image(io.BytesIO(data))
        height = img.imageHeight * width / img.imageWidth
        img.drawWidth, img.drawHeight = width, height
        return Chart(width, height, image=img)
    svglog = logging.getLogger("svglib.svglib")
    level, checking = svglog.level, rl_config.shapeChecking
    svglog.setLevel(logging.ERROR)  # unsupported-attribute chatter is not a warning for the reader
    rl_config.shapeChecking = 0  # per-attribute validation of trusted shapes costs ~10% of the parse
    try:
        drawing = svg2rlg(io.BytesIO(data))
    finally:
        svglog.setLevel(level)
        rl_config.shapeChecking = checking
    if drawing is None or not drawing.width or not drawing.height:
        raise ValueError("not an SVG drawing with a size")
    scale = width / drawing.width
    drawing.scale(scale, scale)
    drawing.width, drawing.height = width, drawing.height * scale
    # the renderer's initial state selects a font even when no text is drawn: make it ours, not the
    # unembedded Helvetica
    drawing.__dict__["initialFontName"] = font
    return Chart(width, drawing.height, drawing=pickle.dumps(drawing, protocol=pickle.HIGHEST_PROTOCOL))
