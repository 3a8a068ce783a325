"""Where the locator map looks: the frame around the report's countries, and what borders them.

Plain geometry on lon/lat points, decided once for the map's words (its alt text) and its drawing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from digibrief.document.types import MapShape

Box = tuple[float, float, float, float]  # west, south, east, north in degrees

MARGIN = 0.06  # of the region's larger span, plus a degree, around the region: its neighbours show
ASPECT = (0.45, 0.95)  # height / width of the projected frame: a region is never a sliver or a tower


def region_frame(shapes: Sequence[MapShape], limit: Box) -> Box:
    """The lon/lat box around the focus and context countries, with a margin and an aspect between
    ASPECT's bounds, within limit (the extent of the boundaries)."""
    pts = [p for s in shapes if s.role != "neighbour" for r in s.rings for p in r]
    if not pts:
        return limit
    w, e = min(p[0] for p in pts), max(p[0] for p in pts)
    s, n = min(p[1] for p in pts), max(p[1] for p in pts)
    k = math.cos(math.radians((s + n) / 2))
    pad = MARGIN * max((e - w) * k, n - s) + 1.0
    w, e, s, n = w - pad / k, e + pad / k, s - pad, n + pad
    width, height = (e - w) * k, n - s
    if height < ASPECT[0] * width:  # too flat: more latitude
        grow = (ASPECT[0] * width - height) / 2
        s, n = s - grow, n + grow
    elif height > ASPECT[1] * width:  # too tall: more longitude
        grow = (height / ASPECT[1] - width) / 2 / k
        w, e = w - grow, e + grow
    return max(w, limit[0]), max(s, limit[1]), min(e, limit[2]), min(n, limit[3])


def overlaps(shape: MapShape, frame: Box) -> bool:
    """Whether any of the shape's outlines reaches into the frame."""
    return any(
        min(p[0] for p in r) < frame[2]
        and max(p[0] for p in r) > frame[0]
        and min(p[1] for p in r) < frame[3]
        and max(p[1] for p in r) > frame[1]
        for r in shape.rings
    )


def within(point: tuple[float, float], frame: Box) -> bool:
    return frame[0] <= point[0] <= frame[2] and frame[1] <= point[1] <= frame[3]


def borders(shape: MapShape, region: Sequence[MapShape], near: float = 0.25) -> bool:
    """Whether a neighbour touches the region (a vertex within near degrees of one of the region's):
    only those are named, so that the map names what frames the region and nothing further off."""
    return bordering(region, near)(shape)


def bordering(region: Sequence[MapShape], near: float = 0.25) -> Callable[[MapShape], bool]:
    """borders(shape, region, near) for each shape asked about, with the region's vertices gathered
    once, by cell, and the cells next to theirs: a vertex within near of one of a shape's is in one of
    the 5 x 5 cells around it (3 x 3 in exact arithmetic; the rest cover the rounding of a division)."""
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for s in region:
        for r in s.rings:
            for p in r:
                cells.setdefault((math.floor(p[0] / near), math.floor(p[1] / near)), []).append(p)

    reach = {(x + dx, y + dy) for x, y in cells for dx in (-1, 0, 1) for dy in (-1, 0, 1)}

    def touches(shape: MapShape) -> bool:
        for r in shape.rings:
            for p in r:
                cx, cy = math.floor(p[0] / near), math.floor(p[1] / near)
                if (cx, cy) in reach and any(
                    abs(p[0] - q[0]) <= near and abs(p[1] - q[1]) <= near
                    for dx in _AROUND
                    for dy in _AROUND
                    for q in cells.get((cx + dx, cy + dy), ())
                ):
                    return True
        return False

    return touches


_AROUND = (-2, -1, 0, 1, 2)
