"""Figures typed by hand in prose: found, matched against the data and reported as located warnings.

A figure in prose should be a reference to the data ({KGZ internet_users 2022}), so an update can never
leave the text stale. This finds what looks like a figure among the words a writer typed (a
percentage, a money amount, an ordinal rank, a decimal, a large or scaled count, a count with a unit)
and says which data value it matches, or that it matches none. Years, small counts in words ("two
countries") and numbers inside references, literals, citations and links are not figures.
"""

from __future__ import annotations

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


def figures(text: str) -> Iterator[re.Match[str]]:
    """The figures typed by hand in text (references, literals, citations and links excluded)."""
    yield from FIGURE.finditer(without_markup(text))


def _number(m: re.Match[str]) -> float | None:
    raw = m.group(0)
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", raw)
    if digits is None:
        return None
    value = float(digits.group(0).replace(",", ""))
    scale = re.search(r"thousand|million|billion", raw)
    return value * _SCALE[scale.group(0)] if scale else value


def _matches(value: float, data: float) -> bool:
    """value is data as a writer would round it (to the digits they typed, or a few percent when scaled)."""
    if data == 0:
        return value == 0
    return abs(value - data) <= max(0.051, abs(data) * 0.02) if abs(data) >= 1 else abs(value - data) < 0.0051


def matching(value: float, country: Country | None, countries: Mapping[str, Country]) -> str:
    """A reference that reads a data value equal to value, or "" (the text's own country first)."""
    ordered = ([country] if country else []) + [c for c in countries.values() if c is not country]
    for c in ordered:
        for iid, series in c.indicators.items():
            for year, point in sorted(series.items()):
                if _matches(value, point.value):
                    return f"{{{c.id} {iid} {year}}}"
        for fid, fact in c.facts.items():
            if _matches(value, fact.value):
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
        for m in figures(text):
            shown = " ".join(m.group(0).split())
            value = _number(m)
            ref = matching(value, country, countries) if value is not None else ""
            if ref:
                why = f"figure '{shown}' is typed by hand; it matches {ref}: write that reference, so it follows the data"
            else:
                why = (
                    f"figure '{shown}' matches no data value and may be stale: add it to the data and refer to it, "
                    f'or keep it as written with its source: {{"{shown}" SOURCE_ID}}'
                )
            yield f.at(path, "warning: " + why)
