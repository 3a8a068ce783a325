"""A snapshot keeps each country's record while the country and its risk levels are the very ones it
was made from: an edit of either gives the record a new process would make."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digibrief.project import editions, kept
from digibrief.project.editions import snapshot
from digibrief.project.load import load
from tests.conftest import replace_in


def test_an_edited_country_gets_a_fresh_record_and_the_others_keep_theirs(project_copy: Path) -> None:
    data, report = project_copy / "data", project_copy / "report"
    kept.keep()  # a warm process: an unchanged file's country is the one validated before
    try:
        before = snapshot(load(data, report))
        replace_in(data / "countries" / "kgz.yaml", "2022: {value: 79.7703", "2022: {value: 81.25")
        project = load(data, report)
        after = snapshot(project)
    finally:
        kept.forget()
    assert after.countries["KGZ"].indicators["internet_users"][2022].value == 81.25
    assert after.countries["KAZ"] is before.countries["KAZ"]  # kept: the same country
    editions._RECORDS.clear()  # as in a new process
    assert snapshot(project) == after


def test_a_changed_risk_level_gives_a_fresh_record(shipped_project: Any) -> None:
    before = snapshot(shipped_project)
    risks = shipped_project.risks
    row = risks.assessments["KAZ"]
    category = next(iter(row))
    level = row[category].level
    lowered = {**row, category: row[category].model_copy(update={"level": level - 1})}
    edited = shipped_project.model_copy(
        update={"risks": risks.model_copy(update={"assessments": {**risks.assessments, "KAZ": lowered}})}
    )
    after = snapshot(edited)
    assert after.countries["KAZ"].risks[category] == level - 1
    assert before.countries["KAZ"].risks[category] == level
    assert snapshot(shipped_project) == before


def test_a_kept_record_compares_as_an_equal_copy_of_it_does(shipped_project: Any) -> None:
    from digibrief.document.changes import compare
    from digibrief.document.words import ENGLISH

    now = snapshot(shipped_project)
    copy = now.model_validate_json(now.model_dump_json())
    assert copy.countries["KAZ"] is not now.countries["KAZ"]
    assert compare(now, now, ENGLISH).items == compare(copy, now, ENGLISH).items == ()
