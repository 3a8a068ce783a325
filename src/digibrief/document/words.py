"""The outputs' fixed words and number symbols, in the report's language.

report/labels.yaml gives the words (section furniture, table headers, "page N of M", month names,
"n/a", ordinals); report.yaml's `language` gives the number symbols through Babel's locale data
(decimal mark, digit grouping, which ordinal form a number takes). A Speech holds both; the document
carries it (Document.speech). Whatever prints a word or a number takes it as an argument and asks it
(speech.word, speech.decimal, ...): the composer hands its Speech to the chart specs, the data pack,
the change summary and numbers.py, and the chart layout, the charts and the writers get the document's.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from digibrief.vocabulary import MONTHS, MONTHS_SHORT, ORDINAL, WORDS


@dataclass(frozen=True)
class Speech:
    """The language and the labels table of one report."""

    language: str = "en"
    words: tuple[tuple[str, str], ...] = ()  # only those that differ from the English defaults
    months: tuple[str, ...] = MONTHS
    months_short: tuple[str, ...] = MONTHS_SHORT
    ordinals: tuple[tuple[str, str], ...] = field(default=tuple(ORDINAL.items()))

    @staticmethod
    def of(
        language: str,
        words: Mapping[str, str],
        months: Sequence[str],
        months_short: Sequence[str],
        ordinal: Mapping[Any, str],
    ) -> Speech:
        return Speech(
            language,
            tuple(sorted((k, v) for k, v in words.items() if WORDS.get(k) != v)),
            tuple(months),
            tuple(months_short),
            tuple(sorted((str(k), v) for k, v in ordinal.items())),
        )

    @functools.cached_property
    def table(self) -> dict[str, str]:
        return {**WORDS, **dict(self.words)}

    def word(self, key: str, **fields: object) -> str:
        """The fixed word key in this language, its {fields} filled in."""
        text = self.table[key]
        return text.format(**fields) if fields else text

    def month(self, number: int, short: bool = False) -> str:
        return (self.months_short if short else self.months)[number - 1]

    def ordinal(self, n: int) -> str:
        """24 -> '24th' in English, '24e' with a French labels table: the form Babel's plural rules pick."""
        forms = dict(self.ordinals)
        return forms.get(_ordinal_form(self.language, n), forms["other"]).format(n=n)

    def decimal(self, value: float, decimals: int) -> str:
        """value with digit grouping and decimal mark of this language: 1,234.5 / 1 234,5."""
        text = f"{value:,.{decimals}f}"
        if self.language.startswith("en"):
            return text
        point, group = _symbols(self.language)
        return text.replace(",", "\0").replace(".", point).replace("\0", group)


ENGLISH = Speech()


@functools.lru_cache(maxsize=64)
def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=4096)
def _ordinal_form(language: str, n: int) -> str:
    """Babel's plural form of the ordinal n in language ("one", "two", "few", "other"), found once per
    number: a brief writes the same ranks again and again."""
    return str(_locale(language).ordinal_form(n))


@functools.lru_cache(maxsize=64)
def _symbols(language: str) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = _locale(language)
    return get_decimal_symbol(locale), get_group_symbol(locale)
