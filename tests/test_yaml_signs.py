"""A text with '&' or '*' in it (a link's query, **bold**, a comment) is composed by libyaml too, and
reads exactly as when each node is composed here; one with an anchor, an alias or a tag before an
anchor is still refused at the same place, in the same words. Scalars read as PyYAML's safe loader
reads them; the map's shapes are what pydantic would have made of them."""

from __future__ import annotations

import math

import pytest
import yaml

from digibrief.project import geo, yamlsource
from digibrief.project.model import GeoMap

from .conftest import read_both_ways


@pytest.mark.parametrize(
    "raw",
    [
        b'a: "**Bold** lead & more"\nb: https://example.org/?a=1&b=2\nc: x*y\n',
        b"# a comment with &anchor and *alias words\na: [AT&T, 2*3]\n",
        b"a: '&not an anchor'\nb: \"*not an alias\"\nc: |\n  &literal *text\n",
        b"a: {k: '&', l: '*'}\nb: [x&y, '*']\n",
    ],
)
def test_a_sign_that_starts_no_node_reads_alike(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = read_both_ways(raw, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"a: &x 1\n", "anchors (&name) are not allowed"),
        (b"a: [1, &x 2]\nb: '**'\n", "anchors (&name) are not allowed"),
        (b"a: !!str &x 1\n", "anchors (&name) are not allowed"),
        (b"--- &root\na: 1\n", "anchors (&name) are not allowed"),
        (b"? &k a\n: 1\n", "anchors (&name) are not allowed"),
        (b"a: &x\nb: 1\n", "anchors (&name) are not allowed"),
        (b"a: &x [1]\nb: *x\n", "anchors (&name) are not allowed"),
        (b"a: *x\n", "aliases (*name) are not allowed"),
        (b"a: [1, *x]\n", "aliases (*name) are not allowed"),
    ],
)
def test_an_anchor_or_alias_is_refused_where_it_is_written(
    raw: bytes, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, slow = read_both_ways(raw, monkeypatch)
    assert fast == slow
    located, problems = fast  # type: ignore[misc]
    assert located is None and message in problems[0].message


_SCALARS = [
    "text", "'quoted'", '"42"', "yes", "No", "on", "OFF", "true", "~", "null", "", "0", "-0", "017",
    "0o17", "0x1F", "0b101", "1_000", "+12", "-7", "1:30", "190:20:30", "3.5", "1e3", "1.0e+3", "6.8523015e+5",
    ".inf", "-.Inf", ".NaN", "1.", "._5", "2024-11-29", "!!str 12", "!!int 12", "!!float 1", "!!bool yes",
    "!!null ''", "<<",
]  # fmt: skip


@pytest.mark.parametrize("scalar", _SCALARS)
def test_a_scalar_reads_as_the_safe_loader_reads_it(scalar: str) -> None:
    raw = f"a: {scalar}\nb:\n  - {scalar}\n".encode()
    located, problems = yamlsource.parse(raw, "x.yaml")
    try:
        expected = yaml.safe_load(raw)
    except yaml.YAMLError:  # a merge key with no mapping to merge: a tag this reader refuses
        assert problems and "are not allowed" in problems[0].message
        return
    if isinstance(expected["a"], str | int | float | bool) or expected["a"] is None:
        assert located is not None and not problems
        for got, want in ((located.value["a"], expected["a"]), (located.value["b"][0], expected["b"][0])):
            assert type(got) is type(want)
            assert got == want or (isinstance(want, float) and math.isnan(want) and math.isnan(got))
    else:  # a date is read as its text; a merge key is refused as a tag
        assert located is None or problems or located.value["a"] == scalar


def test_the_map_s_shapes_are_what_pydantic_makes_of_them() -> None:
    problems: list = []
    read = geo.load_geo(geo.WORLD, "world", problems)
    assert read is not None and not problems
    validated = GeoMap.model_validate(read.model_dump())
    assert validated == read
    assert all(type(x) is float for s in read.shapes for r in s.rings for p in r for x in p)
