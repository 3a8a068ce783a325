"""The validated domain types: sources, indicators, countries, risks, the report and the theme.

pydantic v2 was chosen over dataclasses plus a validator because it gives typed, frozen objects,
per-field errors with a key path (which the loader maps back to file:line:col) and JSON Schema
generation for editors from the same declarations. Each type checks only itself; the rules that
span files (ids that must exist, values inside an indicator's range) live in rules.py.
"""

from __future__ import annotations

import difflib
import math
import re
import string
import unicodedata
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from digibrief.errors import Problem
from digibrief.syntax import references
from digibrief.vocabulary import MONTHS, MONTHS_SHORT, ORDINAL, WORDS, ChartKind, Status

# --- scalar types -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _text(max_len: int, multiline: bool = False) -> AfterValidator:
    """A validator for printable text: no control characters, NFC, stripped, not blank, at most max_len."""

    def check(value: str) -> str:
        bad = _CONTROL.search(value)
        if bad:
            raise ValueError(
                f"contains the control character U+{ord(bad.group()):04X}, which cannot be printed"
            )
        if not multiline and "\n" in value.strip():
            raise ValueError("expected a single line of text")
        value = unicodedata.normalize("NFC", value.strip())
        if not value:
            raise ValueError("expected text, got an empty or blank string")
        if len(value) > max_len:
            raise ValueError(f"text is {len(value)} characters long; the limit is {max_len}")
        return value

    return AfterValidator(check)


Line = Annotated[str, _text(300)]
Sentence = Annotated[str, _text(1200)]
Prose = Annotated[str, _text(8000, multiline=True)]
Id = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,79}$")]
SourceId = Id
CountryId = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


def _sheet_name(value: str) -> str:
    if bad := sorted(set(value) & set(":\\/?*[]")):
        raise ValueError(f"an Excel sheet name cannot hold {' '.join(bad)}")
    return value


SheetName = Annotated[str, _text(31), AfterValidator(_sheet_name)]  # Excel's limit on a sheet's name
Year = Annotated[int, Field(ge=1900, le=2100)]
Month = Annotated[int, Field(ge=1, le=12)]
DateText = Annotated[str, Field(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")]


def _finite(value: float) -> float:
    """Refuse nan and inf, which YAML reads as floats but no chart or table can show."""
    if not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value}")
    return value


Number = Annotated[float, Field(strict=False), AfterValidator(_finite)]


def _url(value: str) -> str:
    """Accept only absolute http(s) addresses, the only kind a source may link to."""
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.IGNORECASE):
        raise ValueError(f"expected an http:// or https:// address, got {value!r}")
    return value


Url = Annotated[str, AfterValidator(_url)]


def _language(value: str) -> str:
    """Refuse a language whose number symbols and ordinal forms Babel does not know, rather than
    silently printing English numbers."""
    from babel import localedata

    if not localedata.exists(value.replace("-", "_")):
        raise ValueError(f"unknown language {value!r}: expected a code such as 'en', 'fr' or 'ru'")
    return value


Language = Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$"), AfterValidator(_language)]
Unit = Literal["percent", "rank", "score", "count", "usd", "per100", "index"]


class Strict(BaseModel):
    """Base of every file type: unknown keys are errors, "1" is not 1, and values never change."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- data/ --------------------------------------------------------------------------------------


# What a source is, which decides the status of the figures taken from it (rules.py): a primary
# statistical release (the publisher's own data, or a faithful copy of it) gives verified figures;
# a secondary report (a publication quoting others' figures) or a news item gives figures that are
# at best "reported".
SourceKind = Literal["primary", "secondary", "news"]


Repository = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Commit = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]


class Provenance(Strict):
    """How the values were obtained, for a checker: the copy actually read, when, and what was compared.

    The copy is a file in a repository (repository, path, commit) or a page at copy_url; with
    neither, it is a stored copy of the page at the source's own url."""

    repository: Repository | None = None
    path: Line | None = None
    commit: Commit | None = None
    copy_url: Url | None = None
    read_on: DateText
    compared: Sentence | None = None  # what the values were checked against
    note: Sentence | None = None  # what was done to them: rounding, a renamed column

    @model_validator(mode="after")
    def _one_copy(self) -> Provenance:
        in_repo = (self.repository, self.path, self.commit)
        if any(in_repo) and not all(in_repo):
            raise ValueError("a copy in a repository needs repository, path and commit together")
        if all(in_repo) and self.copy_url:
            raise ValueError("give the copy read as repository, path and commit, or as copy_url, not both")
        return self


class Source(Strict):
    publisher: Line
    title: Line
    date: DateText
    kind: SourceKind
    url: Url | None = None
    note: Sentence | None = None  # for readers: at most one plain sentence on what the source supports
    provenance: Provenance | None = None  # for checkers: shown in the data pack, never in the brief


class SourcesFile(Strict):
    sources: dict[Id, Source]


class Indicator(Strict):
    name: Line
    unit: Unit
    unit_label: Line
    range: Annotated[list[Number], Field(min_length=2, max_length=2)]
    higher_is_better: bool
    decimals: Annotated[int, Field(ge=0, le=6)] = 1  # the display policy: digits after the point
    of: Annotated[int, Field(ge=2)] | None = None  # ranks: how many were ranked ("24th of 193")
    definition: Sentence
    source: SourceId

    @model_validator(mode="after")
    def _ordered(self) -> Indicator:
        if self.range[0] >= self.range[1]:
            raise ValueError(f"range must be [low, high] with low < high, got {self.range}")
        return self


class IndicatorsFile(Strict):
    indicators: dict[Id, Indicator]


class Point(Strict):
    value: Number
    source: SourceId
    status: Status = "verified"
    of: Annotated[int, Field(ge=2)] | None = (
        None  # ranks: how many were ranked that year, if not the indicator's
    )
    note: Sentence | None = None


def _script(code: str) -> str:
    """An ISO 15924 script code (Latn, Cyrl, Armn, Geor, Hans, ...): one the Unicode CLDR names, or
    one of the range ISO 15924 keeps for private use (Qaaa-Qabx)."""
    from babel import Locale  # its tables, loaded only when a local name is read

    if code in Locale("en").scripts or re.fullmatch(r"Qa[ab][a-x]", code):
        return code
    raise ValueError(f"'{code}' is not an ISO 15924 script code, e.g. Latn, Cyrl, Armn, Geor")


class LocalName(Strict):
    lang: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
    script: Annotated[str, Field(pattern=r"^[A-Z][a-z]{3}$"), AfterValidator(_script)]
    name: Line


class Population(Strict):
    value: Annotated[int, Field(ge=1)]
    year: Year
    source: SourceId
    status: Status = "verified"


class Highlight(Strict):
    text: Sentence
    sources: list[SourceId] = []  # cited at the end; references in the text cite their own sources


def _qualifier(value: str) -> str:
    """Words before a value ("more than"), never digits: a figure is a value, not text."""
    if any(ch.isdigit() for ch in value):
        raise ValueError(f"a qualifier is words such as 'more than', without digits; got {value!r}")
    return value


class Fact(Strict):
    """A sourced figure that is not part of an indicator series (a count, an amount, a share)."""

    label: Line
    value: Number
    unit: Unit
    decimals: Annotated[int, Field(ge=0, le=6)] | None = None  # None = the unit's usual digits
    qualifier: Annotated[Line, AfterValidator(_qualifier)] | None = None  # e.g. "more than"
    of: Annotated[int, Field(ge=2)] | None = None  # a count out of a total ("105 of 363")
    year: Year | None = None
    year_end: Year | None = None
    source: SourceId
    note: Sentence | None = None
    status: Status = "verified"

    @model_validator(mode="after")
    def _period(self) -> Fact:
        if self.year_end is not None and (self.year is None or self.year_end < self.year):
            raise ValueError("year_end needs a year that is not after it")
        return self


class KeyFigure(Strict):
    """One tile of the at-a-glance panel: a fact of the country or an indicator's value, by reference."""

    fact: Id | None = None  # a fact of this country file (facts:)
    indicator: Id | None = None  # or an indicator: its latest value, or the value in `year`
    year: Year | None = None
    label: Line | None = None  # default: the fact's label or the indicator's name
    note: Sentence | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> KeyFigure:
        if (self.fact is None) == (self.indicator is None):
            raise ValueError("a key figure names either a fact (fact: ID) or an indicator (indicator: ID)")
        if self.fact is not None and self.year is not None:
            raise ValueError("year goes with indicator: a fact has its own year")
        return self


class Milestone(Strict):
    year: Year
    month: Month | None = None
    title: Line
    detail: Sentence
    source: SourceId


class Incident(Strict):
    category: Id
    year: Year | None = None
    month: Month | None = None
    year_end: Year | None = None  # an event that spans years (a leak over 2018-2020, a months-long cut)
    title: Line
    detail: Sentence
    source: SourceId

    @model_validator(mode="after")
    def _period(self) -> Incident:
        if self.year_end is not None and (self.year is None or self.year_end < self.year):
            raise ValueError("year_end needs a year that is not after it")
        return self


class DiscrepancyValue(Strict):
    """One side of a disagreement, pointing at the data it disputes so the note follows the data:
    a value of the discrepancy's indicator (by year), a fact of the country, or - for a figure used
    nowhere else - the value itself with its year and source."""

    year: Year | None = None
    fact: Id | None = None
    value: Number | None = None
    source: SourceId | None = None
    change: bool = False  # value is a change (e.g. places gained), not a level

    @model_validator(mode="after")
    def _one_kind(self) -> DiscrepancyValue:
        if self.fact is not None:
            if self.year is not None or self.value is not None or self.source is not None:
                raise ValueError("a fact brings its own value, year and source")
        elif self.value is None:
            if self.year is None or self.source is not None:
                raise ValueError(
                    "write `year: Y` for the indicator's value in that year (its source comes from the data), "
                    "`fact: ID`, or `value`, `year` and `source` for a figure used nowhere else"
                )
        elif self.source is None:
            raise ValueError("a value needs its source")
        return self


class Discrepancy(Strict):
    topic: Line
    indicator: Id | None = None  # what is disputed; gives the values their display policy
    unit: Unit | None = None  # for a measure with no indicator (e.g. a rank the data does not hold)
    values: Annotated[list[DiscrepancyValue], Field(min_length=2)]
    shown: SourceId
    reason: Sentence

    @model_validator(mode="after")
    def _measure(self) -> Discrepancy:
        if (self.indicator is None) == (self.unit is None):
            raise ValueError("a discrepancy names the indicator it disputes, or the unit of its values")
        return self


class Country(Strict):
    id: CountryId
    name: Line
    role: Literal["focus", "context"]
    local_names: list[LocalName] = []
    capital: Line
    # shown first under At a glance; check warns when a focus country lacks it
    population: Population | None = None
    # a context country needs them only where a context section shows it (rules.py checks that)
    profile: Prose | None = None
    highlights: Annotated[list[Highlight], Field(max_length=6)] = []
    facts: dict[Id, Fact] = {}
    key_figures: Annotated[list[KeyFigure], Field(max_length=6)] = []
    indicators: dict[Id, dict[Year, Point]] = {}
    milestones: list[Milestone] = []
    incidents: list[Incident] = []
    discrepancies: list[Discrepancy] = []

    @model_validator(mode="after")
    def _focus_has_enough(self) -> Country:
        if self.role == "focus":
            if self.profile is None:
                raise ValueError("a focus country needs a profile: two or three paragraphs in your own words")
            if len(self.highlights) < 3:
                raise ValueError(f"a focus country needs 3 to 6 highlights, got {len(self.highlights)}")
        return self


class RiskCategory(Strict):
    name: Line  # worded so that a higher level reads as worse ("Weak cyber defences", not "Cyber readiness")
    description: Sentence
    # the method: what the evidence must show for each level in this category; printed in the methodology
    criteria: dict[Annotated[int, Field(ge=0, le=3)], Sentence] = {}


class Assessment(Strict):
    level: Annotated[int, Field(ge=0, le=3)] | None
    rationale: Sentence
    sources: list[SourceId] = []  # cited at the end; data references in the rationale cite their own

    @model_validator(mode="after")
    def _evidence(self) -> Assessment:
        if self.level is not None and not (self.sources or references(self.rationale)):
            raise ValueError(
                "an assessed level needs evidence: at least one source, or a data reference in the rationale"
            )
        return self


class RisksFile(Strict):
    note: Sentence
    levels: dict[Annotated[int, Field(ge=0, le=3)], Line]  # the one table of level words
    not_assessed: Line = "Not assessed"  # the word for a cell without evidence (level: null)
    categories: Annotated[dict[Id, RiskCategory], Field(min_length=1)]
    assessments: dict[CountryId, dict[Id, Assessment]]


# --- report/ ------------------------------------------------------------------------------------


class ChartDef(Strict):
    """One chart in the report; `country` is filled per country for charts listed in each_country."""

    kind: ChartKind
    title: Line
    indicator: Id | None = None
    years: list[Year] | None = None
    from_year: Year | None = None
    to_year: Year | None = None
    year: Year | None = None
    country: CountryId | None = None
    caption: Sentence | None = None
    # the finding, written with data references: the slide title and the PDF's chart title; a chart
    # listed in each_country gives one per country ({KAZ: ..., UZB: ...})
    headline: Line | dict[CountryId, Line] | None = None
    # a regional chart's finding as a brief of some countries tells it: the first of them given here
    focus_headline: dict[CountryId, Line] = {}
    # the data pack's sheet of this chart's values; without it, the title cut to Excel's 31 characters
    sheet: SheetName | None = None

    def headline_for(self, country: str | None, scope: Sequence[str] = ()) -> str | None:
        """The headline of this chart as drawn for country (None for a regional chart), in a brief of
        the countries in scope (empty for the regional brief)."""
        if isinstance(self.headline, dict):
            return self.headline.get(country or "")
        return next((self.focus_headline[c] for c in scope if c in self.focus_headline), self.headline)

    @model_validator(mode="after")
    def _needs_indicator(self) -> ChartDef:
        if self.kind not in ("timeline", "heatmap", "locator_map") and self.indicator is None:
            raise ValueError(f"a {self.kind} chart needs an indicator")
        return self


class Tagged(Strict):
    """A takeaway, point or remark about some countries: a brief shows it only if it shows them all."""

    text: Sentence
    countries: Annotated[list[CountryId], Field(min_length=1)]


class Remark(Strict):
    """A methodology paragraph about some countries' figures, printed only in a brief that shows them."""

    text: Prose
    countries: Annotated[list[CountryId], Field(min_length=1)]


# a takeaway or point: plain text is about the region as a whole, shown only in the regional brief
Claim = Sentence | Tagged


SectionKind = Literal[
    "cover", "takeaways", "contents", "overview", "countries", "risks", "context", "outlook", "methodology"
]


class SectionDef(Strict):
    kind: SectionKind
    title: Line | None = None
    intro: Prose | None = None
    charts: list[Id] = []
    country: CountryId | None = None
    points: list[Claim] = []  # outlook: what the findings mean, one sourced point each
    # outlook: a country's own points, first in a brief of some countries that shows it
    country_points: dict[CountryId, Annotated[list[Sentence], Field(min_length=1, max_length=3)]] = {}


class ReportFile(Strict):
    title: Line
    subtitle: Line
    edition: DateText
    publisher: Line
    author: Line
    language: Language = "en"
    keywords: list[Line] = []
    paper: Literal["a4", "letter"] = "a4"
    countries: Annotated[list[CountryId], Field(min_length=1)]
    sections: Annotated[list[SectionDef], Field(min_length=1)]
    takeaways: Annotated[list[Claim], Field(min_length=1, max_length=8)]
    # a country's own takeaways, for a brief of that country (build --per-country, --countries)
    country_takeaways: dict[CountryId, Annotated[list[Sentence], Field(min_length=1, max_length=5)]] = {}
    charts: dict[Id, ChartDef] = {}
    each_country: list[Id] = []
    country_charts: dict[CountryId, list[Id]] = {}
    comparison: list[Id] = []  # the overview's table: these indicators' latest values, in this order
    methodology: Prose
    # paragraphs of the methodology about some countries' figures, after it, in a brief that shows them
    methodology_remarks: list[Remark] = []


Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


FontFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}\.(ttf|TTF)$")]
TemplateFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}\.(pptx|PPTX|potx|POTX)$")]


class Fonts(Strict):
    """TrueType files by plain name, looked up in report/ then in matplotlib's bundled fonts."""

    family: Line = "DejaVu Sans"
    regular: FontFile = "DejaVuSans.ttf"
    bold: FontFile = "DejaVuSans-Bold.ttf"
    italic: FontFile = "DejaVuSans-Oblique.ttf"
    bold_italic: FontFile = "DejaVuSans-BoldOblique.ttf"


class SlideTitles(Strict):
    """The deck's title style on a --template deck; each key left out keeps the template's own."""

    colour: Colour | None = None
    font: Line | None = None  # a font family name, as PowerPoint names it
    align: Literal["left", "center", "right"] | None = None


class ThemeFile(Strict):
    # the countries' colours in the brief and the deck: listed, or a template's accent colours
    palette: Annotated[list[Colour], Field(min_length=2)] | None = None
    palette_from: TemplateFile | None = None  # a .pptx in report/ whose accent1..accent6 they are
    focus: Colour
    peer: Colour
    ink: Colour
    muted: Colour
    accent: Colour
    rule: Colour
    risk_levels: Annotated[list[Colour], Field(min_length=4, max_length=4)]
    fonts: Fonts = Fonts()
    sizes: dict[Id, Annotated[float, Field(strict=False, gt=0, le=96)]] = {}
    slide_titles: SlideTitles = SlideTitles()

    @model_validator(mode="after")
    def _one_palette(self) -> ThemeFile:
        if (self.palette is None) == (self.palette_from is None):
            raise ValueError(
                "give the countries' colours once: either palette (a list) or palette_from "
                "(a .pptx in report/ whose accent colours they are), not both or neither"
            )
        return self


# --- report/labels.yaml -------------------------------------------------------------------------

PluralCategory = Literal["zero", "one", "two", "few", "many", "other"]


def _twelve(names: list[str]) -> list[str]:
    if len(names) != 12:
        raise ValueError(f"expected the 12 month names, January first, got {len(names)}")
    return names


def _words(words: dict[str, str]) -> dict[str, str]:
    """Every key is a known word, and a template keeps the {fields} its use fills in."""
    for key, text in words.items():
        if key not in WORDS:
            hint = difflib.get_close_matches(key, WORDS, n=1, cutoff=0.6)
            raise ValueError(f"unknown word '{key}'" + (f"; did you mean '{hint[0]}'?" if hint else ""))
        wanted, got = _fields(WORDS[key]), _fields(text)
        if wanted != got:
            shown = ", ".join("{" + f + "}" for f in sorted(wanted)) or "none"
            raise ValueError(f"'{key}' must keep the fields {shown}, got {text!r}")
    return words


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _ordinal(forms: dict[str, str]) -> dict[str, str]:
    if "other" not in forms:
        raise ValueError("expected at least the form 'other', e.g. other: \"{n}th\"")
    for category, text in forms.items():
        if _fields(text) != {"n"}:
            raise ValueError(f"'{category}' must hold the field {{n}}, got {text!r}")
    return forms


class LabelsFile(Strict):
    """report/labels.yaml: the fixed words of the outputs, in the report's language (English if absent).

    A word left out keeps its English default; number and date formats follow report.yaml's language.
    """

    months: Annotated[list[Line], AfterValidator(_twelve)] = list(MONTHS)
    months_short: Annotated[list[Annotated[str, _text(12)]], AfterValidator(_twelve)] = list(MONTHS_SHORT)
    ordinal: Annotated[dict[PluralCategory, Line], AfterValidator(_ordinal)] = dict(ORDINAL)  # type: ignore[assignment]
    words: Annotated[dict[str, Annotated[str, _text(400)]], AfterValidator(_words)] = {}


# --- the whole validated input ------------------------------------------------------------------


class GeoShape(Strict):
    """One country's outline on the locator map: outer rings of (lon, lat) points."""

    id: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]


class GeoWater(Strict):
    """A sea or lake the boundaries name, with a point of its water where its name goes."""

    name: str
    at: tuple[float, float]  # lon, lat


class GeoMap(Strict):
    """The locator map's boundaries (the world's shipped with digibrief, or data/geo/'s own; project.geo)."""

    source: str  # its entry in sources.yaml
    frame: tuple[float, float, float, float]  # west, south, east, north in degrees
    shapes: tuple[GeoShape, ...]
    waters: tuple[GeoWater, ...] = ()


class Project(Strict):
    """Everything digibrief knows after loading: data plus the report definition."""

    sources: dict[str, Source]
    indicators: dict[str, Indicator]
    countries: dict[str, Country]
    risks: RisksFile | None  # None: no data/risks.yaml, which only a brief without risks may lack
    report: ReportFile
    theme: ThemeFile
    labels: LabelsFile = LabelsFile()
    warnings: tuple[Problem, ...] = ()  # located advice, e.g. a figure typed by hand in prose
    geo: GeoMap | None = None  # the locator map's boundaries
