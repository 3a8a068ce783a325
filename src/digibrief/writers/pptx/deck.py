"""The slide-deck writer: document -> 16:9 .pptx bytes (python-pptx), never touching the disk.

Split like pandoc's PowerPoint writer: pptx_plan decides the slides and measures their text (pure);
pptx_draw and pptx_package turn the plan into a presentation built on the built-in design or on the
layouts of options.template.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, UnidentifiedImageError

from digibrief.document.types import Document
from digibrief.errors import RenderError
from digibrief.theme import Theme
from digibrief.writers.contract import ImageRequest, Images, Rendered
from digibrief.writers.pptx.draw import Drawer
from digibrief.writers.pptx.options import DeckOptions
from digibrief.writers.pptx.package import builtin, from_template, set_properties, stable_bytes
from digibrief.writers.pptx.plan import Planner, figure_media


def image_requests(doc: Document) -> list[ImageRequest]:
    """One PNG per chart: half-width for a profile slide's main chart, slide-wide otherwise."""
    media = figure_media(doc)
    seen: set[str] = set()
    out = []
    for f in doc.figures():
        if f.chart.id not in seen:
            seen.add(f.chart.id)
            out.append(ImageRequest(f.chart, media[f.chart.id], "png"))
    return out


def render(doc: Document, images: Images, theme: Theme, options: DeckOptions) -> Rendered:
    """The deck as .pptx bytes, with warnings (text split or left out) and the slide count."""
    if options.template is None:
        prs, layouts, geo = builtin(theme)
        warnings: list[str] = []
    else:
        prs, layouts, geo, warnings = from_template(options.template.data, options.template.name)
    aspects = {r.key: _aspect(r.key, images) for r in image_requests(doc)}
    plan = Planner(doc, theme, geo, aspects).plan()
    Drawer(prs, layouts, theme.fonts.family, images).draw(plan)
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
