"""A warm process compares a build's data with the snapshot it recorded last without reading that
snapshot back from the manifest: what it says is what a new process, reading it back, says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from digibrief.pipeline import editions
from digibrief.pipeline.editions import since_last_build
from digibrief.project.editions import Edition, snapshot
from digibrief.project.load import load
from tests.conftest import replace_in


def test_a_snapshot_reads_back_from_its_record_as_it_was(shipped_project: Any) -> None:
    now = snapshot(shipped_project)
    assert Edition.model_validate_json(json.dumps(now.model_dump(mode="json"))) == now


def _summary(recorded: Any, project_copy: Path) -> tuple[list[str], list[str]]:
    project = load(project_copy / "data", project_copy / "report")
    found = since_last_build(recorded, project, project_copy / "data", project_copy / "report")
    return found.changes, found.rereads


def test_an_edit_is_summed_up_as_a_new_process_sums_it_up(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, report = project_copy / "data", project_copy / "report"
    first = since_last_build(None, load(data, report), data, report)
    recorded = json.loads(json.dumps(first.record))  # as the next build reads it from the manifest
    replace_in(data / "countries" / "kgz.yaml", "2022: {value: 79.7703", "2022: {value: 81.25")
    with monkeypatch.context() as patched:  # the record is this process's own: nothing is read back
        patched.setattr(Edition, "model_validate_json", None)
        warm = _summary(recorded, project_copy)
    assert any("Kyrgyzstan" in c for c in warm[0]) and warm[1]
    editions._RECORDED.clear()  # as in a new process
    assert _summary(recorded, project_copy) == warm


def test_a_record_this_process_did_not_make_is_read_back(project_copy: Path) -> None:
    data, report = project_copy / "data", project_copy / "report"
    first = since_last_build(None, load(data, report), data, report)
    other = json.loads(json.dumps(first.record))
    other["countries"]["KGZ"]["indicators"]["internet_users"]["2022"]["value"] = 12.5
    changes, _ = _summary(other, project_copy)  # another build's record: not the one kept here
    assert any("12.5" in c for c in changes)
