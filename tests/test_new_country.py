"""A new country looks native: a context country needs only what its sections show, and a chart drawn
for a country without values of its indicator is a located warning, in check as in build."""

from __future__ import annotations

import re

import pytest

from digibrief.errors import InputError
from digibrief.project.load import load

from .conftest import replace_in, run_cli, with_each_country_chart


def test_a_context_country_needs_no_profile_or_highlights_until_a_section_shows_it(project_copy):
    made = run_cli("new", "country", "AFG", "--name", "Afghanistan", "--role", "context", cwd=project_copy)
    assert made.returncode == 0, made.stderr
    path = project_copy / "data" / "countries" / "afg.yaml"
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(?m)^(profile|highlights):", text)
    text = re.sub(r'"TODO: the capital[^"]*"', "Kabul", text)
    text = re.sub(r'\{value: "TODO[^}]*\}', "{value: 40099462, year: 2021, source: OWID_UNWPP2022_POP}", text)
    path.write_text(text, encoding="utf-8")
    project = load(project_copy / "data", project_copy / "report")
    assert project.countries["AFG"].profile is None and project.countries["AFG"].highlights == []
    report = project_copy / "report" / "report.yaml"
    replace_in(report, "country: TKM", "country: AFG")
    with pytest.raises(InputError) as err:
        load(project_copy / "data", project_copy / "report")
    said = [str(p) for p in err.value.problems]
    assert any(
        re.search(
            r"data/countries/afg\.yaml:\d+:\d+: missing required key 'profile': the context section at "
            r".*report/report\.yaml:\d+ shows it",
            s,
        )
        for s in said
    ), said


def test_a_chart_drawn_for_a_country_without_values_is_a_located_warning(project_copy):
    # the chart drawn for each country now shows an indicator Kyrgyzstan and Tajikistan have no values of
    replace_in(
        with_each_country_chart(project_copy),
        "    indicator: egdi_score\n    year: 2024",
        "    indicator: ai_readiness_rank\n    year: 2024",
    )
    checked = run_cli("check", "--strict", cwd=project_copy)
    assert checked.returncode == 3, checked.stderr
    for country in ("KGZ", "TJK"):
        assert re.search(
            rf"report/report\.yaml:\d+:\d+: charts\.peer_egdi: drawn for {country}, which has no values of "
            r"ai_readiness_rank: it would show as n/a",
            checked.stderr,
        ), checked.stderr
