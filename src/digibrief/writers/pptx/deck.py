"""The slide-deck writer: document -> 16:9 .pptx bytes (python-pptx), never touching the disk.

Split like pandoc's PowerPoint writer: plan.py decides the slides and measures their text (pure);
draw.py, charts.py and package.py turn the plan into a presentation built on the built-in design or
on the layouts of options.template. Charts are native PowerPoint charts built from the same ChartSpec
the PDF draws; only the kinds PowerPoint cannot draw (the timeline) are asked for as pictures, unless
options.charts is "picture".

A process that renders again (a watch's kept worker) keeps what the next render can use, each by all
it depends on: measured text (text.py), each section's planned slides (plan.py), the design's
geometry and its blank presentation (here), each drawn chart's parts (charts.py), each zip member's
compressed bytes (archive.py), new slides' placeholders (phcopies.py); forget() drops them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from io import BytesIO
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError

from digibrief.document.types import Document
from digibrief.errors import RenderError
from digibrief.theme import Theme
from digibrief.writers.contract import ImageRequest, Images, Rendered, Store
from digibrief.writers.pptx import lengths
from digibrief.writers.pptx.layout import Geometry, SlidePlan, Style, builtin_geometry
from digibrief.writers.pptx.options import DeckOptions
from digibrief.writers.pptx.palette import Colours
from digibrief.writers.pptx.plan import Planner, drawn_as_picture, figure_media, slide_parts
from digibrief.writers.pptx.text import Metrics

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import SlideLayout


def image_requests(doc: Document, options: DeckOptions | None = None) -> list[ImageRequest]:
    """One slide-wide PNG per chart the deck shows as a picture; none for native charts."""
    options = options or DeckOptions()
    ground = options.template.ground if options.template is not None else None  # the slide's colours
    media = figure_media(doc)
    out: dict[str, ImageRequest] = {}
    for f in doc.figures():
        if drawn_as_picture(f.chart, options.charts):
            for part in slide_parts(f.chart):
                out.setdefault(part.id, ImageRequest(part, media[part.id], "png", ground))
    return list(out.values())


def preload() -> None:
    """Import what render needs, for a process that renders again and again and forks its workers
    (watch): python-pptx, the drawing code and the slide cache."""
    from digibrief.writers.pptx import draw, package, slidecache  # noqa: F401


def render(
    doc: Document, images: Images, theme: Theme, options: DeckOptions, store: Store | None = None
) -> Rendered:
    """The deck as .pptx bytes, with warnings (text moved to the notes or continued) and the slide count.
    With a store, only the slides whose plan changed since the last render are drawn (slidecache.py),
    and the words an earlier render measured are not measured again (lengths.py)."""
    # python-pptx only here: the pipeline imports this module for image_requests in the main process,
    # while the deck renders on a worker (10 MB and 0.2 s the main process does not spend)
    from digibrief.writers.pptx.draw import Drawer
    from digibrief.writers.pptx.package import saved_parts_under, set_properties, stable_bytes, stable_zip
    from digibrief.writers.pptx.slidecache import OWNED, SlideCache, design_key

    made: list[Design] = []  # a design _layout made: the first draw takes it rather than make another
    geo, colours, warnings = _layout(theme, options, made)
    created = dt.datetime.fromtimestamp(doc.meta.epoch, dt.UTC).replace(tzinfo=None)
    cache = None
    if store is not None:
        template = options.template.data if options.template else None
        design = design_key(template, theme.fingerprint_parts(), created, options.charts, colours.peer)
        cache = SlideCache(store, design)

    def drawer(prs: PresentationT, layouts: dict[str, SlideLayout]) -> Drawer:
        return Drawer(prs, layouts, theme.fonts.family, images, created, colours.peer)

    def presentation() -> Design:
        return made.pop() if made else _design(theme, options)

    def full() -> bytes:
        prs, layouts, *_ = presentation()
        drawer(prs, layouts).draw(plan)
        set_properties(prs, doc.meta)
        return stable_bytes(prs)

    def some(slides: list[tuple[SlidePlan, int]]) -> dict[str, bytes]:
        scratch, scratch_layouts = _blank(theme, options, made)
        draw = drawer(scratch, scratch_layouts)
        for sp, number in slides:
            draw.slide(sp, number)
        files = saved_parts_under(scratch, OWNED)  # the slides' own parts: all split takes
        _put_back(theme, options, scratch, scratch_layouts)
        return files

    with lengths.known(cache, Metrics(theme.fonts).faces):
        aspects = {r.key: _aspect(r.key, images) for r in image_requests(doc, options)}
        plan = Planner(doc, theme, geo, colours, aspects, options.charts).plan()
        if cache is None:
            data = full()
        else:
            data, _ = cache.render(plan.slides, images, doc.meta, some, full, stable_zip)
    return Rendered(data, [*warnings, *plan.warnings], len(plan.slides))


Design = tuple["PresentationT", dict[str, "SlideLayout"], Geometry, Colours, list[str]]
Layout = tuple[Geometry, Colours, list[str]]
_LAYOUTS: dict[tuple[bytes, str, str], tuple[Geometry, Colours, tuple[str, ...]]] = {}  # a few templates'


def _layout(theme: Theme, options: DeckOptions, made: list[Design]) -> Layout:
    """The geometry and colours the slides are planned in, and what the template made us change,
    without a presentation when they are known: the built-in design's come from the theme, a
    template's are kept by its bytes and the theme (a design made to read them goes to made)."""
    if options.template is None:
        colours = Colours.of_theme(theme)
        return builtin_geometry(Style.of(theme, colours)), colours, []
    t = options.template
    key = (hashlib.sha256(t.data).digest(), t.name, repr(theme))
    kept = _LAYOUTS.get(key)
    if kept is None:
        made.append(_design(theme, options))
        _, _, geo, colours, warnings = made[0]
        kept = _LAYOUTS[key] = geo, colours, tuple(warnings)
        while len(_LAYOUTS) > 4:
            del _LAYOUTS[next(iter(_LAYOUTS))]
    return kept[0], kept[1], list(kept[2])


# a few designs' files (a presentation without slides), by the template's bytes and the theme
_BLANKS: dict[tuple[bytes, str, str], dict[str, tuple[bytes, int]]] = {}


# the presentation a few slides were last drawn on, its slides taken out again, by the same key
_SCRATCH: dict[tuple[bytes, str, str], tuple[PresentationT, dict[str, SlideLayout]]] = {}


def _blank_key(theme: Theme, options: DeckOptions) -> tuple[bytes, str, str]:
    t = options.template
    return (hashlib.sha256(t.data).digest() if t else b"", t.name if t else "", repr(theme))


def _put_back(
    theme: Theme, options: DeckOptions, prs: PresentationT, layouts: dict[str, SlideLayout]
) -> None:
    """prs with its slides taken out, kept for the next render's few slides if it is then the blank
    design it was made from (the same parts, the same presentation part and relationships)."""
    key = _blank_key(theme, options)
    files = _BLANKS.get(key)
    if files is None:
        return
    slides = prs.slides._sldIdLst
    for sld in list(slides):
        slides.remove(sld)
        prs.part.drop_rel(sld.rId)
    part = prs.part
    names = {p.partname.membername for p in part.package.iter_parts()}
    blank = {
        n for n in files if n != "[Content_Types].xml" and "/_rels/" not in n and not n.startswith("_rels/")
    }
    rels = part.partname.rels_uri.membername
    if names == blank and part.blob == files[part.partname.membername][0] and part.rels.xml == files[rels][0]:
        _SCRATCH[key] = (prs, layouts)
        while len(_SCRATCH) > 4:
            del _SCRATCH[next(iter(_SCRATCH))]


def _blank(
    theme: Theme, options: DeckOptions, made: list[Design]
) -> tuple[PresentationT, dict[str, SlideLayout]]:
    """A presentation without slides to draw a few slides on, and its layouts: the one the last render
    drew on with its slides taken out, or the design's files kept from it opened again (a third of
    the time making it takes)."""
    from pptx import Presentation

    from digibrief.writers.pptx.archive import stable_zip
    from digibrief.writers.pptx.draw import pick_layouts
    from digibrief.writers.pptx.package import saved_parts

    key = _blank_key(theme, options)
    emptied = _SCRATCH.pop(key, None)
    if emptied is not None:
        return emptied
    files = _BLANKS.get(key)
    if files is None:
        prs, layouts, *_ = made.pop() if made else _design(theme, options)
        _ = prs.notes_master  # made with the first notes slide (as in a full render) once, and kept
        _ = prs.slides  # its (empty) list of slides, as a presentation whose slides were taken out has
        _BLANKS[key] = saved_parts(prs)
        while len(_BLANKS) > 4:
            del _BLANKS[next(iter(_BLANKS))]
        return prs, layouts
    prs = Presentation(BytesIO(stable_zip(files)))
    return prs, pick_layouts(prs)[0]


def forget() -> None:
    """Drop all that renders keep in this process between them (designs, planned sections, measured
    text, drawn charts, compressed parts), as a new process has nothing."""
    from digibrief.writers.pptx import archive, charts, phcopies, plan, slidecache, text

    _LAYOUTS.clear()
    _BLANKS.clear()
    _SCRATCH.clear()
    plan.forget()
    archive.forget()
    charts.forget()
    phcopies.forget()
    slidecache.forget()
    text.forget()


def _design(theme: Theme, options: DeckOptions) -> Design:
    """A presentation without slides on the built-in design or the template, with its layouts,
    geometry and colours, and what the template made us change."""
    from digibrief.writers.pptx.package import builtin, from_template

    if options.template is None:
        prs, layouts, geo, colours = builtin(theme)
        return prs, layouts, geo, colours, []
    prs, layouts, geo, found, warnings = from_template(options.template.data, options.template.name, theme)
    assert found is not None  # a theme was given
    return prs, layouts, geo, found, warnings


def _aspect(key: tuple[str, str], images: Images) -> float:
    data = images.get(key)
    if data is None:
        raise RenderError(f"no image for chart '{key[0]}' ({key[1]})")
    try:
        with Image.open(BytesIO(data)) as im:
            w, h = im.size
    except (UnidentifiedImageError, OSError) as e:
        raise RenderError(f"chart '{key[0]}' ({key[1]}): not a readable image ({e})") from e
    if not w or not h:
        raise RenderError(f"chart '{key[0]}' ({key[1]}): empty image")
    return w / h
