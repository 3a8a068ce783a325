"""The overview's comparison table shows the indicators report.yaml lists under comparison:, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from digibrief.document.compose import compose, headed
from digibrief.document.types import Table
from digibrief.errors import InputError
from digibrief.project.load import load

from .conftest import replace_in


def overview_table(project) -> Table | None:
    doc = compose(project)
    overview = next(s for s in doc.sections if s.id == "overview")
    tables = [b for b in overview.blocks if isinstance(b, Table)]
    return tables[0] if tables else None


def with_comparison(project, ids: list[str]):
    return project.model_copy(update={"report": project.report.model_copy(update={"comparison": ids})})


def test_the_table_shows_the_listed_indicators_in_their_order(shipped_project):
    table = overview_table(with_comparison(shipped_project, ["internet_users", "egdi_rank"]))
    assert table is not None
    names = shipped_project.indicators
    # each header names its indicator with its unit
    assert table.columns[1:] == tuple(
        f"{names[i].name} ({names[i].unit_label})" for i in ("internet_users", "egdi_rank")
    )


def test_an_indicator_outside_the_charts_can_be_compared(shipped_project):
    charted = {c.indicator for c in shipped_project.report.charts.values()}
    extra = next(i for i in shipped_project.indicators if i not in charted)
    table = overview_table(with_comparison(shipped_project, [extra]))
    ind = shipped_project.indicators[extra]
    assert table is not None and table.columns[1:] == (headed(ind.name, ind.unit_label),)
    assert "((" not in table.columns[1] and "))" not in table.columns[1]  # one pair of brackets


def test_no_list_means_no_table(shipped_project):
    assert overview_table(with_comparison(shipped_project, [])) is None


def test_the_shipped_report_lists_the_comparison(shipped_project):
    assert shipped_project.report.comparison[:2] == ["egdi_rank", "egdi_score"]


def test_an_unknown_indicator_is_refused_at_its_place(project_copy: Path):
    replace_in(
        project_copy / "report" / "report.yaml",
        "comparison: [egdi_rank,",
        "comparison: [egdi_rank, mobile_sub,",
    )
    with pytest.raises(InputError) as info:
        load(project_copy / "data", project_copy / "report")
    [problem] = info.value.problems
    assert problem.path == "comparison.1" and problem.line > 0
    assert "unknown indicator 'mobile_sub'; did you mean 'mobile_subs'?" in problem.message
