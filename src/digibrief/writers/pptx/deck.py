"""The slide-deck writer: document -> 16:9 .pptx bytes (python-pptx), never touching the disk.

Split like pandoc's PowerPoint writer: plan.py decides the slides and measures their text (pure);
draw.py, charts.py and package.py turn the plan into a presentation built on the built-in design or
on the layouts of options.template. Charts are native PowerPoint charts built from the same ChartSpec
the PDF draws; only the kinds PowerPoint cannot draw (the timeline) are asked for as pictures, unless
options.charts is "picture".
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from PIL import Image, UnidentifiedImageError

from digibrief.document.types import Document
from digibrief.errors import RenderError
from digibrief.theme import Theme
from digibrief.writers.contract import ImageRequest, Images, Rendered
from digibrief.writers.pptx.options import DeckOptions
from digibrief.writers.pptx.plan import Planner, drawn_as_picture, figure_media, slide_parts


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


def render(doc: Document, images: Images, theme: Theme, options: DeckOptions) -> Rendered:
    """The deck as .pptx bytes, with warnings (text moved to the notes or continued) and the slide count."""
    # python-pptx only here: the pipeline imports this module for image_requests in the main process,
    # while the deck renders on a worker (10 MB and 0.2 s the main process does not spend)
    from digibrief.writers.pptx.draw import Drawer
    from digibrief.writers.pptx.package import builtin, from_template, set_properties, stable_bytes

    if options.template is None:
        prs, layouts, geo, colours = builtin(theme)
        warnings: list[str] = []
    else:
        prs, layouts, geo, found, warnings = from_template(
            options.template.data, options.template.name, theme
        )
        assert found is not None  # a theme was given
        colours = found
    aspects = {r.key: _aspect(r.key, images) for r in image_requests(doc, options)}
    plan = Planner(doc, theme, geo, colours, aspects, options.charts).plan()
    created = dt.datetime.fromtimestamp(doc.meta.epoch, dt.UTC).replace(tzinfo=None)
    Drawer(prs, layouts, theme.fonts.family, images, created, colours.peer).draw(plan)
    set_properties(prs, doc.meta)
    return Rendered(stable_bytes(prs), [*warnings, *plan.warnings], len(plan.slides))


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
