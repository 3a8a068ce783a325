"""PNG charts are saved as RGB when every pixel is opaque (every chart's face is), with the pixels, dpi and
bare chunks of matplotlib's RGBA file; a figure with a transparent pixel keeps matplotlib's RGBA file."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from digibrief.charts.base import save


def _figure(face: tuple[float, float, float, float]) -> Figure:
    fig = Figure(figsize=(2.0, 1.0), dpi=100, facecolor=face)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.15, 0.2, 0.8, 0.7))
    ax.plot([0, 1, 2], [1, 3, 2], color="#0063A6")
    ax.set_title("Internet users", fontsize=8)
    return fig


def _matplotlib_s(fig: Figure, dpi: float) -> bytes:
    """The file matplotlib's own Agg canvas writes, as save() asks for it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def _open(png: bytes) -> Any:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_an_opaque_chart_is_an_rgb_png_with_the_pixels_and_dpi_of_matplotlib_s_rgba_one():
    fig = _figure((1.0, 1.0, 1.0, 1.0))
    theirs = _open(_matplotlib_s(fig, 150))
    png = save(fig, "png", 150)
    ours = _open(png)

    assert (theirs.mode, ours.mode) == ("RGBA", "RGB")
    pixels = np.asarray(theirs)
    assert (pixels[..., 3] == 255).all()
    assert np.array_equal(np.asarray(ours), pixels[..., :3])
    assert ours.size == theirs.size == (300, 150)
    assert ours.info == theirs.info  # the same pHYs (dpi), and no text chunk (software, date)
    assert png == save(fig, "png", 150)  # the same bytes every time


def test_a_chart_with_a_transparent_pixel_stays_matplotlib_s_rgba_png():
    fig = _figure((1.0, 1.0, 1.0, 0.0))
    png = save(fig, "png", 150)

    assert _open(png).mode == "RGBA"
    assert (np.asarray(_open(png))[..., 3] < 255).any()
    assert png == _matplotlib_s(_figure((1.0, 1.0, 1.0, 0.0)), 150)


def test_a_shipped_picture_chart_is_an_rgb_png(shipped_doc: Any, shipped_theme: Any, chart_images: Any):
    from digibrief.writers.pptx import deck as render_pptx

    requests = [r for r in render_pptx.image_requests(shipped_doc) if r.fmt == "png"][:1]
    assert requests, "the deck draws no picture chart"
    images = chart_images(requests, shipped_theme, shipped_doc.speech)
    assert _open(images[requests[0].key]).mode == "RGB"
