"""The cross-file rules: every rule in the table runs, and each broken once gives one located problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digibrief.errors import InputError, Problem
from digibrief.project.load import load
from digibrief.project.rules import RULES

# One edit per rule to a copy of the shipped project: (file, text to replace, replacement, what the
# problem must say). Each edit breaks its rule once and no other rule.
BREAKS: dict[str, tuple[str, str, str, str]] = {
    "sources_are_defined": (
        "data/countries/kgz.yaml",
        "source: OWID_UNWPP2022_POP}",
        "source: OWID_UNWPP2022_POX}",
        "population.source: unknown source id 'OWID_UNWPP2022_POX'; did you mean 'OWID_UNWPP2022_POP'? "
        "(define it in data/sources.yaml)",
    ),
    "citations_are_defined": (
        "report/report.yaml",
        "[SEED_GNV_2024] and on",
        "[SEED_GNV_2042] and on",
        "methodology: unknown source id 'SEED_GNV_2042'; did you mean 'SEED_GNV_2024'? in a citation [ID]",
    ),
    "years_within_edition": (
        "data/countries/kgz.yaml",
        "{year: 2024, month: 1, title: Project top-up",
        "{year: 2030, month: 1, title: Project top-up",
        "milestones.3.year: year 2030 is after the report's edition year 2026",
    ),
    "indicators_are_defined": (
        "data/countries/kgz.yaml",
        "  gci_score:\n    2020:",
        "  gci_scores:\n    2020:",
        "indicators.gci_scores: unknown indicator 'gci_scores'; did you mean 'gci_score'?",
    ),
    "values_within_range": (
        "data/countries/kgz.yaml",
        "2022: {value: 79.7703",
        "2022: {value: 120",
        "indicators.internet_users.2022.value: expected a number between 0 and 100, got 120",
    ),
    "ranks_are_whole": (
        "data/countries/kgz.yaml",
        "2024: {value: 78, source: UNDESA_EGDI_2024_CSV}",
        "2024: {value: 78.5, source: UNDESA_EGDI_2024_CSV}",
        "indicators.egdi_rank.2024.value: a rank is a whole number, got 78.5",
    ),
    "incident_categories_are_defined": (
        "data/countries/kgz.yaml",
        "category: connectivity_gaps\n    title: Cost",
        "category: connectivity_gap\n    title: Cost",
        "incidents.0.category: unknown risk category 'connectivity_gap'; did you mean 'connectivity_gaps'?",
    ),
    "discrepancies_show_a_listed_value": (
        "data/countries/kgz.yaml",
        "shown: OWID_ITU_INTERNET_2025",
        "shown: OWID_ITU_BROADBAND_2024",
        "discrepancies.0.shown: 'OWID_ITU_BROADBAND_2024' is not the source of any of the values listed",
    ),
    "assessed_countries_exist": (
        "data/risks.yaml",
        "  TJK:\n    surveillance",
        "  TJX:\n    surveillance",
        "assessments.TJX: unknown country 'TJX'; did you mean 'TJK'?",
    ),
    "assessed_categories_are_defined": (
        "data/risks.yaml",
        "  KAZ:\n    surveillance:",
        "  KAZ:\n    surveilance:",
        "assessments.KAZ.surveilance: unknown risk category 'surveilance'; did you mean 'surveillance'?",
    ),
    "levels_are_labelled": (
        "data/risks.yaml",
        ", 3: High}",
        "}",
        "levels: missing a label for level(s) [3]",
    ),
    "report_countries_are_focus": (
        "report/report.yaml",
        "countries: [KAZ, UZB, KGZ, TJK]",
        "countries: [KAZ, UZB, KGZ, TJK, TKM]",
        "countries.4: 'TKM' has role 'context'; only focus countries get a section",
    ),
    "country_chart_countries_exist": (
        "report/report.yaml",
        "  TJK: [tjk_online]",
        "  TJX: [tjk_online]",
        "country_charts.TJX: unknown country 'TJX'; did you mean 'TJK'?",
    ),
    "context_sections_name_a_country": (
        "report/report.yaml",
        "    country: TKM\n    charts: [tkm_internet]",
        "    country: TKX\n    charts: [tkm_internet]",
        "sections.6.country: unknown country 'TKX'; did you mean 'TKM'?",
    ),
    "listed_charts_are_defined": (
        "report/report.yaml",
        "each_country: [peer_egdi]",
        "each_country: [peer_egdx]",
        "each_country.0: unknown chart 'peer_egdx'; did you mean 'peer_egdi'?",
    ),
    "chart_indicators_are_defined": (
        "report/report.yaml",
        "indicator: ai_readiness_rank",
        "indicator: ai_readiness_rnk",
        "charts.uzb_ai_rank.indicator: unknown indicator 'ai_readiness_rnk'; did you mean 'ai_readiness_rank'?",
    ),
}


def break_rule(root: Path, rule: str) -> None:
    file, old, new, _ = BREAKS[rule]
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load(root / "data", root / "report")
    return info.value.problems


def test_every_rule_in_the_table_is_broken_here_and_has_a_one_line_docstring():
    names = [rule.__name__ for rule in RULES]
    assert len(names) == len(set(names))
    assert set(names) == set(BREAKS), "add a break to BREAKS for each new rule"
    for rule in RULES:
        doc = (rule.__doc__ or "").strip()
        assert doc and "\n" not in doc, f"{rule.__name__} needs a one-line docstring"


@pytest.mark.parametrize("rule", [rule.__name__ for rule in RULES])
def test_breaking_a_rule_once_gives_one_located_problem(project_copy: Path, rule: str):
    break_rule(project_copy, rule)
    [problem] = problems_of(project_copy)
    file, _, _, says = BREAKS[rule]
    assert problem.file.endswith(file)
    assert problem.line > 0 and problem.col > 0
    assert f"{problem.path}: {problem.message}" == says


def test_breaking_every_rule_at_once_gives_one_located_problem_per_rule(project_copy: Path):
    for rule in RULES:
        break_rule(project_copy, rule.__name__)
    found = problems_of(project_copy)
    assert sorted(f"{p.path}: {p.message}" for p in found) == sorted(says for *_, says in BREAKS.values())
    assert all(re.fullmatch(r".+:\d+:\d+: .+", str(p)) and p.line > 0 for p in found)
