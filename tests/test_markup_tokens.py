"""Text's markup is found once per text and replayed: every text parses to the runs, and cites its
sources in the order, that a scan of the text each time gives."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from digibrief.document import citations, markup
from digibrief.document.markup import _SENTENCE_END, _glue, parse
from digibrief.document.types import Run, Text
from digibrief.project.yamlsource import read, strings
from digibrief.syntax import TOKEN, Ref, ref_of
from digibrief.vocabulary import safe_url
from tests.conftest import ROOT


def _scanned(text: str, cite, resolve) -> Text:
    """parse as first written: the text scanned afresh on every call."""
    runs: list[Run] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            numbers = cite(list(dict.fromkeys(pending)))
            pending.clear()
            _glue(runs)
            runs.append(Run(citations.label(numbers), cite=numbers))

    def plain(chunk: str) -> None:
        while pending and (end := _SENTENCE_END.search(chunk)):
            if end.start():
                runs.append(Run(chunk[: end.start()]))
            flush()
            chunk = chunk[end.start() :]
        if chunk:
            runs.append(Run(chunk))

    pos = 0
    for m in TOKEN.finditer(text):
        if m.start() > pos:
            plain(text[pos : m.start()])
        if m.group("cite"):
            ids = [s.strip() for s in m.group("cite")[1:-1].split(";")]
            numbers = cite(list(dict.fromkeys([*pending, *ids])))
            pending.clear()
            _glue(runs)
            runs.append(Run(citations.label(numbers), cite=numbers))
        elif m.group("ref"):
            run, sources = resolve(ref_of(m))
            runs.append(run)
            pending.extend(sources)
        elif m.group("literal"):
            runs.append(Run(m.group("ltext2")))
            pending.append(m.group("lsource"))
        elif m.group("link"):
            url = m.group("url")
            runs.append(Run(m.group("ltext"), href=url) if safe_url(url) else Run(m.group(0)))
        elif m.group("bold"):
            flush()
            inner = _scanned(m.group("btext"), cite, resolve)
            runs += [r if r.cite else replace(r, bold=True) for r in inner]
        else:
            runs.append(Run(m.group("itext"), italic=True))
        pos = m.end()
    if pos < len(text):
        plain(text[pos:])
    flush()
    return tuple(r for r in runs if r.text)


class _Book:
    """A citation numbering and a data reader that record what they were asked, in order."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.asked: list[object] = []

    def cite(self, ids: list[str]) -> tuple[int, ...]:
        self.asked.append(tuple(ids))
        return tuple(self.numbers.setdefault(i, len(self.numbers) + 1) for i in ids)

    def resolve(self, ref: Ref) -> tuple[Run, tuple[str, ...]]:
        self.asked.append(ref)
        return Run(f"<{ref.name}>"), (f"SRC_{ref.country}", "SHARED_SOURCE")


def _texts() -> list[str]:
    found: list[str] = []
    for folder in (ROOT / "data", ROOT / "report"):
        for path in sorted(folder.rglob("*.yaml")):
            located, _ = read(path)
            if located is not None:
                found += [text for _, text in strings(located.value)]
    return found


TRICKY = [
    "",
    "Plain text, no markup.",
    "{KGZ egdi_rank 2016}. Then more; and {KAZ internet_users} at the end",
    "A figure {KGZ egdi_rank}.",
    ". {KGZ egdi_rank}; next. And [SOURCE_A] after, {UZB egdi_rank 2020..2024}!",
    "**Bold {KAZ egdi_rank 2024} leads.** then *italic* and [a link](https://example.org/x).",
    '**Bold with a citation [SOURCE_A; SOURCE_B]** and {"2,500 km" SOURCE_C} written; end.',
    "[not a link](javascript:alert(1)) and {KGZ tunduk_transactions} without an end",
    "{KGZ egdi_rank 2016 of}? {KGZ internet_users 2022 position} {KGZ egdi_rank year}.",
    "end of sentence.{KGZ egdi_rank} right after.\nNew line; {KAZ egdi_rank}.",
]


@pytest.mark.parametrize("twice", [False, True])
def test_every_text_parses_as_a_fresh_scan_would(twice: bool) -> None:
    texts = [*_texts(), *TRICKY]
    assert len(texts) > 200
    for text in texts:
        fresh, replayed = _Book(), _Book()
        expected = _scanned(text, fresh.cite, fresh.resolve)
        if twice:  # found once, replayed
            parse(text, _Book().cite, _Book().resolve)
        assert parse(text, replayed.cite, replayed.resolve) == expected, text
        assert replayed.asked == fresh.asked, text


def test_a_text_s_markup_is_found_once() -> None:
    markup._tokens.cache_clear()
    text = TRICKY[5]
    parse(text, _Book().cite, _Book().resolve)
    parse(text, _Book().cite, _Book().resolve)
    info = markup._tokens.cache_info()
    assert info.hits >= 1 and info.currsize >= 1


def test_the_same_text_reads_each_build_s_data() -> None:
    """What is remembered is the markup, never what a reference read: new data, new runs."""
    text = "Use rose to {KGZ internet_users 2022}."

    def reading(value: str):
        return lambda ref: (Run(value), ("SOURCE_A",))

    first = parse(text, _Book().cite, reading("79.8%"))
    second = parse(text, _Book().cite, reading("81.0%"))
    assert [r.text for r in first] != [r.text for r in second]
    assert "81.0%" in [r.text for r in second]


def test_a_text_s_references_and_citations_are_found_as_a_fresh_scan_finds_them() -> None:
    from digibrief.syntax import _LITERAL, CITATION, REFERENCE, cited_ids, references

    for text in [*_texts(), *TRICKY]:
        for _ in range(2):  # found, then remembered
            assert references(text) == [ref_of(m) for m in REFERENCE.finditer(text)], text
            ids = [sid.strip() for m in CITATION.finditer(text) for sid in m.group(1).split(";")]
            assert cited_ids(text) == ids + [m.group("lsource") for m in re.finditer(_LITERAL, text)]


def test_a_caller_changing_the_found_references_changes_nothing_remembered() -> None:
    from digibrief.syntax import cited_ids, references

    text = TRICKY[4]
    found, ids = references(text), cited_ids(text)
    found.clear()
    ids.append("EXTRA")
    assert len(references(text)) == 2
    assert "EXTRA" not in cited_ids(text)
