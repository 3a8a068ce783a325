"""The locator map's boundaries, read and checked, never downloaded.

digibrief ships the world's (world/countries.geojson: Natural Earth 1:110m admin-0, public domain,
its source entry in world/sources.yaml). A project may replace them with one .geojson file of any
name in data/geo/. Either is a GeoJSON FeatureCollection: each country is a feature with
properties {id, name} and a Polygon or MultiPolygon of lon/lat rings; a sea or lake to name is a
feature with properties {kind: "water", name} and a Point where its name goes. The collection names
its entry in sources.yaml ("source") and may give the lon/lat box it covers ("frame"; by default,
its outlines' extent).
Problems are reported like any input's, with the file and the place in it (line:col for bad JSON,
the key path such as features[3].geometry otherwise).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from digibrief.errors import Problem
from digibrief.project import kept
from digibrief.project.model import GeoMap, GeoShape, GeoWater

GEO_FOLDER = "geo"  # under the data folder: a project's own boundaries, one .geojson file of any name
WORLD = Path(__file__).parent / "world" / "countries.geojson"  # the shipped boundaries
WORLD_SOURCES = WORLD.with_name("sources.yaml")  # the shipped boundaries' source entry
MAX_BYTES = 1_000_000
MAX_POINTS = 50_000

Ring = tuple[tuple[float, float], ...]


def map_file(data_dir: Path, where: str, problems: list[Problem]) -> Path | None:
    """The boundaries the map is drawn from: data/geo/'s one .geojson file (where names that
    folder in problems), else the world's shipped with digibrief; None when data/geo/ holds several."""
    folder = data_dir / GEO_FOLDER
    own = sorted(folder.glob("*.geojson")) if folder.is_dir() else []
    if len(own) > 1:
        names = ", ".join(p.name for p in own)
        problems.append(Problem(where, 0, 0, "", f"holds {len(own)} maps ({names}); keep one .geojson file"))
        return None
    return own[0] if own else WORLD


def stray_files(data_dir: Path, where: str) -> list[Problem]:
    """A warning for each file in data/geo/ that is not a .geojson file: the build never reads it."""
    folder = data_dir / GEO_FOLDER
    if not folder.is_dir():
        return []
    return [
        Problem(f"{where}/{p.name}", 0, 0, "", "not read: the map's boundaries are one .geojson file")
        for p in sorted(folder.iterdir())
        if not p.name.startswith(".") and p.suffix != ".geojson"
    ]


# the map read in a warm process, by where it is shown and the digest of its bytes (project/kept.py)
_MAPS: kept.Kept[tuple[GeoMap | None, tuple[Problem, ...]]] = kept.Kept()


def load_geo(path: Path, where: str, problems: list[Problem]) -> GeoMap | None:
    """The shapes in path (shown as where in problems), or None with the problems added to problems."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        problems.append(Problem(where, 0, 0, "", f"cannot read the map's boundaries: {e.strerror or e}"))
        return None
    version = kept.digest(raw)
    if (done := _MAPS.get(where, version)) is not None:
        problems += done[1]
        return done[0]
    read: list[Problem] = []
    geo = _read_map(raw, where, read)
    _MAPS.put(where, version, (geo, tuple(read)))
    problems += read
    return geo


def _read_map(raw: bytes, where: str, problems: list[Problem]) -> GeoMap | None:
    """load_geo's work: the shapes in raw, or None with the problems added to problems."""
    found: list[Problem] = []

    def bad(at: str, message: str, line: int = 0, col: int = 0) -> None:
        found.append(Problem(where, line, col, at, message))

    if len(raw) > MAX_BYTES:
        problems.append(
            Problem(where, 0, 0, "", f"{len(raw)} bytes; a locator map needs far less (limit {MAX_BYTES})")
        )
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        problems.append(Problem(where, 0, 0, "", f"not UTF-8 text: {e.reason} at byte {e.start}"))
        return None
    except json.JSONDecodeError as e:
        problems.append(Problem(where, e.lineno, e.colno, "", f"not valid JSON: {e.msg}"))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        bad("type", "expected a GeoJSON FeatureCollection")
        problems += found
        return None
    source = doc.get("source")
    if not isinstance(source, str) or not source:
        bad("source", 'name the boundaries\' entry in sources.yaml, e.g. "source": "NATURAL_EARTH_110M"')
    frame = _frame(doc.get("frame"), bad) if "frame" in doc else None
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        bad("features", "expected a non-empty list of features")
        features = []
    shapes: list[GeoShape] = []
    waters: list[GeoWater] = []
    seen: set[str] = set()
    points = 0
    for i, f in enumerate(features):
        at = f"features[{i}]"
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict):
            bad(at, "expected a feature with properties {id, name}")
            continue
        if props.get("kind") == "water":
            water = _water(props.get("name"), f.get("geometry"), at, bad)
            if water is not None:
                waters.append(water)
            continue
        fid, name = props.get("id"), props.get("name")
        if not (isinstance(fid, str) and len(fid) == 3 and fid.isalpha() and fid.isupper()):
            bad(f"{at}.properties.id", f"expected a three-letter upper-case country code, not {fid!r}")
            continue
        if fid in seen:
            bad(f"{at}.properties.id", f"country {fid!r} appears twice")
            continue
        seen.add(fid)
        if not isinstance(name, str) or not name.strip():
            bad(f"{at}.properties.name", "expected the country's name")
            continue
        rings = _rings(f.get("geometry"), f"{at}.geometry", bad)
        if rings is None:
            continue
        points += sum(len(r) for r in rings)
        # the values are checked here (a three-letter code, a name, rings of float pairs in range):
        # pydantic need not check every point again
        shapes.append(GeoShape.model_construct(id=fid, name=name.strip(), rings=rings))
    if features and not shapes and not found:
        bad("features", "expected at least one country's outline")
    if points > MAX_POINTS:
        bad("features", f"{points} points; simplify the boundaries (limit {MAX_POINTS})")
    problems += found
    if found or not isinstance(source, str):
        return None
    return GeoMap(source=source, frame=frame or _extent(shapes), shapes=tuple(shapes), waters=tuple(waters))


def _extent(shapes: list[GeoShape]) -> tuple[float, float, float, float]:
    pts = [p for s in shapes for r in s.rings for p in r]
    return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


def _water(name: Any, geom: Any, at: str, bad: Any) -> GeoWater | None:
    """A named sea or lake: a name and a Point of lon/lat where it goes."""
    if not isinstance(name, str) or not name.strip():
        bad(f"{at}.properties.name", "expected the water's name")
        return None
    point = geom.get("coordinates") if isinstance(geom, dict) and geom.get("type") == "Point" else None
    if not (
        isinstance(point, list)
        and len(point) >= 2
        and _number(point[0])
        and _number(point[1])
        and -180 <= point[0] <= 180
        and -90 <= point[1] <= 90
    ):
        bad(f"{at}.geometry", "expected a Point [lon, lat] where the water's name goes")
        return None
    return GeoWater(name=name.strip(), at=(float(point[0]), float(point[1])))


def _frame(value: Any, bad: Any) -> tuple[float, float, float, float] | None:
    if (
        isinstance(value, list)
        and len(value) == 4
        and all(_number(v) for v in value)
        and -180 <= value[0] < value[2] <= 180
        and -90 <= value[1] < value[3] <= 90
    ):
        return (float(value[0]), float(value[1]), float(value[2]), float(value[3]))
    bad("frame", "expected [west, south, east, north] in degrees, west < east and south < north")
    return None


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _rings(geom: Any, at: str, bad: Any) -> tuple[Ring, ...] | None:
    """The outer rings of a Polygon or MultiPolygon (holes are not drawn on a locator map)."""
    if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
        bad(at, "expected a Polygon or MultiPolygon geometry")
        return None
    coords = geom.get("coordinates")
    polys = coords if geom["type"] == "MultiPolygon" else [coords]
    if not isinstance(polys, list) or not polys:
        bad(f"{at}.coordinates", "expected a list of polygons")
        return None
    out: list[Ring] = []
    for j, poly in enumerate(polys):
        here = f"{at}.coordinates[{j}]" if geom["type"] == "MultiPolygon" else f"{at}.coordinates"
        if not isinstance(poly, list) or not poly or not isinstance(poly[0], list):
            bad(here, "expected a polygon: a list of rings")
            return None
        ring = poly[0]
        points = _points(ring)
        if points is not None:
            out.append(points)
            continue
        if len(ring) < 4 or not all(
            isinstance(p, list) and len(p) >= 2 and _number(p[0]) and _number(p[1]) for p in ring
        ):
            bad(f"{here}[0]", "expected a ring of at least four [lon, lat] points")
        else:
            bad(f"{here}[0]", "a point lies outside -180..180 longitude or -90..90 latitude")
        return None
    return tuple(out)


_NUMBERS = (int, float)  # the types json gives a number (a bool is neither)


def _points(ring: list[Any]) -> Ring | None:
    """A ring of at least four [lon, lat] points in range, as floats, in one pass; None for any other
    ring, which _rings then names (the map of every load: its thousands of points were checked three
    times over, a third of a small project's load). A NaN or an infinity is never in range."""
    if len(ring) < 4:
        return None
    out = []
    for p in ring:
        if type(p) is not list or len(p) < 2:
            return None
        lon, lat = p[0], p[1]
        if type(lon) not in _NUMBERS or type(lat) not in _NUMBERS:
            return None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return None
        out.append((float(lon), float(lat)))
    return tuple(out)
