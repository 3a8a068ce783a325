"""Edition snapshots: every figure, risk level and country of an edition, as data/editions/<date>.yaml holds it.

A snapshot is written when an edition is published (`digibrief edition snapshot`) and committed
beside the data; the next edition compares its data with it to say what changed. It names its
indicators, sources and risk categories itself, so two snapshots can be compared without the data
they came from.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field

from digibrief.errors import InputError
from digibrief.project.load import load_file
from digibrief.project.model import (
    CountryId,
    DateText,
    Id,
    Line,
    Number,
    Project,
    SourceId,
    Strict,
    Unit,
    Year,
)
from digibrief.project.readings import fact_decimals
from digibrief.vocabulary import Status

FOLDER = "editions"  # under the data folder


class Value(Strict):
    """An indicator value of one year (the year is its key)."""

    value: Number
    source: SourceId
    status: Status = "verified"


class Dated(Value):
    """A figure that carries its own year: the population, a key figure."""

    year: Year | None = None


class FactValue(Dated):
    """A fact of a country file, with what it takes to show it."""

    label: Line
    unit: Unit
    decimals: int = 1


class IndicatorName(Strict):
    name: Line
    unit: Unit
    decimals: int = 1


class SourceName(Strict):
    publisher: Line
    title: Line


class CountryRecord(Strict):
    name: Line
    role: Literal["focus", "context"]
    population: Dated | None = None
    facts: dict[Id, FactValue] = Field(default_factory=dict)
    indicators: dict[Id, dict[Year, Value]] = Field(default_factory=dict)
    risks: dict[Id, int] = Field(
        default_factory=dict
    )  # assessed levels only; a category left out was not assessed


class Edition(Strict):
    edition: DateText
    indicators: dict[Id, IndicatorName] = Field(default_factory=dict)
    sources: dict[Id, SourceName] = Field(default_factory=dict)
    risk_categories: dict[Id, Line] = Field(default_factory=dict)
    risk_levels: dict[int, Line] = Field(default_factory=dict)
    countries: dict[CountryId, CountryRecord] = Field(default_factory=dict)


# each country's record, by the country and its risk levels as validated (frozen; a warm process keeps
# them while their files are unchanged: project/kept.py), which the entry holds, so that their
# identity is never another's
_RECORDS: dict[str, tuple[Any, Any, CountryRecord, frozenset[str]]] = {}


def _record(c: Any, levels: Any) -> tuple[CountryRecord, frozenset[str]]:
    """A country's record in a snapshot, with the sources it uses."""
    used: set[str] = set()
    pop = c.population
    if pop is not None:
        used.add(pop.source)
    facts = {}
    for fid, f in sorted(c.facts.items()):
        facts[fid] = FactValue(
            label=f.label,
            value=f.value,
            unit=f.unit,
            decimals=fact_decimals(f),
            year=f.year,
            source=f.source,
            status=f.status,
        )
        used.add(f.source)
    series = {}
    for iid in sorted(c.indicators):
        series[iid] = {
            y: Value(value=pt.value, source=pt.source, status=pt.status)
            for y, pt in sorted(c.indicators[iid].items())
        }
        used.update(pt.source for pt in c.indicators[iid].values())
    record = CountryRecord(
        name=c.name,
        role=c.role,
        population=(
            Dated(value=pop.value, year=pop.year, source=pop.source, status=pop.status) if pop else None
        ),
        facts=facts,
        indicators=series,
        risks={cat: a.level for cat, a in (levels or {}).items() if a.level is not None},
    )
    return record, frozenset(used)


def snapshot(project: Project) -> Edition:
    """What the project's data says now, as an edition snapshot dated by report.yaml's edition."""
    used: set[str] = set()
    countries = {}
    for cid in sorted(project.countries):
        c = project.countries[cid]
        levels = project.risks.assessments.get(cid) if project.risks else None
        known = _RECORDS.get(cid)
        if known is None or known[0] is not c or known[1] is not levels:
            known = (c, levels, *_record(c, levels))
            _RECORDS[cid] = known
        countries[cid] = known[2]
        used |= known[3]
    return Edition(
        edition=project.report.edition,
        indicators={
            iid: IndicatorName(name=ind.name, unit=ind.unit, decimals=ind.decimals)
            for iid, ind in project.indicators.items()
        },
        sources={
            sid: SourceName(publisher=s.publisher, title=s.title)
            for sid, s in sorted(project.sources.items())
            if sid in used
        },
        risk_categories={cat: rc.name for cat, rc in project.risks.categories.items()}
        if project.risks
        else {},
        risk_levels=dict(sorted(project.risks.levels.items())) if project.risks else {},
        countries=countries,
    )


def _number(value: float) -> int | float:
    """Whole numbers without a trailing .0, so the file reads as the data files do."""
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, float):
        return _number(obj)
    return obj


class _Dumper(yaml.SafeDumper):
    """Floats in plain decimal notation: PyYAML (YAML 1.1) reads 1e-05 as text, 0.00001 as a number."""


def _float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(float, _float)


def dump(edition: Edition) -> str:
    """The snapshot as YAML text: one line per figure, so that git shows an edition's changes line by line."""
    data = _plain(edition.model_dump(mode="python", exclude_defaults=True))
    data = {"edition": edition.edition, **{k: v for k, v in data.items() if k != "edition"}}
    header = (
        f"# Edition snapshot: every figure, risk level and country of the edition of {edition.edition},\n"
        "# written by `digibrief edition snapshot`. Commit it beside the data and leave it as it is:\n"
        "# the next edition's brief lists what changed since it.\n"
    )
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        default_flow_style=None,
        sort_keys=False,
        allow_unicode=True,
        width=100_000,
    )
    return header + body


def _date_key(iso: str) -> tuple[int, ...]:
    return tuple(int(p) for p in iso.split("-"))


def snapshot_path(data_dir: Path, edition: str) -> Path:
    return data_dir / FOLDER / f"{edition}.yaml"


def snapshot_files(data_dir: Path) -> list[Path]:
    """The edition snapshots under data_dir, oldest first (files whose name is not a date are left out)."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.yaml"):
        try:
            found.append((_date_key(path.stem), path))
        except ValueError:
            continue
    return [path for _, path in sorted(found)]


def previous_snapshot(data_dir: Path, edition: str) -> Path | None:
    """The newest snapshot older than edition: the edition that this one follows."""
    older = [p for p in snapshot_files(data_dir) if _date_key(p.stem) < _date_key(edition)]
    return older[-1] if older else None


def read_snapshot(path: Path) -> Edition:
    """An edition snapshot, validated; raise InputError with every problem, located."""
    edition, file = load_file(path, Edition)
    try:
        named = _date_key(path.stem) == _date_key(edition.edition)
    except ValueError:
        named = False
    if path.parent.name == FOLDER and not named:
        raise InputError(
            [
                file.at(
                    ("edition",),
                    f"the snapshot of edition {edition.edition} must be named {edition.edition}.yaml",
                )
            ]
        )
    return edition
