"""The locator map: the region's countries from Natural Earth outlines, names set directly on them.

The map frames the report's countries, whichever they are, with a margin that shows what borders
them (document.maplayout.region_frame); only the countries inside the frame are drawn. A plain equirectangular
projection scaled by the cosine of the frame's middle latitude (a region spans a few tens of
degrees of latitude, so the distortion is small). Focus countries are filled in their own
colours (or, on a country's page, that country alone in its colour and the others in the peer grey),
context countries outlined, neighbours light grey; water is the gap between them, named only where
the boundaries name it (ChartSpec.waters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy
from matplotlib.patches import Polygon
from matplotlib.transforms import Bbox

from digibrief.document.chartlayout import layout
from digibrief.document.maplayout import borders, overlaps, region_frame, within
from digibrief.document.types import ChartSpec, MapLabel, MapShape, Ring
from digibrief.theme import hex_colour, mix

from .base import ChartDrawing, Frame, no_data
from .colours import WHITE, readable, text_on
from .placement import Obstacles


def ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """(|area|, x, y) of a ring by the shoelace formula; the mean point for a degenerate ring."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def anchor(shape: MapShape, project: Projection) -> tuple[float, float]:
    """Where a country's name goes: the centroid of its largest outline, projected."""
    rings = [tuple(project(p) for p in r) for r in shape.rings]
    best = max((ring_area_centroid(r) for r in rings), key=lambda t: t[0])
    return best[1], best[2]


class Projection:
    def __init__(self, frame: tuple[float, float, float, float]):
        self.frame = frame
        self.k = math.cos(math.radians((frame[1] + frame[3]) / 2))
        self.lon0 = (frame[0] + frame[2]) / 2

    def __call__(self, p: tuple[float, float]) -> tuple[float, float]:
        return ((p[0] - self.lon0) * self.k, p[1])

    def box(self) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = self((self.frame[0], self.frame[1])), self((self.frame[2], self.frame[3]))
        return x0, y0, x1, y1


def draw_locator_map(ctx: ChartDrawing, spec: ChartSpec) -> None:
    t = ctx.theme
    if spec.frame is None or not spec.shapes:
        no_data(ctx, ctx.axes(Frame(ctx.notes(layout(spec, ctx.speech).notes), 0.05, 0.05, 0.05)))
        return
    box = region_frame(spec.shapes, spec.frame)
    shapes = [s for s in spec.shapes if s.role != "neighbour" or overlaps(s, box)]
    proj = Projection(box)
    x0, y0, x1, y1 = proj.box()
    aspect = (y1 - y0) / (x1 - x0)
    notes = ctx.notes(layout(spec, ctx.speech).notes)
    ctx.set_height(min(ctx.W * aspect + notes.height + 0.1, ctx.H))
    frame = Frame(notes, left=0.02, right=0.02, top=0.02, above_notes=0.06)
    ax = ctx.axes(frame)
    ax.set_axis_off()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box", anchor="C")
    ax.apply_aspect()  # now, not at draw time: the labels are placed in the axes' final pixels
    water = hex_colour(mix(t.focus, WHITE, 0.88))
    ax.add_patch(
        Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closed=True, fc=water, ec="none", zorder=0)
    )

    highlight = any(s.emphasis for s in shapes)
    land = hex_colour(mix(t.rule, WHITE, 0.45))
    n = len(t.palette)
    fills: dict[str, str] = {}
    for s in sorted(shapes, key=lambda s: (s.role != "neighbour", s.emphasis)):
        if s.role == "neighbour":
            fc, ec, lw, z = land, WHITE, 0.6, 1.0
        elif highlight and not s.emphasis:
            fc, ec, lw, z = (
                t.peer if s.role == "focus" else WHITE,
                WHITE if s.role == "focus" else t.muted,
                0.7,
                2.0,
            )
        elif s.role == "focus":
            fc = t.palette[s.colour % n] if s.colour is not None else t.focus
            ec, lw, z = WHITE, 0.8, 3.0
        elif s.emphasis:  # a context country on its own page: outlined in ink, never a focus colour
            fc, ec, lw, z = WHITE, t.ink, 1.4, 3.0
        else:  # context: outlined, never a focus colour
            fc, ec, lw, z = WHITE, t.muted, 0.9, 2.5
        fills[s.key] = fc
        for ring in s.rings:  # the limits are set: add_patch would work out data limits nothing reads
            ax.add_artist(
                Polygon(
                    [proj(p) for p in ring], closed=True, fc=fc, ec=ec, lw=lw, zorder=z, joinstyle="round"
                )
            )

    waters = [w for w in spec.waters if within(w.at, box)]
    labels(ctx, ax, shapes, waters, proj, fills, highlight)


def inside(pt: tuple[float, float], rings: Sequence[Ring]) -> bool:
    """Whether a point lies in any of the rings (even-odd ray casting over all their edges at once)."""
    x, y = pt
    hits = 0
    for ring in rings:
        xa, ya, yb, dx, dy, low, high = _edges(ring)
        if y < low or y >= high:  # every edge is on one side of the ray: it crosses none
            continue
        c = (ya > y) != (yb > y)
        hits += int(numpy.count_nonzero(x < xa[c] + (y - ya[c]) * dx[c] / dy[c]))
    return hits % 2 == 1


def inside_each(pts: numpy.ndarray, rings: Sequence[Ring]) -> numpy.ndarray:
    """inside() for each of the points (an n x 2 array) at once, as booleans: the same comparisons,
    each point against every edge in one array operation rather than one call per point."""
    x, y = pts[:, 0:1], pts[:, 1:2]
    y_min, y_max = float(y.min()), float(y.max())
    hits = numpy.zeros(len(pts), dtype=int)
    for ring in rings:
        xa, ya, yb, dx, dy, low, high = _edges(ring)
        if y_max < low or y_min >= high:  # every edge is on one side of every ray: none crosses
            continue
        c = (ya > y) != (yb > y)  # the edges a point's ray can cross
        with numpy.errstate(divide="ignore", invalid="ignore"):  # dy is 0 only where c is False
            hits += numpy.count_nonzero(c & (x < xa + (y - ya) * dx / dy), axis=1)
    return hits % 2 == 1


Edges = tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray, float, float]


@lru_cache(maxsize=4096)
def _edges(ring: Ring) -> Edges:
    """A ring's edges (xa, ya, yb, xb - xa, yb - ya) as arrays, once per ring: the label search tests
    thousands of points. inside() keeps the scalar formula's order of operations, so it rounds alike."""
    a = numpy.asarray(ring, dtype=float)
    b = numpy.roll(a, -1, axis=0)
    ys = a[:, 1]
    return a[:, 0], ys, b[:, 1], b[:, 0] - a[:, 0], b[:, 1] - ys, float(ys.min()), float(ys.max())


def samples(box: Bbox, inv: object) -> numpy.ndarray:
    """A 5 x 3 grid of points over a display box, in data coordinates (a 15 x 2 array)."""
    to_data = inv  # a transform's .transform
    pts = [(box.x0 + box.width * i / 4, box.y0 + box.height * j / 2) for i in range(5) for j in range(3)]
    return numpy.asarray(to_data(pts), dtype=float)  # type: ignore[operator]


def labels(
    ctx: ChartDrawing,
    ax: object,
    shapes: Sequence[MapShape],
    waters: Sequence[MapLabel],
    proj: Projection,
    fills: dict[str, str],
    highlight: bool,
) -> None:
    """Country names set on their countries where they fit, else beside them over a neighbour with a
    leader line; the neighbours' and the waters' in small muted italics where they fit, else left out;
    a highlighted map names nothing (it stands beside the country's title). No name touches another."""
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    t = ctx.theme
    dpi = ctx.fig.dpi
    obs = Obstacles()
    bounds = ax.bbox
    pad = ctx.pt * 0.2 * dpi / 72
    inv = ax.transData.inverted().transform
    to_px = ax.transData.transform
    projected = {s.key: [tuple(proj(p) for p in r) for r in s.rings] for s in shapes}
    region_rings = [r for s in shapes if s.role != "neighbour" for r in projected[s.key]]
    land = [r for s in shapes for r in projected[s.key]]

    def spots(key: str, x: float, y: float, reach: float) -> list[tuple[float, float]]:
        """Points near (x, y) on a spiral of display offsets, nearest first."""
        px, py = to_px((x, y))
        step = ctx.pt * 0.5 * dpi / 72
        out = [(px, py)]
        for k in range(1, int(reach / step) + 1):
            for a in range(0, 360, 30):
                out.append(
                    (
                        px + k * step * 1.6 * math.cos(math.radians(a)),
                        py + k * step * math.sin(math.radians(a)),
                    )
                )
        return [tuple(p) for p in inv(out)]  # one transform for all: each point's arithmetic is the same

    def fits(txt: object, where: Sequence[Ring], avoid: Sequence[Ring], margin: float = pad) -> Bbox | None:
        extent = ctx.extent(txt)  # type: ignore[arg-type]
        box = extent.padded(margin)
        if obs.cost(box, bounds)[0] > 0:
            return None
        pts = samples(extent, inv)
        if where and not inside_each(pts, where).all():
            return None
        if avoid and inside_each(pts, avoid).any():
            return None
        return box

    # a highlighted map goes beside its country's name (the page's title): it names nothing itself
    region = [] if highlight else [s for s in shapes if s.role != "neighbour"]
    far = min(ax.bbox.width, ax.bbox.height) * 0.45
    for s in sorted(region, key=lambda s: sum(ring_area_centroid(r)[0] for r in projected[s.key])):
        x, y = anchor(s, proj)
        own = projected[s.key]
        fill = fills[s.key]
        colour = text_on(fill, t.ink) if s.role == "focus" or s.emphasis else readable(t.muted)
        txt = ctx.text(ax, x, y, s.label, bold=True, color=colour, ha="center", va="center", zorder=6)
        box = None
        for cx, cy in spots(s.key, x, y, far * 0.6):  # on the country itself
            txt.set_position((cx, cy))
            if (box := fits(txt, own, ())) is not None:
                break
        if box is None:  # beside it, over a neighbour, with a leader line that crosses no other country
            txt.set_color(readable(t.ink))
            others = [r for o in region if o.key != s.key for r in projected[o.key]]
            others += [
                r for o in shapes if o.role != "neighbour" and o not in region for r in projected[o.key]
            ]
            for cx, cy in spots(s.key, x, y, far * 0.45)[1:]:
                txt.set_position((cx, cy))
                if (box := fits(txt, (), region_rings)) is not None and not any(
                    inside((x + (cx - x) * k / 8, y + (cy - y) * k / 8), others) for k in range(1, 8)
                ):
                    break
                box = None
            if box is not None:
                b = ctx.extent(txt)
                px, py = to_px((x, y))
                end = inv((min(max(px, b.x0), b.x1), min(max(py, b.y0), b.y1)))
                ax.plot([x, end[0]], [y, end[1]], color=readable(t.ink), lw=0.5, zorder=5.5)
                ax.plot([x], [y], marker="o", ms=ctx.pt * 0.25, color=readable(t.ink), zorder=5.6)
        if box is None:  # enclosed and too small: on the country where most of it fits, on a halo
            best, most = (x, y), -2
            for p in spots(s.key, x, y, far * 0.6):
                txt.set_position(p)
                clear = obs.cost(ctx.extent(txt).padded(pad), bounds)[0] == 0
                n_in = int(inside_each(samples(ctx.extent(txt), inv), own).sum()) if clear else -1
                if n_in > most:
                    best, most = p, n_in
            txt.set_position(best)
            txt.set_color(readable(t.ink))
            txt.set_bbox({"boxstyle": "round,pad=0.2", "fc": WHITE, "ec": "none", "alpha": 0.9})
            box = ctx.extent(txt).padded(pad)
        obs.boxes.append(box)

    muted = readable(t.muted)
    small = ctx.pt * 0.9
    extra: list[tuple[str, tuple[float, float], Sequence[Ring], Sequence[Ring]]] = []
    if not highlight:
        extra += [
            (s.label, anchor(s, proj), projected[s.key], ())
            for s in shapes
            if s.role == "neighbour" and borders(s, region)
        ]
        extra += [(w.text.replace(" ", "\n", 1), proj(w.at), (), land) for w in waters]
    for label, (x, y), where, avoid in extra:
        txt = ctx.text(
            ax, x, y, label, size=small, color=muted, style="italic", ha="center", va="center", zorder=5
        )
        box = None
        for cx, cy in spots(label, x, y, far * 0.4):
            txt.set_position((cx, cy))
            if (box := fits(txt, where, avoid, pad * 2)) is not None and Bbox.intersection(
                box, bounds
            ) is not None:
                inner = Bbox.intersection(box, bounds)
                if inner is not None and inner.width >= box.width - 1 and inner.height >= box.height - 1:
                    break
            box = None
        if box is None:
            txt.remove()  # a neighbour's name is context: left out rather than crowding the map
            continue
        obs.boxes.append(box)
