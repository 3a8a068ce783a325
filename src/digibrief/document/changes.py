"""What changed between two editions: the one comparison behind the brief's page, `diff` and the build summary.

compare() lists changed, new and removed values (old and new, with sources, shown in the Speech it is
given), changed statuses and
risk levels, and countries added or removed; section() makes that a document section of ordinary
blocks, so both writers render it; lines() and rows() word it for the editor; rereads() names the
sentences whose referenced figures changed, which no number update can correct.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from digibrief.document.numbers import Policy, edition_label, show
from digibrief.document.types import Paragraph, Run, Section, Table, Text
from digibrief.document.words import Speech
from digibrief.project.editions import CountryRecord, Dated, Edition, Value
from digibrief.syntax import Ref

Kind = Literal["changed", "new", "removed", "status", "source", "risk", "country added", "country removed"]


@dataclass(frozen=True)
class Change:
    """One difference between two editions, with both sides as a reader sees them and as stored."""

    kind: Kind
    country: str  # ISO alpha-3
    country_name: str
    figure: str = ""  # "Internet users, 2022", "Population", "Surveillance risk"
    before: str = ""  # as shown: "79.8%", "79.8% (reported)", "2 Moderate"; "" = none
    after: str = ""
    exact_before: str = ""  # as stored: "79.7703"
    exact_after: str = ""
    source_before: str = ""  # publisher and title
    source_after: str = ""
    status_before: str = ""
    status_after: str = ""


@dataclass(frozen=True)
class Reread:
    """A sentence that reads a figure that changed: its words may no longer fit the number."""

    file: str
    line: int
    text: str


@dataclass(frozen=True)
class Changes:
    old_edition: str
    new_edition: str
    items: tuple[Change, ...]
    speech: Speech  # the words and number format the values were shown in

    @property
    def label(self) -> str:
        """The previous edition as readers know it: "November 2026"."""
        return edition_label(self.speech, self.old_edition)

    def count(self, *kinds: Kind) -> int:
        return sum(1 for c in self.items if c.kind in kinds)


# --- comparing -----------------------------------------------------------------------------------


def _exact(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _shown(sp: Speech, value: float, unit: str, decimals: int) -> str:
    """A value by the display policy of its indicator or fact, as the brief prints it."""
    return show(sp, value, Policy(unit, decimals))


def _pair(sp: Speech, before: float, after: float, unit: str, decimals: int) -> tuple[str, str]:
    """Both values by the display policy, with more digits only where the policy would print them alike."""
    a, b = _shown(sp, before, unit, decimals), _shown(sp, after, unit, decimals)
    while a == b and before != after and decimals < 6 and unit not in ("rank", "count", "usd"):
        decimals += 1
        a, b = _shown(sp, before, unit, decimals), _shown(sp, after, unit, decimals)
    if a == b and before != after:  # "165 million" both: the whole numbers tell them apart
        a, b = _digits(before), _digits(after)
    return a, b


def _digits(value: float) -> str:
    """Every digit, grouped by thousands and never in exponent form: 165,040,000 or 0.0000001."""
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{Decimal(repr(value)):,f}"


def _status(sp: Speech, text: str, status: str) -> str:
    word = "" if status == "verified" else sp.word("status_" + status)
    return f"{text} ({word})" if word and text else text


def _source(edition: Edition, sid: str) -> str:
    s = edition.sources.get(sid)
    return f"{s.publisher}, {s.title}" if s else sid


class _Comparer:
    def __init__(self, old: Edition, new: Edition, speech: Speech):
        self.old, self.new = old, new
        self.speech = speech
        self.out: list[Change] = []

    def figure(
        self,
        c: str,
        name: str,
        label: str,
        a: Value | None,
        b: Value | None,
        unit: str,
        decimals: int,
        dated: bool = False,
    ) -> None:
        if a is None and b is None:
            return

        def when(v: Value | None) -> str:
            year = v.year if isinstance(v, Dated) else None
            return f" ({year})" if dated and year else ""

        if a is not None and b is not None:
            same_year = when(a) == when(b)
            if a.value == b.value and same_year and a.source == b.source and a.status == b.status:
                return
            shown_a, shown_b = _pair(self.speech, a.value, b.value, unit, decimals)
            kind: Kind = "changed" if a.value != b.value or not same_year else "status"
            if kind == "status" and a.status == b.status:
                kind = "source"
        elif a is not None:
            kind, shown_a, shown_b = "removed", _shown(self.speech, a.value, unit, decimals), ""
        else:
            assert b is not None
            kind, shown_a, shown_b = "new", "", _shown(self.speech, b.value, unit, decimals)
        self.out.append(
            Change(
                kind,
                c,
                name,
                label,
                _status(self.speech, shown_a + when(a), a.status) if a else "",
                _status(self.speech, shown_b + when(b), b.status) if b else "",
                _exact(a.value) if a else "",
                _exact(b.value) if b else "",
                _source(self.old, a.source) if a else "",
                _source(self.new, b.source) if b else "",
                a.status if a else "",
                b.status if b else "",
            )
        )

    def country(self, cid: str, a: CountryRecord, b: CountryRecord) -> None:
        if a is b:  # one record (a warm process keeps an unchanged country's): nothing differs
            return
        name = b.name
        self.figure(
            cid, name, self.speech.word("population"), a.population, b.population, "count", 0, dated=True
        )
        for fid in dict.fromkeys([*b.facts, *a.facts]):
            fa, fb = a.facts.get(fid), b.facts.get(fid)
            f = fb or fa
            assert f is not None
            self.figure(cid, name, f.label, fa, fb, f.unit, f.decimals, dated=True)
        indicators = {**self.old.indicators, **self.new.indicators}
        for iid in dict.fromkeys([*self.new.indicators, *b.indicators, *a.indicators]):
            ind = indicators.get(iid)
            unit, decimals, label = (ind.unit, ind.decimals, ind.name) if ind else ("score", 1, iid)
            sa, sb = a.indicators.get(iid, {}), b.indicators.get(iid, {})
            for year in sorted({*sa, *sb}):
                self.figure(cid, name, f"{label}, {year}", sa.get(year), sb.get(year), unit, decimals)
        for cat in dict.fromkeys([*self.new.risk_categories, *b.risks, *a.risks]):
            la, lb = a.risks.get(cat), b.risks.get(cat)
            if la != lb:
                category = self.new.risk_categories.get(cat) or self.old.risk_categories.get(cat, cat)
                self.out.append(
                    Change(
                        "risk",
                        cid,
                        name,
                        self.speech.word("changes_risk", category=category),
                        self.level(self.old, la),
                        self.level(self.new, lb),
                        "" if la is None else str(la),
                        "" if lb is None else str(lb),
                    )
                )

    def level(self, edition: Edition, level: int | None) -> str:
        if level is None:
            return self.speech.word("changes_not_assessed")
        return f"{level} {edition.risk_levels.get(level, '')}".strip()


def compare(old: Edition, new: Edition, speech: Speech) -> Changes:
    """Every difference between old and new, country by country in the order of their names, its
    values shown in speech's number format."""
    cmp = _Comparer(old, new, speech)
    both = sorted(set(old.countries) & set(new.countries), key=lambda c: new.countries[c].name)
    for cid in both:
        cmp.country(cid, old.countries[cid], new.countries[cid])
    for cid in sorted(set(new.countries) - set(old.countries), key=lambda c: new.countries[c].name):
        cmp.out.append(Change("country added", cid, new.countries[cid].name))
    for cid in sorted(set(old.countries) - set(new.countries), key=lambda c: old.countries[c].name):
        cmp.out.append(Change("country removed", cid, old.countries[cid].name))
    return Changes(old.edition, new.edition, tuple(cmp.out), speech)


# --- sentences to re-read --------------------------------------------------------------------------


def reads(ref: Ref, edition: Edition) -> tuple[object, ...]:
    """The values and years a data reference reads in edition: equal tuples mean its number is the same."""
    c = edition.countries.get(ref.country)
    if c is None:
        return ()
    if ref.name in c.facts:
        f = c.facts[ref.name]
        return (f.value, f.year)
    series = c.indicators.get(ref.name, {})
    if not series:
        return ()
    year = ref.year if ref.year is not None else max(series)
    if ref.form == "year":
        return (year,)
    if ref.form == "position":
        return tuple(
            (cid, other.indicators[ref.name][year].value)
            for cid, other in sorted(edition.countries.items())
            if year in other.indicators.get(ref.name, {})
        )
    years = (year, ref.to) if ref.form == "change" and ref.to is not None else (year,)
    return tuple((y, series[y].value if y in series else None) for y in years)


def rereads(
    old: Edition, new: Edition, sentences: Iterable[tuple[str, int, str, Sequence[Ref]]]
) -> list[Reread]:
    """The sentences (file, line, text, references) of which a reference reads another value in new."""
    return [
        Reread(file, line, text)
        for file, line, text, refs in sentences
        if any(reads(ref, old) != reads(ref, new) for ref in refs)
    ]


# --- wording ---------------------------------------------------------------------------------------


def line(c: Change, sources: bool = True) -> str:
    """One change as the editor reads it in `diff` and in the build summary."""
    if c.kind == "country added":
        return f"{c.country_name}: added to the data"
    if c.kind == "country removed":
        return f"{c.country_name}: no longer in the data"
    head = f"{c.country_name}: {c.figure}"
    if c.kind == "new":
        text = f"{head}: new, {c.after}"
    elif c.kind == "removed":
        text = f"{head}: removed (was {c.before})"
    elif c.kind == "source":
        return f"{head}: {c.after}, source now {c.source_after} (was {c.source_before})"
    else:
        text = f"{head}: {c.before} \u2192 {c.after}"
    if not sources or c.kind == "risk":
        return text
    if c.source_before and c.source_after and c.source_before != c.source_after:
        return f"{text} (source: {c.source_before} \u2192 {c.source_after})"
    return f"{text} (source: {c.source_after or c.source_before})"


def lines(changes: Changes, rereads: Sequence[Reread] = (), sources: bool = True) -> list[str]:
    """The whole comparison as text: a heading, a line per change, then the sentences to re-read."""
    out = [f"What changed since {changes.label} (edition {changes.old_edition} \u2192 {changes.new_edition})"]
    out += [f"  {line(c, sources)}" for c in changes.items] or [
        "  nothing: every figure, risk level and country is the same"
    ]
    if rereads:
        out.append("Sentences to re-read (a figure they refer to changed):")
        out += [f"  {r.file}:{r.line}: {r.text}" for r in rereads]
    return out


CSV_COLUMNS = (
    "change",
    "country",
    "figure",
    "before",
    "after",
    "status_before",
    "status_after",
    "source_before",
    "source_after",
    "file",
    "line",
    "sentence",
)


def rows(changes: Changes, rereads: Sequence[Reread] = ()) -> list[tuple[str, ...]]:
    """The comparison as CSV rows under CSV_COLUMNS: exact values, one row per change or sentence."""
    out: list[tuple[str, ...]] = [
        (
            c.kind,
            c.country,
            c.figure,
            c.exact_before,
            c.exact_after,
            c.status_before,
            c.status_after,
            c.source_before,
            c.source_after,
            "",
            "",
            "",
        )
        for c in changes.items
    ]
    out += [("re-read", "", "", "", "", "", "", "", "", r.file, str(r.line), r.text) for r in rereads]
    return out


# --- the brief's page and the deck's slide ----------------------------------------------------------


def _counted(sp: Speech, n: int, key: str) -> str:
    """'1 value changed', '3 values changed': the labels table's changes_<key>_one or _many."""
    return sp.word(f"changes_{key}_{'one' if n == 1 else 'many'}", n=n)


def section(changes: Changes) -> Section:
    """ "What changed since <previous edition>": a paragraph of counts, the changes table, the countries."""
    sp = changes.speech
    title = sp.word("changes_title", edition=changes.label)
    values = changes.count("changed", "new", "removed", "status", "source")
    risks = changes.count("risk")
    added = [c.country_name for c in changes.items if c.kind == "country added"]
    removed = [c.country_name for c in changes.items if c.kind == "country removed"]
    if not changes.items:
        summary = sp.word("changes_none", edition=changes.label)
    else:
        counts = [
            (changes.count("changed"), "changed"),
            (changes.count("new"), "new"),
            (changes.count("removed"), "removed"),
            (changes.count("status", "source"), "status"),
            (risks, "risk"),
            (len(added), "added"),
            (len(removed), "dropped"),
        ]
        parts = [_counted(sp, n, key) for n, key in counts if n]
        listed = (
            sp.word("list_and", first=", ".join(parts[:-1]), last=parts[-1]) if len(parts) > 1 else parts[0]
        )
        summary = sp.word("changes_summary", edition=changes.label, counts=listed)
        if any({c.status_before, c.status_after} & {"reported", "unverified"} for c in changes.items):
            summary += " " + sp.word("changes_status_note")
    blocks: list[Paragraph | Table] = [Paragraph((Run(summary),), "lead")]
    table_rows = [
        (
            (Run(c.country_name),),
            (Run(c.figure),),
            (Run(c.before or "\u2014"),),
            (Run(c.after or (sp.word("changes_removed") if c.kind == "removed" else "\u2014")),),
            _source_cell(sp, c),
        )
        for c in changes.items
        if not c.kind.startswith("country")
    ]
    if values or risks:
        blocks.append(
            Table(
                (
                    sp.word("country"),
                    sp.word("changes_figure"),
                    sp.word("changes_before"),
                    sp.word("changes_now"),
                    sp.word("changes_source"),
                ),
                tuple(table_rows),
                caption=sp.word("changes_caption", edition=changes.label),
                widths=(1.0, 1.7, 1.0, 1.0, 2.3),
                on_slide="condensed",
            )
        )
    for names, key in ((added, "changes_added"), (removed, "changes_dropped")):
        if names:
            blocks.append(Paragraph((Run(sp.word(key, edition=changes.label, names=", ".join(names))),)))
    notes = (summary,)
    # the brief's last page; in the deck a backup slide, behind the talk
    return Section("changes", "chapter", title, tuple(blocks), notes, backup=True)


def _source_cell(sp: Speech, c: Change) -> Text:
    if c.kind == "risk":
        return (Run(sp.word("changes_editors")),)
    if c.source_before and c.source_after and c.source_before != c.source_after:
        return (
            Run(c.source_after),
            Run(" " + sp.word("changes_source_before", source=c.source_before), italic=True),
        )
    return (Run(c.source_after or c.source_before),)
