"""Make the world boundaries digibrief ships from Natural Earth's 1:110m admin-0 countries (public domain).

Run once when the boundaries are updated; the build reads the small file this writes and never
downloads anything:

    python scripts/locator_geojson.py ne_110m_admin_0_countries.geojson src/digibrief/project/world/countries.geojson
    python scripts/locator_geojson.py naturalearth_lowres.shp src/digibrief/project/world/countries.geojson

The source is Natural Earth's GeoJSON, or its shapefile as the geopandas 0.14 wheel ships it
(geopandas/datasets/naturalearth_lowres/, read here without geopandas). Keeps every country, so
that a country a user adds has its outline and its neighbours (Antarctica aside), clips each ring
to the frame (Sutherland-Hodgman), simplifies it (Douglas-Peucker) and rounds coordinates to 0.01
degree. The locator map frames the report's countries itself.
"""

from __future__ import annotations

import json
import math
import sys
from itertools import pairwise
from pathlib import Path

FRAME = (-180.0, -60.0, 180.0, 84.0)  # lon, lat: west, south, east, north (the world but Antarctica)
TOLERANCE = 0.06  # degrees; about 5 km, well under a hairline at the map's size
# seas and lakes whose names the map may set (Natural Earth's 1:110m marine areas and lakes name
# them), each at a point of its water: the map moves a name from there until it fits on water
WATERS = {"Caspian Sea": (50.6, 41.6), "Black Sea": (34.0, 43.4)}

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


# Natural Earth's own codes for the places the shapefile leaves without an ISO code
NO_ISO = {"Kosovo": "KOS", "Somaliland": "SOL", "N. Cyprus": "CYN"}


def read_shapefile(shp: Path) -> list[tuple[str, str, list[list[Point]]]]:
    """(code, name, outer rings) per record of a polygon shapefile and its .dbf (iso_a3 and name)."""
    import struct

    dbf = shp.with_suffix(".dbf").read_bytes()
    cpg = shp.with_suffix(".cpg")
    encoding = cpg.read_text().strip() if cpg.is_file() else "utf-8"
    count, header, width = struct.unpack("<IHH", dbf[4:12])
    fields, at = [], 32
    while dbf[at] != 0x0D:
        name = dbf[at : at + 11].split(b"\0")[0].decode()
        fields.append((name, dbf[at + 16]))
        at += 32
    records = []
    for i in range(count):
        row, pos, values = dbf[header + i * width + 1 : header + (i + 1) * width], 0, {}
        for name, size in fields:
            values[name] = row[pos : pos + size].decode(encoding).strip()
            pos += size
        records.append(values)
    data, at, out = shp.read_bytes(), 100, []
    for values in records:
        length = struct.unpack(">I", data[at + 4 : at + 8])[0] * 2
        body = data[at + 8 : at + 8 + length]
        at += 8 + length
        if struct.unpack("<i", body[:4])[0] != 5:  # not a polygon
            continue
        parts, points = struct.unpack("<ii", body[36:44])
        starts = [*struct.unpack(f"<{parts}i", body[44 : 44 + 4 * parts]), points]
        xy = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts : 44 + 4 * parts + 16 * points])
        rings = [[(xy[2 * k], xy[2 * k + 1]) for k in range(a, b)] for a, b in pairwise(starts)]
        # outer rings run clockwise in a shapefile (a negative shoelace sum), holes the other way
        outer = [r for r in rings if sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(r)) < 0]
        name = values.get("name", "")
        code = values.get("iso_a3", "")
        out.append((code if code.isalpha() else NO_ISO.get(name, ""), name, outer))
    return out


def read_geojson(src: Path) -> list[tuple[str, str, list[list[Point]]]]:
    world = json.loads(src.read_text(encoding="utf-8"))
    out = []
    for f in world["features"]:
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out.append(
            (f["properties"].get("ADM0_A3", ""), f["properties"].get("NAME", ""), [p[0] for p in polys])
        )
    return out


def main(src: Path, dst: Path) -> None:
    places = read_shapefile(src) if src.suffix == ".shp" else read_geojson(src)
    features = []
    for iso, name, outer in places:
        if len(iso) != 3 or name == "Antarctica":
            continue
        rings = [r for ring in outer if (r := ring_out(ring)) is not None]  # outer rings only
        if rings:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"id": iso, "name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings]},
                }
            )
    features.sort(key=lambda f: f["properties"]["id"])
    features += [
        {
            "type": "Feature",
            "properties": {"kind": "water", "name": name},
            "geometry": {"type": "Point", "coordinates": list(at)},
        }
        for name, at in WATERS.items()
    ]
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
