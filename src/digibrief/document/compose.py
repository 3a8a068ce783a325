"""Model → document: what the brief says and in which order. Pure; no geometry, no I/O."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from digibrief.document import citations, markup
from digibrief.document.chartspecs import SpecBuilder, ordered_countries, short_publisher, source_line
from digibrief.document.datapack import data_sheets
from digibrief.document.numbers import Policy, change, date_label, edition_label, fmt, ordinal, period, show
from digibrief.document.types import (
    Block,
    Bullets,
    Callout,
    Document,
    Fact,
    Figure,
    KeyFigure,
    KeyFigures,
    Locator,
    Meta,
    Paragraph,
    Reference,
    References,
    Run,
    Section,
    SectionRole,
    Table,
    Text,
    plain,
)
from digibrief.document.words import Speech
from digibrief.project import scope
from digibrief.project.model import Country, Discrepancy, Incident, Project, RisksFile, SectionDef
from digibrief.project.model import KeyFigure as KeyFigureDef
from digibrief.project.readings import Reading, read, read_disputed
from digibrief.syntax import Ref, cited_ids, references

# how writers lay out a section made from a report section of this kind (others are chapters)
ROLES: dict[str, SectionRole] = {"cover": "cover", "contents": "contents", "context": "profile"}
# report sections that are reference material rather than part of a talk
BACKUP = frozenset({"contents", "methodology"})


def level_label(risks: RisksFile, level: int | None) -> str:
    """A risk level as readers see it, from the one table of level words in data/risks.yaml."""
    if level is None:
        return risks.not_assessed
    return f"{level} {risks.levels.get(level, '')}".strip()


def cite_run(numbers: tuple[int, ...]) -> Run:
    """A citation marker: the reference numbers and their label."""
    return Run(citations.label(numbers), cite=numbers)


class Citations:
    """Numbers sources in order of first citation, as a printed reference list does."""

    def __init__(self, project: Project):
        self.project = project
        self.numbers: dict[str, int] = {}

    def __call__(self, ids: Sequence[str]) -> tuple[int, ...]:
        out = []
        for sid in ids:
            if sid not in self.numbers:
                self.numbers[sid] = len(self.numbers) + 1
            out.append(self.numbers[sid])
        return tuple(out)

    def references(self) -> tuple[Reference, ...]:
        refs = []
        for sid, n in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            s = self.project.sources[sid]
            ref = Reference(
                n, s.publisher, short_publisher(s.publisher), s.title, s.date, s.url, s.note or ""
            )
            refs.append(
                replace(ref, linked=markup.addresses(ref.full), note_linked=markup.addresses(ref.note))
            )
        return tuple(refs)


def edition_epoch(iso: str) -> int:
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    return calendar.timegm(dt.date(parts[0], parts[1], parts[2]).timetuple())


class Composer:
    def __init__(
        self,
        project: Project,
        speech: Speech,
        countries: Sequence[str] | None,
        epoch: int | None,
        datapack: str | None = None,
    ):
        self.p = project
        self.speech = speech  # the report's words and number format, handed to whatever prints them
        self.datapack = datapack  # the data pack's file name, which the methodology points to
        self.charted: dict[str, str] = {}  # chart spec id -> the chart definition it was made from
        self.cite = Citations(project)
        self.focus = [c for c in project.report.countries if countries is None or c in countries]
        # a brief of some of the report's countries: built for them, not the region's retitled
        self.scoped = scope.is_scoped(project.report, self.focus)
        self.scope = tuple(self.focus) if self.scoped else ()
        self.specs = SpecBuilder(project, speech, self.cite, self.scope)
        self.epoch = epoch
        self.title = project.report.title  # a brief of some countries is titled for them
        self.subtitle = project.report.subtitle
        if self.scoped:
            names = self.names(self.focus)
            self.title = self.speech.word("one_country_title", title=project.report.title, country=names)
            self.subtitle = self.subtitle.replace(self.names(project.report.countries), names)
        # the countries whose incidents and disagreements the brief lists: every one in the regional
        # brief; in a scoped one its own (a context country's section is condensed there)
        self.shown = set(self.focus) if self.scoped else set(project.countries)
        self.makers: dict[str, Callable[[SectionDef], tuple[list[Block], list[str]]]] = {
            "cover": self._cover,
            "contents": self._contents,
            "takeaways": self._takeaways,
            "overview": self._overview,
            "risks": self._risks,
            "context": self._context,
            "outlook": self._outlook,
            "methodology": self._methodology,
        }

    def names(self, ids: Sequence[str]) -> str:
        """Countries' names as a list in the report's words: "Kazakhstan, Uzbekistan and Tajikistan"."""
        names = [self.p.countries[c].name for c in ids]
        if len(names) < 2:
            return "".join(names)
        return ", ".join([*names[:-2], self.speech.word("list_and", first=names[-2], last=names[-1])])

    def text(self, s: str) -> Text:
        return markup.parse(s, self.cite, self.resolve)

    def resolve(self, ref: Ref) -> tuple[Run, tuple[str, ...]]:
        """A data reference as the run a reader sees, and the sources it read."""
        reading = read(ref, self.p.countries, self.p.indicators)
        fact = self.fact_of(reading)
        return Run(fact.display, fact=fact), reading.sources

    def fact_of(self, r: Reading, scale: bool = False) -> Fact:
        """What was read, formatted by its display policy (one policy for every output)."""
        policy = Policy(r.unit, r.decimals, r.of)
        value: float | None = r.values[0]
        if r.ref.form == "change":
            display = change(self.speech, r.values[0], r.values[1], policy)
            value = r.values[1] - r.values[0]
        elif r.ref.form == "position":
            display = self.speech.word(
                "of_total", value=ordinal(self.speech, round(r.values[0])), total=round(r.values[1])
            )
        elif r.ref.form == "year":
            display = str(round(r.values[0]))
        else:
            display = show(self.speech, r.values[0], policy, scale=scale or r.ref.form == "of")
        if r.qualifier:
            display = f"{r.qualifier} {display}"
        when = (
            period(self.speech, r.years[0], r.years[-1])
            if r.years
            else self.speech.word("reported_in", year=self.p.sources[r.sources[0]].date[:4])
        )
        return Fact(value, r.unit, display, when, self.cite(list(r.sources)), r.status)

    def cited_text(self, text: str, sources: Sequence[str]) -> Text:
        """Text with its listed sources cited at the end; a source that a data reference in the text
        already cites (at the end of its sentence) is not cited twice."""
        cited = {sid for ref in references(text) for sid in self.resolve(ref)[1]} | set(cited_ids(text))
        rest = [sid for sid in dict.fromkeys(sources) if sid not in cited]
        if not rest:
            return self.text(text)
        citation = " [" + "; ".join(rest) + "]"
        # before the closing full stop, so that it merges with what the last sentence's references cite
        end = text.rstrip()
        if end.endswith((".", "!", "?")):
            return self.text(end[:-1] + citation + end[-1])
        return self.text(end + citation)

    def paragraphs(self, prose: str, style: str = "body") -> list[Paragraph]:
        chunks = [" ".join(part.split()) for part in prose.split("\n\n")]
        return [Paragraph(self.text(c), style) for c in chunks if c]  # type: ignore[arg-type]

    def figure(self, chart_id: str, country: str | None = None, lead: bool = False) -> Figure:
        spec, numbers = self.specs.build(chart_id, self.p.report.charts[chart_id], country)
        self.charted[spec.id] = chart_id
        caption = self.p.report.charts[chart_id].caption or ""
        headline = self.p.report.charts[chart_id].headline_for(country, self.scope)
        return Figure(spec, caption, numbers, lead=lead, headline=self.text(headline) if headline else ())

    # --- sections --------------------------------------------------------------------------------

    def document(self) -> Document:
        r = self.p.report
        sections: list[Section] = []
        seen_contents = False  # only sections after the contents are listed in it
        with_references: set[str] = set()
        for i, sd in enumerate(r.sections):
            if sd.kind == "countries":
                sections += [self.country(self.p.countries[cid], seen_contents) for cid in self.focus]
                continue
            title = sd.title or {"cover": self.title}.get(sd.kind, sd.kind.title())
            condensed = sd.kind == "context" and self.scoped
            sid = f"{sd.kind}" if sd.kind != "context" else f"context-{(sd.country or '').lower()}"
            blocks, notes = self.makers[sd.kind](sd)
            if sd.kind == "takeaways" and not blocks:
                continue  # a scoped brief with no takeaways of its own (check warns)
            sid = sid if sid not in {s.id for s in sections} else f"{sid}-{i}"
            if sd.kind == "methodology":
                with_references.add(sid)
            sections.append(
                Section(
                    sid,
                    ROLES.get(sd.kind, "chapter"),
                    title,
                    tuple(blocks),
                    tuple(notes),
                    in_contents=sd.kind not in ("cover", "contents") and seen_contents,
                    backup=sd.kind in BACKUP,
                    # a country's section opens a page, like the profiles; condensed, it follows on
                    new_page=sd.kind == "context" and not condensed,
                )
            )
            seen_contents = seen_contents or sd.kind == "contents"
        sections = self._with_references(sections, with_references)
        meta = Meta(
            title=self.title,
            subtitle=self.subtitle,
            edition=r.edition,
            edition_label=edition_label(self.speech, r.edition),
            publisher=r.publisher,
            author=r.author,
            language=r.language,
            keywords=tuple(r.keywords),
            countries=tuple(self.p.countries[cid].name for cid in self.focus),
            epoch=self.epoch if self.epoch is not None else edition_epoch(r.edition),
        )
        doc = Document(meta, tuple(sections), self.cite.references())
        return replace(doc, datapack=data_sheets(self.p, self.speech, doc, self.charted, self.cite.numbers))

    def _cover(self, sd) -> tuple[list[Block], list[str]]:
        return self.locator(), [f"{self.p.report.title}: {self.subtitle}."]

    def locator(self, country: str | None = None) -> list[Block]:
        """The region's locator map (country highlighted on its own page, the brief's countries on the
        cover of a scoped brief), when data/geo has one; a country with no outline there gets none,
        since the region's map would not say where it is."""
        if self.p.geo is None or (country and all(s.id != country for s in self.p.geo.shapes)):
            return []
        spec, cite = self.specs.locator_map(country)
        return [Locator(spec, cite)]

    def _contents(self, sd) -> tuple[list[Block], list[str]]:
        return [], [self.speech.word("contents_note")]

    def _takeaways(self, sd) -> tuple[list[Block], list[str]]:
        items = [self.text(t) for t in scope.takeaways(self.p.report, self.focus)]
        if not items:
            return [], []
        return [Bullets(tuple(items), numbered=True)], [plain(t) for t in items]

    def _overview(self, sd) -> tuple[list[Block], list[str]]:
        blocks: list[Block] = [*self.paragraphs(sd.intro or "", "lead")]
        notes = [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        table = self._comparison_table() if self.p.report.comparison else None
        blocks += [self.figure(chart) for chart in sd.charts]
        blocks += [table] if table else []
        return blocks, notes

    def _outlook(self, sd) -> tuple[list[Block], list[str]]:
        """What the findings mean: a lead paragraph and one sourced point each, the talk's last slide."""
        blocks: list[Block] = [*self.paragraphs(sd.intro or "", "lead")]
        notes = [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        points = scope.points(self.p.report, sd, self.focus)
        if points:
            blocks.append(Bullets(tuple(self.text(t) for t in points)))
        return blocks, notes

    def _comparison_table(self) -> Table:
        """Latest value of each indicator of report.yaml's comparison per country, in its order."""
        wanted = list(self.p.report.comparison)
        # each indicator's unit in its header, e.g. "Internet users (% of population)"
        inds = [self.p.indicators[i] for i in wanted]
        columns = (self.speech.word("country"), *(headed(ind.name, ind.unit_label) for ind in inds))
        rows = []
        sources: set[str] = set()
        for c in ordered_countries(self.p):
            row: list[Text] = [(Run(c.name),)]
            for iid in wanted:
                data = c.indicators.get(iid, {})
                # unverified values appear only where the text explains them; a reported one says so
                shown = {y: pt for y, pt in data.items() if pt.status != "unverified"}
                if not shown:
                    row.append((Run(self.speech.word("not_available")),))
                    continue
                y = max(shown)
                pt = shown[y]
                ind = self.p.indicators[iid]
                n = self.cite([pt.source])
                sources.add(pt.source)
                fact = Fact(
                    pt.value,
                    ind.unit,
                    fmt(self.speech, pt.value, ind.unit, ind.decimals),
                    str(y),
                    n,
                    pt.status,
                )
                when = (
                    f"{y}" if pt.status == "verified" else f"{y}, {self.speech.word('status_' + pt.status)}"
                )
                row.append((Run(f"{fact.display} ({when})", fact=fact), cite_run(n)))
            rows.append(tuple(row))
        return Table(
            columns,
            tuple(rows),
            caption=self.speech.word("comparison_caption"),
            widths=(1.4, *([1.0] * len(wanted))),
            on_slide="full",
            numeric=tuple(range(1, len(wanted) + 1)),
            source=self._source_line(sources),
        )

    def _source_line(self, ids: set[str]) -> str:
        """'Sources: Publisher (year); ….' for a table, its sources in the order sources.yaml lists them."""
        order = list(self.p.sources)
        return source_line(self.p, self.speech, sorted(ids, key=order.index)) if ids else ""

    def key_figures(self, c: Country) -> KeyFigures:
        items = []
        for k in c.key_figures:
            name = k.fact if k.fact is not None else k.indicator
            assert name is not None  # the model requires one of them
            reading = read(Ref(c.id, name, k.year), self.p.countries, self.p.indicators)
            fact = self.fact_of(reading, scale=True)
            note = self.text(k.note) if k.note else ()
            disputed = self.disputes(c, k)
            items.append(KeyFigure(k.label or reading.label, fact, note + disputed, self._when(fact)))
        pop = c.population
        if pop is not None:
            n = self.cite([pop.source])
            population = Fact(
                pop.value, "count", fmt(self.speech, pop.value, "count"), str(pop.year), n, pop.status
            )
            items.insert(
                0, KeyFigure(self.speech.word("population"), population, when=self._when(population))
            )
        facts: list[tuple[str, str | Text]] = [(self.speech.word("capital"), c.capital)]
        if c.local_names:
            langs: dict[str, str] = {}  # each name once, in the language it is first given in
            for ln in c.local_names:
                langs.setdefault(ln.name, ln.lang)
            names = [Run(name, lang=lang) for name, lang in langs.items()]
            facts.append(
                (self.speech.word("local_names"), tuple(r for n in names for r in (Run(" · "), n))[1:])
            )
        return KeyFigures(tuple(items), self.speech.word("at_a_glance"), tuple(facts))

    def _when(self, fact: Fact) -> str:
        """A key figure's period with its status in words ("2023 · reported"), unless it says it."""
        if fact.status == "verified":
            return fact.period
        status = self.speech.word("status_" + fact.status)
        return fact.period if status in fact.period else f"{fact.period} \u00b7 {status}"

    def disputes(self, c: Country, k: KeyFigureDef) -> Text:
        """When another source disagrees with a key figure, say so in its note (derived, never typed)."""
        for d in c.discrepancies:
            for v in d.values:
                same_fact = k.fact is not None and v.fact == k.fact
                same_point = (
                    k.indicator is not None
                    and k.indicator == d.indicator
                    and v.year is not None
                    and (
                        v.value is None
                        and v.year == (k.year or max(c.indicators.get(k.indicator, {0: None})))
                    )
                )
                if same_fact or same_point:
                    pointer = self.disagreement_pointer()
                    return (Run((" " if k.note else "") + pointer[:1].upper() + pointer[1:]),)
        return ()

    def country(self, c: Country, in_contents: bool) -> Section:
        blocks: list[Block] = [*self.locator(c.id), self.key_figures(c)]
        blocks += self.paragraphs(c.profile or "")
        highlights = [self.cited_text(h.text, h.sources) for h in c.highlights]
        blocks.append(Bullets(tuple(highlights), self.speech.word("highlights")))
        charts = [*self.p.report.each_country, *self.p.report.country_charts.get(c.id, [])]
        blocks += [self.figure(ch, c.id, lead=i == 0) for i, ch in enumerate(charts)]
        if c.milestones:
            blocks.append(self._milestones(c))
        blocks += self._discrepancy_callouts(c)
        notes = [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        return Section(
            f"country-{c.id.lower()}",
            "profile",
            c.name,
            tuple(blocks),
            tuple(notes),
            kicker=self.speech.word("country_profile"),
            in_contents=in_contents,
            country=c.id,
            new_page=True,
        )

    def _milestones(self, c: Country) -> Table:
        rows = []
        for m in sorted(c.milestones, key=lambda m: (m.year, m.month or 0)):
            rows.append(
                (
                    (Run(date_label(self.speech, m.year, m.month)),),
                    (Run(m.title, bold=True),),
                    self.cited_text(m.detail, [m.source]),
                )
            )
        return Table(
            (self.speech.word("date"), self.speech.word("milestone"), self.speech.word("what_happened")),
            tuple(rows),
            caption=self.speech.word("milestones_of", country=c.name),
            widths=(0.8, 1.6, 3.6),
            source=self._source_line({m.source for m in c.milestones}),
        )

    def _discrepancy_callouts(self, c: Country) -> list[Block]:
        """One short note at the end of a country's section: the topics sources disagree on, pointing
        to the methodology's table, which alone gives the values, the choice and the reasons."""
        if not c.discrepancies:
            return []
        topics = "; ".join(d.topic for d in c.discrepancies)
        text = (Run(topics + ": ", bold=True), Run(self.disagreement_pointer()))
        return [Callout(self.speech.word("sources_disagree", topic=c.name), text)]

    def disagreement_pointer(self) -> str:
        """Where the table of disagreements is: its caption and the section that holds it."""
        section = next(
            (sd.title for sd in self.p.report.sections if sd.kind == "methodology" and sd.title), ""
        )
        return self.speech.word(
            "disagree_pointer", table=self.speech.word("disagreement_caption"), section=section
        )

    def disputed(self, c: Country, d: Discrepancy) -> list[tuple[str, Fact]]:
        """Each disputed value as (publisher, fact), read from the data it points at."""
        out = []
        for v in d.values:
            reading = read_disputed(c, d, v, self.p.indicators)
            publisher = short_publisher(self.p.sources[reading.sources[0]].publisher)
            out.append((publisher, self.fact_of(reading, scale=True)))
        return out

    def _risks(self, sd) -> tuple[list[Block], list[str]]:
        blocks: list[Block] = [*self.paragraphs(sd.intro or "", "lead")]
        notes = [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        blocks += [self.figure(chart) for chart in sd.charts]
        risks = self.p.risks
        assert risks is not None  # the loader refuses a risks section without data/risks.yaml
        rows = []
        shown = [c for c in ordered_countries(self.p) if c.id in self.shown]
        for c in shown:  # each country's evidence in date order, an undated
            # report at the year it was published
            for inc in sorted(c.incidents, key=self._incident_date):
                rows.append(
                    (
                        (Run(c.name),),
                        (
                            Run(
                                (
                                    period(self.speech, inc.year, inc.year_end)
                                    if inc.year_end
                                    else date_label(self.speech, inc.year, inc.month)
                                )
                                if inc.year
                                else self.speech.word("reported_in", year=self.p.sources[inc.source].date[:4])
                            ),
                        ),
                        (Run(risks.categories[inc.category].name),),
                        (
                            Run(inc.title, bold=True),
                            Run(". "),
                            *self.cited_text(inc.detail, [inc.source]),
                        ),
                    )
                )
        if rows:
            blocks.append(
                Table(
                    (
                        self.speech.word("country"),
                        self.speech.word("date"),
                        self.speech.word("risk"),
                        self.speech.word("incident"),
                    ),
                    tuple(rows),
                    caption=(
                        self.speech.word("incidents_caption_of", countries=self.names(self.focus))
                        if self.scoped
                        else self.speech.word("incidents_caption")
                    ),
                    widths=(1.0, 0.7, 1.1, 3.7),
                    on_slide="condensed",
                    source=self._source_line({i.source for c in shown for i in c.incidents}),
                )
            )
        note = self.text(risks.note)
        blocks.append(Paragraph(note, "note"))
        notes.append(plain(note))
        return blocks, notes

    def _incident_date(self, inc: Incident) -> tuple[int, int]:
        return (inc.year or int(self.p.sources[inc.source].date[:4]), inc.month or 0)

    def _context(self, sd) -> tuple[list[Block], list[str]]:
        """A context country's section; in a scoped brief condensed to what compares it with the
        brief's countries: its profile's first paragraph and its charts."""
        c = self.p.countries[sd.country]
        blocks: list[Block]
        if self.scoped:
            blocks = [*self.paragraphs(c.profile or "")[:1]]
            blocks += [self.figure(ch, c.id, lead=i == 0) for i, ch in enumerate(sd.charts)]
            return blocks, [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        blocks = [*self.locator(c.id)]
        if c.key_figures:
            blocks.append(self.key_figures(c))
        blocks += self.paragraphs(c.profile or "")
        blocks.append(
            Bullets(
                tuple(self.cited_text(h.text, h.sources) for h in c.highlights),
                self.speech.word("highlights"),
            )
        )
        blocks += [self.figure(ch, c.id, lead=i == 0) for i, ch in enumerate(sd.charts)]
        blocks += self._discrepancy_callouts(c)
        notes = [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        return blocks, notes

    def _pointer(self, file: str) -> list[Run]:
        """The data pack sentence with the file name set in bold."""
        before, _, after = self.speech.word("datapack_pointer", file="\0").partition("\0")
        return [r for r in (Run(before), Run(file, bold=True), Run(after)) if r.text]

    def _methodology(self, sd) -> tuple[list[Block], list[str]]:
        blocks: list[Block] = [*self.paragraphs(self.p.report.methodology)]
        for remark in self.p.report.methodology_remarks:
            if scope.shows(remark.countries, self.focus):
                blocks += self.paragraphs(remark.text)
        if self.datapack:
            blocks.append(Paragraph(tuple(self._pointer(self.datapack))))
        method = self._risk_method()
        if method is not None:
            blocks.append(method)
        rows = []
        for c in ordered_countries(self.p):
            if c.id not in self.shown:
                continue
            for d in c.discrepancies:
                values: list[Run] = []
                for i, (publisher, fact) in enumerate(self.disputed(c, d)):
                    when = f" ({fact.period})" if fact.period != self.speech.word("undated") else ""
                    values += [
                        Run(("; " if i else "") + f"{publisher}: "),
                        Run(fact.display, fact=fact),
                        Run(when),
                        cite_run(fact.cite),
                    ]
                n = self.cite([d.shown])
                rows.append(
                    (
                        (Run(f"{c.name}: {d.topic}"),),
                        tuple(values),
                        (Run(self.p.sources[d.shown].publisher + " "), cite_run(n)),
                        self.text(d.reason),
                    )
                )
        if rows:
            blocks.append(
                Table(
                    (
                        self.speech.word("topic"),
                        self.speech.word("values_reported"),
                        self.speech.word("shown"),
                        self.speech.word("why"),
                    ),
                    tuple(rows),
                    caption=self.speech.word("disagreement_caption"),
                    widths=(1.5, 1.5, 1.3, 2.7),
                    on_slide="full",
                )
            )
        elif self.scoped:  # the table would be empty: say so rather than leave it out unexplained
            heading = (Run(self.speech.word("disagreement_caption") + ". ", bold=True),)
            said = self.speech.word("no_disagreements", countries=self.names(self.focus))
            blocks.append(Paragraph((*heading, Run(said))))
        notes = [plain(b.text) for b in blocks if isinstance(b, Paragraph)]
        return blocks, notes

    def _risk_method(self) -> Table | None:
        """What each risk level requires, category by category: the method, from data/risks.yaml; only in a
        brief that rates risks (a risks section)."""
        risks = self.p.risks
        if risks is None or all(sd.kind != "risks" for sd in self.p.report.sections):
            return None
        levels = sorted(risks.levels)
        rows = [
            ((Run(cat.name, bold=True),), *((Run(cat.criteria.get(lvl, "–")),) for lvl in levels))
            for cat in risks.categories.values()
            if cat.criteria
        ]
        if not rows:
            return None
        return Table(
            (self.speech.word("risk"), *(level_label(risks, lvl) for lvl in levels)),
            tuple(rows),
            caption=self.speech.word("method_caption"),
            widths=(1.1, *([1.5] * len(levels))),
            on_slide="full",
        )

    def _with_references(self, sections: list[Section], ids: set[str]) -> list[Section]:
        """Append the numbered sources to the methodology section, once all citations are known (a brief
        that cites nothing yet, as a new project's, has no list)."""
        out = []
        for s in sections:
            if s.id in ids and self.cite.numbers:
                s = replace(s, blocks=(*s.blocks, References(self.cite.references())))
            out.append(s)
        return out


def compose(
    project: Project,
    countries: Sequence[str] | None = None,
    epoch: int | None = None,
    datapack: str | None = None,
) -> Document:
    """The document for project; countries limits the country sections (None = all in report);
    a brief of some of the report's countries is composed for them (project.scope); datapack names the
    data pack file the methodology points to. The document speaks the report's language and labels."""
    speech = speech_of(project)
    doc = Composer(project, speech, countries, epoch, datapack).document()
    return replace(doc, speech=speech)


def speech_of(project: Project) -> Speech:
    """The report's language and its labels table (report/labels.yaml), as every stage uses them."""
    labels = project.labels
    return Speech.of(
        project.report.language, labels.words, labels.months, labels.months_short, labels.ordinal
    )


def headed(name: str, unit: str) -> str:
    """A column header with its unit in one pair of brackets: "Internet users (% of population)",
    "E-Government Development Index (score, 0-1)", "Global Cybersecurity Index score (0-100)"."""
    found = re.fullmatch(r"(.*?)\s*\((.*)\)", unit)
    if found is None:
        return f"{name} ({unit})" if unit else name
    kind, scale = found.groups()
    if not kind or name.lower().endswith(kind.lower()):
        return f"{name} ({scale})"
    return f"{name} ({kind}, {scale})"
