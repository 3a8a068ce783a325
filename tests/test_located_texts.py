"""A parsed file's texts are walked once, by whichever step asks first, and are the texts of the
bytes parsed: a changed file is parsed, and walked, afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from digibrief.project import kept, yamlsource
from digibrief.project.yamlsource import read, strings


def test_a_file_s_texts_are_its_strings_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    located, _ = yamlsource.parse(b"a: one\nb: [two, {c: three}]\nd: 4\n", "x.yaml")
    assert located is not None
    walks: list[int] = []
    walk = yamlsource.strings

    def counted(value: object, path: tuple = ()) -> object:
        walks.append(len(path))  # 0: a walk from the top; more: its steps down
        return walk(value, path)

    monkeypatch.setattr(yamlsource, "strings", counted)
    expected = [(("a",), "one"), (("b", 0), "two"), (("b", 1, "c"), "three")]
    assert list(located.texts()) == expected == list(strings(located.value))
    assert located.texts() is located.texts()
    assert walks.count(0) == 1


def test_an_edited_file_gives_the_texts_of_its_new_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    kept.keep()
    try:
        path.write_text('a: "TODO: the first"\n', encoding="utf-8")
        first, _ = read(path)
        path.write_text("a: the second\n", encoding="utf-8")
        second, _ = read(path)
    finally:
        kept.forget()
    assert first is not None and second is not None
    assert [t for _, t in first.texts()] == ["TODO: the first"]
    assert [t for _, t in second.texts()] == ["the second"]
