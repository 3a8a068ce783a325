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


def chart_data(doc: d.Document) -> dict[tuple[str, int], DataTable]:
    """For each figure, by (section id, block index): the data pack's sheet of its chart.

    The pack has, after its first sheet, one sheet per figure, table and key-figure panel in the
    order of the document; each figure's sheet is the one its turn comes to, titled as its chart."""
    sheets = iter(doc.datapack[1:])
    out: dict[tuple[str, int], DataTable] = {}
    for section in doc.sections:
        for index, block in enumerate(section.blocks):
            if not isinstance(block, d.Figure | d.Table | d.KeyFigures):
                continue
            sheet = next(sheets, None)
            if sheet is None:
                return out
            if isinstance(block, d.Figure) and sheet.title == block.chart.title:
                out[(section.id, index)] = _shown(doc, sheet)
    return out


def _shown(doc: d.Document, sheet: d.DataSheet) -> DataTable:
    columns = list(sheet.columns)
    keep = list(range(len(columns)))
    if say(doc, "pack_shown") in columns:  # the printed value stands for the raw value and its unit
        dropped = {say(doc, "pack_value"), say(doc, "pack_unit")}
        keep = [i for i in keep if columns[i] not in dropped]
        shown = columns.index(say(doc, "pack_shown"))  # beside the label, where a phone still shows it
        keep = [keep[0], shown, *(i for i in keep[1:] if i != shown)]
    rows = tuple(tuple(row[i] if i < len(row) else None for i in keep) for row in sheet.rows)
    numeric = frozenset(
        j
        for j in range(len(keep))
        if rows and all(isinstance(r[j], int | float) or r[j] is None for r in rows)
    )
    return DataTable(tuple(columns[i] for i in keep), rows, numeric)
