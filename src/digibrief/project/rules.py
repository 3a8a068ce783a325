"""The rules that span files, one small function each, run in the order of the RULES table.

pydantic checks each file on its own; these rules check what one file says about another (every id
must exist, every value must fit its indicator). A rule whose file failed validation is skipped, so
a broken file gives its own problems rather than a cascade of unknown ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from digibrief.errors import Problem
from digibrief.project.files import YamlFile, unknown
from digibrief.project.model import (
    Country,
    Indicator,
    IndicatorsFile,
    Point,
    ReportFile,
    RisksFile,
    SourcesFile,
)
from digibrief.project.yamlsource import KeyPath
from digibrief.syntax import cited_ids


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


Rule = Callable[[Inputs], Iterator[Problem]]


# --- what the rules walk over ------------------------------------------------------------------------


def _source_fields(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, str]]:
    """Every field that names a source, with its file and key path."""
    if p.indicators:
        for iid, ind in p.indicators.indicators.items():
            yield p.indicators_file, ("indicators", iid, "source"), ind.source
    for c, f in p.countries.values():
        yield f, ("population", "source"), c.population.source
        for i, h in enumerate(c.highlights):
            for j, sid in enumerate(h.sources):
                yield f, ("highlights", i, "sources", j), sid
        for i, k in enumerate(c.key_figures):
            yield f, ("key_figures", i, "source"), k.source
        for iid, series in c.indicators.items():
            for year, point in series.items():
                yield f, ("indicators", iid, year, "source"), point.source
        for i, m in enumerate(c.milestones):
            yield f, ("milestones", i, "source"), m.source
        for i, inc in enumerate(c.incidents):
            yield f, ("incidents", i, "source"), inc.source
        for i, d in enumerate(c.discrepancies):
            for j, v in enumerate(d.values):
                yield f, ("discrepancies", i, "values", j, "source"), v.source
    if p.risks:
        for cid, row in p.risks.assessments.items():
            for cat, a in row.items():
                for j, sid in enumerate(a.sources):
                    yield p.risks_file, ("assessments", cid, cat, "sources", j), sid


def _prose(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, str]]:
    """Every text that may cite sources as [ID], with its file and key path."""
    for c, f in p.countries.values():
        yield f, ("profile",), c.profile
        for i, h in enumerate(c.highlights):
            yield f, ("highlights", i, "text"), h.text
    if p.report:
        for i, t in enumerate(p.report.takeaways):
            yield p.report_file, ("takeaways", i), t
        for i, sd in enumerate(p.report.sections):
            yield p.report_file, ("sections", i, "intro"), sd.intro or ""
        yield p.report_file, ("methodology",), p.report.methodology


def _years(p: Inputs) -> Iterator[tuple[YamlFile, KeyPath, int | None]]:
    """Every year a country figure is dated by, with its file and key path."""
    for c, f in p.countries.values():
        yield f, ("population", "year"), c.population.year
        for i, k in enumerate(c.key_figures):
            yield f, ("key_figures", i, "year"), k.year_end or k.year
        for iid, series in c.indicators.items():
            for year in series:
                yield f, ("indicators", iid, year), year
        for i, m in enumerate(c.milestones):
            yield f, ("milestones", i, "year"), m.year
        for i, inc in enumerate(c.incidents):
            yield f, ("incidents", i, "year"), inc.year


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
        for f, path, text in _prose(p):
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


def incident_categories_are_defined(p: Inputs) -> Iterator[Problem]:
    """Every incident's category is a risk category in data/risks.yaml."""
    if p.risks:
        for c, f in p.countries.values():
            for i, inc in enumerate(c.incidents):
                if inc.category not in p.risks.categories:
                    why = unknown("risk category", inc.category, p.risks.categories)
                    yield f.at(("incidents", i, "category"), why)


def discrepancies_show_a_listed_value(p: Inputs) -> Iterator[Problem]:
    """The source a discrepancy shows is the source of one of its values."""
    for c, f in p.countries.values():
        for i, d in enumerate(c.discrepancies):
            if d.shown not in {v.source for v in d.values}:
                yield f.at(
                    ("discrepancies", i, "shown"),
                    f"'{d.shown}' is not the source of any of the values listed",
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


def country_chart_countries_exist(p: Inputs) -> Iterator[Problem]:
    """Every country under country_charts has a country file."""
    if p.report:
        for cid in p.report.country_charts:
            if cid not in p.country_ids:
                yield p.report_file.at(
                    ("country_charts", cid), unknown("country", cid, p.country_ids), key=True
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


RULES: tuple[Rule, ...] = (
    sources_are_defined,
    citations_are_defined,
    years_within_edition,
    indicators_are_defined,
    values_within_range,
    ranks_are_whole,
    incident_categories_are_defined,
    discrepancies_show_a_listed_value,
    assessed_countries_exist,
    assessed_categories_are_defined,
    levels_are_labelled,
    report_countries_are_focus,
    country_chart_countries_exist,
    context_sections_name_a_country,
    listed_charts_are_defined,
    chart_indicators_are_defined,
)


def check_references(inputs: Inputs) -> list[Problem]:
    """Run every rule in RULES, in order, and return every problem they find, each located."""
    return [problem for rule in RULES for problem in rule(inputs)]
