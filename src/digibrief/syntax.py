"""The inline markup of data text, as patterns: one grammar for the validator and the composer.

Supported in any data text (narratives, highlights, takeaways, notes, captions, headlines):
  **bold**, *italic*, [text](https://…) links and citations [SOURCE_ID; OTHER_ID];
  data references, so that no figure is typed by hand:
    {KGZ egdi_rank}                 the latest value, formatted by the indicator's display policy
    {KGZ egdi_rank 2016}            the value in a year ("97th")
    {KGZ egdi_rank 2016 of}         the same with its scale where it has one ("97th of 193")
    {KGZ egdi_rank 2016..2024}      the change between two years, as a size ("19 places")
    {KGZ internet_users 2022 position}  the position among countries with a value that year ("2nd of 5")
    {KGZ egdi_rank year}            the year of the latest value ("2024")
    {KGZ tunduk_transactions}       a fact of the country file (facts:), by its id
  and a literal figure that must stay as written, with its source: {"2,500 km" SEED_GNV_2024}.
Anything else, including HTML or reportlab tags, is literal text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

_ID = r"[A-Z][A-Z0-9_]{2,}"
CITATION = re.compile(rf"\[({_ID}(?:\s*;\s*{_ID})*)\]")
_REF = (
    r"\{(?P<rcountry>[A-Z]{3}) (?P<rname>[a-z][a-z0-9_]*)"
    r"(?: (?P<ryear>\d{4})(?:\.\.(?P<rto>\d{4}))?)?"
    r"(?: (?P<rform>of|position|year))?\}"
)
_LITERAL = rf'\{{"(?P<ltext2>[^"{{}}\n]+)" (?P<lsource>{_ID})\}}'
REFERENCE = re.compile(_REF)
TOKEN = re.compile(
    rf"(?P<cite>\[{_ID}(?:\s*;\s*{_ID})*\])"
    rf"|(?P<ref>{_REF})"
    rf"|(?P<literal>{_LITERAL})"
    r"|(?P<link>\[(?P<ltext>[^\[\]\n]+)\]\((?P<url>[^()\s]+)\))"
    r"|(?P<bold>\*\*(?P<btext>[^*\n]+)\*\*)"
    r"|(?P<italic>(?<![\w*])\*(?P<itext>[^*\s][^*\n]*?)\*(?![\w*]))"
)
# a brace that opens something that is not a well-formed reference or literal: likely a typo
LOOSE_BRACE = re.compile(r"\{[^{}\n]{0,80}\}?")

Form = Literal["value", "of", "change", "position", "year"]


@dataclass(frozen=True)
class Ref:
    """One data reference: what it reads (country, indicator or fact, years) and how it is shown."""

    country: str
    name: str
    year: int | None = None  # None = the latest value
    to: int | None = None  # with year: the change from year to this year
    form: Form = "value"

    @property
    def text(self) -> str:
        """The reference as written, e.g. "{KGZ egdi_rank 2016..2024}"."""
        years = "" if self.year is None else f" {self.year}" + (f"..{self.to}" if self.to else "")
        shown = "" if self.form in ("value", "change") else f" {self.form}"
        return f"{{{self.country} {self.name}{years}{shown}}}"


def ref_of(match: re.Match[str]) -> Ref:
    """The Ref a REFERENCE (or TOKEN 'ref') match stands for."""
    year, to, form = match.group("ryear"), match.group("rto"), match.group("rform")
    shown: Form = "change" if to else (form or "value")  # type: ignore[assignment]
    return Ref(
        match.group("rcountry"),
        match.group("rname"),
        int(year) if year else None,
        int(to) if to else None,
        shown,
    )


def cited_ids(text: str) -> list[str]:
    """Source ids cited in text, in order: [ID] citations and the sources of literal figures."""
    return list(_cited_ids(text))


@functools.lru_cache(maxsize=16384)
def _cited_ids(text: str) -> tuple[str, ...]:
    """cited_ids, found once per text (a watch checks every text on each save)."""
    ids = [sid.strip() for m in CITATION.finditer(text) for sid in m.group(1).split(";")]
    return (*ids, *(m.group("lsource") for m in re.finditer(_LITERAL, text)))


def references(text: str) -> list[Ref]:
    """Every data reference in text, in order."""
    return list(_references(text))


@functools.lru_cache(maxsize=16384)
def _references(text: str) -> tuple[Ref, ...]:
    """references, found once per text (a Ref is frozen, so each is handed out as it is)."""
    return tuple(ref_of(m) for m in REFERENCE.finditer(text))


def without_markup(text: str) -> str:
    """text with references, literals, citations and link targets blanked out (same length, so
    offsets still point into the original): what is left is what was typed by hand."""

    def blank(m: re.Match[str]) -> str:
        if m.group("link"):
            return m.group("ltext").ljust(len(m.group(0)))
        if m.group("bold") or m.group("italic"):
            return m.group(0)
        return " " * len(m.group(0))

    return TOKEN.sub(blank, text)
