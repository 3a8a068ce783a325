"""Data text parsed once into literal runs (the grammar is in digibrief.syntax); writers escape every run.

A data reference becomes a run that carries its Fact; the sources it read are cited at the end of
its sentence (merged into a citation written there), so a figure never stands unsourced.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

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

    for token in _tokens(text):
        kind = token[0]
        if kind is _PLAIN:  # text, and the parts before and from its first sentence end, if any
            _, chunk, before, after = token
            if pending and after is not None:  # the end of a sentence whose references are uncited
                if before:
                    runs.append(Run(before))
                flush()  # pending is empty after it: the rest of the chunk is text
                chunk = after
            if chunk:
                runs.append(Run(chunk))
        elif kind is _CITE:
            numbers = cite(list(dict.fromkeys([*pending, *token[1]])))
            pending.clear()
            _glue(runs)
            runs.append(Run(citations.label(numbers), cite=numbers))
        elif kind is _REF:
            run, sources = resolve(token[1])
            runs.append(run)
            pending.extend(sources)
        elif kind is _LITERAL:
            runs.append(token[1])
            pending.append(token[2])
        elif (
            kind is _BOLD
        ):  # may hold references and citations: "**Kazakhstan leads, {KAZ egdi_rank 2024}.**"
            flush()
            inner = parse(token[1], cite, resolve)
            runs += [r if r.cite else replace(r, bold=True) for r in inner]
        else:  # a link or italic text: its run as it is
            runs.append(token[1])
    flush()
    return tuple(r for r in runs if r.text)


_PLAIN, _CITE, _REF, _LITERAL, _BOLD, _RUN = "plain", "cite", "ref", "literal", "bold", "run"


@functools.lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[tuple[Any, ...], ...]:
    """text's markup, found once per text: each stretch of plain text (with its parts before and from
    its first sentence end, where a pending citation goes) and each token, with what parse needs of it
    that depends on nothing but the text (a reference's Ref, a link's or italic's run). Every value
    is immutable, so parse hands runs out as they are."""
    tokens: list[tuple[Any, ...]] = []

    def plain(chunk: str) -> None:
        end = _SENTENCE_END.search(chunk)
        at = end.start() if end else None
        tokens.append(
            (_PLAIN, chunk, chunk[:at] if at is not None else "", chunk[at:] if at is not None else None)
        )

    pos = 0
    for m in TOKEN.finditer(text):
        if m.start() > pos:
            plain(text[pos : m.start()])
        if m.group("cite"):
            tokens.append((_CITE, tuple(s.strip() for s in m.group("cite")[1:-1].split(";"))))
        elif m.group("ref"):
            tokens.append((_REF, ref_of(m)))
        elif m.group("literal"):
            tokens.append((_LITERAL, Run(m.group("ltext2")), m.group("lsource")))
        elif m.group("link"):
            url = m.group("url")
            tokens.append((_RUN, Run(m.group("ltext"), href=url) if safe_url(url) else Run(m.group(0))))
        elif m.group("bold"):
            tokens.append((_BOLD, m.group("btext")))
        else:
            tokens.append((_RUN, Run(m.group("itext"), italic=True)))
        pos = m.end()
    if pos < len(text):
        plain(text[pos:])
    return tuple(tokens)


def _glue(runs: list[Run]) -> None:
    """A citation hugs the word before it: drop the space the text left before it."""
    if runs and runs[-1].text.endswith(" ") and not runs[-1].cite:
        last = runs[-1]
        runs[-1] = Run(last.text.rstrip(" "), last.bold, last.italic, last.href, fact=last.fact)
