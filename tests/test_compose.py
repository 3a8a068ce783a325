"""Compose: the document says what the data says, in the report's order, with every figure cited."""

from __future__ import annotations

import dataclasses

import pytest

from digibrief.document.compose import compose
from digibrief.document.types import Figure, KeyFigures, References, Table


@pytest.fixture(scope="module")
def project(shipped_project):
    """The shipped project, loaded once per session."""
    return shipped_project


def test_sections_follow_the_report_order_with_one_per_focus_country(project):
    doc = compose(project)
    kinds = [s.id.split("-")[0] for s in doc.sections]
    assert kinds[:4] == ["cover", "takeaways", "contents", "overview"]
    assert [s.country for s in doc.sections if s.id.startswith("country-")] == list(project.report.countries)
    assert kinds[-4:] == ["risks", "context", "outlook", "methodology"]


def test_countries_option_limits_country_sections_but_keeps_regional_charts(project):
    doc = compose(project, countries=["UZB"])
    assert [s.country for s in doc.sections if s.id.startswith("country-")] == ["UZB"]
    overview = next(s for s in doc.sections if s.id == "overview")
    egdi = next(b for b in overview.blocks if isinstance(b, Figure) and b.chart.kind == "index_by_year")
    assert len(egdi.chart.series) == 5


def test_every_figure_has_alt_text_source_line_and_citations(project):
    doc = compose(project)
    for fig in doc.figures():
        assert fig.chart.alt.endswith(".") and len(fig.chart.alt) > 40, fig.chart.id
        assert fig.chart.source_line.startswith("Source"), fig.chart.id
        assert fig.cite, fig.chart.id


def test_every_citation_number_has_a_reference_and_references_are_numbered_in_order(project):
    doc = compose(project)
    numbers = {r.number for r in doc.references}
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    refs = next(b for s in doc.sections for b in s.blocks if isinstance(b, References))
    assert refs.items == doc.references
    used = set()
    for s in doc.sections:
        for b in s.blocks:
            for n in getattr(b, "cite", ()):
                used.add(n)
            if isinstance(b, KeyFigures):
                used |= {n for k in b.items for n in k.fact.cite}
            if isinstance(b, Table):
                used |= {n for row in b.rows for cell in row for r in cell for n in r.cite}
    assert used <= numbers


def test_key_figures_show_year_and_status(project):
    doc = compose(project)
    kaz = next(s for s in doc.sections if s.country == "KAZ")
    panel = next(b for b in kaz.blocks if isinstance(b, KeyFigures))
    ecommerce = next(k.fact for k in panel.items if "230" in k.fact.display)
    assert ecommerce.period == "2021" and ecommerce.status == "reported" and ecommerce.cite
    leaks = next(k.fact for k in panel.items if "11 million" in k.fact.display)
    assert leaks.period == "2018\u20132020"


def test_a_discrepancy_is_shown_where_the_country_is_discussed(project):
    doc = compose(project)
    uzb = next(s for s in doc.sections if s.country == "UZB")
    callouts = [b for b in uzb.blocks if type(b).__name__ == "Callout"]
    assert any("disagree" in c.title for c in callouts)


def test_adding_a_country_adds_it_to_every_comparison_chart(project):
    base = project.countries["KGZ"]
    extra = base.model_copy(update={"id": "AZE", "name": "Azerbaijan", "role": "context"})
    bigger = project.model_copy(update={"countries": {**project.countries, "AZE": extra}})
    doc = compose(bigger)
    for fig in doc.figures():
        if fig.chart.kind in ("index_by_year", "trend", "peer_bar") and not fig.chart.id.startswith(
            ("tjk-", "uzb-ai", "kaz-egdi")
        ):
            assert "AZE" in {s.key for s in fig.chart.series}, fig.chart.id


def test_notes_exist_for_every_content_section(project):
    doc = compose(project)
    for s in doc.sections:
        if s.role not in ("cover", "contents"):
            assert s.notes and all(n.strip() for n in s.notes), s.id


def test_document_is_deterministic(project):
    assert compose(project) == compose(project)
    assert dataclasses.asdict(compose(project, epoch=0))["meta"]["epoch"] == 0


def test_alt_text_names_the_extremes(project):
    doc = compose(project)
    trend = next(f for f in doc.figures() if f.chart.id == "internet-users")
    assert "Kazakhstan 92.9% (2023)" in trend.chart.alt
    assert "Turkmenistan 21.3% (2017)" in trend.chart.alt


def test_missing_values_stay_missing_not_zero(project):
    doc = compose(project)
    trend = next(f for f in doc.figures() if f.chart.id == "internet-users")
    tjk = next(s for s in trend.chart.series if s.key == "TJK")
    assert {p.year: p.value for p in tjk.points}[2018] is None
