"""What composing remembers or finds faster gives what it found before: the locator map's
surroundings follow a changed map or region, and the data pack's walk finds every figure a block
prints."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from digibrief.document import chartspecs
from digibrief.document.chartspecs import SpecBuilder
from digibrief.document.datapack import _facts_in
from digibrief.document.maplayout import bordering, borders
from digibrief.document.types import ChartSpec, Fact, MapShape, Run
from digibrief.document.words import Speech


def _surroundings(project: Any) -> Any:
    return SpecBuilder(project, Speech(), lambda ids: ())._surroundings


def _names(found: Any) -> tuple[list[str], list[str]]:
    around, waters = found
    return [s.label for s in around], [w.text for w in waters]


def test_the_same_map_and_region_give_the_surroundings_found_afresh(shipped_project: Any) -> None:
    remembered = _surroundings(shipped_project)
    assert _surroundings(shipped_project) is remembered  # remembered for this map and region
    chartspecs._AROUND.clear()  # as in a new process
    assert _surroundings(shipped_project) == remembered


def test_a_changed_map_gives_fresh_surroundings(shipped_project: Any) -> None:
    before = _surroundings(shipped_project)
    geo = shipped_project.geo
    first = before[0][0].key  # the first neighbour the region's map shows
    shapes = tuple(s.model_copy(update={"name": "Elsewhere"}) if s.id == first else s for s in geo.shapes)
    edited = shipped_project.model_copy(update={"geo": geo.model_copy(update={"shapes": shapes})})
    after = _surroundings(edited)
    assert "Elsewhere" in _names(after)[0]
    assert "Elsewhere" not in _names(before)[0]
    assert _surroundings(shipped_project) == before  # the first map again: its own surroundings


def test_a_changed_region_gives_fresh_surroundings(shipped_project: Any) -> None:
    before = _surroundings(shipped_project)
    gone = next(cid for cid in shipped_project.countries if cid not in shipped_project.report.countries)
    smaller = shipped_project.model_copy(
        update={"countries": {k: v for k, v in shipped_project.countries.items() if k != gone}}
    )
    after = _surroundings(smaller)
    assert gone in [s.key for s in after[0]]  # no longer the region's: a neighbour now
    assert gone not in [s.key for s in before[0]]


def _every_fact(node: object) -> list[Fact]:
    """The data pack's walk as plainly as it can be written: every Fact in node, in order, not
    looking into charts."""
    if isinstance(node, Fact):
        return [node]
    if isinstance(node, tuple | list):
        return [f for item in node for f in _every_fact(item)]
    if dataclasses.is_dataclass(node) and not isinstance(node, ChartSpec | type):
        return [f for field in dataclasses.fields(node) for f in _every_fact(getattr(node, field.name))]
    return []


def test_the_walk_finds_every_figure_each_block_prints(shipped_doc: Any) -> None:
    blocks = [b for s in shipped_doc.sections for b in s.blocks]
    assert sum(len(_facts_in(b)) for b in blocks) > 50
    for block in blocks:
        assert _facts_in(block) == _every_fact(block)


def test_the_walk_looks_into_a_block_type_it_has_not_seen() -> None:
    @dataclasses.dataclass(frozen=True)
    class Panel:
        title: str
        items: tuple[tuple[Run, ...], ...]
        note: Run | None = None

    fact = Fact(1.5, "percent", "1.5%", "2022", (1,))
    other = Fact(2.0, "percent", "2.0%", "2023", (2,))
    panel = Panel("t", ((Run("a"), Run("1.5%", fact=fact)),), Run("2.0%", fact=other))
    assert _facts_in(panel) == [fact, other]
    assert _facts_in([panel, Run("x")]) == [fact, other]


def _borders_by_scan(shape: MapShape, region: list[MapShape], near: float = 0.25) -> bool:
    """borders() as first written: every vertex of the region looked at for each of the shape's."""
    mine = [p for s in region for r in s.rings for p in r]
    cells = {(math.floor(p[0] / near), math.floor(p[1] / near)) for p in mine}
    return any(
        any(
            (math.floor(p[0] / near) + dx, math.floor(p[1] / near) + dy) in cells
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        )
        and any(abs(p[0] - q[0]) <= near and abs(p[1] - q[1]) <= near for q in mine)
        for r in shape.rings
        for p in r
    )


def test_the_region_s_neighbours_are_the_ones_a_full_scan_finds(shipped_project: Any) -> None:
    builder = SpecBuilder(shipped_project, Speech(), lambda ids: ())
    spec = builder.locator("locator", "t")
    region = [s for s in spec.shapes if s.role != "neighbour"]
    touches = bordering(region)
    found = [s.key for s in spec.shapes if s.role == "neighbour" and touches(s)]
    assert found == [s.key for s in spec.shapes if s.role == "neighbour" and _borders_by_scan(s, region)]
    assert found  # the shipped region has neighbours to name


def test_a_vertex_just_within_reach_across_two_cells_still_borders() -> None:
    """Vertices near * 1 apart whose cells, by rounding, lie two apart: a neighbour all the same."""
    below = math.nextafter(0.25, 0.0)
    region = [MapShape("A", "A", (((below, 0.0),),), "focus")]
    for point, near in [
        ((0.5, 0.0), 0.25),
        ((0.25 + 0.25, 0.1), 0.25),
        ((0.3, 0.3), 0.1),
        ((0.9, 0.0), 0.25),
    ]:
        shape = MapShape("B", "B", ((point,),), "neighbour")
        assert bordering(region, near)(shape) == _borders_by_scan(shape, region, near)
        assert borders(shape, region, near) == _borders_by_scan(shape, region, near)
    near_enough = MapShape("B", "B", (((0.5, 0.0),),), "neighbour")
    assert bordering(region)(near_enough) == _borders_by_scan(near_enough, region)


@dataclasses.dataclass(frozen=True)
class _Unhinted:
    label: NoSuchType  # type: ignore[name-defined]  # noqa: F821
    count: int


def test_a_block_whose_hints_cannot_be_read_is_looked_at_whole() -> None:
    fact = Fact(1.5, "percent", "1.5%", "2022", (1,))
    assert _facts_in(_Unhinted(Run("1.5%", fact=fact), 3)) == [fact]


def test_an_ordinal_s_form_is_babel_s_for_its_language_and_number() -> None:
    from babel import Locale

    from digibrief.document.words import _ordinal_form

    for language, n in [
        ("en", 1),
        ("en", 2),
        ("en", 3),
        ("en", 11),
        ("en", 22),
        ("fr", 1),
        ("fr", 2),
        ("en", 1),
    ]:
        assert _ordinal_form(language, n) == str(Locale.parse(language).ordinal_form(n))
