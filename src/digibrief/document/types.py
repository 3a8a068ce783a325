"""The neutral document that both writers render: what the brief says, with no page or slide geometry.

Like pandoc's AST: frozen types, a closed set of block kinds, no rendering library imported.
Writers never parse markup: text arrives as runs whose every character is literal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# --- inline text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of literal text with at most one link and/or one citation number."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None  # only http, https or mailto; checked in compose
    cite: tuple[int, ...] = ()  # reference numbers; text is then the rendered marker, e.g. "3" or "3,5"


Text = tuple[Run, ...]


def plain(text: Text) -> str:
    """The text a reader sees, without citation markers."""
    return "".join(r.text for r in text if not r.cite)


# --- charts --------------------------------------------------------------------------------------

ChartKind = Literal[
    "index_by_year", "trend", "timeline", "heatmap", "peer_bar", "rank_path", "online_offline"
]
Status = Literal["verified", "reported", "unverified"]


@dataclass(frozen=True)
class SeriesPoint:
    year: int
    value: float | None  # None = no value for that year: drawn as a gap or "n/a", never as zero
    status: Status = "verified"


@dataclass(frozen=True)
class Series:
    key: str  # a country id, or a name such as "online"
    label: str  # what a direct label says
    points: tuple[SeriesPoint, ...]
    emphasis: bool = False  # the country in focus, drawn in colour against grey peers


@dataclass(frozen=True)
class Event:
    year: int
    month: int | None
    label: str


@dataclass(frozen=True)
class Lane:
    label: str
    events: tuple[Event, ...]


@dataclass(frozen=True)
class ChartSpec:
    """Everything a chart draws, so that its cache key is a hash of this object and the theme."""

    id: str  # stable file stem, e.g. "overview-egdi-score" or "kaz-peer-egdi-score"
    kind: ChartKind
    title: str
    subtitle: str  # unit and period, e.g. "Score 0-1, UN survey years 2016-2024"
    source_line: str  # "Source: UN DESA, E-Government Survey 2016-2024."
    alt: str  # one or two sentences: what is shown and the main finding
    unit: str = ""  # the indicator's unit word (percent, rank, score, ...)
    unit_label: str = ""  # e.g. "% of population"
    decimals: int = 1
    value_range: tuple[float, float] | None = None
    invert: bool = False  # ranks: 1 at the top
    series: tuple[Series, ...] = ()
    lanes: tuple[Lane, ...] = ()  # timeline
    rows: tuple[str, ...] = ()  # heatmap row labels (countries)
    columns: tuple[str, ...] = ()  # heatmap column labels (categories)
    cells: tuple[tuple[int | None, ...], ...] = ()  # heatmap levels, None = not assessed
    level_labels: tuple[str, ...] = ()  # heatmap: label of level 0..3
    notes: tuple[str, ...] = ()  # footnotes drawn under the chart, e.g. what a hollow marker means


# --- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: Text
    style: Literal["body", "lead", "note"] = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]
    title: str = ""


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str  # formatted for display, e.g. "28th", "80%", "US$230 million"
    period: str  # e.g. "2022", "2018-2020", "reported 2024"
    cite: tuple[int, ...]
    status: Status = "verified"
    note: str = ""


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]
    title: str = "At a glance"
    facts: tuple[tuple[str, str], ...] = ()  # label/value lines without a number, e.g. ("Capital", "Astana")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; empty = equal


@dataclass(frozen=True)
class Figure:
    chart: ChartSpec
    caption: str
    cite: tuple[int, ...] = ()


@dataclass(frozen=True)
class Callout:
    title: str
    text: Text


@dataclass(frozen=True)
class Reference:
    number: int
    source_id: str
    text: str  # "Publisher. Title. Date."
    url: str | None = None
    note: str = ""


@dataclass(frozen=True)
class References:
    items: tuple[Reference, ...]


Block = Paragraph | Bullets | KeyFigures | Table | Figure | Callout | References


# --- sections and the document -------------------------------------------------------------------

SectionKind = Literal[
    "cover", "takeaways", "contents", "overview", "country", "risks", "context", "methodology"
]


@dataclass(frozen=True)
class Section:
    id: str  # stable anchor, e.g. "country-kaz"
    kind: SectionKind
    title: str
    blocks: tuple[Block, ...] = ()
    notes: tuple[str, ...] = ()  # speaker notes: full sentences; the PDF ignores them
    kicker: str = ""  # small line above the title, e.g. "Country profile"
    level: int = 0  # 0 = chapter; 1 = a country inside a chapter
    country: str | None = None


@dataclass(frozen=True)
class Meta:
    title: str
    subtitle: str
    edition: str  # ISO date of the edition, e.g. "2026-11-29"
    edition_label: str  # "November 2026"
    publisher: str
    author: str
    language: str = "en"
    keywords: tuple[str, ...] = ()
    paper: Literal["a4", "letter"] = "a4"
    epoch: int = 0  # seconds since 1970 used for every embedded date (SOURCE_DATE_EPOCH or the edition)


@dataclass(frozen=True)
class Document:
    meta: Meta
    sections: tuple[Section, ...]
    references: tuple[Reference, ...] = field(default=())

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]
