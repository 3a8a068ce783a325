"""Direct-label placement: spread labels apart along an axis, or put one where it covers nothing.

Charts label series and points directly instead of with a legend, so every label needs a spot that
hides no other text or marker; all geometry here is in display pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .base import ChartDrawing

HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "baseline", "center", "center_baseline", "top"]
Candidate = tuple[float, float, HAlign, VAlign]  # x, y in the text's coordinates, and its anchor


def spread(
    desired: Sequence[float], heights: Sequence[float], lo: float, hi: float, gap: float
) -> list[float]:
    """Move label centres apart along one axis (a simple repel) and keep them inside [lo, hi].

    Labels keep their order; each overlapping run is centred on the mean of what it wanted.
    """
    n = len(desired)
    order = sorted(range(n), key=lambda i: (desired[i], i))
    clusters: list[list[int]] = [[i] for i in order]

    def span(cl: list[int]) -> tuple[float, list[float]]:
        offs, y = [], 0.0
        for i in cl:
            offs.append(y + heights[i] / 2)
            y += heights[i] + gap
        total = y - gap
        bottom = sum(desired[i] - o for i, o in zip(cl, offs, strict=True)) / len(cl)
        bottom = min(max(bottom, lo), hi - total) if total <= hi - lo else lo
        return bottom, [bottom + o for o in offs]

    while True:
        placed = [span(cl) for cl in clusters]
        for k in range(len(clusters) - 1):
            top_k = placed[k][1][-1] + heights[clusters[k][-1]] / 2
            bottom_next = placed[k + 1][0]
            if top_k + gap > bottom_next + 1e-9:
                clusters[k : k + 2] = [clusters[k] + clusters[k + 1]]
                break
        else:
            break
    out = [0.0] * n
    for cl, (_, centres) in zip(clusters, placed, strict=True):
        for i, c in zip(cl, centres, strict=True):
            out[i] = c
    return out


def segment_hits(p: tuple[float, float], q: tuple[float, float], box: Bbox) -> bool:
    """Whether the segment p-q crosses the box (Liang-Barsky clipping)."""
    x0, y0 = p
    dx, dy = q[0] - x0, q[1] - y0
    t0, t1 = 0.0, 1.0
    for pk, qk in (
        (-dx, x0 - box.x0),
        (dx, box.x1 - x0),
        (-dy, y0 - box.y0),
        (dy, box.y1 - y0),
    ):
        if pk == 0:
            if qk < 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def overlap_area(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


FEW = 48  # obstacles below which testing them one by one is faster than arrays


@dataclass
class Obstacles:
    """What a new label must not cover, in display pixels.

    A label search asks cost() for every candidate against every obstacle, so the obstacles are also
    kept as arrays and tested all at once; the arithmetic is overlap_area's and segment_hits', term for
    term, and the areas are added in the same order, so the costs are the same floats."""

    boxes: list[Bbox] = field(default_factory=list)
    segments: list[tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=list)
    _box_array: numpy.ndarray = field(init=False, repr=False, default_factory=lambda: numpy.zeros((0, 4)))
    _seg_array: numpy.ndarray = field(init=False, repr=False, default_factory=lambda: numpy.zeros((0, 4)))

    def _arrays(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        if len(self._box_array) != len(self.boxes):  # obstacles are only ever added
            self._box_array = numpy.array([(b.x0, b.y0, b.x1, b.y1) for b in self.boxes], dtype=float)
        if len(self._seg_array) != len(self.segments):
            self._seg_array = numpy.array([(*p, *q) for p, q in self.segments], dtype=float)
        return self._box_array.reshape(-1, 4), self._seg_array.reshape(-1, 4)

    def cost(self, box: Bbox, bounds: Bbox) -> tuple[float, float]:
        """(hard, soft): covered text, markers or outside the bounds; lines crossed."""
        out_x = max(0.0, bounds.x0 - box.x0) + max(0.0, box.x1 - bounds.x1)
        out_y = max(0.0, bounds.y0 - box.y0) + max(0.0, box.y1 - bounds.y1)
        if len(self.boxes) + len(self.segments) < FEW:
            hard = sum(overlap_area(box, b) for b in self.boxes)
            soft = sum(1.0 for p, q in self.segments if segment_hits(p, q, box))
            return hard + (out_x + out_y) * 1e4, soft
        boxes, segments = self._arrays()
        w = numpy.minimum(box.x1, boxes[:, 2]) - numpy.maximum(box.x0, boxes[:, 0])
        h = numpy.minimum(box.y1, boxes[:, 3]) - numpy.maximum(box.y0, boxes[:, 1])
        covered = (w > 0) & (h > 0)
        hard = sum((w[covered] * h[covered]).tolist())  # in order, as a sum of overlap_area would add
        soft = float(numpy.count_nonzero(_segments_hit(segments, box)))
        return hard + (out_x + out_y) * 1e4, soft


def _segments_hit(seg: numpy.ndarray, box: Bbox) -> numpy.ndarray:
    """segment_hits for many segments (rows x0, y0, x1, y1) at once."""
    x0, y0 = seg[:, 0], seg[:, 1]
    dx, dy = seg[:, 2] - x0, seg[:, 3] - y0
    ps = (-dx, dx, -dy, dy)
    qs = (x0 - box.x0, box.x1 - x0, y0 - box.y0, box.y1 - y0)
    hit = numpy.ones(len(seg), dtype=bool)
    t0, t1 = numpy.zeros(len(seg)), numpy.ones(len(seg))
    with numpy.errstate(divide="ignore", invalid="ignore"):
        for pk, qk in zip(ps, qs, strict=True):
            hit &= ~((pk == 0) & (qk < 0))
            t = qk / pk
            t0 = numpy.where(pk < 0, numpy.maximum(t0, t), t0)
            t1 = numpy.where(pk > 0, numpy.minimum(t1, t), t1)
    return hit & (t0 <= t1)


def _put(text: Text, candidate: Candidate) -> None:
    x, y, ha, va = candidate
    text.set_position((x, y))
    text.set_horizontalalignment(ha)
    text.set_verticalalignment(va)


def place(
    ctx: ChartDrawing,
    text: Text,
    candidates: Sequence[Candidate],
    obstacles: Obstacles,
    bounds: Bbox,
    pad: float,
) -> tuple[Bbox, float, float]:
    """Put text at the first candidate that hits nothing, else the least bad one (covering no text
    if possible); return its box and (hard, soft) cost."""
    best: tuple[tuple[float, float], int] | None = None
    for k, candidate in enumerate(candidates):
        _put(text, candidate)
        box = ctx.extent(text).padded(pad)
        cost = obstacles.cost(box, bounds)
        if cost == (0, 0):
            return box, 0.0, 0.0
        if best is None or cost < best[0]:
            best = (cost, k)
    assert best is not None
    _put(text, candidates[best[1]])
    return ctx.extent(text).padded(pad), best[0][0], best[0][1]
