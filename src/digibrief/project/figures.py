"""Figures typed by hand in prose: found, matched against the data and reported as located warnings.

A figure in prose should be a reference to the data ({KGZ internet_users 2022}), so an update can never
leave the text stale. This finds what looks like a figure among the words a writer typed (a
percentage, a money amount, an ordinal rank, a decimal, a large or scaled count, a count with a unit)
and says which data value it matches, or that it matches none. Years, small counts in words ("two
countries") and numbers inside references, literals, citations and links are not figures.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from digibrief.errors import Problem
from digibrief.project.files import YamlFile
from digibrief.project.model import Country, Indicator
from digibrief.project.yamlsource import KeyPath
from digibrief.syntax import without_markup

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
FIGURE = re.compile(
    r"(?P<money>US\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:thousand|million|billion))?)"
    r"|(?P<percent>(?<![\w.,])\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b))"
    r"|(?P<ordinal>(?<![\w.,])\d+(?:st|nd|rd|th)\b)"
    r"|(?P<scaled>(?<![\w.,])\d[\d,]*(?:\.\d+)?\s?(?:thousand|million|billion)\b)"
    r"|(?P<decimal>(?<![\w.,])\d+\.\d+(?![\w.]))"
    r"|(?P<grouped>(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d]))"
    r"|(?P<unit>(?<![\w.,])(?<!per )\d+[\s-]?(?:km|kilometres|places|points|cameras|records|users|transactions"
    r"|subscriptions|people|households|villages|towns|schools|services)\b)"
)


@functools.lru_cache(maxsize=4096)
def figures(text: str) -> tuple[tuple[str, str], ...]:
    """The figures typed by hand in text (references, literals, citations and links excluded), each
    as typed with its kind (a group of FIGURE). Kept by text: a watch checks every text on each save."""
    return tuple((m.group(0), m.lastgroup or "") for m in FIGURE.finditer(without_markup(text)))


# the units a kind of typed figure can stand for
_UNITS = {
    "money": ("usd",),
    "percent": ("percent",),
    "ordinal": ("rank",),
    "scaled": ("count", "usd"),
    "grouped": ("count", "usd"),
    "decimal": ("score", "per100", "index", "percent"),
    "unit": ("count", "per100"),
}


def _number(raw: str) -> tuple[float, float] | None:
    """The value a typed figure says, and how far off a value may be and still read that way."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", raw)
    if digits is None:
        return None
    value = float(digits.group(0).replace(",", ""))
    places = len(digits.group(1) or "")
    scale_word = re.search(r"thousand|million|billion", raw)
    scale = _SCALE[scale_word.group(0)] if scale_word else 1.0
    return value * scale, 0.5 * 10**-places * scale + 1e-9


def matching(
    figure: tuple[float, float],
    kind: str,
    country: Country | None,
    countries: Mapping[str, Country],
    indicators: Mapping[str, Indicator],
) -> str:
    """A reference that reads a data value the typed figure rounds to (the text's own country first)."""
    value, slack = figure
    units = _UNITS.get(kind, ())
    ordered = ([country] if country else []) + [c for c in countries.values() if c is not country]
    for c in ordered:
        for iid, series in c.indicators.items():
            ind = indicators.get(iid)
            if ind is None or ind.unit not in units:
                continue
            for year, point in sorted(series.items()):
                if abs(point.value - value) <= slack:
                    return f"{{{c.id} {iid} {year}}}"
        for fid, fact in c.facts.items():
            if fact.unit in units and abs(fact.value - value) <= slack:
                return f"{{{c.id} {fid}}}"
    return ""


def figure_warnings(
    texts: Iterator[tuple[YamlFile, KeyPath, str]],
    countries: Mapping[str, Country],
    indicators: Mapping[str, Indicator],
    country_of: Mapping[str, str],
) -> Iterator[Problem]:
    """A located warning for every figure typed by hand in a text a reader sees."""
    for f, path, text in texts:
        country = countries.get(country_of.get(f.name, ""))
        for typed, kind in figures(text):
            shown = " ".join(typed.split())
            figure = _number(typed)
            ref = matching(figure, kind, country, countries, indicators) if figure is not None else ""
            if ref:
                why = f"figure '{shown}' is typed by hand; it matches {ref}: write that reference, so it follows the data"
            else:
                why = (
                    f"figure '{shown}' matches no data value and may be stale: add it to the data and refer to it, "
                    f'or keep it as written with its source: {{"{shown}" SOURCE_ID}}'
                )
            yield f.at(path, "warning: " + why)
