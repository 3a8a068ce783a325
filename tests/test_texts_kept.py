"""A file's sentences are kept by its bytes (project/texts.py): a watch's change summary reads every
file after each save, so an unchanged file is not parsed again, and a changed one always is."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from digibrief.project import texts, yamlsource

BEFORE = "summary: >\n  Kazakhstan placed {KAZ egdi_rank 2024 of}. No reference here.\n"
AFTER = (
    "summary: >\n  Uzbekistan rose to {UZB egdi_rank 2024}.\n  Kazakhstan placed {KAZ egdi_rank 2024 of}.\n"
)


@pytest.fixture(autouse=True)
def fresh() -> Any:
    texts.forget()
    yield
    texts.forget()


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read = yamlsource.read
    calls: list[str] = []

    def counted(path: Path, name: str | None = None) -> Any:
        calls.append(str(path))
        return read(path, name)

    monkeypatch.setattr(yamlsource, "read", counted)
    return calls


def test_an_unchanged_file_gives_its_sentences_without_being_parsed_again(tmp_path, monkeypatch):
    path = tmp_path / "report.yaml"
    path.write_text(BEFORE, encoding="utf-8")
    calls = _parses(monkeypatch)
    first = texts.sentences_in(path)
    assert [s.text for s in first] == ["Kazakhstan placed {KAZ egdi_rank 2024 of}."]
    assert texts.sentences_in(path) == first
    assert len(calls) == 1


def test_a_changed_file_is_read_again_even_at_the_same_size_and_time(tmp_path, monkeypatch):
    path = tmp_path / "report.yaml"
    path.write_text(BEFORE, encoding="utf-8")
    texts.sentences_in(path)
    stat = path.stat()
    path.write_text(AFTER, encoding="utf-8")
    calls = _parses(monkeypatch)
    found = texts.sentences_in(path)
    assert [(s.line, s.text) for s in found] == [
        (2, "Uzbekistan rose to {UZB egdi_rank 2024}."),
        (3, "Kazakhstan placed {KAZ egdi_rank 2024 of}."),
    ]
    assert len(calls) == 1
    same = AFTER.replace("Uzbekistan rose", "Uzbekistan fell")  # same length, other words
    path.write_text(same, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert texts.sentences_in(path)[0].text == "Uzbekistan fell to {UZB egdi_rank 2024}."


def test_a_kept_list_is_a_copy_the_caller_may_change(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text(BEFORE, encoding="utf-8")
    texts.sentences_in(path).clear()
    assert len(texts.sentences_in(path)) == 1
