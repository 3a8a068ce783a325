"""What `digibrief new` writes: a country or indicator with a placeholder for every required value,
and the lines that add it to report.yaml and risks.yaml, inserted without touching the rest.

Every placeholder starts with "TODO", which the loader refuses at its line and column until it is
replaced, so a scaffold can never reach a brief unfilled. Pure: texts in, texts out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import get_args

from digibrief.project import yamlsource
from digibrief.project.files import PLACEHOLDER
from digibrief.project.model import Unit
from digibrief.project.yamlsource import KeyPath, Located

UNITS: tuple[str, ...] = get_args(Unit)

COUNTRY_ID = re.compile(r"^[A-Za-z]{3}$")
INDICATOR_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,79}$")


def todo(what: str) -> str:
    """A placeholder as YAML text: quoted, so that it reads as text wherever it stands."""
    return json.dumps(f"{PLACEHOLDER}: {what}", ensure_ascii=False)


def country_text(cid: str, name: str, role: str) -> str:
    """A country file with every required value a placeholder: for a focus country 3 highlights and 2 key
    figures; a context country, shown in the comparisons, needs them only if a context section shows it."""
    source = todo("a source id from data/sources.yaml")
    highlight = f"  - text: {todo('a short point in your own words')}\n    sources: [{source}]\n"
    key_figure = f"  - indicator: {todo('an indicator id from data/indicators.yaml')}\n"
    if role == "context":
        return (
            f"# Written by `digibrief new country`. Replace every {PLACEHOLDER} value: `digibrief check` lists\n"
            "# each one left, with its line. docs/data-format.md describes every field. A context section\n"
            "# (sections: in report.yaml) that shows this country also needs profile: and highlights:.\n"
            f"id: {cid}\n"
            f"name: {json.dumps(name, ensure_ascii=False)}\n"
            f"role: {role}                # comparisons only (and a context section, if you add one)\n"
            f"capital: {todo('the capital city')}\n"
            f"population: {{value: {todo('people, a whole number')}, year: {todo('the year')}, "
            f"source: {source}}}\n"
            "indicators: {}               # indicator id -> year -> {value, source}; or use `digibrief import`\n"
        )
    return (
        f"# Written by `digibrief new country`. Replace every {PLACEHOLDER} value: `digibrief check` lists\n"
        "# each one left, with its line. docs/data-format.md describes every field.\n"
        f"id: {cid}\n"
        f"name: {json.dumps(name, ensure_ascii=False)}\n"
        f"role: {role}                  # focus: a section of its own; context: comparisons only\n"
        f"capital: {todo('the capital city')}\n"
        f"population: {{value: {todo('people, a whole number')}, year: {todo('the year')}, "
        f"source: {source}}}\n"
        "profile: |                   # in your own words; a blank line starts a new paragraph\n"
        f"  {PLACEHOLDER}: two or three paragraphs, citing sources as [SOURCE_ID].\n"
        "highlights:                  # 3 to 6 short points, each with its sources\n"
        + highlight * 3
        + "key_figures:                 # 2 to 6: an indicator's latest value, or a fact of this file (fact: ID)\n"
        + key_figure * 2
        + "indicators: {}               # indicator id -> year -> {value, source}; or use `digibrief import`\n"
        "milestones: []\n"
        "incidents: []\n"
    )


def risks_row(cid: str, categories: list[str], indent: int) -> list[str]:
    """The assessments row of a new country: one not-yet-assessed cell per category."""
    rationale = todo("what the sources show, or 'Not assessed for lack of evidence in the sources used.'")
    pad = " " * indent
    return [f"{pad}{cid}:"] + [
        f"{pad}  {cat}: {{level: null, rationale: {rationale}, sources: []}}" for cat in categories
    ]


def indicator_lines(iid: str, name: str | None, unit: str | None, indent: int) -> list[str]:
    """An entry of data/indicators.yaml, with what was given on the command line filled in."""
    pad = " " * indent
    return [
        f"{pad}{iid}:",
        f"{pad}  name: {json.dumps(name, ensure_ascii=False) if name else todo('its name, as charts title it')}",
        f"{pad}  unit: {unit or todo(' | '.join(UNITS))}",
        f"{pad}  unit_label: {todo('the unit as an axis says it, e.g. % of population')}",
        f"{pad}  range: [{todo('the lowest possible value')}, {todo('the highest')}]",
        f"{pad}  higher_is_better: {todo('true or false')}",
        f"{pad}  decimals: 1",
        f"{pad}  definition: {todo('one sentence: what is measured, and how')}",
        f"{pad}  source: {todo('its default source id from data/sources.yaml')}",
    ]


@dataclass(frozen=True)
class Edit:
    """A file's new text, or None and the exact lines a user should add by hand instead."""

    text: str | None
    by_hand: tuple[str, ...] = ()


def _block_end(lines: list[str], key_line: int, child_indent: int) -> int:
    """The index after the last line of a block whose children are indented by child_indent."""
    end = key_line
    for i in range(key_line, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(lines[i]) - len(lines[i].lstrip(" ")) < child_indent:
            break
        end = i + 1
    return end


def append_to_mapping(text: str, located: Located, path: KeyPath, new: list[str]) -> str | None:
    """text with new lines added at the end of the block mapping at path; None if it is not one."""
    value = located.value
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, dict) or not value or path not in located.keys:
        return None
    lines = text.splitlines(keepends=True)
    key_line = located.keys[path][0]  # 1-based: the index of the line after the key
    first_line, first_col = located.values[path]
    if first_line <= key_line or lines[first_line - 1][first_col - 1 :].lstrip().startswith("{"):
        return None  # a flow mapping {...}: no block to extend
    end = _block_end(lines, key_line, first_col - 1)
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    lines[end:end] = [line + newline for line in new]
    return "".join(lines)


def append_to_list(text: str, located: Located, path: KeyPath, item: str) -> str | None:
    """text with item added at the end of the list at path, flow [..] on one line or block; else None."""
    value = located.value
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, list) or path not in located.values:
        return None
    lines = text.splitlines(keepends=True)
    line, col = located.values[path]
    here = lines[line - 1]
    if here[col - 1 :].startswith("["):
        close = here.find("]", col - 1)
        if close < 0:
            return None  # a flow list over several lines
        inside = here[col:close].strip()
        lines[line - 1] = here[:close].rstrip() + (", " if inside else "") + item + here[close:]
        return "".join(lines)
    if not value:
        return None
    last_line, last_col = located.values[(*path, len(value) - 1)]
    prefix = lines[last_line - 1][: last_col - 1]
    if not prefix.strip().startswith("-"):
        return None
    newline = "\r\n" if lines[last_line - 1].endswith("\r\n") else "\n"
    if not lines[last_line - 1].endswith("\n"):
        lines[last_line - 1] += newline
    lines.insert(last_line, prefix + item + newline)
    return "".join(lines)


def parse(text: str, name: str) -> Located | None:
    located, problems = yamlsource.parse(text.encode("utf-8"), name)
    return None if problems else located


def add_country_to_report(text: str, name: str, cid: str) -> Edit:
    """report.yaml with cid at the end of countries:, checked by reading it back."""
    by_hand = (f"add {cid} at the end of countries: in {name}",)
    located = parse(text, name)
    new = append_to_list(text, located, ("countries",), cid) if located else None
    after = parse(new, name) if new else None
    if after is None or after.value.get("countries", [])[-1:] != [cid]:
        return Edit(None, by_hand)
    return Edit(new)


def add_country_headlines(text: str, name: str, cid: str) -> Edit:
    """report.yaml with a TODO headline for cid in every chart drawn for each country (each_country:)
    whose headline is a block of one per country, checked by reading it back; by hand where it is not."""
    located = parse(text, name)
    if located is None or not isinstance(located.value, dict):
        return Edit(text)
    charts = located.value.get("charts") or {}
    each = [c for c in located.value.get("each_country") or [] if isinstance(charts.get(c), dict)]
    headline = todo(f"this chart's finding for {cid} in one sentence, with data references")
    by_hand: list[str] = []
    for chart in each:
        path = ("charts", chart, "headline")
        current = located.value["charts"][chart].get("headline")
        if isinstance(current, dict) and cid in current:
            continue
        new = None
        if isinstance(current, dict) and path in located.values:
            indent = located.values[path][1] - 1
            new = append_to_mapping(text, located, path, [f"{' ' * indent}{cid}: {headline}"])
        after = parse(new, name) if new else None
        if after is None or cid not in (after.value["charts"][chart].get("headline") or {}):
            by_hand.append(f"under charts: {chart}: headline: in {name}, add   {cid}: {headline}")
            continue
        text, located = new, after  # type: ignore[assignment]
    return Edit(text, tuple(by_hand))


def add_country_to_risks(text: str, name: str, cid: str) -> Edit:
    """risks.yaml with a not-yet-assessed row for cid at the end of assessments:, checked by reading it back."""
    located = parse(text, name)
    categories = (
        list(located.value.get("categories") or {}) if located and isinstance(located.value, dict) else []
    )
    indent = 2
    if located and ("assessments",) in located.values and isinstance(located.value.get("assessments"), dict):
        indent = located.values[("assessments",)][1] - 1 or 2
    row = risks_row(cid, categories or ["CATEGORY"], indent)
    by_hand = (f"add this row at the end of assessments: in {name}", *row)
    new = append_to_mapping(text, located, ("assessments",), row) if located and categories else None
    after = parse(new, name) if new else None
    if after is None or set((after.value.get("assessments") or {}).get(cid) or {}) != set(categories):
        return Edit(None, by_hand)
    return Edit(new)


SOURCE_KINDS = ("primary", "secondary", "news")


def source_lines(sid: str, fields: dict[str, str | None], indent: int) -> list[str]:
    """An entry of data/sources.yaml: what the command line gave, a TODO for each required field it did not."""
    pad = " " * indent
    wanted = {
        "publisher": "who published it",
        "title": "its title",
        "date": 'when: "YYYY", "YYYY-MM" or "YYYY-MM-DD"',
        "kind": " | ".join(SOURCE_KINDS),
    }
    lines = [f"{pad}{sid}:"]
    for key, what in wanted.items():
        given = fields.get(key)
        lines.append(f"{pad}  {key}: {json.dumps(given, ensure_ascii=False) if given else todo(what)}")
    if fields.get("url"):
        lines.append(f"{pad}  url: {fields['url']}")
    return lines


def add_source(text: str, name: str, sid: str, fields: dict[str, str | None]) -> Edit:
    """sources.yaml with a new entry at the end of sources:, checked by reading it back."""
    located = parse(text, name)
    indent = 2
    if located and ("sources",) in located.values and isinstance(located.value.get("sources"), dict):
        indent = located.values[("sources",)][1] - 1 or 2
    entry = source_lines(sid, fields, indent)
    by_hand = (f"add this entry at the end of sources: in {name}", *entry)
    new = append_to_mapping(text, located, ("sources",), entry) if located else None
    after = parse(new, name) if new else None
    if after is None or sid not in (after.value.get("sources") or {}):
        return Edit(None, by_hand)
    return Edit(new)


def add_indicator(text: str, name: str, iid: str, label: str | None, unit: str | None) -> Edit:
    """indicators.yaml with a new entry at the end of indicators:, checked by reading it back."""
    located = parse(text, name)
    indent = 2
    if located and ("indicators",) in located.values and isinstance(located.value.get("indicators"), dict):
        indent = located.values[("indicators",)][1] - 1 or 2
    entry = indicator_lines(iid, label, unit, indent)
    by_hand = (f"add this entry at the end of indicators: in {name}", *entry)
    new = append_to_mapping(text, located, ("indicators",), entry) if located else None
    after = parse(new, name) if new else None
    if after is None or iid not in (after.value.get("indicators") or {}):
        return Edit(None, by_hand)
    return Edit(new)
