"""Rules that span files: every id must exist, every value must fit its indicator."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from digibrief.project.model import Country, IndicatorsFile, ReportFile, RisksFile, SourcesFile
from digibrief.syntax import cited_ids

if TYPE_CHECKING:
    from digibrief.project.load import _File


def _unknown(kind: str, name: str, known: list[str] | set[str]) -> str:
    hint = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"unknown {kind} '{name}'" + (f"; did you mean '{hint[0]}'?" if hint else "")


def check_references(
    sources: SourcesFile | None,
    indicators: IndicatorsFile | None,
    risks: RisksFile | None,
    report: ReportFile | None,
    countries: dict[str, tuple[Country, _File]],
    known_ids: set[str],
    sources_f: _File,
    indicators_f: _File,
    risks_f: _File,
    report_f: _File,
) -> None:
    """Append a located problem for every dangling id and every out-of-range value."""
    source_ids = set(sources.sources) if sources else None
    categories = set(risks.categories) if risks else None
    last_year = int(report.edition[:4]) if report else None

    def src(f: _File, path: tuple, sid: str) -> None:
        if source_ids is not None and sid not in source_ids:
            f.problem(path, _unknown("source id", sid, source_ids) + " (define it in data/sources.yaml)")

    def year_ok(f: _File, path: tuple, year: int | None) -> None:
        if year is not None and last_year is not None and year > last_year:
            f.problem(path, f"year {year} is after the report's edition year {last_year}")

    if indicators:
        for iid, ind in indicators.indicators.items():
            src(indicators_f, ("indicators", iid, "source"), ind.source)

    def prose(f: _File, path: tuple, text: str) -> None:
        for sid in cited_ids(text):
            if source_ids is not None and sid not in source_ids:
                f.problem(path, _unknown("source id", sid, source_ids) + " in a citation [ID]")

    for c, f in countries.values():
        prose(f, ("profile",), c.profile)
        for i, h in enumerate(c.highlights):
            prose(f, ("highlights", i, "text"), h.text)
        src(f, ("population", "source"), c.population.source)
        year_ok(f, ("population", "year"), c.population.year)
        for i, h in enumerate(c.highlights):
            for j, sid in enumerate(h.sources):
                src(f, ("highlights", i, "sources", j), sid)
        for i, k in enumerate(c.key_figures):
            src(f, ("key_figures", i, "source"), k.source)
            year_ok(f, ("key_figures", i, "year"), k.year_end or k.year)
        for iid, series in c.indicators.items():
            ind = indicators.indicators.get(iid) if indicators else None
            if indicators and ind is None:
                f.problem(
                    ("indicators", iid), _unknown("indicator", iid, set(indicators.indicators)), key=True
                )
            for year, point in series.items():
                path = ("indicators", iid, year)
                src(f, (*path, "source"), point.source)
                year_ok(f, path, year)
                if ind is not None:
                    low, high = ind.range
                    if not low <= point.value <= high:
                        f.problem(
                            (*path, "value"),
                            f"expected a number between {low:g} and {high:g}, got {point.value:g}",
                        )
                    if ind.unit == "rank" and point.value != int(point.value):
                        f.problem((*path, "value"), f"a rank is a whole number, got {point.value:g}")
        for i, m in enumerate(c.milestones):
            src(f, ("milestones", i, "source"), m.source)
            year_ok(f, ("milestones", i, "year"), m.year)
        for i, inc in enumerate(c.incidents):
            src(f, ("incidents", i, "source"), inc.source)
            year_ok(f, ("incidents", i, "year"), inc.year)
            if categories is not None and inc.category not in categories:
                f.problem(("incidents", i, "category"), _unknown("risk category", inc.category, categories))
        for i, d in enumerate(c.discrepancies):
            for j, v in enumerate(d.values):
                src(f, ("discrepancies", i, "values", j, "source"), v.source)
            if d.shown not in {v.source for v in d.values}:
                f.problem(
                    ("discrepancies", i, "shown"),
                    f"'{d.shown}' is not the source of any of the values listed",
                )

    if risks:
        for cid, row in risks.assessments.items():
            if cid not in known_ids:
                risks_f.problem(("assessments", cid), _unknown("country", cid, known_ids), key=True)
            for cat, a in row.items():
                if cat not in risks.categories:
                    risks_f.problem(
                        ("assessments", cid, cat), _unknown("risk category", cat, categories), key=True
                    )
                for j, sid in enumerate(a.sources):
                    src(risks_f, ("assessments", cid, cat, "sources", j), sid)
        missing_levels = {0, 1, 2, 3} - set(risks.levels)
        if missing_levels:
            risks_f.problem(("levels",), f"missing a label for level(s) {sorted(missing_levels)}")

    if report:
        for i, t in enumerate(report.takeaways):
            prose(report_f, ("takeaways", i), t)
        for i, sd in enumerate(report.sections):
            prose(report_f, ("sections", i, "intro"), sd.intro or "")
        prose(report_f, ("methodology",), report.methodology)
        _check_report(report, report_f, countries, known_ids, indicators)


def _check_report(
    report: ReportFile,
    f: _File,
    countries: dict[str, tuple[Country, _File]],
    known: set[str],
    indicators: IndicatorsFile | None,
) -> None:
    for i, cid in enumerate(report.countries):
        if cid not in known:
            f.problem(("countries", i), _unknown("country", cid, known))
        elif cid in countries and countries[cid][0].role != "focus":
            f.problem(("countries", i), f"'{cid}' has role 'context'; only focus countries get a section")
    for cid in report.country_charts:
        if cid not in known:
            f.problem(("country_charts", cid), _unknown("country", cid, known), key=True)
    for i, section in enumerate(report.sections):
        if section.kind == "context":
            if section.country is None:
                f.problem(("sections", i), "a context section needs a country")
            elif section.country not in known:
                f.problem(("sections", i, "country"), _unknown("country", section.country, known))
        for j, chart in enumerate(section.charts):
            if chart not in report.charts:
                f.problem(("sections", i, "charts", j), _unknown("chart", chart, set(report.charts)))
    for j, chart in enumerate(report.each_country):
        if chart not in report.charts:
            f.problem(("each_country", j), _unknown("chart", chart, set(report.charts)))
    for cid, charts in report.country_charts.items():
        for j, chart in enumerate(charts):
            if chart not in report.charts:
                f.problem(("country_charts", cid, j), _unknown("chart", chart, set(report.charts)))
    if indicators:
        for cid, chart in report.charts.items():
            if chart.indicator and chart.indicator not in indicators.indicators:
                f.problem(
                    ("charts", cid, "indicator"),
                    _unknown("indicator", chart.indicator, set(indicators.indicators)),
                )
