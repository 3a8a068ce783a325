"""The world map: boundaries shipped with digibrief, replaced by data/geo/ under any name."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from digibrief.errors import InputError
from digibrief.project.geo import WORLD
from digibrief.project.load import load


def test_the_shipped_world_boundaries_are_small_and_hold_every_country_by_its_iso_code():
    assert WORLD.stat().st_size < 400_000
    doc = json.loads(WORLD.read_text(encoding="utf-8"))
    ids = {f["properties"]["id"] for f in doc["features"] if "id" in f["properties"]}
    assert len(ids) > 170
    assert {"FRA", "NOR", "ARM", "AZE", "GEO", "TUR", "KAZ", "BRA", "USA", "AUS"} <= ids
    assert all(re.fullmatch(r"[A-Z]{3}", i) for i in ids)  # no -99 of Natural Earth's ISO_A3
    for f in doc["features"]:
        assert set(f["properties"]) <= {"id", "name", "kind"}


def _without_own_map(project: Path) -> None:
    shutil.rmtree(project / "data" / "geo", ignore_errors=True)


def test_a_project_without_a_map_of_its_own_draws_and_cites_the_world_boundaries(project_copy):
    _without_own_map(project_copy)
    sources = project_copy / "data" / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    start = text.index("  NATURAL_EARTH_110M:")
    sources.write_text(text[:start], encoding="utf-8")  # the last entry: cut it out
    p = load(project_copy / "data", project_copy / "report")
    assert p.geo is not None and p.geo.source == "NATURAL_EARTH_110M"
    assert p.sources["NATURAL_EARTH_110M"].publisher == "Natural Earth"
    assert {"ARM", "AZE", "GEO"} <= {s.id for s in p.geo.shapes}


def _small_map(name: str) -> str:
    ring = "[[44,40],[46,40],[46,42],[44,40]]"
    return (
        '{"type":"FeatureCollection","source":"NATURAL_EARTH_110M","frame":[40,35,50,45],"features":['
        '{"type":"Feature","properties":{"id":"KAZ","name":"' + name + '"},'
        '"geometry":{"type":"Polygon","coordinates":[' + ring + "]}}]}"
    )


def test_data_geo_replaces_the_world_boundaries_under_any_name(project_copy):
    _without_own_map(project_copy)
    geo = project_copy / "data" / "geo"
    geo.mkdir()
    (geo / "my-region.geojson").write_text(_small_map("Kazakh land"), encoding="utf-8")
    p = load(project_copy / "data", project_copy / "report")
    assert p.geo is not None and [s.name for s in p.geo.shapes] == ["Kazakh land"]


def test_two_maps_in_data_geo_are_a_located_error(project_copy):
    _without_own_map(project_copy)
    geo = project_copy / "data" / "geo"
    geo.mkdir()
    (geo / "a.geojson").write_text(_small_map("A"), encoding="utf-8")
    (geo / "b.geojson").write_text(_small_map("B"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load(project_copy / "data", project_copy / "report")
    said = [str(p) for p in e.value.problems]
    assert any("geo" in s and "a.geojson, b.geojson" in s for s in said), said


def test_a_map_citing_an_unknown_source_is_a_located_error(project_copy):
    _without_own_map(project_copy)
    geo = project_copy / "data" / "geo"
    geo.mkdir()
    (geo / "mine.geojson").write_text(
        _small_map("K").replace("NATURAL_EARTH_110M", "MY_MAP"), encoding="utf-8"
    )
    with pytest.raises(InputError) as e:
        load(project_copy / "data", project_copy / "report")
    assert any("mine.geojson" in str(p) and "MY_MAP" in str(p) for p in e.value.problems)
