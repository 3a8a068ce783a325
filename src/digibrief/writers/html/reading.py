"""What the page reads from the document beyond its blocks, in one place: the fixed words in the
report's language, a reference's address, and the data pack's sheet behind each chart.

Kept apart so that a change in how words, references or the pack reach the writers is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.document import types as d


def say(doc: d.Document, key: str, **fields: object) -> str:
    """The fixed word key in the report's language (its labels table), its {fields} filled in."""
    text = doc.speech.table[key]
    return text.format(**fields) if fields else text


def address(ref: d.Reference) -> str | None:
    """The reference's web address, if it has one."""
    return ref.url


@dataclass(frozen=True)
class DataTable:
    """What a chart's "Show the data" table lists: the pack's columns and rows for that chart; where the
    pack also gives the value as the brief prints it, that value, second, in place of the raw value and
    its unit."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | float | None, ...], ...]
    numeric: frozenset[int]


def chart_data(doc: d.Document) -> dict[str, DataTable]:
    """The data pack's sheet of each chart, by chart id."""
    return {sheet.chart: _shown(sheet) for sheet in doc.datapack if sheet.chart}


def _shown(sheet: d.DataSheet) -> DataTable:
    keep = [i for i in range(len(sheet.columns)) if i not in sheet.raw]
    if sheet.shown is not None and keep and keep[0] != sheet.shown:  # beside the label, seen on a phone
        keep = [keep[0], sheet.shown, *(i for i in keep[1:] if i != sheet.shown)]
    rows = tuple(tuple(row[i] if i < len(row) else None for i in keep) for row in sheet.rows)
    numeric = frozenset(
        j
        for j in range(len(keep))
        if rows and all(isinstance(r[j], int | float) or r[j] is None for r in rows)
    )
    return DataTable(tuple(sheet.columns[i] for i in keep), rows, numeric)
