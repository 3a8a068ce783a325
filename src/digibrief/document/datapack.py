"""The data pack: every value a chart, table or key-figure panel of the brief shows, as sheets.

One sheet per chart, table and panel, in the order of the brief, each row one value with its unit,
year, status, source and the text the brief prints for it; then a sheet of the sources. The first
sheet says what the pack is and lists the others. Composed here, from the same document and data as
the brief, so the pack never disagrees with it; the xlsx writer only lays the sheets out.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import fields, is_dataclass
from typing import Any

from digibrief.document.chartspecs import ordered_countries
from digibrief.document.numbers import fmt
from digibrief.document.types import (
    ChartSpec,
    DataSheet,
    Document,
    Fact,
    Figure,
    KeyFigures,
    Reference,
    Run,
    Section,
    Table,
    Text,
    plain,
)
from digibrief.document.words import Speech
from digibrief.project.model import Country, Project

Cell = str | float | None
Printed = dict[tuple[float | None, tuple[int, ...]], str]  # (value, reference numbers) -> status

MAX_NAME = 31  # characters in an Excel sheet name
SERIES = ("country", "year", "value", "unit", "status", "source", "shown")  # a line or bar chart's columns


class _Words(dict[str, str]):
    """The data pack's words in speech: "country" -> word("country"), "year" -> word("pack_year")."""

    def __init__(self, speech: Speech) -> None:
        super().__init__()
        self.speech = speech

    def __missing__(self, key: str) -> str:
        sp = self.speech
        return (
            sp.word(key)
            if key in ("country", "risk", "level", "milestone", "what_happened")
            else sp.word("pack_" + key)
        )


class _Names:
    """Sheet names in the brief's words: what a sheet holds, cut at a phrase or word end to Excel's 31
    characters, without the characters Excel refuses, unique in the order the brief shows them."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, title: str) -> str:
        base = _short(title) or "Sheet"
        name, n = base, 2
        while name.lower() in self.used:
            suffix = f" ({n})"
            name, n = base[: MAX_NAME - len(suffix)].rstrip() + suffix, n + 1
        self.used.add(name.lower())
        return name


LEFT_HANGING = frozenset(  # English words a cut title does not end on (other languages keep the cut)
    {"a", "an", "and", "against", "at", "behind", "by", "each", "for", "from", "in", "into", "its", "of"}
    | {"on", "or", "the", "to", "with"}
)


def _short(title: str) -> str:
    """The title as a sheet name: "Kazakhstan: At a glance" -> "Kazakhstan – At a glance"; a longer one
    to its longest leading phrase that fits, else to whole words."""
    text = re.sub(r"\s*:\s*", " \u2013 ", title)
    text = " ".join(re.sub(r"[\[\]*?/\\]", " ", text).split()).strip(" .'")
    if len(text) <= MAX_NAME:
        return text
    phrases = [m.start() for m in re.finditer(r", | \u2013 ", text) if 8 <= m.start() <= MAX_NAME]
    if phrases:
        return text[: phrases[-1]].strip(" .'")
    words = text[: MAX_NAME + 1].split(" ")[:-1] or [text[:MAX_NAME]]
    while len(words) > 1 and words[-1].lower() in LEFT_HANGING:
        words.pop()
    return " ".join(words).strip(" .,'")


class _Sources:
    """Reference numbers as a cell: '[3] UN DESA 2024'."""

    def __init__(self, refs: Sequence[Reference], numbers: dict[str, int]):
        self.refs = {r.number: r for r in refs}
        self.numbers = numbers

    def of(self, numbers: Sequence[int]) -> str:
        return "; ".join(
            f"[{n}] {self.refs[n].short_publisher} {self.refs[n].date[:4]}" if n in self.refs else f"[{n}]"
            for n in dict.fromkeys(numbers)
        )

    def by_id(self, sid: str) -> str:
        return self.of([self.numbers[sid]]) if sid in self.numbers else sid

    def url(self, sid: str) -> str:
        ref = self.refs.get(self.numbers.get(sid, 0))
        return ref.url or "" if ref is not None else ""


def data_sheets(
    project: Project,
    speech: Speech,
    doc: Document,
    charted: dict[str, str],
    numbers: dict[str, int],
) -> tuple[DataSheet, ...]:
    """The pack for doc, in speech's words and number format: an about sheet, one sheet per chart, table and panel, then the sources.

    charted maps each chart's spec id to the chart definition it was made from; numbers maps each
    cited source id to its reference number."""
    words = _Words(speech)
    names = _Names()
    sources = _Sources(doc.references, numbers)
    about, listed = names(words["about"]), names(words["sources"])
    body: list[DataSheet] = []
    disagreement = speech.word("disagreement_caption")
    shown: Printed = {  # each figure printed outside the table of disagreements, with its status
        (f.value, f.cite): f.status
        for s in doc.sections
        for b in s.blocks
        if not (isinstance(b, Table) and b.caption == disagreement)
        for f in _facts_in(b)
    }
    for section in doc.sections:
        body += _section_sheets(project, section, charted, sources, names, words, shown)
    refs = DataSheet(
        listed,
        words["sources"],
        "",
        tuple(
            words[w]
            for w in (
                "number",
                "publisher",
                "title",
                "date",
                "url",
                "note",
                "copy",
                "read_on",
                "compared",
                "handling",
            )
        ),
        tuple(_source_row(project, r, numbers, words) for r in doc.references),
        links=(4, 6),
    )
    body.append(refs)
    meta = doc.meta
    index = tuple((s.name, s.title, s.where) for s in body)
    first = DataSheet(
        about,
        meta.title,
        " ".join(
            (
                speech.word("pack_edition", edition=meta.edition_label),
                words["about_text"],
                words["status_text"],
            )
        ),
        (words["sheet"], words["shows"], words["section"]),
        index,
    )
    return (first, *body)


def _source_row(project: Project, ref: Reference, numbers: dict[str, int], words: _Words) -> tuple[Cell, ...]:
    """A reference as a reader sees it, then its provenance for a checker: the copy read, when, and
    what it was checked against."""
    sid = next((s for s, n in numbers.items() if n == ref.number), None)
    prov = project.sources[sid].provenance if sid is not None and sid in project.sources else None
    row: tuple[Cell, ...] = (ref.number, ref.publisher, ref.title, ref.date, ref.url or "", ref.note)
    if prov is None:
        return (*row, "", "", "", "")
    if prov.repository and prov.path and prov.commit:
        copy = f"https://github.com/{prov.repository}/blob/{prov.commit}/{prov.path}"
    else:
        copy = prov.copy_url or (words["page_copy"] if ref.url else "")
    return (*row, copy, prov.read_on, prov.compared or "", prov.note or "")


def _section_sheets(
    project: Project,
    section: Section,
    charted: dict[str, str],
    sources: _Sources,
    names: _Names,
    words: _Words,
    shown_elsewhere: Printed,
) -> Iterator[DataSheet]:
    speech = words.speech
    for block in section.blocks:
        if isinstance(block, Figure):
            chart = block.chart
            columns, rows = _chart_rows(project, chart, charted.get(chart.id), sources, words)
            note = " ".join(part for part in (chart.subtitle, chart.source_line) if part)
            series = chart.kind not in ("timeline", "heatmap")  # as _chart_rows tells them apart
            definition = project.report.charts.get(charted.get(chart.id, ""))
            yield DataSheet(
                names(definition.sheet if definition is not None and definition.sheet else chart.title),
                chart.title,
                note,
                columns,
                tuple(rows),
                section.title,
                chart=chart.id,
                shown=SERIES.index("shown") if series else None,
                raw=(SERIES.index("value"), SERIES.index("unit")) if series else (),
            )
        elif isinstance(block, Table):
            title = block.caption or section.title
            links: tuple[int, ...] = ()
            if block.caption == speech.word("incidents_caption"):
                columns, rows = _incident_rows(project, block, sources, words)
                links = (len(columns) - 1,)
            elif section.country in project.countries and block.columns == _milestone_columns(speech):
                columns, rows = _milestone_rows(project.countries[section.country], block, sources, words)
                links = (len(columns) - 1,)
            elif block.caption == speech.word("disagreement_caption"):
                columns, rows = _disagreement_rows(block, sources, words, shown_elsewhere)
            else:
                columns, rows = _table_rows(block, sources, words)
            yield DataSheet(names(title), title, "", columns, tuple(rows), section.title, links=links)
        elif isinstance(block, KeyFigures):
            columns, rows = _panel_rows(block, sources, words)
            title = f"{section.title}: {block.title}"
            yield DataSheet(names(title), title, "", columns, tuple(rows), section.title)


# --- charts --------------------------------------------------------------------------------------------


def _chart_rows(
    project: Project, chart: ChartSpec, chart_id: str | None, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    definition = project.report.charts.get(chart_id or "")
    if chart.kind == "timeline":
        return _timeline_rows(project, chart, sources, words)
    if chart.kind == "heatmap":
        return _heatmap_rows(project, sources, words)
    indicator = definition.indicator if definition else None
    columns = tuple(words[w] for w in SERIES)
    rows: list[tuple[Cell, ...]] = []
    for series in chart.series:
        country = project.countries.get(series.key)
        for point in series.points:
            if point.value is None:
                continue  # a gap in the chart, not a value
            data = country.indicators.get(indicator or "", {}).get(point.year) if country else None
            source = sources.by_id(data.source) if data else ""
            shown = (
                fmt(words.speech, point.value, chart.unit, chart.decimals)
                if chart.unit
                else f"{point.value:g}"
            )
            rows.append(
                (
                    series.label,
                    point.year,
                    point.value,
                    chart.unit_label,
                    words.speech.word("status_" + point.status),
                    source,
                    shown,
                )
            )
    return columns, rows


def _timeline_rows(
    project: Project, chart: ChartSpec, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    shown = {lane.label for lane in chart.lanes}
    columns = tuple(words[w] for w in ("country", "year", "month", "milestone", "source"))
    rows: list[tuple[Cell, ...]] = []
    for c in ordered_countries(project):
        if c.name in shown:
            for m in sorted(c.milestones, key=lambda m: (m.year, m.month or 0)):
                rows.append((c.name, m.year, m.month, m.title, sources.by_id(m.source)))
    return columns, rows


def _heatmap_rows(
    project: Project, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    risks = project.risks
    columns = tuple(words[w] for w in ("country", "risk", "level", "rating", "source"))
    rows: list[tuple[Cell, ...]] = []
    if risks is None:  # the loader refuses a risk matrix without data/risks.yaml
        return columns, rows
    for c in ordered_countries(project):
        row = risks.assessments.get(c.id)
        for cat, category in risks.categories.items() if row is not None else ():
            a = row.get(cat) if row else None
            level = a.level if a else None
            label = risks.levels.get(level, "") if level is not None else risks.not_assessed
            cited = "; ".join(sources.by_id(s) for s in a.sources) if a else ""
            rows.append((c.name, category.name, level, label, cited))
    return columns, rows


# --- tables and panels ---------------------------------------------------------------------------------


def _cites(text: Text) -> list[int]:
    return [n for run in text for n in run.cite]


def _facts(text: Text) -> list[Fact]:
    return [run.fact for run in text if run.fact is not None]


def _table_rows(
    table: Table, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """A table of figures (one with numeric columns) as one row per figure; a table of text as it is,
    with its sources, a cell that is only a year as a number."""
    if table.numeric:
        columns = tuple(
            words[w] for w in ("row", "column", "value", "unit", "period", "status", "source", "shown")
        )
        rows: list[tuple[Cell, ...]] = []
        for row in table.rows:
            label = plain(row[0])
            for name, cell in zip(table.columns[1:], row[1:], strict=False):
                for fact in _facts(cell):
                    rows.append(_fact_row((label, name), fact, sources, words))
        return columns, rows
    out: list[tuple[Cell, ...]] = [
        (*(_year(plain(cell).strip()) for cell in row), sources.of([n for cell in row for n in _cites(cell)]))
        for row in table.rows
    ]
    return (*table.columns, words["source"]), out


def _year(text: str) -> Cell:
    """A year as a number; any other period (a range, "reported 2024") or text as it is."""
    return int(text) if re.fullmatch(r"\d{4}", text) else text


def _fact_row(
    label: tuple[str, ...], fact: Fact, sources: _Sources, words: _Words, status: str = ""
) -> tuple[Cell, ...]:
    """A figure: its value, its unit in words, its year (a number) or period, its status, sources and
    the text the brief prints for it."""
    sp = words.speech
    status = status or sp.word("status_" + fact.status)
    unit = sp.word("unit_" + fact.unit) if ("unit_" + fact.unit) in sp.table else fact.unit
    return (*label, fact.value, unit, _year(fact.period), status, sources.of(fact.cite), fact.display)


def _panel_rows(
    panel: KeyFigures, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    columns = tuple(words[w] for w in ("figure", "value", "unit", "period", "status", "source", "shown"))
    rows = [_fact_row((item.label,), item.fact, sources, words) for item in panel.items]
    rows += [
        (label, None, "", "", "", "", value if isinstance(value, str) else plain(value))
        for label, value in panel.facts
    ]
    return columns, rows


# --- the incidents and the disagreements ---------------------------------------------------------------


def _incident_rows(
    project: Project, table: Table, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """Every incident the brief lists, one row each: country, date as the brief prints it, year and
    month as numbers, risk, title, what happened, source and its address. Columns are found by their
    headers, so a table without one (a country's own brief may drop the country) still reads."""
    columns = tuple(
        words[w]
        for w in ("country", "date", "year", "month", "risk", "title", "what_happened", "source", "url")
    )
    sp = words.speech
    at = {
        w: table.columns.index(sp.word(w))
        for w in ("country", "date", "risk", "incident")
        if sp.word(w) in table.columns
    }
    pairs = [(c.name, i) for c in project.countries.values() for i in c.incidents]
    by_country = {(name, i.title): (name, i) for name, i in pairs}
    by_title = {i.title: (name, i) for name, i in pairs}  # for a table without a country column
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:

        def text(word: str, row: tuple[Text, ...] = row) -> str:
            return plain(row[at[word]]).strip() if word in at and at[word] < len(row) else ""

        cell = row[at["incident"]] if "incident" in at and at["incident"] < len(row) else ()
        title = next((r.text for r in cell if r.bold), "")
        found = by_country.get((text("country"), title)) if "country" in at else by_title.get(title)
        country, inc = found or (text("country"), None)
        detail = _after(cell, title)
        if inc is None:  # not one of the data's incidents: what the brief prints, with its sources
            cited = sources.of([n for part in row for n in _cites(part)])
            rows.append((country, text("date"), None, None, text("risk"), title, detail, cited, ""))
            continue
        year = inc.year or _year(project.sources[inc.source].date[:4])
        rows.append(
            (
                country,
                text("date"),
                year,
                inc.month,
                text("risk"),
                title,
                detail,
                sources.by_id(inc.source),
                sources.url(inc.source),
            )
        )
    return columns, rows


def _milestone_columns(speech: Speech) -> tuple[str, ...]:
    return tuple(speech.word(w) for w in ("date", "milestone", "what_happened"))


def _milestone_rows(
    country: Country, table: Table, sources: _Sources, words: _Words
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """A country's milestones as the brief lists them: the date as printed, year and month as numbers,
    the milestone, what happened, its source and address."""
    columns = tuple(
        words[w] for w in ("date", "year", "month", "milestone", "what_happened", "source", "url")
    )
    known = {m.title: m for m in country.milestones}
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:
        date, title, detail = (plain(x).strip() for x in row[:3])
        m = known.get(title)
        cited = sources.by_id(m.source) if m else sources.of([n for cell in row for n in _cites(cell)])
        url = sources.url(m.source) if m else ""
        rows.append((date, m.year if m else None, m.month if m else None, title, detail, cited, url))
    return columns, rows


def _after(cell: Text, title: str) -> str:
    """What a cell says after its bold title and the stop that ends it."""
    runs = list(cell)
    at = next((i for i, r in enumerate(runs) if r.bold and r.text == title), None)
    rest: list[Run] = runs[at + 1 :] if at is not None else runs
    return plain(tuple(rest)).strip().removeprefix(".").strip()


def _disagreement_rows(
    table: Table,
    sources: _Sources,
    words: _Words,
    shown_elsewhere: Printed,
) -> tuple[tuple[str, ...], list[tuple[Cell, ...]]]:
    """The values sources disagree on, with the status the brief gives each: the one it shows keeps its
    own; another is not used, unless the brief prints it elsewhere (then the status it has there); the
    figures its reasons cite keep theirs."""
    columns = tuple(
        words[w] for w in ("row", "column", "value", "unit", "period", "status", "source", "shown")
    )
    sp = words.speech
    not_used = sp.word("status_not_used")
    values = (
        table.columns.index(sp.word("values_reported")) if sp.word("values_reported") in table.columns else 1
    )
    chosen = table.columns.index(sp.word("shown")) if sp.word("shown") in table.columns else 2
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:
        topic = plain(row[0])
        shown = set(_cites(row[chosen])) if chosen < len(row) else set()
        for k, (name, cell) in enumerate(zip(table.columns[1:], row[1:], strict=False), start=1):
            for fact in _facts(cell):
                status = ""
                if k == values and not shown & set(fact.cite):
                    kept = shown_elsewhere.get((fact.value, fact.cite))
                    status = words.speech.word("status_" + kept) if kept else not_used
                rows.append(_fact_row((topic, name), fact, sources, words, status))
    return columns, rows


def _facts_in(node: object, found: list[Fact] | None = None) -> list[Fact]:
    """Every figure a block prints, in its text, cells and panel items (added to found, if given)."""
    found = [] if found is None else found
    walk = _WALKS.get(type(node))
    if walk is None:
        walk = _walk_of(type(node))
    if walk is _FACT:
        found.append(node)  # type: ignore[arg-type]
    elif walk is _ITEMS:
        for item in node:  # type: ignore[attr-defined]
            if type(item) not in _LEAF_TYPES:
                _facts_in(item, found)
    elif walk:  # a dataclass's fields
        for name in walk:
            if type(value := getattr(node, name)) not in _LEAF_TYPES:  # a run's words and flags: no call
                _facts_in(value, found)
    return found


_LEAVES = (str, int, float, type(None))
_LEAF_TYPES = frozenset({str, int, float, bool, type(None)})
_FACT, _ITEMS = ("fact",), ("items",)  # told apart from a dataclass's field names by identity
_WALKS: dict[type, tuple[str, ...]] = {}  # each type: what _facts_in looks into (nothing: ())


def _walk_of(cls: type) -> tuple[str, ...]:
    """What _facts_in looks into in a node of type cls, found once per type: a Fact is one; a sequence
    its items; a dataclass (not a chart, whose numbers have sheets of their own) its fields."""
    if issubclass(cls, _LEAVES):
        walk: tuple[str, ...] = ()
    elif issubclass(cls, Fact):
        walk = _FACT
    elif issubclass(cls, tuple | list):
        walk = _ITEMS
    elif is_dataclass(cls) and not issubclass(cls, ChartSpec):
        walk = _fields_that_may_hold_a_fact(cls)
    else:
        walk = ()
    _WALKS[cls] = walk
    return walk


def _fields_that_may_hold_a_fact(cls: type) -> tuple[str, ...]:
    """cls's fields but those its type hints say hold only words, numbers and flags (a run's text,
    its bold and italic, its reference numbers): a run is looked at once, for its fact. Every field
    where a hint cannot be read."""
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # a hint naming what its module cannot: look at everything
        return _field_names(cls)
    return tuple(name for name in _field_names(cls) if name not in hints or not _plain_only(hints[name]))


def _plain_only(hint: Any) -> bool:
    """Whether a value of this hint is only text, numbers, flags or None, or a tuple or list of them."""
    if hint in _LEAF_TYPES:
        return True
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return True
    if origin in (typing.Union, types.UnionType, tuple, list):
        return all(arg is Ellipsis or _plain_only(arg) for arg in typing.get_args(hint))
    return False


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))
