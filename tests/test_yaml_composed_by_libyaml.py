"""A text with no anchor or alias in it is composed by libyaml: it reads, and is refused, exactly as
when each node is composed here with the anchor, alias and node-count checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from digibrief.project import yamlsource
from tests.conftest import ROOT, read_both_ways

pytestmark = pytest.mark.skipif(yamlsource._Composer is None, reason="PyYAML without libyaml")


def _files() -> list[Path]:
    return sorted(p for folder in (ROOT / "data", ROOT / "report") for p in folder.rglob("*.yaml"))


def test_every_project_file_reads_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files()
    assert (
        sum(
            "&" not in p.read_text(encoding="utf-8") and "*" not in p.read_text(encoding="utf-8")
            for p in files
        )
        > 5
    )
    for path in files:
        fast, slow = read_both_ways(path.read_bytes(), monkeypatch)
        assert fast == slow, path


@pytest.mark.parametrize(
    "raw",
    [
        b"a: 1\n\tb: 2\n",
        b"a: 1\na: 2\n",
        b"!$",
        b"a: !!int nope",
        b"a: !!python/object/apply:os.system [ls]",
        b"---\na: 1\n---\nb: 2\n",
        b"a: [1, 2\n",
        b"a: {b: 1, b: 2}\n",
        b"- x\n- {y: [1, {z: 2}]}\n",
        b"a:\n  b: 'quoted'\n  c: \"two\\nlines\"\n  d: 2024-11-29\n",
        b"{? [1, 2]: x}\n",
        b"",
        b"# nothing but a comment\n",
    ],
)
def test_broken_or_unusual_yaml_is_refused_or_read_alike(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = read_both_ways(raw, monkeypatch)
    assert fast == slow


def test_too_many_values_name_the_same_node(monkeypatch: pytest.MonkeyPatch) -> None:
    items = ", ".join("0" for _ in range(yamlsource.MAX_NODES + 5))
    raw = f"a: 1\nb:\n  c: [{items}]\n".encode()
    fast, slow = read_both_ways(raw, monkeypatch)
    assert fast == slow
    _, problems = fast  # type: ignore[misc]
    assert problems and "too many values" in problems[0].message


def test_anchors_and_aliases_are_still_refused() -> None:
    for raw in (b"a: &x [1]\nb: *x\n", b"a: &x 1\n"):
        located, problems = yamlsource.parse(raw, "x.yaml")
        assert located is None and "anchors (&name) are not allowed" in problems[0].message
    located, problems = yamlsource.parse(b"a: *x\n", "x.yaml")
    assert located is None and problems
