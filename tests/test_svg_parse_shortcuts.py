"""The PDF writer's SVG renderer (writers/pdf/images.py _SvgRenderer) shares each clip path among the
elements it clips and answers svglib's inherited-attribute search once per element and name: the
drawing it makes must be the one svglib's own renderer makes, value for value."""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from reportlab import rl_config
from svglib.svglib import SvgRenderer, load_svg_file

from digibrief.writers.pdf import brief, images

# a clip path used by two elements, a <use> that inherits its group's style, a <style> rule, a style
# attribute, "inherit", and an element whose fill comes from three levels up
SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="200" height="100" viewBox="0 0 200 100">
 <style>*{stroke-linejoin: round}</style>
 <defs>
  <clipPath id="c"><rect x="10" y="10" width="150" height="70"/></clipPath>
  <path id="m" d="M 0 -3 L 3 3 L -3 3 z"/>
 </defs>
 <g style="fill: #336699; stroke: #000000" font-family="DejaVu Sans">
  <g stroke-width="2">
   <g>
    <path d="M 0 0 L 180 90" clip-path="url(#c)"/>
    <path d="M 0 90 L 180 0" clip-path="url(#c)" style="stroke: inherit; fill: #ff0000"/>
    <use xlink:href="#m" x="40" y="40"/>
    <use xlink:href="#m" x="60" y="40" style="fill: #00ff00"/>
    <text x="20" y="95">label</text>
   </g>
  </g>
 </g>
</svg>"""


def _values(node: Any) -> Any:
    """A shape tree as plain values: its class, every attribute but its contents, and its contents."""
    attrs = {k: _value(v) for k, v in sorted(vars(node).items()) if k != "contents"}
    return (type(node).__name__, attrs, [_values(c) for c in getattr(node, "contents", None) or ()])


def _value(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    if isinstance(v, list | tuple):
        return [_value(x) for x in v]
    if hasattr(v, "__dict__") and not isinstance(v, type):
        return (type(v).__name__, {k: _value(x) for k, x in sorted(vars(v).items())})
    return v


def _parse(renderer: type[SvgRenderer], data: bytes) -> Any:
    checking = rl_config.shapeChecking
    rl_config.shapeChecking = 0  # as images._read parses
    try:
        source = io.BytesIO(data)
        return renderer(source).render(load_svg_file(source))
    finally:
        rl_config.shapeChecking = checking


def test_the_writers_svg_renderer_makes_svglibs_drawing_of_a_clipped_styled_svg() -> None:
    ours, theirs = _parse(images._SvgRenderer, SVG), _parse(SvgRenderer, SVG)
    assert _values(ours) == _values(theirs)
    clipped = [c for c in _walk(ours) if getattr(c, "isClipPath", 0)]
    assert len(clipped) == 2 and clipped[0] is clipped[1]  # one clip path serves both elements


def _walk(node: Any) -> list[Any]:
    out = [node]
    for c in getattr(node, "contents", None) or ():
        out += _walk(c)
    return out


@pytest.mark.parametrize("medium", ["print", "print_map"])
def test_the_writers_svg_renderer_makes_svglibs_drawing_of_a_shipped_chart(
    medium: str, shipped_doc: Any, shipped_theme: Any, chart_images: Any
) -> None:
    request = next(r for r in brief.image_requests(shipped_doc) if r.medium == medium)
    data = chart_images([request], shipped_theme, shipped_doc.speech)[request.key]  # as a build drew it
    assert _values(_parse(images._SvgRenderer, data)) == _values(_parse(SvgRenderer, data))
