"""What `digibrief init` writes: a new project's files as texts, valid and buildable at once.

Nothing in it is invented: the countries' names come from the Unicode CLDR territory names that
Babel ships (cited as a source entry), the indicators and their sources from the shipped catalogue,
and every sentence still to write is a "[Placeholder: ...]" that `check` lists, located, as a
warning. A country has no figures until they are added or imported. Pure: arguments in, texts out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from digibrief.project.files import PROSE_PLACEHOLDER
from digibrief.vocabulary import MONTHS, MONTHS_SHORT, ORDINAL, WORDS

NAMES_SOURCE = "CLDR_TERRITORY_NAMES"  # the source entry of the countries' names
CATALOGUE = resources.files("digibrief.project") / "catalogue"
LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")

# CLDR release dates, from https://cldr.unicode.org/index/downloads (49: after 48.2 of 2026-03-17);
# another is dated by the year its number gives, CLDR making two releases a year (43 and 44: 2023).
CLDR_RELEASES = {
    "42": "2022-10-19",
    "45": "2024-04-17",
    "46": "2024-10-24",
    "47": "2025-03-13",
    "48": "2025-10-29",
    "49": "2026",
}


def placeholder(what: str, quoted: bool = True) -> str:
    """Prose still to write, as YAML text (quoted, or as the line of a block): it reads as a placeholder
    wherever it is printed."""
    text = f"{PROSE_PLACEHOLDER}: {what}]"
    return json.dumps(text, ensure_ascii=False) if quoted else text


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def language_known(language: str) -> bool:
    """True when Babel knows the language's number symbols and territory names."""
    from babel import localedata

    return bool(LANGUAGE.match(language)) and localedata.exists(language.replace("-", "_"))


def country_names(codes: list[str], language: str) -> dict[str, str | None]:
    """Each ISO 3166 alpha-3 code's name in language, from CLDR; None for a code CLDR does not know."""
    from babel import Locale
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    territories = Locale.parse(language.replace("-", "_")).territories
    names: dict[str, str | None] = {}
    for code in codes:
        alpha2 = (aliases.get(code) or [None])[0]
        names[code] = territories.get(alpha2) if alpha2 and len(alpha2) == 2 else None
    return names


def names_source() -> str:
    """The sources.yaml entry of the countries' names: the CLDR release that Babel ships."""
    from babel.core import get_cldr_version

    version = str(get_cldr_version())
    major = version.split(".")[0]
    date = CLDR_RELEASES.get(major) or str(2000 + (int(major) + 3) // 2)
    return (
        f"  {NAMES_SOURCE}:\n"
        "    publisher: Unicode Consortium\n"
        f"    title: Unicode CLDR {version}, territory names\n"
        f'    date: "{date}"\n'
        "    kind: primary\n"
        "    url: https://cldr.unicode.org/\n"
        '    note: "The countries\' names in the language of the brief."\n'
    )


@dataclass(frozen=True)
class Plan:
    """What a new brief is about: its title, language, focus and context countries with their names."""

    title: str
    language: str
    focus: dict[str, str]  # ISO3 -> name, in the order of the sections
    context: dict[str, str]
    edition: str  # "YYYY-MM-DD"


def files(plan: Plan) -> dict[str, str]:
    """Every file of the new project, by its path relative to the project folder."""
    out = {
        ".gitignore": "# digibrief's outputs and caches: rebuilt from data/ and report/\noutput/\n",
        "data/sources.yaml": _sources(),
        "data/indicators.yaml": (CATALOGUE / "indicators.yaml").read_text(encoding="utf-8"),
        "report/report.yaml": _report(plan),
        "report/theme.yaml": THEME,
        "report/labels.yaml": _labels(),
    }
    for code, name in plan.focus.items():
        out[f"data/countries/{code.lower()}.yaml"] = _focus_country(code, name)
    for code, name in plan.context.items():
        out[f"data/countries/{code.lower()}.yaml"] = _context_country(code, name)
    return out


def _sources() -> str:
    catalogue = (CATALOGUE / "sources.yaml").read_text(encoding="utf-8")
    head = (
        "# Every source of the brief: publisher, title, date, kind (primary, secondary or news), url, note.\n"
        "# Cite one as [ID] in a text, or as source: ID beside a value. docs/data-format.md describes them.\n"
        "# The indicators' sources come with the catalogue in indicators.yaml; the countries' names are CLDR's.\n"
    )
    body = catalogue.split("sources:\n", 1)[1]
    return head + "sources:\n" + names_source() + body


def _report(plan: Plan) -> str:
    focus = list(plan.focus)
    return (
        "# How the brief is told: its title, the order of its sections, the takeaways and the charts.\n"
        f"# Written by `digibrief init`. Replace every {PROSE_PLACEHOLDER}: ...]: `digibrief check` lists each\n"
        "# one left with its line, and `digibrief check --strict` fails until none remain.\n"
        "# docs/sections.md describes every section kind; docs/data-format.md every field.\n"
        f"title: {_quoted(plan.title)}\n"
        f"subtitle: {placeholder('one line on what the brief covers')}\n"
        f'edition: "{plan.edition}"\n'
        f"publisher: {placeholder('who publishes the brief')}\n"
        f"author: {placeholder('who wrote it')}\n"
        f"language: {plan.language}\n"
        "paper: a4\n"
        f"countries: [{', '.join(focus)}]   # the order of the country sections\n"
        "\n"
        "sections:\n"
        "  - kind: cover\n"
        "  - kind: takeaways\n"
        "    title: Key takeaways\n"
        "  - kind: contents\n"
        "    title: Contents\n"
        "  - kind: overview\n"
        "    title: Overview\n"
        "    intro: |\n"
        f"      {placeholder('a paragraph on what the brief compares and why, citing each source by its id', quoted=False)}\n"
        "    charts: [internet_users]\n"
        "  - kind: countries      # a section for each country under countries:\n"
        "  - kind: outlook\n"
        "    title: Outlook\n"
        "    intro: |\n"
        f"      {placeholder('what the findings mean, in a short paragraph', quoted=False)}\n"
        "  - kind: methodology\n"
        "    title: Methodology and sources\n"
        "\n"
        "takeaways:            # 1 to 8 findings, each a sentence or two with its sources\n"
        f"  - {placeholder('the first finding, its figures written as data references (docs/data-format.md)')}\n"
        + _country_takeaways(plan)
        + "\n"
        "# Each chart's headline is its finding in one sentence: the slide title and the chart's title in the\n"
        "# brief. Write figures as data references, never typed, so that they follow the data.\n"
        "charts:\n"
        "  internet_users:\n"
        "    kind: trend\n"
        "    title: Internet users\n"
        f"    headline: {placeholder('what the chart shows, in one sentence')}\n"
        "    indicator: internet_users\n"
        "\n"
        "# the overview's table: each indicator's latest value per country, in this order\n"
        "comparison: [internet_users, mobile_subs, fixed_broadband, egdi_rank]\n"
        "\n"
        "methodology: |\n"
        f"  {placeholder('where the figures come from and how they were chosen and compared', quoted=False)}\n"
    )


def _country_takeaways(plan: Plan) -> str:
    """With two focus countries or more, a takeaway of each one's own to write, for its own brief."""
    if len(plan.focus) < 2:
        return ""
    return (
        "country_takeaways:    # each country's own, first in a brief about it (build --per-country)\n"
        + "".join(
            f"  {code}:\n    - {placeholder(f'a finding about {name}, for a brief about it alone')}\n"
            for code, name in plan.focus.items()
        )
    )


_COUNTRY_HEAD = (
    "# Written by `digibrief init`. Replace every {marker}: ...]: `digibrief check` lists each one left.\n"
    "# docs/data-format.md describes every field. The name is Unicode CLDR's ({source} in sources.yaml).\n"
)


def _focus_country(code: str, name: str) -> str:
    highlight = (
        f"  - text: {placeholder(f'a short point on {name} in your own words')}\n"
        "    sources: []              # the ids of its sources\n"
    )
    return (
        _COUNTRY_HEAD.format(marker=PROSE_PLACEHOLDER, source=NAMES_SOURCE) + f"id: {code}\n"
        f"name: {_quoted(name)}\n"
        "role: focus                  # focus: a section of its own; context: comparisons only\n"
        f"capital: {placeholder('the capital city')}\n"
        "# population: {value: PEOPLE, year: YEAR, source: SOURCE_ID}    # first under At a glance\n"
        "profile: |                   # in your own words; a blank line starts a new paragraph\n"
        f"  {placeholder(f'two or three paragraphs on {name}, citing each source by its id', quoted=False)}\n"
        "highlights:                  # 3 to 6 short points, each with its sources\n"
        + highlight
        * 3
        + "key_figures: []              # 2 to 6: {indicator: ID} for its latest value, or {fact: ID}\n"
        "indicators: {}               # indicator id -> year -> {value, source}; or use `digibrief import`\n"
    )


def _context_country(code: str, name: str) -> str:
    return (
        _COUNTRY_HEAD.format(marker=PROSE_PLACEHOLDER, source=NAMES_SOURCE) + f"id: {code}\n"
        f"name: {_quoted(name)}\n"
        "role: context                # shown in the comparisons only\n"
        f"capital: {placeholder('the capital city')}\n"
        "# population: {value: PEOPLE, year: YEAR, source: SOURCE_ID}\n"
        "indicators: {}               # indicator id -> year -> {value, source}; or use `digibrief import`\n"
    )


def _labels() -> str:
    """report/labels.yaml: every fixed word of the outputs, in English, to translate for another language."""
    lines = [
        "# The fixed words of the brief, the deck and the data pack, in the report's language.",
        "# Translate the values, keep every {field}: check refuses a template that drops or adds one.",
        "# Number symbols and ordinal forms follow `language:` in report.yaml, from Babel's locale data.",
        f"months: [{', '.join(MONTHS)}]",
        f"months_short: [{', '.join(MONTHS_SHORT)}]",
        "ordinal:",
        *(f"  {k}: {_quoted(v)}" for k, v in ORDINAL.items()),
        "words:",
        *(f"  {k}: {_quoted(v)}" for k, v in WORDS.items()),
    ]
    return "\n".join(lines) + "\n"


THEME = """\
# How the brief, the deck and the charts look. Colours are hex sRGB; sizes are in points.
# palette: each focus country's colour, in the order of countries: in report.yaml: matplotlib's
# colour-blind-safe okabe_ito colours, then Paul Tol's wine; check warns when countries share one.
palette: ["#0072B2", "#E69F00", "#000000", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#882255"]
focus: "#0072B2"      # the country in focus
peer: "#B4BAC1"       # other countries, in grey
ink: "#1F2933"        # text
muted: "#5F6B76"      # secondary text, axes, source lines
accent: "#D55E00"     # rules and highlights, used sparingly
rule: "#D5DAE0"       # hairlines and table rules
risk_levels: ["#F3F1EC", "#F5C9A0", "#DE7A3C", "#9E3A10"]   # risk levels 0..3, light to dark
# fonts: TrueType files looked up in report/ and report/fonts/, then among matplotlib's bundled fonts
# (DejaVu Sans, the default, covers Latin, Greek, Cyrillic, Armenian and Georgian).
sizes:
  body: 10
  small: 7.5
  h1: 20
  h2: 13
  h3: 10.5
  cover_title: 30
  chart_print: 8
  chart_slide: 14
  slide_title: 28
  slide_body: 20
  slide_lead: 24
  slide_subtitle: 18
  slide_label: 14
  slide_matrix: 16
  slide_source: 12
  slide_figure: 40
"""
