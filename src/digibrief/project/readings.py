"""What a data reference reads from the data: the values, years, sources and statuses behind it.

One lookup serves the validator (a reference that reads nothing is a located error) and the
composer (which formats what was read by the indicator's display policy), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from digibrief.project.model import Country, Discrepancy, DiscrepancyValue, Fact, Indicator, Point
from digibrief.syntax import Ref
from digibrief.vocabulary import Status

UNIT_DECIMALS = {"percent": 1, "rank": 0, "score": 2, "count": 0, "usd": 0, "per100": 1, "index": 1}


class Unreadable(ValueError):
    """A reference that names nothing in the data; the message says what is missing."""


@dataclass(frozen=True)
class Reading:
    """The data behind one reference, before formatting."""

    ref: Ref
    unit: str
    decimals: int
    values: tuple[float, ...]  # value: (v,); change: (from, to); position: (position, count); year: (year,)
    years: tuple[int, ...]
    sources: tuple[str, ...]
    status: Status = "verified"  # the weakest status among the values read
    of: int | None = None  # ranks: how many were ranked
    qualifier: str = ""  # facts: words before the value, e.g. "more than"
    label: str = ""  # the indicator's name or the fact's label


def fact_decimals(fact: Fact) -> int:
    return fact.decimals if fact.decimals is not None else UNIT_DECIMALS[fact.unit]


def _weakest(points: list[Point] | list[Fact]) -> Status:
    order: tuple[Status, ...] = ("unverified", "reported", "verified")
    return min((p.status for p in points), key=order.index, default="verified")


def latest_year(series: Mapping[int, Point]) -> int:
    return max(series)


def read(ref: Ref, countries: Mapping[str, Country], indicators: Mapping[str, Indicator]) -> Reading:
    """The data ref reads; raise Unreadable naming what is missing."""
    country = countries.get(ref.country)
    if country is None:
        raise Unreadable(f"{ref.text}: no country '{ref.country}' in data/countries/")
    if ref.name in country.facts:
        return _read_fact(ref, country.facts[ref.name])
    ind = indicators.get(ref.name)
    if ind is None:
        facts = ", ".join(sorted(country.facts)) or "none"
        raise Unreadable(
            f"{ref.text}: '{ref.name}' is neither an indicator nor a fact of {ref.country} (its facts: {facts})"
        )
    series = country.indicators.get(ref.name, {})
    if not series:
        raise Unreadable(f"{ref.text}: {ref.country} has no values of {ref.name}")
    year = ref.year if ref.year is not None else latest_year(series)
    if year not in series:
        have = ", ".join(str(y) for y in sorted(series))
        raise Unreadable(f"{ref.text}: {ref.country} has no {ref.name} value for {year} (it has {have})")
    point = series[year]
    base = {"ref": ref, "unit": ind.unit, "decimals": ind.decimals, "label": ind.name}
    if ref.form == "change":
        assert ref.to is not None
        if ref.to not in series:
            have = ", ".join(str(y) for y in sorted(series))
            raise Unreadable(
                f"{ref.text}: {ref.country} has no {ref.name} value for {ref.to} (it has {have})"
            )
        end = series[ref.to]
        return Reading(
            values=(point.value, end.value),
            years=(year, ref.to),
            sources=tuple(dict.fromkeys((point.source, end.source))),
            status=_weakest([point, end]),
            **base,  # type: ignore[arg-type]
        )
    if ref.form == "position":
        peers = {
            cid: c.indicators[ref.name][year]
            for cid, c in countries.items()
            if year in c.indicators.get(ref.name, {})
        }
        ranked = sorted(peers, key=lambda cid: peers[cid].value, reverse=ind.higher_is_better)
        return Reading(
            values=(ranked.index(ref.country) + 1, len(ranked)),
            years=(year,),
            sources=tuple(dict.fromkeys(peers[cid].source for cid in sorted(peers))),
            status=_weakest(list(peers.values())),
            **base,  # type: ignore[arg-type]
        )
    if ref.form == "year":
        return Reading(values=(year,), years=(year,), sources=(point.source,), status=point.status, **base)  # type: ignore[arg-type]
    return Reading(
        values=(point.value,),
        years=(year,),
        sources=(point.source,),
        status=point.status,
        of=point.of or ind.of,
        **base,  # type: ignore[arg-type]
    )


def _read_fact(ref: Ref, fact: Fact) -> Reading:
    if ref.year is not None or ref.form not in ("value", "of"):
        raise Unreadable(f"{ref.text}: '{ref.name}' is a fact; it takes no year or form")
    years = tuple(y for y in (fact.year, fact.year_end) if y is not None)
    return Reading(
        ref=ref,
        unit=fact.unit,
        decimals=fact_decimals(fact),
        values=(fact.value,),
        years=years,
        sources=(fact.source,),
        status=fact.status,
        of=fact.of,
        qualifier=fact.qualifier or "",
        label=fact.label,
    )


def read_disputed(
    country: Country, d: Discrepancy, v: DiscrepancyValue, indicators: Mapping[str, Indicator]
) -> Reading:
    """What one side of a disagreement says: the data it points at, or its own value and source."""
    countries = {country.id: country}
    if v.fact is not None:
        return read(Ref(country.id, v.fact), countries, indicators)
    if v.value is None:
        if d.indicator is None:
            raise Unreadable("`year` alone points at the discrepancy's indicator: name it with `indicator:`")
        return read(Ref(country.id, d.indicator, v.year, form="of"), countries, indicators)
    assert v.source is not None
    ind = indicators.get(d.indicator) if d.indicator else None
    unit = ind.unit if ind else (d.unit or "score")
    decimals = ind.decimals if ind else UNIT_DECIMALS[unit]
    ref = Ref(country.id, d.indicator or "value", v.year, form="change" if v.change else "of")
    return Reading(
        ref=ref,
        unit=unit,
        decimals=decimals,
        values=(0.0, v.value) if v.change else (v.value,),
        years=(v.year,) if v.year else (),
        sources=(v.source,),
        label=ind.name if ind else "",
    )
