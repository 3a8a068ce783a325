"""How numbers are shown to readers: one place, so the brief and the deck print them alike."""

from __future__ import annotations


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
