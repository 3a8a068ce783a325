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
    "country_names_fit": (
        "data/countries/kgz.yaml",
        "name: Kyrgyzstan",
        "name: " + "Kyrgyz Republic " * 5,
        "name: a country name may have at most 60 characters, as charts label lanes and lines with it; "
        "this one has 79. Give the short name here",
    ),
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
        "  mobile_subs:\n    2010:",
        "  mobile_sub:\n    2010:",
        "indicators.mobile_sub: unknown indicator 'mobile_sub'; did you mean 'mobile_subs'?",
    ),
    "values_within_range": (
        "data/countries/kgz.yaml",
        "2021: {value: 74.6424",
        "2021: {value: 120",
        "indicators.internet_users.2021.value: expected a number between 0 and 100, got 120",
    ),
    "ranks_are_whole": (
        "data/countries/kgz.yaml",
        "2024: {value: 78, source: UNDESA_EGDI_2024_CSV}",
        "2024: {value: 78.5, source: UNDESA_EGDI_2024_CSV}",
        "indicators.egdi_rank.2024.value: a rank is a whole number, got 78.5",
    ),
    "status_follows_source_kind": (
        "data/countries/kgz.yaml",
        "2020: {value: 49.64, source: NEWS_PIVOT_GCI2020, status: reported}",
        "2020: {value: 49.64, source: NEWS_PIVOT_GCI2020}",
        "indicators.gci_score.2020: NEWS_PIVOT_GCI2020 is a news source (kind: news in data/sources.yaml), so a "
        "figure taken from it is at best reported: write status: reported, or unverified if sources conflict",
    ),
    "incident_categories_are_defined": (
        "data/countries/kgz.yaml",
        "category: connectivity_gaps\n    title: Cost",
        "category: connectivity_gap\n    title: Cost",
        "incidents.0.category: unknown risk category 'connectivity_gap'; did you mean 'connectivity_gaps'?",
    ),
    "references_read_data": (
        "data/countries/kgz.yaml",
        "note: Cumulative by 2021, as reported.",
        "note: Cumulative by {KGZ egdi_rank 2030}.",
        "key_figures.0.note: {KGZ egdi_rank 2030}: KGZ has no egdi_rank value for 2030 "
        "(it has 2016, 2018, 2020, 2022, 2024)",
    ),
    "key_figures_read_data": (
        "data/countries/kgz.yaml",
        "  - indicator: egdi_rank\n    year: 2024",
        "  - indicator: egdi_rank\n    year: 2023",
        "key_figures.4.indicator: KGZ has no egdi_rank value for 2023 (it has 2016, 2018, 2020, 2022, 2024)",
    ),
    "discrepancies_point_at_the_data": (
        "data/countries/kgz.yaml",
        "      - {year: 2022}\n    shown",
        "      - {value: 79.7703, year: 2022, source: OWID_ITU_INTERNET_2025}\n    shown",
        "discrepancies.0.values.1.value: copies the internet_users value for 2022 from OWID_ITU_INTERNET_2025; "
        "write `year: 2022` without value and source, so the note follows the data",
    ),
    "highlights_are_sourced": (
        "data/countries/kgz.yaml",
        "\nhighlights:\n",
        "\nhighlights:\n  - text: Nothing here says where it comes from.\n",
        "highlights.0: a highlight needs a source: list it under sources or cite it as [ID]",
    ),
    "discrepancies_show_a_listed_value": (
        "data/countries/kgz.yaml",
        "shown: OWID_ITU_INTERNET_2025",
        "shown: OWID_ITU_BROADBAND_2024",
        "discrepancies.0.shown: 'OWID_ITU_BROADBAND_2024' is not the source of any of the values listed "
        "(OWID_ITU_INTERNET_2025, SEED_GNV_2024)",
    ),
    "assessed_countries_exist": (
        "data/risks.yaml",
        "assessments:\n",
        "assessments:\n  TJX: {}\n",
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
    "assessments_follow_the_method": (
        "data/risks.yaml",
        "    surveillance: {level: null, rationale: The sources used hold no evidence on this risk for Kyrgyzstan., "
        "sources: []}",
        "    surveillance: {level: null, rationale: The sources used hold no evidence on this risk for Kyrgyzstan., "
        "sources: [SEED_GNV_2024]}",
        "assessments.KGZ.surveillance.level: 'Not assessed' (level: null) means the sources hold no evidence, "
        "but this cell cites some: rate it by the method, or remove the sources",
    ),
    "report_countries_are_focus": (  # reported in report/report.yaml (see REPORTED_IN)
        "data/countries/kgz.yaml",
        "role: focus",
        "role: context",
        "countries.2: 'KGZ' has role 'context'; only focus countries get a section",
    ),
    "report_countries_are_listed_once": (
        "report/report.yaml",
        "TJK]   # order",
        "TJK, KAZ]   # order",
        "countries.4: 'KAZ' is listed twice (also item 1); list it once",
    ),
    "focus_countries_are_in_the_report": (
        "data/countries/tkm.yaml",
        "role: context",
        "role: focus",
        "role: TKM is a focus country but is not listed under countries: in report.yaml, so it would get no "
        "section; add it there, or set role: context",
    ),
    "focus_countries_are_assessed": (
        "data/risks.yaml",
        "    data_leaks: {level: null, rationale: The sources used hold no evidence on this risk for Kyrgyzstan., "
        "sources: []}\n",
        "",
        "assessments.KGZ: no level for data_leaks; give each category a level "
        "(level: null where the sources say nothing)",
    ),
    "country_files_are_not_copies": (
        "data/countries/mng.yaml",
        "",  # a new file: a copy of kaz.yaml with only its id, name and role changed
        "data/countries/kaz.yaml",
        "population: population, profile, highlights, key_figures, indicators are the same as in kaz.yaml "
        "(Kazakhstan); was this file copied from kaz.yaml? Rewrite them for Mongolia",
    ),
    "country_chart_countries_exist": (
        "report/report.yaml",
        "  TJK: [tjk_egdi_rank, tjk_online]",
        "  TJX: [tjk_egdi_rank, tjk_online]",
        "country_charts.TJX: unknown country 'TJX'; did you mean 'TJK'?",
    ),
    "tagged_countries_are_in_the_report": (
        "report/report.yaml",
        "  - countries: [KAZ]\n    text:",
        "  - countries: [KAX]\n    text:",
        "takeaways.0.countries.0: unknown country 'KAX'; did you mean 'KAZ'?",
    ),
    "context_sections_name_a_country": (
        "report/report.yaml",
        "    country: TKM\n    charts: [tkm_internet]",
        "    country: TKX\n    charts: [tkm_internet]",
        "sections.6.country: unknown country 'TKX'; did you mean 'TKM'?",
    ),
    "listed_charts_are_defined": (
        "report/report.yaml",
        "  KAZ: [kaz_egdi_rank, kaz_broadband]",
        "  KAZ: [kaz_egdi_rnk, kaz_broadband]",
        "country_charts.KAZ.0: unknown chart 'kaz_egdi_rnk'; did you mean 'kaz_egdi_rank'?",
    ),
    "comparison_indicators_are_defined": (
        "report/report.yaml",
        "comparison: [egdi_rank,",
        "comparison: [egdi_rnk,",
        "comparison.0: unknown indicator 'egdi_rnk'; did you mean 'egdi_rank'?",
    ),
    "chart_indicators_are_defined": (
        "report/report.yaml",
        "indicator: ai_readiness_rank",
        "indicator: ai_readiness_rnk",
        "charts.uzb_ai_rank.indicator: unknown indicator 'ai_readiness_rnk'; did you mean 'ai_readiness_rank'?",
    ),
    "text_is_left_to_right": (
        "data/countries/tjk.yaml",
        "capital: Dushanbe",
        "capital: Dushanbe \u062f\u0648\u0634\u0646\u0628\u0647",
        "capital: right-to-left text (Arabic '\u062f', U+062F) cannot be set: the PDF has no right-to-left "
        "layout, so it would print mirrored; give the text in a left-to-right script (e.g. a transliteration)",
    ),
}


# Where a break's problem is reported when that is not the file the break edits.
REPORTED_IN = {"report_countries_are_focus": "report/report.yaml"}


def break_rule(root: Path, rule: str) -> None:
    file, old, new, _ = BREAKS[rule]
    path = root / file
    if not old:  # a break that copies the file named by new, as a user copying a country file would
        text = (root / new).read_text(encoding="utf-8")
        text = re.sub(r"(?m)^id: .*", f"id: {path.stem.upper()}", text)
        text = re.sub(r"(?m)^name: .*", "name: Mongolia", re.sub(r"(?m)^role: .*", "role: context", text))
        path.write_text(text, encoding="utf-8")
        return
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
    assert problem.file.endswith(REPORTED_IN.get(rule, file))
    assert problem.line > 0 and problem.col > 0
    assert f"{problem.path}: {problem.message}" == says


def test_breaking_every_rule_at_once_gives_one_located_problem_per_rule(project_copy: Path):
    for rule in RULES:
        break_rule(project_copy, rule.__name__)
    found = problems_of(project_copy)
    assert sorted(f"{p.path}: {p.message}" for p in found) == sorted(says for *_, says in BREAKS.values())
    assert all(re.fullmatch(r".+:\d+:\d+: .+", str(p)) and p.line > 0 for p in found)
