"""Make data/geo/central-asia.geojson from Natural Earth's 1:110m admin-0 countries (public domain).

Run once when the boundaries are updated; the build reads the small file this writes and never
downloads anything:

    python scripts/locator_geojson.py ne_110m_admin_0_countries.geojson data/geo/central-asia.geojson

Keeps the region (the five countries and their neighbours), clips each ring to the map's frame
(Sutherland-Hodgman), simplifies it (Douglas-Peucker) and rounds coordinates to 0.01 degree.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

FRAME = (44.0, 33.0, 90.0, 56.5)  # lon, lat: west, south, east, north
TOLERANCE = 0.06  # degrees; about 5 km, well under a hairline at the map's size
KEEP = {
    # the five countries, then the neighbours drawn for context
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "RUS": "Russia",
    "CHN": "China",
    "AFG": "Afghanistan",
    "IRN": "Iran",
    "PAK": "Pakistan",
    "IND": "India",
    "MNG": "Mongolia",
    "AZE": "Azerbaijan",
    "ARM": "Armenia",
    "GEO": "Georgia",
    "IRQ": "Iraq",
    "TUR": "Turkey",
}

Point = tuple[float, float]


def clip(ring: list[Point], frame: tuple[float, float, float, float]) -> list[Point]:
    """The ring cut to the frame (Sutherland-Hodgman against its four edges)."""
    x0, y0, x1, y1 = frame
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[0] <= x1, lambda p, q: (x1, p[1] + (q[1] - p[1]) * (x1 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[1] >= y0, lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)),
        (lambda p: p[1] <= y1, lambda p, q: (p[0] + (q[0] - p[0]) * (y1 - p[1]) / (q[1] - p[1]), y1)),
    ]
    out = ring
    for inside, cross in edges:
        src, out = out, []
        for i, q in enumerate(src):
            p = src[i - 1]
            if inside(q):
                if not inside(p):
                    out.append(cross(p, q))
                out.append(q)
            elif inside(p):
                out.append(cross(p, q))
        if not out:
            break
    return out


def simplify(points: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker: drop points closer than tol to the line between the ones kept."""
    if len(points) < 3:
        return points
    (ax, ay), (bx, by) = points[0], points[-1]
    dx, dy = bx - ax, by - ay
    norm = math.hypot(dx, dy)
    best, at = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * px - dx * py + bx * ay - by * ax) / norm if norm else math.hypot(px - ax, py - ay)
        if d > best:
            best, at = d, i
    if best <= tol:
        return [points[0], points[-1]]
    return simplify(points[: at + 1], tol)[:-1] + simplify(points[at:], tol)


def ring_out(ring: list[Point]) -> list[list[float]] | None:
    ring = clip([(float(x), float(y)) for x, y in ring], FRAME)
    if len(ring) < 3:
        return None
    half = len(ring) // 2  # a closed ring is simplified as two open halves
    kept = simplify(ring[: half + 1], TOLERANCE)[:-1] + simplify([*ring[half:], ring[0]], TOLERANCE)[:-1]
    pts = [[round(x, 2), round(y, 2)] for x, y in kept]
    pts = [p for i, p in enumerate(pts) if p != pts[i - 1]]
    if len(pts) < 3:
        return None
    return [*pts, pts[0]]


def main(src: Path, dst: Path) -> None:
    world = json.loads(src.read_text(encoding="utf-8"))
    features = []
    for f in world["features"]:
        iso = f["properties"].get("ADM0_A3")
        if iso not in KEEP:
            continue
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = [r for poly in polys if (r := ring_out(poly[0])) is not None]  # outer rings; no holes here
        if rings:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"id": iso, "name": KEEP[iso]},
                    "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
                }
            )
    features.sort(key=lambda f: list(KEEP).index(f["properties"]["id"]))
    out = {
        "type": "FeatureCollection",
        "source": "NATURAL_EARTH_110M",
        "frame": list(FRAME),
        "features": features,
    }
    text = json.dumps(out, separators=(",", ":"), ensure_ascii=False)
    dst.write_text(text.replace('{"type":"Feature"', '\n{"type":"Feature"') + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
