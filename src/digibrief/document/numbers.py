"""How numbers are shown to readers: one display policy, so every output prints a value alike.

An indicator's policy is its unit, its digits and, for ranks, how many were ranked. Text, tables,
charts, key figures, slides, notes and the change summary all format through `show` and `change`,
so no number anywhere has more digits than its policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.document.words import Speech


def ordinal(sp: Speech, n: int) -> str:
    """24 -> "24th": the ordinal form of sp's language (labels.yaml's ordinal)."""
    return sp.ordinal(n)


def big(sp: Speech, value: float) -> str:
    """165000000 -> "165 million"; 13000 -> "13,000" (in sp's words and number format)."""
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


def show(
    sp: Speech, value: float | None, policy: Policy, *, scale: bool = False, of: int | None = None
) -> str:
    """A value as a reader sees it. With scale, a value standing alone says what it counts: a rank
    or a count how many there were ("24th of 193", "105 of 363"), a rate its base ("4.5 per 100")."""
    text = fmt(sp, value, policy.unit, policy.decimals)
    total = of or policy.of
    if scale and value is not None:
        if policy.unit in ("rank", "count") and total:
            text = sp.word("of_total", value=text, total=sp.decimal(total, 0))
        elif policy.unit == "per100":
            text = sp.word("per_100", value=text)
    return text


def change(sp: Speech, before: float, after: float, policy: Policy) -> str:
    """The size of a change, without its direction (the prose says rose or fell): "19 places"."""
    size = abs(after - before)
    if policy.unit == "rank":
        n = round(size)
        return sp.word("place" if n == 1 else "places", n=n)
    if policy.unit == "percent":
        return sp.word("points", value=sp.decimal(size, policy.decimals))
    return fmt(sp, size, policy.unit, policy.decimals)


def fmt(sp: Speech, value: float | None, unit: str, decimals: int = 1) -> str:
    """A value with its unit as a reader expects it: 92.9%, 24th, 0.901, US$230 million (in sp's words
    and number format)."""
    if value is None:
        return sp.word("not_available")
    if unit == "rank":
        return sp.ordinal(round(value))
    if unit == "percent":
        return sp.word("percent", value=sp.decimal(value, decimals))
    if unit == "usd":
        return sp.word("usd", value=big(sp, value) if abs(value) >= 1e6 else sp.decimal(value, 0))
    if unit == "count":
        return big(sp, value)
    return sp.decimal(value, decimals)


def period(sp: Speech, year: int | None, year_end: int | None = None, reported: str | None = None) -> str:
    if year is None:
        return sp.word("reported_in", year=reported) if reported else sp.word("undated")
    if year_end and year_end != year:
        return f"{year}\u2013{year_end}"
    return str(year)


def date_label(sp: Speech, year: int | None, month: int | None = None) -> str:
    if year is None:
        return sp.word("undated")
    return sp.word("month_year", month=sp.month(month, short=True), year=year) if month else str(year)


def edition_label(sp: Speech, iso: str) -> str:
    """ "2026-11-29" -> "November 2026"."""
    parts = iso.split("-")
    return sp.word("month_year", month=sp.month(int(parts[1])), year=parts[0]) if len(parts) > 1 else parts[0]
