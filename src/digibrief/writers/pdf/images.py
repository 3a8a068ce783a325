"""Chart images → flowables: SVG stays vector (svglib), scaled to the measure; PNG is placed as an image.

Parsing SVG is most of the writer's time (svglib rebuilds every glyph outline), so each image is parsed
once, on two cores when that is safe (a forked helper takes every other image), and kept for the next
render in this process (watch mode re-renders the same charts). Charts are drawn only in the passes that
can be the last one. A missing or unreadable image becomes a framed placeholder of the chart's size plus
a warning, never a failed build.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import pickle
import re
import signal
import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image, Paragraph
from svglib.fonts import register_font
from svglib.svglib import svg2rlg

from digibrief.writers.contract import ImageRequest, Images
from digibrief.writers.pdf.styles import Grid, Styles

ASPECT = {"print": 3.3 / 6.7, "print_tall": 4.4 / 6.7}  # height / width of each print medium
PARALLEL_FROM = 4  # images to parse before a second process pays off
HELPER_TIMEOUT = 60.0  # seconds; after that the images are parsed here
_PNG = b"\x89PNG\r\n\x1a\n"
_CACHE_SIZE = 64
_cache: OrderedDict[tuple[str, float, str], Flowable] = OrderedDict()
_cache_lock = threading.Lock()


class Chart(Flowable):
    """A parsed chart; drawn except in a draft pass (the first pass of a multi-pass build, which only
    measures and can never be the last)."""

    def __init__(self, image: Flowable, width: float, height: float):
        super().__init__()
        self.image = image
        self.width, self.height = width, height
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if getattr(getattr(self.canv, "_doctemplate", None), "draft", False):
            return
        self.image.drawOn(self.canv, 0, 0)


def chart_flowables(
    requests: list[ImageRequest], images: Images, width: float, styles: Styles, warn: Callable[[str], None]
) -> dict[tuple[str, str], Flowable]:
    font = styles.fonts.regular
    keys = {req.key: _cache_key(images[req.key], width, font) for req in requests if req.key in images}
    with _cache_lock:
        found = {k: _cache[ck] for k, ck in keys.items() if ck in _cache}
    todo = {k: images[k] for k in keys if k not in found}
    _map_svg_fonts(todo.values(), styles)
    parsed = {**found, **_read_all(todo, width, font)}
    with _cache_lock:
        for k, image in parsed.items():
            if image is not None:
                _cache[keys[k]] = image
                _cache.move_to_end(keys[k])
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)

    out: dict[tuple[str, str], Flowable] = {}
    for req in requests:
        image = parsed.get(req.key)
        if req.key not in images:
            warn(f"PDF: no image for chart '{req.chart.id}' ({req.medium}); a placeholder is shown")
        elif image is None:
            warn(f"PDF: chart '{req.chart.id}' ({req.medium}) could not be read; a placeholder is shown")
        out[req.key] = image or _placeholder(width, width * ASPECT.get(req.medium, 0.5), styles)
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


def _cache_key(data: bytes, width: float, font: str) -> tuple[str, float, str]:
    return (hashlib.sha256(data).hexdigest(), round(width, 3), font)


def _read_all(
    todo: dict[tuple[str, str], bytes], width: float, font: str
) -> dict[tuple[str, str], Chart | None]:
    """Parse every image; with enough of them, a forked helper parses every other one meanwhile."""
    keys = list(todo)
    theirs = keys[1::2] if len(keys) >= PARALLEL_FROM and _can_fork() else []
    helper = _start_helper([todo[k] for k in theirs], width, font) if theirs else None
    out = {k: _read(todo[k], width, font) for k in keys if k not in theirs}
    results = _join_helper(helper, len(theirs)) if helper else None
    if results is None:  # no helper, or it failed: parse its share here
        results = [_read(todo[k], width, font) for k in theirs]
    out.update(zip(theirs, results, strict=True))
    return out


def _can_fork() -> bool:
    """Forking is safe only with no other Python thread (one might hold a lock the child needs)."""
    return (
        sys.platform.startswith("linux")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def _start_helper(datas: list[bytes], width: float, font: str) -> tuple[object, object] | None:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_helper, args=(sender, datas, width, font), daemon=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork with native threads (3.12+)
            proc.start()
    except OSError:
        receiver.close()
        return None
    finally:
        sender.close()
    return proc, receiver


def _helper(sender: object, datas: list[bytes], width: float, font: str) -> None:
    """In the forked process: parse, send the pickled charts back (nothing on any failure)."""
    # the parent owns Ctrl-C and SIGTERM; the helper just stops quietly when told to
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        results = [_read(data, width, font) for data in datas]
        sender.send_bytes(pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL))  # type: ignore[attr-defined]
    except Exception:
        pass
    finally:
        sender.close()  # type: ignore[attr-defined]


def _join_helper(helper: tuple[object, object], n: int) -> list[Chart | None] | None:
    proc, receiver = helper
    try:
        if not receiver.poll(HELPER_TIMEOUT):  # type: ignore[attr-defined]
            return None
        results = pickle.loads(receiver.recv_bytes())  # type: ignore[attr-defined]
        return results if isinstance(results, list) and len(results) == n else None
    except (EOFError, OSError, pickle.UnpicklingError):
        return None
    finally:
        receiver.close()  # type: ignore[attr-defined]
        proc.join(5)  # type: ignore[attr-defined]
        if proc.is_alive():  # type: ignore[attr-defined]
            proc.kill()  # type: ignore[attr-defined]
            proc.join()  # type: ignore[attr-defined]


def _read(data: bytes, width: float, font: str) -> Chart | None:
    try:
        if data.startswith(_PNG):
            img = Image(io.BytesIO(data))
            height = img.imageHeight * width / img.imageWidth
            img.drawWidth, img.drawHeight = width, height
            return Chart(img, width, height)
        svglog = logging.getLogger("svglib.svglib")
        level, checking = svglog.level, rl_config.shapeChecking
        svglog.setLevel(logging.ERROR)  # unsupported-attribute chatter is not a warning for the reader
        rl_config.shapeChecking = 0  # per-attribute validation of trusted shapes costs ~10% of the parse
        try:
            drawing = svg2rlg(io.BytesIO(data))
        finally:
            svglog.setLevel(level)
            rl_config.shapeChecking = checking
    except Exception:
        return None
    if drawing is None or not drawing.width or not drawing.height:
        return None
    scale = width / drawing.width
    drawing.scale(scale, scale)
    drawing.width, drawing.height = width, drawing.height * scale
    # the renderer's initial state selects a font even when no text is drawn: make it ours, not the
    # unembedded Helvetica
    drawing.__dict__["initialFontName"] = font
    return Chart(drawing, width, drawing.height)


def _placeholder(width: float, height: float, styles: Styles) -> Flowable:
    box = Grid(
        [[Paragraph("Chart not available", styles.placeholder)]],
        font=styles.fonts.regular,
        colWidths=[width],
        rowHeights=[height],
    )
    box.setStyle([("BOX", (0, 0), (-1, -1), 0.5, styles.pal.rule), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    return box
