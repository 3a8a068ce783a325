"""Charts: a ChartSpec in, SVG (for the PDF, via svglib) or PNG (for the deck) bytes out.

Design: direct labels instead of legends, the focus country in colour against grey peers, palette
colours plus distinct markers otherwise, a light horizontal grid and nothing else. The image holds
only the plot; titles, subtitles and source lines are set as real text by the writers.

Each kind has a drawing function (lines, bars, heatmap, timeline) on the skeleton in base; the
table in _kinds() maps a ChartSpec's kind to it. matplotlib is imported lazily (first draw), with
MPLCONFIGDIR pointed at a writable cache so the font cache is built once. Output is byte-for-byte
reproducible: fixed SVG hash salt, text as text (set by the PDF in its embedded font), no dates or
software names in the metadata, and the object API (no pyplot global state).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from digibrief.document.types import ChartSpec
from digibrief.document.words import ENGLISH, Speech
from digibrief.theme import Theme
from digibrief.vocabulary import MEDIA, ChartKind, Medium, print_medium

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.figure import Figure

    from .base import ChartDrawing

    Block = list[tuple[tuple[str, float], str]]  # ((line, height in inches), role), top to bottom
    Tile = tuple[np.ndarray, Block, Block]  # a chart's image, the lines over it, the lines under it

__all__ = ["MEDIA", "Medium", "contact_sheet", "draw", "preload", "prepare", "render"]

PRINT = MEDIA["print"]  # the contact sheet's default: each chart at its own print size


# --- matplotlib, set up once ---------------------------------------------------------------------


def _config_dir() -> None:
    """Point MPLCONFIGDIR at a writable cache before matplotlib is first imported."""
    if os.environ.get("MPLCONFIGDIR"):
        return
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "digibrief" / "matplotlib"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # matplotlib falls back to a temporary directory
    if os.access(path, os.W_OK):
        os.environ["MPLCONFIGDIR"] = str(path)


Draw = Callable[["ChartDrawing", ChartSpec], None]


def _kinds() -> dict[ChartKind, Draw]:
    """Each chart kind's drawing function; imported here so that matplotlib loads on first use."""
    from .bars import draw_online_offline, draw_peer_bar
    from .heatmap import draw_heatmap
    from .lines import draw_lines, draw_rank_path
    from .locator import draw_locator_map
    from .timeline import draw_timeline

    return {
        "index_by_year": draw_lines,
        "trend": draw_lines,
        "rank_path": draw_rank_path,
        "peer_bar": draw_peer_bar,
        "online_offline": draw_online_offline,
        "heatmap": draw_heatmap,
        "timeline": draw_timeline,
        "locator_map": draw_locator_map,
    }


def drawing_theme(theme: Theme) -> Theme:
    """The theme charts are measured and drawn in: with a fallback face (DejaVu Sans), that face, whose
    metrics the chart layouts are checked against until the chart model (issue 21) lays them out in the
    house face. The brief sets the SVG's text in its own face; it is narrower, so nothing collides."""
    return replace(theme, fonts=theme.fallback) if theme.fallback is not None else theme


def preload() -> None:
    """Import matplotlib and the chart kinds now (a worker that will draw, while its parent loads)."""
    _config_dir()
    import matplotlib.backends.backend_agg
    import matplotlib.backends.backend_svg  # noqa: F401

    _kinds()


def prepare(theme: Theme) -> None:
    """Import matplotlib, the chart kinds and the theme's fonts now, so forked workers inherit them."""
    preload()
    from .base import register_fonts

    register_fonts(drawing_theme(theme))


def _draw(spec: ChartSpec, theme: Theme, medium: Medium, speech: Speech) -> Figure:
    from .base import ChartDrawing, font_pt

    ctx = ChartDrawing(spec, theme, medium, font_pt(theme, medium), speech)
    _kinds()[spec.kind](ctx, spec)
    return ctx.fig


# --- the public functions ------------------------------------------------------------------------


def draw(spec: ChartSpec, theme: Theme, medium: Medium, speech: Speech = ENGLISH) -> Figure:
    """The drawn figure before saving (an Agg canvas is attached), e.g. to inspect text extents."""
    theme = drawing_theme(theme)
    _config_dir()
    import matplotlib

    from .base import rc_params, register_fonts

    family = register_fonts(theme)
    with matplotlib.rc_context(rc_params(family)):
        return _draw(spec, theme, medium, speech)


def render(
    spec: ChartSpec, theme: Theme, medium: Medium, fmt: Literal["svg", "png"], speech: Speech = ENGLISH
) -> bytes:
    """The chart as SVG (text as text in the theme's font) or PNG at medium.dpi, its words and numbers
    in speech (the document's); reproducible bytes."""
    theme = drawing_theme(theme)
    if fmt not in ("svg", "png"):
        raise ValueError(f"unknown chart format {fmt!r}; expected 'svg' or 'png'")
    _config_dir()
    import matplotlib

    from .base import rc_params, register_fonts, save

    family = register_fonts(theme)
    with matplotlib.rc_context(rc_params(family)):
        return save(_draw(spec, theme, medium, speech), fmt, medium.dpi)


def contact_sheet(
    specs: Sequence[ChartSpec], theme: Theme, medium: Medium = PRINT, speech: Speech = ENGLISH
) -> bytes:
    """One PNG with every chart, each under its title and subtitle and over its source line.

    Timelines and heatmaps take the tall print box when medium is print; tiles are drawn at <= 150 dpi."""
    theme = drawing_theme(theme)
    _config_dir()
    import matplotlib
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.image import imread
    from matplotlib.patches import Rectangle

    from .base import font_pt, rc_params, register_fonts, save

    family = register_fonts(theme)
    dpi = min(medium.dpi, 150)
    pt = font_pt(theme, medium)
    fonts = {
        "title": FontProperties(fname=str(theme.fonts.bold), size=pt * 1.3),
        "subtitle": FontProperties(fname=str(theme.fonts.regular), size=pt),
        "source": FontProperties(fname=str(theme.fonts.regular), size=pt * 0.9),
    }
    colours = {"title": theme.ink, "subtitle": theme.muted, "source": theme.muted}
    margin, gutter, gap = 0.3, 0.4, 0.06
    cols = 2 if medium.width_in < 9 and len(specs) > 1 else 1
    tile_w = medium.width_in

    with matplotlib.rc_context(rc_params(family)):
        scratch = Figure(dpi=dpi)
        renderer = FigureCanvasAgg(scratch).get_renderer()

        def lines(text: str, role: str) -> list[tuple[str, float]]:
            """text wrapped to the tile width: (line, height in inches) pairs."""
            prop, out, cur = fonts[role], [], ""
            for word in text.split():
                trial = f"{cur} {word}".strip()
                w = renderer.get_text_width_height_descent(trial, prop, ismath=False)[0] / dpi
                if cur and w > tile_w:
                    out.append(cur)
                    cur = word
                else:
                    cur = trial
            return [(line, prop.get_size_in_points() * 1.3 / 72) for line in [*out, cur] if line]

        tiles: list[Tile] = []
        for spec in specs:
            m = MEDIA[print_medium(spec.kind)] if medium == PRINT else medium
            png = render(spec, theme, replace(m, dpi=dpi), "png", speech)
            head = [(t, "title") for t in lines(spec.title, "title")]
            head += [(t, "subtitle") for t in lines(spec.subtitle, "subtitle")]
            foot = [(t, "source") for t in lines(spec.source_line or "(no source line)", "source")]
            tiles.append((imread(io.BytesIO(png), format="png"), head, foot))

        def height(tile: Tile) -> float:
            img, head, foot = tile
            return sum(h for (_, h), _ in head + foot) + img.shape[0] / dpi + 3 * gap

        rows = [tiles[i : i + cols] for i in range(0, len(tiles), cols)]
        row_h = [max(height(t) for t in row) for row in rows] or [1.0]
        W = margin * 2 + cols * tile_w + (cols - 1) * gutter
        H = margin * 2 + sum(row_h) + gutter * (len(row_h) - 1)
        fig = Figure(figsize=(W, H), dpi=dpi)
        FigureCanvasAgg(fig)
        fig.patch.set_facecolor("#FFFFFF")
        tr = fig.dpi_scale_trans

        def write(x: float, y: float, block: Block) -> float:
            for (text, h), role in block:
                fig.text(x, y, text, fontproperties=fonts[role], color=colours[role], va="top", transform=tr)
                y -= h
            return y

        y_top = H - margin
        for row, rh in zip(rows, row_h, strict=True):
            for c, (img, head, foot) in enumerate(row):
                x = margin + c * (tile_w + gutter)
                y = write(x, y_top, head) - gap
                h_img, w_img = img.shape[0] / dpi, img.shape[1] / dpi
                fig.figimage(np.asarray(img), xo=round(x * dpi), yo=round((y - h_img) * dpi))
                fig.add_artist(
                    Rectangle((x, y - h_img), w_img, h_img, transform=tr, fill=False, ec=theme.rule, lw=0.5)
                )
                write(x, y - h_img - gap, foot)
            y_top -= rh + gutter
        return save(fig, "png", dpi)
