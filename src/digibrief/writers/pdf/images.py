"""Chart images → flowables: SVG stays vector (svglib), scaled to the measure; PNG is placed as an image.

Parsing SVG is most of the writer's time (svglib builds a shape per element and resolves its style),
so each image is parsed once and its drawing, pickled, is kept in the store the render is given (the
pipeline's DiskStore, in the chart cache's writers/pdf/: the one place the PDF writer's data reaches the disk), where
warm() leaves it for this build's render and the next build finds it (about 40 times faster to load
than to parse). Without a store every render parses its charts. Charts are drawn only in the passes
that can be the last one, and a chart this process drew before is drawn by replaying the canvas calls
of that first draw (Recorder): the same bytes without unpickling and walking its drawing; and when
its fonts number its text as then, by writing the page code those calls wrote (written.py). A one-shot
build keeps that page code in the store too, in the drawing's entry, by the canvas state it was written
in (but for how many objects the document holds, written.settled): the next build that draws the chart
in that state writes it from there, when its fonts agree. A missing
or unreadable image fails the render with a RenderError naming the chart: a brief never ships with a
hole where a chart was.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
import re
from collections.abc import Callable, Iterable
from functools import cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable, Image
from svglib.fonts import register_font
from svglib.svglib import Svg2RlgAttributeConverter, SvgRenderer, load_svg_file

from digibrief.errors import RenderError
from digibrief.writers.contract import ImageRequest, Images, Store, sources
from digibrief.writers.pdf import written
from digibrief.writers.pdf.fonts import FontSet, face_file, faces_digest, map_family
from digibrief.writers.pdf.memo import DRAWN, WRITTEN, keeping
from digibrief.writers.pdf.styles import Styles

_PNG = b"\x89PNG\r\n\x1a\n"
CODES = 4  # the code of a chart's draws kept in its entry, from as many canvas states, the newest


class Chart(Flowable):
    """A chart, drawn except in a draft pass (the first pass of a multi-pass build, which only measures
    and can never be the last). A vector chart is kept as its pickled drawing and unpickled to be drawn:
    a parsed drawing takes tens of times its pickle's memory, and a long brief holds dozens of charts."""

    def __init__(
        self,
        width: float,
        height: float,
        *,
        image: Flowable | None = None,
        drawing: bytes = b"",
        fonts: FontSet | None = None,
        store: Store | None = None,
        key: str = "",
        codes: dict[str, bytes] | None = None,
    ):
        super().__init__()
        self.image, self.drawing, self.fonts = image, drawing, fonts
        self.store, self.key = store, key  # the store's entry of the drawing, which keeps its codes too
        self.codes = codes or {}  # the code draws wrote (written.portable), by their state (start_digest)
        self.width, self.height = width, height
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        if getattr(getattr(self.canv, "_doctemplate", None), "draft", False):
            return
        if self.image is not None:
            self.image.drawOn(self.canv, 0, 0)
            return
        names = {token: name for name, token in _tokens(self.fonts).items()} if self.fonts is not None else {}
        canv = self.canv
        if not keeping():  # a one-shot build draws each chart once a pass: nothing to record here
            self._draw_once(canv, names)
            return
        font = (canv._fontname, canv._fontsize)  # what renderPDF reads before the drawing sets its own
        key = (
            hashlib.sha256(self.drawing).digest(),
            tuple(sorted(names.items())),
            font,
            *_drawing_settings(),
        )
        kept = WRITTEN.get(key)
        if kept is not None and written.write(canv, kept):  # what replaying the calls would write
            return
        calls = DRAWN.get(key)
        if calls is not None:
            if (code := written.record(canv, partial(replay, canv, calls))) is not None:
                WRITTEN.put(key, code)
            return
        drawing = pickle.loads(self.drawing)
        _rename(drawing, names)  # the faces' names in this process, for the stored stand-ins
        recorder = Recorder(canv)
        code = written.record(canv, partial(drawing.drawOn, recorder, 0, 0))
        if (done := recorder.calls()) is not None:
            DRAWN.put(key, done)
            if code is not None:  # code is only as good as the calls it came from
                WRITTEN.put(key, code)

    def _draw_once(self, canv: Any, names: dict[str, str]) -> None:
        """Write the code the store keeps for this chart in the canvas's state, when its fonts agree;
        else draw the drawing, and keep the code it wrote there."""
        store, fonts = self.store, self.fonts
        start = written.state(canv) if store is not None and fonts is not None else None
        if store is None or fonts is None or start is None:
            self._drawing(names).drawOn(canv, 0, 0)
            return
        tokens = _tokens(fonts)
        found = written.start_digest((written.settled(start), *_drawing_settings()), tokens)
        if found is not None:
            kept = written.restore(self.codes.get(found), names)
            if kept is not None and written.write(canv, kept, anywhere=True):
                return
        drawing = self._drawing(names)
        if found is None:
            drawing.drawOn(canv, 0, 0)
            return
        code = written.record(canv, partial(drawing.drawOn, canv, 0, 0))
        if code is not None and (data := written.portable(code, tokens)) is not None:
            others = [(k, v) for k, v in self.codes.items() if k != found][-(CODES - 1) :]
            self.codes = {**dict(others), found: data}  # the newest last
            store.put(self.key, _entry(self))

    def _drawing(self, names: dict[str, str]) -> Any:
        """The chart's drawing, its faces named as in this process."""
        drawing = pickle.loads(self.drawing)
        _rename(drawing, names)
        return drawing


class Pending(Chart):
    """A chart still being drawn when the render began (contract.Arriving: a watch's brief lays out
    beside the workers that draw what an edit changed). The layout asks for its height, and so waits
    for it, only when it reaches the chart; from then on it is that chart."""

    def __init__(self, width: float, arrive: Callable[[], Chart]):
        self._arrive: Callable[[], Chart] | None = arrive
        super().__init__(width, 0.0)

    @property
    def height(self) -> float:
        self._take()
        return self._height

    @height.setter
    def height(self, value: float) -> None:
        self._height = value

    def _take(self) -> None:
        if self._arrive is not None:
            arrive, self._arrive = self._arrive, None
            chart = arrive()
            self.image, self.drawing, self.fonts = chart.image, chart.drawing, chart.fonts
            self.store, self.key, self.codes = chart.store, chart.key, chart.codes
            self._height = chart.height

    def draw(self) -> None:
        self._take()
        super().draw()


class Remap(Exception):
    """A chart that arrived during the layout names a font family not yet pointed at the brief's faces:
    mapping it now would register those faces again under the document being written, so the render
    starts again with every chart in (brief.render)."""


def arriving(req: ImageRequest, images: Images, width: float, styles: Styles, store: Store | None) -> Chart:
    """A Pending chart's flowable once its image is in: waits for it (images is an Arriving)."""
    data = images[req.key]
    chart = chart_flowables([req], {req.key: data}, width, styles, store, mid_render=True)[req.key]
    assert isinstance(chart, Chart)
    return chart


Call = tuple[str, tuple[Any, ...], tuple[tuple[str, Any], ...]]  # a method, its arguments
_SET = "__setattr__"
_FONT_STATE = frozenset(("_fontname", "_fontsize"))
_PATHS = frozenset(("drawPath", "clipPath"))  # the calls that take a path


def _drawing_settings() -> tuple[object, ...]:
    """What renderPDF reads besides the drawing and the canvas: whether it outlines drawings, and
    whether it sorts a node's state changes."""
    return (rl_config.showBoundary, rl_config.invariant)


class Recorder:
    """Stands in for the canvas while a chart's drawing is drawn once: passes every call on to the canvas
    and writes it down, so that the next draw of the same drawing makes the same calls without walking
    the drawing (renderPDF's walk is most of a chart's drawing time). The calls are only kept when
    what renderPDF did depends on nothing but the drawing and the canvas's font (which the caller keys
    them by): it read no other canvas state, and used no value a call returned but a new path (which it
    completes before drawing it, and never changes after)."""

    def __init__(self, canv: Any):
        object.__setattr__(self, "_rec", (canv, []))
        object.__setattr__(self, "_keep", True)

    def calls(self) -> tuple[Call, ...] | None:
        """The calls, or None when they must not be replayed; each path's code in one string, as the
        canvas reads it (a tenth of the memory of its parts)."""
        if not self._keep:
            return None
        calls: list[Call] = self._rec[1]
        for name, args, _ in calls:
            for arg in args if name in _PATHS else ():
                if isinstance(arg, PDFPathObject) and len(arg._code) > 1:
                    arg._code = [arg.getCode()]
                    arg._code_append = arg._code.append  # was the old list's
        same: dict[Call, Call] = {}  # most calls repeat (saveState, a line width): one tuple for each
        return tuple(_shared(c, same) for c in calls)

    def __getattr__(self, name: str) -> Any:
        canv, calls = self._rec
        value = getattr(canv, name)
        if not callable(value):
            if name not in _FONT_STATE:
                object.__setattr__(self, "_keep", False)  # a state that the key does not hold
            return value
        if name == "beginPath":  # a new path, and nothing else: the path is what a replay needs
            return value
        append = calls.append

        def call(*args: Any, **kw: Any) -> Any:
            out = value(*args, **kw)
            append((name, args, tuple(kw.items()) if kw else ()))
            if out is not None:
                object.__setattr__(self, "_keep", False)
            return out

        object.__setattr__(self, name, call)  # found without __getattr__ from now on
        return call

    def __setattr__(self, name: str, value: Any) -> None:
        canv, calls = self._rec
        setattr(canv, name, value)
        calls.append((_SET, (name, value), ()))


def _shared(call: Call, same: dict[Call, Call]) -> Call:
    try:
        return same.setdefault(call, call)
    except TypeError:  # a list among the arguments (a dash pattern)
        return call


def replay(canv: Any, calls: tuple[Call, ...]) -> None:
    """Make the calls a Recorder wrote down on a canvas."""
    for name, args, kw in calls:
        if name == _SET:
            setattr(canv, *args)
        else:
            getattr(canv, name)(*args, **dict(kw))


def chart_flowables(
    requests: list[ImageRequest],
    images: Images,
    width: float,
    styles: Styles,
    store: Store | None = None,
    *,
    mid_render: bool = False,
) -> dict[tuple[str, str], Flowable]:
    """Each request's chart flowable at width, parsed or taken from the store. mid_render: the document
    is being written already, so a font family new to svglib raises Remap rather than being mapped."""
    fonts = styles.fonts
    faces = faces_digest(fonts)  # the font files themselves: a face's name is this process's own
    keys = {req.key: _cache_key(images[req.key], width, faces) for req in requests if req.key in images}
    stored: dict[tuple[str, str], Chart] = {}
    damaged: set[tuple[str, str]] = set()  # entries that could not be read: replaced below
    for k in keys if store is not None else ():
        raw = store.get(_stored(keys[k]))  # type: ignore[union-attr]
        if (chart := _unpickle(raw, fonts)) is not None:
            stored[k] = chart
        elif raw is not None:
            damaged.add(k)
    todo = {k: images[k] for k in keys if k not in stored}
    if mid_render and _unmapped(todo.values(), styles):
        raise Remap
    _map_svg_fonts(todo.values(), styles)
    errors: dict[tuple[str, str], str] = {}
    read = _read_all(todo, width, fonts, errors)
    if store is not None:  # parsed once: the next render (this build's or the next one's) unpickles it
        for k, chart in read.items():
            if chart is not None and chart.drawing and (k in damaged or not store.has(_stored(keys[k]))):
                store.put(_stored(keys[k]), _entry(chart))
    parsed = {**stored, **read}
    for k, chart in parsed.items() if store is not None else ():
        if chart is not None and chart.drawing:
            chart.store, chart.key = store, _stored(keys[k])

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
_mapped: dict[str, str] = {}  # svglib's family|weight|style -> the face it is mapped to now


def _faces(datas: Iterable[bytes], styles: Styles) -> list[tuple[str, str]]:
    """(svglib's family|weight|style, the face it must map to) for every family the SVGs name."""
    fonts = styles.fonts
    families = {m.decode("utf-8", "replace") for data in datas for m in _SVG_FAMILY.findall(data)}
    return [
        (f"{family}|{weight}|{style}", name)
        for family in sorted(families)
        for weight, style, name in (
            ("normal", "normal", fonts.regular),
            ("bold", "normal", fonts.bold),
            ("normal", "italic", fonts.italic),
            ("bold", "italic", fonts.bold_italic),
        )
    ]


def _unmapped(datas: Iterable[bytes], styles: Styles) -> bool:
    return any(_mapped.get(key) != name for key, name in _faces(datas, styles))


def _map_svg_fonts(datas: Iterable[bytes], styles: Styles) -> None:
    """Chart text arrives as text: point svglib at the brief's own (embedded) faces for every family
    the SVGs name, so labels are set in the same font, searchable and never an unembedded fallback."""
    for key, name in _faces(datas, styles):
        if _mapped.get(key) == name:  # another brief's faces in this process remap it
            continue
        family, weight, style = key.rsplit("|", 2)
        register_font(family, font_path=face_file(name), weight=weight, style=style, rlgFontName=name)
        _mapped[key] = name
        map_family(styles.fonts)  # register_font re-registered the face, resetting its bold and italic


def _cache_key(data: bytes, width: float, faces: str) -> tuple[str, float, str]:
    return (hashlib.sha256(data).hexdigest(), round(width, 3), faces)


def _stored(key: tuple[str, float, str]) -> str:
    """The store's key: the image, its width and font, and the code that parsed it."""
    return "|".join(("pdf-chart", *map(str, key), *_parsers()))


def _entry(chart: Chart) -> bytes:
    """A chart's store entry: its size, its pickled drawing and the code its draws wrote."""
    return pickle.dumps((chart.width, chart.height, chart.drawing, chart.codes))


@cache
def _parsers() -> tuple[str, ...]:
    """The parsing libraries and their versions, and this writer's own sources (a chart parsed by an
    earlier version of them is parsed again, as the deck's kept slides are drawn again): read once,
    as this process imported them (reading a package's metadata costs a few milliseconds, and a
    render asks for every chart)."""
    return (*(f"{n} {version(n)}" for n in ("svglib", "reportlab")), sources(Path(__file__).parent))


def _unpickle(data: bytes | None, fonts: FontSet) -> Chart | None:
    if data is None:
        return None
    try:
        width, height, drawing, codes = pickle.loads(data)
    except Exception:  # damaged or from another version: parse again
        return None
    if not isinstance(drawing, bytes) or not all(isinstance(v, int | float) for v in (width, height)):
        return None
    if not isinstance(codes, dict) or not all(isinstance(v, bytes) for v in codes.values()):
        codes = {}  # a damaged code is drawn again (written.restore takes no other)
    return Chart(width, height, drawing=drawing, fonts=fonts, codes=codes)


def _read_all(
    todo: dict[tuple[str, str], bytes], width: float, fonts: FontSet, errors: dict[tuple[str, str], str]
) -> dict[tuple[str, str], Chart | None]:
    """Each image parsed; what could not be, None, with the reason in errors."""
    out: dict[tuple[str, str], Chart | None] = {}
    for k, data in todo.items():
        try:
            out[k] = _read(data, width, fonts)
        except Exception as exc:  # svglib and reportlab raise anything on a damaged image
            out[k], errors[k] = None, f"{type(exc).__name__}: {exc}"
    return out


def _read(data: bytes, width: float, fonts: FontSet) -> Chart:
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
        source = io.BytesIO(data)  # what svglib's svg2rlg does, with a renderer that keeps clip paths
        root = load_svg_file(source)
        drawing = None if root is None else _SvgRenderer(source).render(root)
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
    drawing.__dict__["initialFontName"] = fonts.regular
    _rename(drawing, _tokens(fonts))  # kept with stand-ins, so that another process can draw it
    return Chart(
        width, drawing.height, drawing=pickle.dumps(drawing, protocol=pickle.HIGHEST_PROTOCOL), fonts=fonts
    )


_CLIP_REF = re.compile(r"url\(#([^)]*)\)")  # a clip-path attribute's reference, as svglib reads it


class _SvgRenderer(SvgRenderer):
    """svglib's renderer, converting each clip path's shapes once per drawing rather than once per
    element clipped by it (a matplotlib chart clips each of its elements to its axes): the elements
    that follow share the first one's clip path, where svglib makes a deep copy for each. A clip path
    is only ever added to groups and drawn (renderPDF sets its transient _canvas and _parent while it
    draws it, and deletes them after): nothing changes one once made, so one object serves them all,
    as one pickled object (about a twentieth of a parse, and less to pickle)."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self._clips: dict[str, tuple[Any, Any]] = {}  # clip-path attribute -> its definition, its path
        self.attrConverter = self.shape_converter.attrConverter = _Attributes(self.attrConverter)

    def get_clippath(self, node: Any) -> Any:
        attr = node.getAttribute("clip-path")
        ref = _CLIP_REF.match(attr) if attr else None
        definition = self.definitions.get(ref.group(1)) if ref else None
        kept = self._clips.get(attr)
        if kept is not None and definition is not None and kept[0] is definition:
            return kept[1]
        clip = super().get_clippath(node)
        if clip is not None and definition is not None:
            self._clips[attr] = (definition, clip)
        return clip


class _Attributes(Svg2RlgAttributeConverter):
    """svglib's attribute converter, answering again what it found for an element and an attribute
    name (the value the element or its nearest ancestor gives) rather than searching the ancestors
    again: each shape looks up a dozen style attributes, each inherited from a group a few levels up.

    Within one parse an answer cannot change: svglib writes an element's style and CSS rules into its
    attributes on the first search that reaches it (before any answer from it), and otherwise only
    marks elements (_rendered, __use_origin) or adds copies under a <use>, which are new elements."""

    def __init__(self, converter: Svg2RlgAttributeConverter):
        """Take over the converter a renderer made: its settings and its (still empty) CSS rules."""
        self.__dict__.update(converter.__dict__)
        self._found: dict[Any, dict[str, str]] = {}  # element (compared by identity) -> name -> value

    def findAttr(self, svgNode: Any, name: str) -> str:
        element = svgNode.etree_element
        found = self._found.get(element)
        if found is None:
            found = self._found[element] = {}
        value = found.get(name)
        if value is None:
            value = found[name] = super().findAttr(svgNode, name)
        return value


def _tokens(fonts: FontSet) -> dict[str, str]:
    """Each face's name in this process -> the stand-in a stored drawing holds instead."""
    return {fonts.name(b, i): f"\x00face:{int(b)}{int(i)}" for b in (False, True) for i in (False, True)}


def _rename(drawing: Any, names: dict[str, str]) -> None:
    """Point the drawing's texts (and its initial font) at other font names, in place."""
    stack = [drawing]
    while stack:
        node = stack.pop()
        attrs = node.__dict__
        for attr in ("fontName", "initialFontName"):
            if isinstance(name := attrs.get(attr), str) and name in names:
                attrs[attr] = names[name]
        stack.extend(getattr(node, "contents", None) or ())
