"""Citation numbers as readers see them: "[1, 2, 3, 5]" is labelled "1–3,5", one policy for every writer."""

from __future__ import annotations

from collections.abc import Iterable


def groups(numbers: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """Runs of consecutive numbers as (first, last): [1, 2, 3, 5] -> ((1, 3), (5, 5))."""
    ordered = sorted(set(numbers))
    out: list[tuple[int, int]] = []
    for n in ordered:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return tuple(out)


def label(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 5] -> "1–3,5"; a run of two stays two numbers ("1,2")."""
    parts = []
    for first, last in groups(numbers):
        if first == last:
            parts.append(str(first))
        elif last == first + 1:
            parts.append(f"{first},{last}")
        else:
            parts.append(f"{first}\u2013{last}")
    return ",".join(parts)
