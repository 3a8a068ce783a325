"""A map's rings are read in one pass when every point is good (project/geo.py _points); any other ring
is named with what is wrong with it, as before the fast path."""

from __future__ import annotations

import json
from typing import Any

import pytest

from digibrief.errors import Problem
from digibrief.project import geo

SQUARE = [[60.0, 40.0], [70, 40.0], [70.0, 50.0], [60.0, 40.0]]


def _read(ring: Any) -> tuple[Any, list[Problem]]:
    feature = {
        "type": "Feature",
        "properties": {"id": "KAZ", "name": "Kazakhstan"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    doc = {"type": "FeatureCollection", "source": "S", "features": [feature]}
    problems: list[Problem] = []
    return geo._read_map(json.dumps(doc).encode(), "data/geo/m.geojson", problems), problems


def test_a_good_ring_is_read_as_float_pairs():
    read, problems = _read(SQUARE)
    assert problems == []
    (ring,) = read.shapes[0].rings
    assert ring == ((60.0, 40.0), (70.0, 40.0), (70.0, 50.0), (60.0, 40.0))
    assert all(type(v) is float for point in ring for v in point)
    assert ring == geo._points(SQUARE)


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        (SQUARE[:3], "expected a ring of at least four [lon, lat] points"),
        ([*SQUARE[:2], [True, 45.0], SQUARE[3]], "expected a ring of at least four [lon, lat] points"),
        ([*SQUARE[:2], ["70", 45.0], SQUARE[3]], "expected a ring of at least four [lon, lat] points"),
        ([*SQUARE[:2], [70.0], SQUARE[3]], "expected a ring of at least four [lon, lat] points"),
        ([*SQUARE[:2], float("nan"), SQUARE[3]], "expected a ring of at least four [lon, lat] points"),
        (
            [*SQUARE[:2], [float("nan"), 45.0], SQUARE[3]],
            "expected a ring of at least four [lon, lat] points",
        ),
        (
            [*SQUARE[:2], [float("inf"), 45.0], SQUARE[3]],
            "expected a ring of at least four [lon, lat] points",
        ),
        (
            [*SQUARE[:2], [181, 45.0], SQUARE[3]],
            "a point lies outside -180..180 longitude or -90..90 latitude",
        ),
        (
            [*SQUARE[:2], [70.0, -90.5], SQUARE[3]],
            "a point lies outside -180..180 longitude or -90..90 latitude",
        ),
    ],
    ids=["three-points", "bool", "text", "one-number", "not-a-pair", "nan", "infinity", "east", "south"],
)
def test_a_bad_ring_is_named_with_what_is_wrong(ring: Any, message: str):
    read, problems = _read(ring)
    assert read is None
    assert [(p.path, p.message) for p in problems] == [("features[0].geometry.coordinates[0]", message)]
    assert geo._points(ring) is None
