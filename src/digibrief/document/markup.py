"""Data text parsed once into literal runs (the grammar is in digibrief.syntax); writers escape every run."""

from __future__ import annotations

from collections.abc import Callable

from digibrief.document import citations
from digibrief.document.types import Run, Text
from digibrief.syntax import TOKEN
from digibrief.vocabulary import safe_url


def parse(text: str, cite: Callable[[list[str]], tuple[int, ...]]) -> Text:
    """Turn marked-up text into runs; cite maps source ids to reference numbers."""
    runs: list[Run] = []
    pos = 0
    for m in TOKEN.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos : m.start()]))
        if m.group("cite"):
            numbers = cite([s.strip() for s in m.group("cite")[1:-1].split(";")])
            # a citation glued to the previous word: drop the space before it
            if runs and runs[-1].text.endswith(" ") and not runs[-1].cite:
                last = runs[-1]
                runs[-1] = Run(last.text.rstrip(" "), last.bold, last.italic, last.href)
            runs.append(Run(citations.label(numbers), cite=numbers))
        elif m.group("link"):
            url = m.group("url")
            if safe_url(url):
                runs.append(Run(m.group("ltext"), href=url))
            else:
                runs.append(Run(m.group(0)))
        elif m.group("bold"):
            runs.append(Run(m.group("btext"), bold=True))
        else:
            runs.append(Run(m.group("itext"), italic=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return tuple(r for r in runs if r.text)
