"""Whether a template's placeholders can hold the deck's text: each placeholder the deck fills must lie
on the slide and be at least one line (the body three) of its text tall and fifteen characters wide.

A placeholder that cannot (zero height, off the slide) would put every slide's content where no one
sees it, so the template is refused, naming its layout part, layout and placeholder."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.presentation import Presentation as PresentationT
from pptx.slide import SlideLayout

from digibrief.errors import Problem
from digibrief.theme import DEFAULT_SIZES
from digibrief.writers.pptx.draw import EMU_PER_PT, layout_placeholder
from digibrief.writers.pptx.layout import LAYOUTS
from digibrief.writers.pptx.text import LINE

EDGE = 1.0  # pt a placeholder may reach beyond the slide's edge (rounding in the template's EMUs)
CHARS = 8.0  # a placeholder's least width in sizes of its text: about fifteen characters


@dataclass(frozen=True)
class Need:
    key: str  # a LAYOUTS key
    slot: str  # title, subtitle, body
    size: str  # the DEFAULT_SIZES entry of its text
    lines: int  # lines of that text it must hold


NEEDS = (
    Need("cover", "title", "slide_cover", 1),
    Need("cover", "subtitle", "slide_body", 1),
    Need("content", "title", "slide_title", 1),
    Need("content", "body", "slide_body", 3),
    Need("title_only", "title", "slide_title", 1),
)


def placeholder_problems(prs: PresentationT, layouts: dict[str, SlideLayout], file: str) -> list[Problem]:
    """A located problem for each placeholder the deck fills that cannot hold its text."""
    width, height = (prs.slide_width or 0) / EMU_PER_PT, (prs.slide_height or 0) / EMU_PER_PT
    out: list[Problem] = []
    for need in NEEDS:
        layout = layouts.get(need.key)
        ph = layout_placeholder(layout, need.slot) if layout is not None else None
        if layout is None or ph is None:
            continue  # a missing layout or placeholder is reported by name where the deck looks it up
        size = DEFAULT_SIZES[need.size]
        x, y, w, h = ((v or 0) / EMU_PER_PT for v in (ph.left, ph.top, ph.width, ph.height))
        wrong = []
        if h < need.lines * size * LINE:
            wrong.append(
                f"is {h:.0f} pt tall; its {need.slot} needs at least {need.lines * size * LINE:.0f} pt "
                f"({need.lines} line(s) at {size:g} pt)"
            )
        if w < CHARS * size:
            wrong.append(f"is {w:.0f} pt wide; its {need.slot} needs at least {CHARS * size:.0f} pt")
        if x < -EDGE or y < -EDGE or x + w > width + EDGE or y + h > height + EDGE:
            wrong.append(
                f"reaches outside the {width:.0f} x {height:.0f} pt slide "
                f"(at {x:.0f}, {y:.0f} pt, {w:.0f} x {h:.0f} pt)"
            )
        if wrong:
            where = (
                f"{layout.part.partname.lstrip('/')}: layout '{LAYOUTS[need.key]}' "
                f"(named '{layout.name}'), placeholder '{ph.name}'"
                if layout.name != LAYOUTS[need.key]
                else f"{layout.part.partname.lstrip('/')}: layout '{layout.name}', placeholder '{ph.name}'"
            )
            out.append(Problem(file, 0, 0, where, "; ".join(wrong) + "; the deck cannot put text in it"))
    return out
