"""How numbers are shown to readers: one display policy, so every output prints a value alike.

An indicator's policy is its unit, its digits and, for ranks, how many were ranked. Text, tables,
charts, key figures, slides, notes and the change summary all format through `show` and `change`,
so no number anywhere has more digits than its policy allows.
"""

from __future__ import annotations

from dataclasses import dataclass


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _decimal(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def big(value: float) -> str:
    """165000000 -> "165 million"; 13000 -> "13,000"."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:,.1f}".removesuffix(".0")
            return f"{text} {word}"
    return f"{value:,.0f}"


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
            text += f" of {total:,}"
        elif policy.unit == "per100":
            text += " per 100"
    return text


def change(before: float, after: float, policy: Policy) -> str:
    """The size of a change, without its direction (the prose says rose or fell): "19 places"."""
    size = abs(after - before)
    if policy.unit == "rank":
        n = round(size)
        return f"{n} place" + ("" if n == 1 else "s")
    if policy.unit == "percent":
        return f"{_decimal(size, policy.decimals)} percentage points"
    return fmt(size, policy.unit, policy.decimals)


def fmt(value: float | None, unit: str, decimals: int = 1) -> str:
    """A value with its unit as a reader expects it: 92.9%, 24th, 0.901, US$230 million."""
    if value is None:
        return "n/a"
    if unit == "rank":
        return ordinal(round(value))
    if unit == "percent":
        return f"{_decimal(value, decimals)}%"
    if unit == "usd":
        return f"US${big(value)}" if abs(value) >= 1e6 else f"US${value:,.0f}"
    if unit == "count":
        return big(value)
    return _decimal(value, decimals)


def period(year: int | None, year_end: int | None = None, reported: str | None = None) -> str:
    if year is None:
        return f"reported {reported}" if reported else "undated"
    if year_end and year_end != year:
        return f"{year}\u2013{year_end}"
    return str(year)


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_label(year: int | None, month: int | None = None) -> str:
    if year is None:
        return "undated"
    return f"{MONTHS[month - 1][:3]} {year}" if month else str(year)


def edition_label(iso: str) -> str:
    """ "2026-11-29" -> "November 2026"."""
    parts = iso.split("-")
    return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) > 1 else parts[0]
