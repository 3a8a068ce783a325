"""The versions in every key are found once per process, as the code that process runs was loaded,
and afresh by a process that starts again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from digibrief.pipeline import build as pipeline


@pytest.fixture(autouse=True)
def found_afresh() -> Iterator[None]:
    pipeline._versions_loaded.cache_clear()
    yield
    pipeline._versions_loaded.cache_clear()  # nothing a test made up outlives it


def test_the_versions_are_found_once_until_the_process_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    installed = pipeline._installed

    def counted() -> dict[str, str]:
        calls.append(1)
        return installed()

    monkeypatch.setattr(pipeline, "_installed", counted)
    first = pipeline._versions()
    assert pipeline._versions() == first and len(calls) == 1
    monkeypatch.setattr(pipeline, "_installed", lambda: {**installed(), "matplotlib": "0.0.1"})
    assert pipeline._versions() == first  # installed meanwhile: not what this process draws with
    pipeline.forget_process_state()
    assert pipeline._versions()["matplotlib"] == "0.0.1"  # a new process loads what is installed


def test_a_caller_cannot_change_the_versions_the_next_build_keys_by() -> None:
    versions = pipeline._versions()
    versions["matplotlib"] = "changed"
    assert pipeline._versions()["matplotlib"] != "changed"
