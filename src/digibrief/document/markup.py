"""Data text parsed once into literal runs (the grammar is in digibrief.syntax); writers escape every run.

A data reference becomes a run that carries its Fact; the sources it read are cited at the end of
its sentence (merged into a citation written there), so a figure never stands unsourced.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from digibrief.document import citations
from digibrief.document.types import Run, Text
from digibrief.syntax import TOKEN, Ref, ref_of
from digibrief.vocabulary import safe_url

Cite = Callable[[list[str]], tuple[int, ...]]
Resolve = Callable[[Ref], tuple[Run, tuple[str, ...]]]  # a reference -> its run and the sources it read
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)")
_ADDRESS = re.compile(r"https?://[^\s<>\"]+")


def addresses(text: str) -> Text:
    """Plain text (a reference's title or note) with every web address in it a link run; the
    sentence's punctuation after an address, and a closing bracket it did not open, stay text."""
    runs: list[Run] = []
    at = 0
    for found in _ADDRESS.finditer(text):
        url = found.group(0).rstrip(".,;:!?'")
        while url.endswith(")") and url.count(")") > url.count("("):
            url = url[:-1].rstrip(".,;:!?'")
        if found.start() > at:
            runs.append(Run(text[at : found.start()]))
        runs.append(Run(url, href=url) if safe_url(url) else Run(url))
        at = found.start() + len(url)
    if at < len(text):
        runs.append(Run(text[at:]))
    return tuple(runs)


def _no_references(ref: Ref) -> tuple[Run, tuple[str, ...]]:
    return Run(ref.text), ()


def parse(text: str, cite: Cite, resolve: Resolve = _no_references) -> Text:
    """Turn marked-up text into runs; cite maps source ids to reference numbers, resolve reads data."""
    runs: list[Run] = []
    pending: list[str] = []  # sources of references not yet cited in their sentence

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
        elif m.group(
            "bold"
        ):  # may hold references and citations: "**Kazakhstan leads, {KAZ egdi_rank 2024}.**"
            flush()
            inner = parse(m.group("btext"), cite, resolve)
            runs += [r if r.cite else replace(r, bold=True) for r in inner]
        else:
            runs.append(Run(m.group("itext"), italic=True))
        pos = m.end()
    if pos < len(text):
        plain(text[pos:])
    flush()
    return tuple(r for r in runs if r.text)


def _glue(runs: list[Run]) -> None:
    """A citation hugs the word before it: drop the space the text left before it."""
    if runs and runs[-1].text.endswith(" ") and not runs[-1].cite:
        last = runs[-1]
        runs[-1] = Run(last.text.rstrip(" "), last.bold, last.italic, last.href, fact=last.fact)
