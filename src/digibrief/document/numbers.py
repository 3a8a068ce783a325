"""How numbers are shown to readers: one display policy, so every output prints a value alike.

An indicator's policy is its unit, its digits and, for ranks, how many were ranked. Text, tables,
charts, key figures, slides, notes and the change summary all format through `show` and `change`,
so no number anywhere has more digits than its policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.document import words
from digibrief.document.words import Speech, word


def ordinal(n: int, speech: Speech | None = None) -> str:
    """24 -> "24th": the ordinal form of the report's language (labels.yaml's ordinal)."""
    return (speech or words.current()).ordinal(n)


def _decimal(value: float, decimals: int) -> str:
    return words.decimal(value, decimals)


def big(value: float, speech: Speech | None = None) -> str:
    """165000000 -> "165 million"; 13000 -> "13,000" (in the report's language, or speech's)."""
    sp = speech or words.current()
    for size, key in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = value / size
            digits = 0 if round(scaled, 1) == round(scaled) else 1
            return sp.word(key, value=sp.decimal(scaled, digits))
    return sp.decimal(value, 0)


@dataclass(frozen=True)
class Policy:
    """How one indicator's (or fact's) values are shown."""

    unit: str
    decimals: int = 1
    of: int | None = None  # ranks: how many were ranked, shown by show(..., scale=True)


def show(value: float | None, policy: Policy, *, scale: bool = False, of: int | None = None) -> str:
    """A value as a reader sees it. With scale, a value standing alone says what it counts: a rank
    or a count how many there were ("24th of 193", "105 of 363"), a rate its base ("4.5 per 100")."""
    text = fmt(value, policy.unit, policy.decimals)
    total = of or policy.of
    if scale and value is not None:
        if policy.unit in ("rank", "count") and total:
            text = word("of_total", value=text, total=_decimal(total, 0))
        elif policy.unit == "per100":
            text = word("per_100", value=text)
    return text


def change(before: float, after: float, policy: Policy) -> str:
    """The size of a change, without its direction (the prose says rose or fell): "19 places"."""
    size = abs(after - before)
    if policy.unit == "rank":
        n = round(size)
        return word("place" if n == 1 else "places", n=n)
    if policy.unit == "percent":
        return word("points", value=_decimal(size, policy.decimals))
    return fmt(size, policy.unit, policy.decimals)


def fmt(value: float | None, unit: str, decimals: int = 1, speech: Speech | None = None) -> str:
    """A value with its unit as a reader expects it: 92.9%, 24th, 0.901, US$230 million (in the
    report's language, or speech's when given)."""
    sp = speech or words.current()
    if value is None:
        return sp.word("not_available")
    if unit == "rank":
        return sp.ordinal(round(value))
    if unit == "percent":
        return sp.word("percent", value=sp.decimal(value, decimals))
    if unit == "usd":
        return sp.word("usd", value=big(value, sp) if abs(value) >= 1e6 else sp.decimal(value, 0))
    if unit == "count":
        return big(value, sp)
    return sp.decimal(value, decimals)


def period(year: int | None, year_end: int | None = None, reported: str | None = None) -> str:
    if year is None:
        return word("reported_in", year=reported) if reported else word("undated")
    if year_end and year_end != year:
        return f"{year}\u2013{year_end}"
    return str(year)


def date_label(year: int | None, month: int | None = None) -> str:
    if year is None:
        return word("undated")
    return word("month_year", month=words.month(month, short=True), year=year) if month else str(year)


def edition_label(iso: str) -> str:
    """ "2026-11-29" -> "November 2026"."""
    parts = iso.split("-")
    return word("month_year", month=words.month(int(parts[1])), year=parts[0]) if len(parts) > 1 else parts[0]
