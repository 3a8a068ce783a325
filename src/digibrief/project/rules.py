"""The rules that span files, one small function each, run in the order of the RULES table.

pydantic checks each file on its own; these rules check what one file says about another (every id
must exist, every value must fit its indicator). A rule whose file failed validation is skipped, so
a broken file gives its own problems rather than a cascade of unknown ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from digibrief.errors import Problem
from digibrief.project.files import YamlFile, holds_placeholder, unknown
from digibrief.project.model import (
    Country,
    Fact,
    Indicator,
    IndicatorsFile,
    Point,
    Population,
    ReportFile,
    RisksFile,
    SourcesFile,
    Tagged,
)
from digibrief.project.readings import Unreadable, read, read_disputed
from digibrief.project.scope import takeaways, text_of
from digibrief.project.yamlsource import KeyPath
from digibrief.syntax import Ref, cited_ids, references


@dataclass(frozen=True)
class Inputs:
    """The validated files (None where a file failed validation) and the files they came from."""

    sources: SourcesFile | None
    indicators: IndicatorsFile | None
    risks: RisksFile | None
    report: ReportFile | None
    countries: dict[str, tuple[Country, YamlFile]]
    country_ids: set[str]  # from the file names, so a country file with mistakes still counts
    indicators_file: YamlFile
    risks_file: YamlFile
    report_file: YamlFile
    sources_file: YamlFile | None = None
    countries_folder: str = "data/countries"  # as the user knows it, to name a country's file


Rule = Callable[[Inputs], Iterator[Problem]]


# --- what the rules walk over ------------------------------------------------------------------------


def _source_fields(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, str]]:
    """Every field that names a source, with its file and key path."""
    if p.indicators:
        for iid, ind in p.indicators.indicators.items():
            yield p.indicators_file, ("indicators", iid, "source"), ind.source
    for c, f in p.countries.values():
        if c.population is not None:
            yield f, ("population", "source"), c.population.source
        for i, h in enumerate(c.highlights):
            for j, sid in enumerate(h.sources):
                yield f, ("highlights", i, "sources", j), sid
        for fid, fact in c.facts.items():
            yield f, ("facts", fid, "source"), fact.source
        for iid, series in c.indicators.items():
            for year, point in series.items():
                yield f, ("indicators", iid, year, "source"), point.source
        for i, m in enumerate(c.milestones):
            yield f, ("milestones", i, "source"), m.source
        for i, inc in enumerate(c.incidents):
            yield f, ("incidents", i, "source"), inc.source
        for i, d in enumerate(c.discrepancies):
            for j, v in enumerate(d.values):
                if v.source is not None:
                    yield f, ("discrepancies", i, "values", j, "source"), v.source
    if p.risks:
        for cid, row in p.risks.assessments.items():
            for cat, a in row.items():
                for j, sid in enumerate(a.sources):
                    yield p.risks_file, ("assessments", cid, cat, "sources", j), sid


def prose_fields(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, str]]:
    """Every text a reader sees that may cite sources as [ID] or read data, with its file and key path."""
    for c, f in p.countries.values():
        if c.profile is not None:
            yield f, ("profile",), c.profile
        for i, h in enumerate(c.highlights):
            yield f, ("highlights", i, "text"), h.text
        for i, k in enumerate(c.key_figures):
            if k.note:
                yield f, ("key_figures", i, "note"), k.note
        for i, m in enumerate(c.milestones):
            yield f, ("milestones", i, "detail"), m.detail
        for i, inc in enumerate(c.incidents):
            yield f, ("incidents", i, "detail"), inc.detail
        for i, d in enumerate(c.discrepancies):
            yield f, ("discrepancies", i, "reason"), d.reason
    if p.risks:
        yield p.risks_file, ("note",), p.risks.note
        for cid, row in p.risks.assessments.items():
            for cat, a in row.items():
                yield p.risks_file, ("assessments", cid, cat, "rationale"), a.rationale
    if p.report:
        for i, t in enumerate(p.report.takeaways):
            yield p.report_file, ("takeaways", i, *(("text",) if isinstance(t, Tagged) else ())), text_of(t)
        for cid, own in p.report.country_takeaways.items():
            for i, text in enumerate(own):
                yield p.report_file, ("country_takeaways", cid, i), text
        for i, sd in enumerate(p.report.sections):
            yield p.report_file, ("sections", i, "intro"), sd.intro or ""
            for j, point in enumerate(sd.points):
                where = ("sections", i, "points", j, *(("text",) if isinstance(point, Tagged) else ()))
                yield p.report_file, where, text_of(point)
            for cid, own in sd.country_points.items():
                for j, text in enumerate(own):
                    yield p.report_file, ("sections", i, "country_points", cid, j), text
        yield p.report_file, ("methodology",), p.report.methodology
        for i, remark in enumerate(p.report.methodology_remarks):
            yield p.report_file, ("methodology_remarks", i, "text"), remark.text
        for name, chart in p.report.charts.items():
            if chart.caption:
                yield p.report_file, ("charts", name, "caption"), chart.caption
            for cid, text in chart.focus_headline.items():
                yield p.report_file, ("charts", name, "focus_headline", cid), text
            if isinstance(chart.headline, dict):
                for cid, text in chart.headline.items():
                    yield p.report_file, ("charts", name, "headline", cid), text
            elif chart.headline:
                yield p.report_file, ("charts", name, "headline"), chart.headline


def reader_texts(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, str]]:
    """Every text a reader sees: the prose fields, and the names, titles and labels the outputs print."""
    yield from prose_fields(p)
    if p.sources and p.sources_file:
        for sid, s in p.sources.sources.items():
            yield p.sources_file, ("sources", sid, "publisher"), s.publisher
            yield p.sources_file, ("sources", sid, "title"), s.title
    if p.indicators:
        for iid, ind in p.indicators.indicators.items():
            yield p.indicators_file, ("indicators", iid, "name"), ind.name
            yield p.indicators_file, ("indicators", iid, "unit_label"), ind.unit_label
    for c, f in p.countries.values():
        yield f, ("name",), c.name
        yield f, ("capital",), c.capital
        for i, ln in enumerate(c.local_names):
            yield f, ("local_names", i, "name"), ln.name
        for fid, fact in c.facts.items():
            yield f, ("facts", fid, "label"), fact.label
        for i, k in enumerate(c.key_figures):
            if k.label:
                yield f, ("key_figures", i, "label"), k.label
        for i, m in enumerate(c.milestones):
            yield f, ("milestones", i, "title"), m.title
        for i, inc in enumerate(c.incidents):
            yield f, ("incidents", i, "title"), inc.title
        for i, d in enumerate(c.discrepancies):
            yield f, ("discrepancies", i, "topic"), d.topic
    if p.risks:
        for level, label in p.risks.levels.items():
            yield p.risks_file, ("levels", level), label
        yield p.risks_file, ("not_assessed",), p.risks.not_assessed
        for cat_id, cat in p.risks.categories.items():
            yield p.risks_file, ("categories", cat_id, "name"), cat.name
            yield p.risks_file, ("categories", cat_id, "description"), cat.description
            for level, text in cat.criteria.items():
                yield p.risks_file, ("categories", cat_id, "criteria", level), text
    if p.report:
        for key in ("title", "subtitle", "publisher", "author"):
            yield p.report_file, (key,), str(getattr(p.report, key, "") or "")
        for i, sd in enumerate(p.report.sections):
            if sd.title:
                yield p.report_file, ("sections", i, "title"), sd.title
        for name, chart in p.report.charts.items():
            yield p.report_file, ("charts", name, "title"), chart.title


def _years(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, int | None]]:
    """Every year a country figure is dated by, with its file and key path."""
    for c, f in p.countries.values():
        if c.population is not None:
            yield f, ("population", "year"), c.population.year
        for fid, fact in c.facts.items():
            yield f, ("facts", fid, "year"), fact.year_end or fact.year
        for iid, series in c.indicators.items():
            for year in series:
                yield f, ("indicators", iid, year), year
        for i, m in enumerate(c.milestones):
            yield f, ("milestones", i, "year"), m.year
        for i, inc in enumerate(c.incidents):
            yield f, ("incidents", i, "year_end" if inc.year_end else "year"), inc.year_end or inc.year


def _points(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, Point, Indicator]]:
    """Every indicator value whose indicator is defined, with its file and key path."""
    if not p.indicators:
        return
    for c, f in p.countries.values():
        for iid, series in c.indicators.items():
            ind = p.indicators.indicators.get(iid)
            if ind is not None:
                for year, point in series.items():
                    yield f, ("indicators", iid, year, "value"), point, ind


# --- data/ -------------------------------------------------------------------------------------------


RTL = frozenset({"R", "AL", "RLE", "RLO", "RLI"})  # bidirectional classes of right-to-left text


def text_is_left_to_right(p: Inputs) -> Iterator[Problem]:
    """Text a reader sees has no right-to-left script (Arabic, Hebrew): the PDF cannot shape it."""
    for f, path, text in reader_texts(p):
        if text.isascii():  # no ASCII character is right-to-left: passed over, most text is
            continue
        rtl = next((ch for ch in text if unicodedata.bidirectional(ch) in RTL), None)
        if rtl is not None:
            script = unicodedata.name(rtl, "?").split()[0].title()
            yield f.at(
                path,
                f"right-to-left text ({script} '{rtl}', U+{ord(rtl):04X}) cannot be set: the PDF has no "
                "right-to-left layout, so it would print mirrored; give the text in a left-to-right "
                "script (e.g. a transliteration)",
            )


MAX_COUNTRY_NAME = 60  # characters: a name labels chart lanes, lines and bars, headers and slide titles


def country_names_fit(p: Inputs) -> Iterator[Problem]:
    """A country's name is short enough to label a chart: the brief prints it where no wrap helps."""
    for c, f in p.countries.values():
        if len(c.name) > MAX_COUNTRY_NAME:
            yield f.at(
                ("name",),
                f"a country name may have at most {MAX_COUNTRY_NAME} characters, as charts label lanes and "
                f"lines with it; this one has {len(c.name)}. Give the short name here",
            )


def sources_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every source a figure, indicator or assessment names is defined in data/sources.yaml."""
    if p.sources:
        for f, path, sid in _source_fields(p):
            if sid not in p.sources.sources:
                why = unknown("source id", sid, p.sources.sources)
                yield f.at(path, why + " (define it in data/sources.yaml)")


def citations_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every [ID] cited in prose names a defined source."""
    if p.sources:
        for f, path, text in prose_fields(p):
            for sid in cited_ids(text):
                if sid not in p.sources.sources:
                    yield f.at(path, unknown("source id", sid, p.sources.sources) + " in a citation [ID]")


def years_within_edition(p: Inputs) -> Iterator[Problem]:
    """No country figure is dated after the report's edition year."""
    if p.report:
        last_year = int(p.report.edition[:4])
        for f, path, year in _years(p):
            if year is not None and year > last_year:
                yield f.at(path, f"year {year} is after the report's edition year {last_year}")


def indicators_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every indicator series in a country file names an indicator in data/indicators.yaml."""
    if p.indicators:
        for c, f in p.countries.values():
            for iid in c.indicators:
                if iid not in p.indicators.indicators:
                    yield f.at(
                        ("indicators", iid), unknown("indicator", iid, p.indicators.indicators), key=True
                    )


def values_within_range(p: Inputs) -> Iterator[Problem]:
    """Every indicator value lies within its indicator's range."""
    for f, path, point, ind in _points(p):
        low, high = ind.range
        if not low <= point.value <= high:
            yield f.at(path, f"expected a number between {low:g} and {high:g}, got {point.value:g}")


def ranks_are_whole(p: Inputs) -> Iterator[Problem]:
    """Every value of a rank indicator is a whole number."""
    for f, path, point, ind in _points(p):
        if ind.unit == "rank" and point.value != int(point.value):
            yield f.at(path, f"a rank is a whole number, got {point.value:g}")


def _statused(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, Population | Fact | Point]]:
    """Every figure that carries a status (population, facts, indicator values), with its key path."""
    for c, f in p.countries.values():
        if c.population is not None:
            yield f, ("population",), c.population
        for fid, fact in c.facts.items():
            yield f, ("facts", fid), fact
        for iid, series in c.indicators.items():
            for year, point in series.items():
                yield f, ("indicators", iid, year), point


def status_follows_source_kind(p: Inputs) -> Iterator[Problem]:
    """A figure from a secondary report or news item is at best 'reported'; 'reported' is never a primary release's."""
    if not p.sources:
        return
    for f, path, figure in _statused(p):
        source = p.sources.sources.get(figure.source)
        if source is None:
            continue  # reported by sources_are_defined
        written = "status" in figure.model_fields_set
        at = (*path, "status") if written else path
        if source.kind != "primary" and figure.status == "verified":
            yield f.at(
                at,
                f"{figure.source} is a {source.kind} source (kind: {source.kind} in data/sources.yaml), so a "
                "figure taken from it is at best reported: write status: reported, or unverified if sources conflict",
            )
        elif source.kind == "primary" and figure.status == "reported":
            yield f.at(
                at,
                f"'reported' marks a figure from a single secondary or news source, but {figure.source} is a "
                "primary release: remove the status, or write unverified if another source conflicts",
            )


def incident_categories_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every incident's category is a risk category in data/risks.yaml."""
    if p.risks:
        for c, f in p.countries.values():
            for i, inc in enumerate(c.incidents):
                if inc.category not in p.risks.categories:
                    why = unknown("risk category", inc.category, p.risks.categories)
                    yield f.at(("incidents", i, "category"), why)


def references_read_data(p: Inputs) -> Iterator[Problem]:
    """Every data reference in a text ({KGZ egdi_rank 2016}) reads a value that exists."""
    if not p.indicators:
        return
    countries = {cid: c for cid, (c, _) in p.countries.items()}
    for f, path, text in prose_fields(p):
        for ref in references(text):
            try:
                read(ref, countries, p.indicators.indicators)
            except Unreadable as e:
                yield f.at(path, str(e))


def key_figures_read_data(p: Inputs) -> Iterator[Problem]:
    """Every key figure names a fact of its country, or an indicator value that exists."""
    if not p.indicators:
        return
    countries = {cid: c for cid, (c, _) in p.countries.items()}
    for c, f in p.countries.values():
        for i, k in enumerate(c.key_figures):
            name = k.fact or k.indicator or ""
            try:
                read(Ref(c.id, name, k.year), countries, p.indicators.indicators)
            except Unreadable as e:
                yield f.at(("key_figures", i, "fact" if k.fact else "indicator"), str(e).split(": ", 1)[1])


def discrepancies_point_at_the_data(p: Inputs) -> Iterator[Problem]:
    """A disputed value points at the data it disputes; a typed copy of a series value, which would go stale, is refused."""
    if not p.indicators:
        return
    indicators = p.indicators.indicators
    for c, f in p.countries.values():
        for i, d in enumerate(c.discrepancies):
            if d.indicator is not None and d.indicator not in indicators:
                yield f.at(("discrepancies", i, "indicator"), unknown("indicator", d.indicator, indicators))
                continue
            series = c.indicators.get(d.indicator or "", {})
            for j, v in enumerate(d.values):
                at = ("discrepancies", i, "values", j)
                point = series.get(v.year) if v.year is not None else None
                if v.value is not None and point is not None and point.source == v.source:
                    state = (
                        "copies"
                        if point.value == v.value
                        else f"no longer matches ({point.value:g} in the data)"
                    )
                    yield f.at(
                        (*at, "value"),
                        f"{state} the {d.indicator} value for {v.year} from {v.source}; write `year: {v.year}` "
                        "without value and source, so the note follows the data",
                    )
                    continue
                try:
                    read_disputed(c, d, v, indicators)
                except Unreadable as e:
                    yield f.at(at, str(e))


def discrepancies_show_a_listed_value(p: Inputs) -> Iterator[Problem]:
    """The source a discrepancy shows is the source of one of its values."""
    if not p.indicators:
        return
    for c, f in p.countries.values():
        for i, d in enumerate(c.discrepancies):
            sources: set[str] = set()
            for v in d.values:
                try:
                    sources.update(read_disputed(c, d, v, p.indicators.indicators).sources)
                except Unreadable:
                    continue
            if sources and d.shown not in sources:
                yield f.at(
                    ("discrepancies", i, "shown"),
                    f"'{d.shown}' is not the source of any of the values listed ({', '.join(sorted(sources))})",
                )


def highlights_are_sourced(p: Inputs) -> Iterator[Problem]:
    """Every highlight cites a source (in its sources, as [ID] or by a data reference), unless still a placeholder."""
    for c, f in p.countries.values():
        for i, h in enumerate(c.highlights):
            if not (h.sources or cited_ids(h.text) or references(h.text) or holds_placeholder(h.text)):
                yield f.at(
                    ("highlights", i), "a highlight needs a source: list it under sources or cite it as [ID]"
                )


def assessed_countries_exist(p: Inputs) -> Iterator[Problem]:
    """Every country assessed in data/risks.yaml has a country file."""
    if p.risks:
        for cid in p.risks.assessments:
            if cid not in p.country_ids:
                yield p.risks_file.at(("assessments", cid), unknown("country", cid, p.country_ids), key=True)


def assessed_categories_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every assessment is for a risk category defined in data/risks.yaml."""
    if p.risks:
        for cid, row in p.risks.assessments.items():
            for cat in row:
                if cat not in p.risks.categories:
                    why = unknown("risk category", cat, p.risks.categories)
                    yield p.risks_file.at(("assessments", cid, cat), why, key=True)


def levels_are_labelled(p: Inputs) -> Iterator[Problem]:
    """data/risks.yaml labels every risk level from 0 to 3."""
    if p.risks:
        missing = {0, 1, 2, 3} - set(p.risks.levels)
        if missing:
            yield p.risks_file.at(("levels",), f"missing a label for level(s) {sorted(missing)}")


def assessments_follow_the_method(p: Inputs) -> Iterator[Problem]:
    """A level not assessed cites no evidence, and an assessed level has its criterion written for its category."""
    if not p.risks:
        return
    for cid, row in p.risks.assessments.items():
        for cat, a in row.items():
            category = p.risks.categories.get(cat)
            if category is None:
                continue  # reported by assessed_categories_are_defined
            if a.level is None and (a.sources or references(a.rationale)):
                yield p.risks_file.at(
                    ("assessments", cid, cat, "level"),
                    f"'{p.risks.not_assessed}' (level: null) means the sources hold no evidence, but this cell "
                    "cites some: rate it by the method, or remove the sources",
                )
            elif a.level is not None and a.level not in category.criteria:
                yield p.risks_file.at(
                    ("assessments", cid, cat, "level"),
                    f"level {a.level} has no criterion for {cat}: write what it requires under "
                    f"categories.{cat}.criteria.{a.level}, so the rating follows a written method",
                )


# --- report/ -----------------------------------------------------------------------------------------


def report_countries_are_focus(p: Inputs) -> Iterator[Problem]:
    """Every country the report gives a section has a country file with role 'focus'."""
    if p.report:
        for i, cid in enumerate(p.report.countries):
            if cid not in p.country_ids:
                yield p.report_file.at(("countries", i), unknown("country", cid, p.country_ids))
            elif cid in p.countries and p.countries[cid][0].role != "focus":
                yield p.report_file.at(
                    ("countries", i), f"'{cid}' has role 'context'; only focus countries get a section"
                )


def report_countries_are_listed_once(p: Inputs) -> Iterator[Problem]:
    """No country is listed twice under the report's countries:, which would print its section twice."""
    if p.report:
        first: dict[str, int] = {}
        for i, cid in enumerate(p.report.countries):
            if cid in first:
                yield p.report_file.at(
                    ("countries", i), f"'{cid}' is listed twice (also item {first[cid] + 1}); list it once"
                )
            first.setdefault(cid, i)


def focus_countries_are_in_the_report(p: Inputs) -> Iterator[Problem]:
    """Every country file with role 'focus' is listed under the report's countries:, or it gets no section."""
    if p.report:
        report = Path(p.report_file.name).name
        for cid, (c, f) in sorted(p.countries.items()):
            if c.role == "focus" and cid not in p.report.countries:
                yield f.at(
                    ("role",),
                    f"{cid} is a focus country but is not listed under countries: in {report}, "
                    "so it would get no section; add it there, or set role: context",
                )


def focus_countries_are_assessed(p: Inputs) -> Iterator[Problem]:
    """Every country of the report has a row in data/risks.yaml with a level for each category."""
    if not (p.report and p.risks):
        return
    for cid in dict.fromkeys(p.report.countries):
        row = p.risks.assessments.get(cid)
        if row is None:
            yield p.risks_file.at(
                ("assessments",),
                f"no row for {cid}, a country of the report, so the risk matrix would leave it out; add "
                f"'{cid}:' with a level for each category (level: null where the sources say nothing)",
                key=True,
            )
            continue
        missing = [cat for cat in p.risks.categories if cat not in row]
        if missing and all(
            cat in p.risks.categories for cat in row
        ):  # else a misspelt one, reported as unknown
            yield p.risks_file.at(
                ("assessments", cid),
                f"no level for {', '.join(missing)}; give each category a level "
                "(level: null where the sources say nothing)",
                key=True,
            )


def country_files_are_not_copies(p: Inputs) -> Iterator[Problem]:
    """No country file repeats another's figures and prose, as a file copied and renamed would."""
    fields = ("population", "profile", "highlights", "key_figures", "indicators")
    for a, (ca, fa) in sorted(p.countries.items()):
        for b, (cb, fb) in sorted(p.countries.items()):
            same = [name for name in fields if getattr(ca, name) and getattr(ca, name) == getattr(cb, name)]
            if a == b or len(same) < 2:
                continue
            # when the shared profile names only one of the two, the other file is the copy
            profile = ca.profile or ""
            if ca.name in profile and cb.name not in profile:
                continue
            other = f"{Path(fb.name).name} ({cb.name})"
            if cb.name in profile and ca.name not in profile:
                why = f"was this file copied from {Path(fb.name).name}? Rewrite them for {ca.name}"
            else:
                why = "one of the two files looks copied from the other; rewrite the copy for its own country"
            yield fa.at((same[0],), f"{', '.join(same)} are the same as in {other}; {why}", key=True)


def country_chart_countries_exist(p: Inputs) -> Iterator[Problem]:
    """Every country under country_charts has a country file."""
    if p.report:
        for cid in p.report.country_charts:
            if cid not in p.country_ids:
                yield p.report_file.at(
                    ("country_charts", cid), unknown("country", cid, p.country_ids), key=True
                )


def tagged_countries_are_in_the_report(p: Inputs) -> Iterator[Problem]:
    """Every country a takeaway, point, remark or focus headline names is one of the report's countries."""
    if not p.report:
        return
    listed = p.report.countries
    tags: list[tuple[KeyPath, list[str]]] = [
        (("takeaways", i, "countries"), t.countries)
        for i, t in enumerate(p.report.takeaways)
        if isinstance(t, Tagged)
    ]
    tags += [
        (("sections", i, "points", j, "countries"), pt.countries)
        for i, sd in enumerate(p.report.sections)
        for j, pt in enumerate(sd.points)
        if isinstance(pt, Tagged)
    ]
    tags += [
        (("methodology_remarks", i, "countries"), r.countries)
        for i, r in enumerate(p.report.methodology_remarks)
    ]
    for path, countries in tags:
        for k, cid in enumerate(countries):
            if cid not in listed:
                yield p.report_file.at((*path, k), unknown("country", cid, listed))
    owners: list[tuple[KeyPath, str]] = [
        (("country_takeaways", cid), cid) for cid in p.report.country_takeaways
    ]
    owners += [
        (("sections", i, "country_points", cid), cid)
        for i, sd in enumerate(p.report.sections)
        for cid in sd.country_points
    ]
    for path, cid in owners:
        if cid not in listed:
            yield p.report_file.at(path, unknown("country", cid, listed), key=True)
    for name, chart in p.report.charts.items():
        for cid in chart.focus_headline:
            if cid not in listed:
                yield p.report_file.at(
                    ("charts", name, "focus_headline", cid), unknown("country", cid, listed), key=True
                )


def context_sections_name_a_country(p: Inputs) -> Iterator[Problem]:
    """Every context section names a country that has a country file."""
    if p.report:
        for i, section in enumerate(p.report.sections):
            if section.kind != "context":
                continue
            if section.country is None:
                yield p.report_file.at(("sections", i), "a context section needs a country")
            elif section.country not in p.country_ids:
                yield p.report_file.at(
                    ("sections", i, "country"), unknown("country", section.country, p.country_ids)
                )
            elif section.country in p.countries:
                c, f = p.countries[section.country]
                if c.profile is None:
                    yield f.at(
                        (),
                        f"missing required key 'profile': the context section at {p.report_file.name}:"
                        f"{p.report_file.at(('sections', i), '').line} shows it",
                    )
                if not c.highlights:
                    yield f.at(
                        (),
                        f"missing required key 'highlights' (1 to 6): the context section at "
                        f"{p.report_file.name}:{p.report_file.at(('sections', i), '').line} shows them",
                    )


def listed_charts_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every chart a section, each_country or country_charts lists is defined under charts."""
    if not p.report:
        return
    listed: list[tuple[KeyPath, str]] = []
    for i, section in enumerate(p.report.sections):
        listed += [(("sections", i, "charts", j), chart) for j, chart in enumerate(section.charts)]
    listed += [(("each_country", j), chart) for j, chart in enumerate(p.report.each_country)]
    for cid, charts in p.report.country_charts.items():
        listed += [(("country_charts", cid, j), chart) for j, chart in enumerate(charts)]
    for path, chart in listed:
        if chart not in p.report.charts:
            yield p.report_file.at(path, unknown("chart", chart, p.report.charts))


def chart_indicators_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every chart's indicator is defined in data/indicators.yaml."""
    if p.report and p.indicators:
        for name, chart in p.report.charts.items():
            if chart.indicator and chart.indicator not in p.indicators.indicators:
                why = unknown("indicator", chart.indicator, p.indicators.indicators)
                yield p.report_file.at(("charts", name, "indicator"), why)


def comparison_indicators_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every indicator of the comparison table is defined in data/indicators.yaml and listed once."""
    if p.report and p.indicators:
        seen: set[str] = set()
        for i, iid in enumerate(p.report.comparison):
            if iid not in p.indicators.indicators:
                yield p.report_file.at(("comparison", i), unknown("indicator", iid, p.indicators.indicators))
            elif iid in seen:
                yield p.report_file.at(("comparison", i), f"'{iid}' is listed twice; list it once")
            seen.add(iid)


RULES: tuple[Rule, ...] = (
    country_names_fit,
    sources_are_defined,
    citations_are_defined,
    years_within_edition,
    indicators_are_defined,
    values_within_range,
    ranks_are_whole,
    status_follows_source_kind,
    incident_categories_are_defined,
    references_read_data,
    key_figures_read_data,
    discrepancies_point_at_the_data,
    discrepancies_show_a_listed_value,
    highlights_are_sourced,
    assessed_countries_exist,
    assessed_categories_are_defined,
    levels_are_labelled,
    assessments_follow_the_method,
    report_countries_are_focus,
    report_countries_are_listed_once,
    focus_countries_are_in_the_report,
    focus_countries_are_assessed,
    country_files_are_not_copies,
    country_chart_countries_exist,
    tagged_countries_are_in_the_report,
    context_sections_name_a_country,
    listed_charts_are_defined,
    chart_indicators_are_defined,
    comparison_indicators_are_defined,
    text_is_left_to_right,
)


def _drawn(report: ReportFile) -> list[tuple[str, str | None]]:
    """(chart id, the country it is drawn for, or None) for every chart the brief and the deck show."""
    focus = list(dict.fromkeys(report.countries))
    drawn: list[tuple[str, str | None]] = [(cid, None) for s in report.sections for cid in s.charts]
    drawn += [(cid, country) for country in focus for cid in report.each_country]
    drawn += [(cid, country) for country in focus for cid in report.country_charts.get(country, [])]
    return list(dict.fromkeys(drawn))


def charts_without_values(p: Inputs) -> Iterator[Problem]:
    """Warnings: a chart drawn for a country that has no values of its indicator (it would show
    the country as n/a, or an empty line)."""
    if not p.report:
        return
    for chart_id, country in _drawn(p.report):
        chart = p.report.charts.get(chart_id)
        focus = chart.country or country if chart else None
        if chart is None or chart.indicator is None or focus not in p.countries:
            continue
        if not p.countries[focus][0].indicators.get(chart.indicator):
            name = p.countries[focus][1].name
            yield p.report_file.at(
                ("charts", chart_id),
                f"drawn for {focus}, which has no values of {chart.indicator}: it would show as n/a; "
                f"add them under indicators: in {name} (or with `digibrief import`)",
                key=True,
            )


def focus_countries_without_figures(p: Inputs) -> Iterator[Problem]:
    """Warnings: a country of the report without its population or its 2 to 6 key figures, which its
    At a glance panel shows (a new project has neither until they are added)."""
    if not p.report:
        return
    for cid in dict.fromkeys(p.report.countries):
        if cid not in p.countries:
            continue
        c, f = p.countries[cid]
        if c.population is None:
            yield f.at(
                (), f"no population: add population: {{value, year, source}} for {cid}'s At a glance panel"
            )
        if len(c.key_figures) < 2:
            yield f.at(
                ("key_figures",) if "key_figures" in (f.located.value if f.located else {}) else (),
                f"{len(c.key_figures)} key figure(s): a focus country shows 2 to 6 under At a glance "
                "({indicator: ID} for an indicator's latest value, or {fact: ID})",
            )


def risks_needed(p: Inputs, present: bool) -> list[Problem]:
    """Without data/risks.yaml, nothing may need it: no risks section, risk matrix (heatmap) or incident."""
    if present:
        return []
    why = f"needs {p.risks_file.name} (its risk categories, levels and assessments), which is missing"
    found = []
    if p.report:
        for i, section in enumerate(p.report.sections):
            if section.kind == "risks":
                found.append(p.report_file.at(("sections", i, "kind"), f"a risks section {why}"))
        for name, chart in p.report.charts.items():
            if chart.kind == "heatmap":
                found.append(p.report_file.at(("charts", name, "kind"), f"a risk matrix {why}"))
    for c, f in p.countries.values():
        if c.incidents:
            found.append(f.at(("incidents",), f"an incident's category {why}"))
    return found


def missing_headlines(p: Inputs) -> Iterator[Problem]:
    """Warnings, not errors: each chart the brief shows that has no headline for a country it is drawn
    for (the deck would title its slide with the chart's label, and warn)."""
    if not p.report:
        return
    for chart_id, country in _drawn(p.report):
        chart = p.report.charts.get(chart_id)
        if chart is None or chart.headline_for(chart.country or country) is not None:
            continue
        if isinstance(chart.headline, dict):
            yield p.report_file.at(
                ("charts", chart_id, "headline"),
                f"no headline for {country}: its slide would be titled '{chart.title}'; add {country}: with "
                "the chart's finding in a sentence",
            )
        else:
            yield p.report_file.at(
                ("charts", chart_id),
                f"no headline: its slide would be titled '{chart.title}'; add headline: with the chart's finding",
                key=True,
            )


def countries_without_takeaways(p: Inputs) -> Iterator[Problem]:
    """Warnings: a focus country whose brief of its own (build --per-country) would have no takeaway,
    since none is tagged with it alone and it has none under country_takeaways."""
    if not p.report or len(p.report.countries) < 2:
        return
    for cid in dict.fromkeys(p.report.countries):
        if not takeaways(p.report, [cid]):
            yield p.report_file.at(
                ("takeaways",),
                f"{cid}'s own brief (build --per-country) would have no takeaways: give it its own under "
                f"country_takeaways: {cid}:, or tag a takeaway with countries: [{cid}]",
                key=True,
            )


def check_references(inputs: Inputs) -> list[Problem]:
    """Run every rule in RULES, in order, and return every problem they find, each located."""
    return _one_message_per_mistake(inputs, [problem for rule in RULES for problem in rule(inputs)])


_ABOUT_COUNTRY = re.compile(r"\b(?:no|unknown) country '([A-Z]{3})'")


def _one_message_per_mistake(p: Inputs, problems: list[Problem]) -> list[Problem]:
    """A country whose file is missing, or broken (it reports its own problems), is one problem, not one
    per reference to it: the references are counted, once, at the country's file."""
    broken = p.country_ids - set(p.countries)
    listed = (
        {cid: p.report_file.at(("countries", i), "") for i, cid in enumerate(p.report.countries)}
        if p.report
        else {}
    )
    missing = {cid for cid in listed if cid not in p.country_ids}
    skipped: Counter[str] = Counter()
    kept = []
    for problem in problems:
        about = _ABOUT_COUNTRY.search(problem.message)
        if about and about.group(1) in broken | missing:
            skipped[about.group(1)] += 1
        else:
            kept.append(problem)
    for cid in sorted(broken | missing):
        name = f"{p.countries_folder}/{cid.lower()}.yaml"
        if cid in missing:
            others = skipped[cid] - 1  # the listing in report.yaml is the problem itself
            where = listed[cid]
            said = f"missing (listed at {where.file}:{where.line})"
            if others:
                said += f"; {_references(others)} to {cid} elsewhere were not checked"
            kept.append(Problem(name, 0, 0, "", said))
        elif skipped[cid]:
            said = f"{_references(skipped[cid])} to {cid} in other files were not checked until this file is valid"
            kept.append(Problem(name, 0, 0, "", said))
    return kept


def _references(n: int) -> str:
    return f"{n} reference" + ("" if n == 1 else "s")
