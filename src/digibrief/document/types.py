"""The neutral document that both writers render: what the brief says, with no page or slide geometry.

Like pandoc's AST: frozen types, a closed set of block kinds, no rendering library imported.
Writers never parse markup: text arrives as runs whose every character is literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from digibrief.document.words import Speech
from digibrief.vocabulary import ChartKind, Status

# --- inline text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """A sourced figure with the one display string the formatting policy gives it."""

    value: float | None  # None = no value: shown as "n/a", never as zero
    unit: str  # the indicator's unit word: percent, rank, score, count, usd, ...
    display: str  # e.g. "79.8%", "24th", "US$230 million"
    period: str  # e.g. "2022", "2018\u20132020", "reported 2024"
    cite: tuple[int, ...]  # reference numbers of its sources
    status: Status = "verified"


@dataclass(frozen=True)
class Run:
    """A stretch of literal text with at most one link, one citation or one fact."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None  # only http, https or mailto; checked in compose
    cite: tuple[int, ...] = ()  # reference numbers; text is then their label, e.g. "3" or "1\u20133,5"
    fact: Fact | None = None  # the figure this run shows; text is then its display string
    lang: str = ""  # the run's language when it is not the document's, e.g. "kk" for a local name


Text = tuple[Run, ...]


def plain(text: Text) -> str:
    """The text a reader sees, without citation markers."""
    return "".join(r.text for r in text if not r.cite)


# --- charts --------------------------------------------------------------------------------------


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
    # the country's own colour for the whole edition: an index into the theme's palette (focus
    # countries in report order), or None for a context country (outlined or dashed, never a
    # focus colour); charts in both outputs read it, so a country looks the same everywhere
    colour: int | None = None


def colour_slots(series: Sequence[Series]) -> list[int]:
    """Each series' colour: its country's palette index (the same in every chart), or a negative
    number for a context country, drawn dashed in a neutral colour with a marker counted from the
    end of the list; series without any colour (not countries) take their position."""
    if all(s.colour is None for s in series):
        return list(range(len(series)))
    out, context = [], 0
    for s in series:
        if s.colour is not None:
            out.append(s.colour)
        else:
            context += 1
            out.append(-context)
    return out


@dataclass(frozen=True)
class Event:
    year: int
    month: int | None
    label: str


@dataclass(frozen=True)
class Lane:
    label: str
    events: tuple[Event, ...]
    emphasis: bool = False  # a country the brief is about, in a brief of some countries


Ring = tuple[tuple[float, float], ...]  # (lon, lat) points of a closed outline


@dataclass(frozen=True)
class MapShape:
    """A country on the locator map: its outline, and the role that decides how it is drawn."""

    key: str  # country code
    label: str  # its name as the brief writes it
    # a key holds the outline as its digest, found once per outline (pipeline/cache.py: DIGESTED)
    rings: tuple[Ring, ...] = field(metadata={"fingerprint": "digest"})
    role: Literal["focus", "context", "neighbour"]  # filled in its colour, outlined, or light grey
    colour: int | None = None  # a focus country's palette index, as Series.colour
    emphasis: bool = False  # the country a page is about; the others of the region then turn grey


@dataclass(frozen=True)
class MapLabel:
    """A name the map sets in its water, when the boundaries name one: its text and (lon, lat)."""

    text: str
    at: tuple[float, float]


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
    level_missing: str = ""  # heatmap: the word for a cell without a level, from the same table
    row_emphasis: tuple[bool, ...] = ()  # heatmap: the rows of the countries a brief is about, if some
    notes: tuple[str, ...] = ()  # footnotes drawn under the chart, e.g. what a hollow marker means
    shapes: tuple[MapShape, ...] = ()  # locator map: countries, the region's first
    frame: tuple[float, float, float, float] | None = None  # locator map: west, south, east, north
    waters: tuple[MapLabel, ...] = ()  # locator map: seas and lakes the boundaries name


# --- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: Text
    style: Literal["body", "lead", "note"] = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]
    title: str = ""
    numbered: bool = False  # key takeaways: numbered, set larger, one per hairline


@dataclass(frozen=True)
class KeyFigure:
    label: str
    fact: Fact
    note: Text = ()  # what a reader should know about the figure, e.g. that another source disagrees
    when: str = (
        ""  # the card's period line with the status in words, e.g. "2023 · reported"; empty = fact.period
    )


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]
    title: str = "At a glance"
    # label/value lines without a number, e.g. ("Capital", "Astana"); a value in other languages is Text
    facts: tuple[tuple[str, str | Text], ...] = ()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths; empty = equal
    numeric: tuple[int, ...] = ()  # columns of numbers (0-based): set right-aligned, in tabular figures
    source: str = ""  # the source line under the table: "Sources: UN DESA (2024); ITU (2025)."
    on_slide: Literal["full", "condensed", "omit"] = "omit"  # the deck: all columns, text only, or not at all


@dataclass(frozen=True)
class Figure:
    chart: ChartSpec
    caption: str
    cite: tuple[int, ...] = ()
    lead: bool = False  # a profile's main chart, shown beside its key figures and highlights
    headline: Text = ()  # the chart's finding in a sentence: the slide title and the PDF's chart title


@dataclass(frozen=True)
class Callout:
    title: str
    text: Text


@dataclass(frozen=True)
class Reference:
    number: int
    publisher: str  # as the source names itself, e.g. "UN DESA (data); UNU-EGOV (CSV compilation)"
    short_publisher: str  # the name a source line needs, e.g. "UN DESA"
    title: str
    date: str  # as published: "2024", "2024-09" or "2024-09-17"
    url: str | None = None
    note: str = ""
    linked: Text = ()  # full, with every web address in it a link run (writers never search text)
    note_linked: Text = ()  # note, the same way

    @property
    def full(self) -> str:
        """'Publisher. Title. Date.' as a reference list prints it."""
        return f"{self.publisher}. {self.title}. {self.date}."


@dataclass(frozen=True)
class References:
    items: tuple[Reference, ...]


@dataclass(frozen=True)
class Locator:
    """A locator map set as a picture (the cover's, or a small one on a country's first page): a chart
    without a title or source line of its own, its source cited in the references."""

    chart: ChartSpec
    cite: tuple[int, ...] = ()


Block = Paragraph | Bullets | KeyFigures | Table | Figure | Callout | References | Locator


# --- sections and the document -------------------------------------------------------------------

SectionRole = Literal["cover", "contents", "chapter", "profile"]


@dataclass(frozen=True)
class Section:
    """A part of the brief; its role says how writers lay it out, so no writer guesses from its name."""

    id: str  # stable anchor, e.g. "country-kaz"
    role: SectionRole  # profile = key figures, highlights and a lead chart (one slide in the deck)
    title: str
    blocks: tuple[Block, ...] = ()
    notes: tuple[str, ...] = ()  # speaker notes: full sentences; the PDF ignores them
    kicker: str = ""  # small line above the title, e.g. "Country profile"
    in_contents: bool = True  # listed in the table of contents and the deck's agenda
    country: str | None = None
    backup: bool = False  # reference material: the deck shows it after the talk, behind a Backup divider
    new_page: bool = False  # always opens a page (a country's section); otherwise a writer may run it on


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
    countries: tuple[str, ...] = ()  # the focus countries' names, in report order (the cover lists them)
    epoch: int = 0  # seconds since 1970 used for every embedded date (SOURCE_DATE_EPOCH or the edition)


@dataclass(frozen=True)
class DataSheet:
    """One sheet of the data pack: the values a chart, table or panel shows, one row each."""

    name: str  # at most 31 characters, unique in the pack
    title: str  # as the brief titles what the sheet shows
    note: str  # unit, period and sources of a chart; empty for a table
    columns: tuple[str, ...]
    rows: tuple[tuple[str | float | None, ...], ...]
    where: str = ""  # the title of the section it comes from
    chart: str = ""  # the id of the chart whose values it holds; empty for a table or a panel
    shown: int | None = None  # the column with each value as the brief prints it, if there is one
    raw: tuple[int, ...] = ()  # the columns that the printed value stands for (the number and its unit)
    links: tuple[int, ...] = ()  # the columns of web addresses, set as links (other words there stay text)


@dataclass(frozen=True)
class Document:
    meta: Meta
    sections: tuple[Section, ...]
    references: tuple[Reference, ...] = field(default=())
    datapack: tuple[
        DataSheet, ...
    ] = ()  # the data pack's sheets (writers/xlsx); the brief and deck ignore them
    speech: Speech = field(
        default_factory=Speech
    )  # the report's language and labels: charts and writers run in it

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]
