"""Speaker notes: what to say, in full sentences, and the sources of what the slide shows.

Sources are named as a source line names them ("UN DESA (2018, 2024)") with the numbers of the
references on the backup slides, never as full reference strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from digibrief.document.types import Reference, Text, plain
from digibrief.document.words import ENGLISH, Speech
from digibrief.writers.pptx.text import clean


def words(text: str) -> int:
    return len(text.split())


def sentence(text: str) -> str:
    """text as one cleaned sentence that ends with a full stop."""
    out = " ".join(clean(text).split())
    return out if not out or out[-1] in ".!?:" else out + "."


def said(text: Text) -> str:
    """Document text as a talking point: what a reader sees, without citation markers."""
    return sentence(plain(text))


def cites(text: Text) -> list[int]:
    return [n for r in text for n in r.cite]


class Sources:
    """Names the sources behind a slide from the document's references, in the document's words."""

    def __init__(self, references: Sequence[Reference], speech: Speech = ENGLISH):
        self.refs = {r.number: r for r in references}
        self.speech = speech

    def line(self, numbers: Iterable[int], lead: str = "") -> str:
        """'Sources: UN DESA (2018, 2024); GNV (2024). References 3, 5 and 9 in the backup.'"""
        nums = sorted({n for n in numbers if n in self.refs})
        if not nums:
            return lead
        by_publisher: dict[str, list[str]] = {}
        for n in nums:
            r = self.refs[n]
            years = by_publisher.setdefault(clean(r.short_publisher), [])
            if r.date[:4] not in years:
                years.append(r.date[:4])
        named = "; ".join(f"{pub} ({', '.join(sorted(ys))})" for pub, ys in by_publisher.items())
        say = self.speech.word
        if len(nums) > 1:
            listed = say("list_and", first=", ".join(str(n) for n in nums[:-1]), last=nums[-1])
            where = say("note_references_at", numbers=listed)
        else:
            where = say("note_reference_at", number=nums[0])
        if lead:
            return f"{lead} {where}"
        return say("sources_line" if len(by_publisher) > 1 else "source_line", sources=named) + f" {where}"
