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


# --- what the map names: the data's names, the labels table's words -------------------------------


def _speech(**words: str):
    from digibrief.document.words import Speech
    from digibrief.vocabulary import MONTHS, MONTHS_SHORT, ORDINAL, WORDS

    return Speech.of("en", {**WORDS, **words}, MONTHS, MONTHS_SHORT, ORDINAL)


def _cover_map(project, speech):
    from digibrief.document.chartspecs import SpecBuilder

    return SpecBuilder(project, speech, lambda ids: (1,)).locator_map()[0]


def test_the_map_alt_text_is_in_the_labels_table_words_and_the_data_names(shipped_project):
    spec = _cover_map(shipped_project, _speech(locator_title="Steppe", map_alt_around="Nearby: {names}."))
    assert spec.alt.startswith(
        "Steppe: a map with Kazakhstan, Uzbekistan, Kyrgyzstan and Tajikistan in colour"
    )
    assert "Turkmenistan outlined" in spec.alt
    nearby = spec.alt.split("Nearby: ")[1]
    assert {"Russia", "China", "Iran", "Afghanistan", "Caspian Sea"} <= set(re.split(r", | and |\.", nearby))
    assert "Central Asia" not in spec.alt


def test_water_is_named_only_where_the_boundaries_name_it(project_copy):
    from digibrief import charts
    from digibrief.project.theming import make_theme

    geo = project_copy / "data" / "geo"
    geo.mkdir(exist_ok=True)
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    world["features"] = [f for f in world["features"] if f["properties"].get("kind") != "water"]
    (geo / "no-water.geojson").write_text(json.dumps(world), encoding="utf-8")
    p = load(project_copy / "data", project_copy / "report")
    assert p.geo is not None and p.geo.waters == ()
    spec = _cover_map(p, _speech())
    assert spec.waters == () and "Caspian" not in spec.alt
    svg = charts.render(spec, make_theme(p.theme, project_copy / "report"), charts.MEDIA["print_map"], "svg")
    assert b"Caspian" not in svg


def test_a_file_in_data_geo_that_is_not_a_map_is_a_located_warning(project_copy):
    geo = project_copy / "data" / "geo"
    geo.mkdir(exist_ok=True)
    (geo / "notes.txt").write_text("where the map came from", encoding="utf-8")
    p = load(project_copy / "data", project_copy / "report")
    assert any(w.file.endswith("geo/notes.txt") and "not read" in w.message for w in p.warnings)


def test_the_frame_follows_the_countries_of_the_brief_wherever_they_are():
    from digibrief.document.maplayout import region_frame, within
    from digibrief.document.types import MapShape

    doc = json.loads(WORLD.read_text(encoding="utf-8"))

    def shape(iso: str, role: str) -> MapShape:
        f = next(f for f in doc["features"] if f["properties"].get("id") == iso)
        return MapShape(
            iso,
            f["properties"]["name"],
            tuple(tuple(map(tuple, p[0])) for p in f["geometry"]["coordinates"]),
            role,
        )  # type: ignore[arg-type]

    caucasus = [shape("ARM", "focus"), shape("AZE", "focus"), shape("GEO", "focus"), shape("TUR", "context")]
    w, s, e, n = region_frame(caucasus, (-180, -60, 180, 84))
    assert 20 < w < 27 and 49 < e < 56 and 30 < s < 37 and 42 < n < 50
    waters = {
        f["properties"]["name"]: f["geometry"]["coordinates"]
        for f in doc["features"]
        if "kind" in f["properties"]
    }
    assert within(tuple(waters["Black Sea"]), (w, s, e, n)) and within(
        tuple(waters["Caspian Sea"]), (w, s, e, n)
    )
