"""A watch writes the brief and the deck first: the data pack and the web page start once the brief is
rendered, so that they do not slow it down, and the two are written as soon as both are in. A writer
that fails after that says which outputs were rewritten."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digibrief.errors import RenderError
from digibrief.pipeline import build as pipeline
from digibrief.pipeline.build import BuildOptions, build
from digibrief.writers.xlsx import datapack
from tests.conftest import file_states, replace_in

# a warm process's kept workers, as a watch has them
pytestmark = pytest.mark.usefixtures("workers_as_shipped")

EDIT = ("2022: {value: 79.7703", "2022: {value: 79.41")
EVENTS: list[str] = []
RENDER = pipeline.render_one


def _render_noting_the_brief(module: str, *rest: Any) -> Any:
    """render_one, noting when the brief is rendered (the workers, forked from here, note in vain)."""
    out = RENDER(module, *rest)
    if module.endswith(".pdf.brief"):
        EVENTS.append("brief rendered")
    return out


@pytest.fixture
def edited(shipped_copy: Any, tmp_path: Path) -> Iterator[BuildOptions]:
    """A copy of the shipped project and its last build with the value edited, on its own copy of the
    session's chart cache in which no output is kept whole by its key (every output is rendered), in
    this process kept warm as a watch keeps it."""
    cache = tmp_path / "cache"
    shutil.copytree(shipped_copy.cache, cache, ignore=shutil.ignore_patterns("outputs"))
    opts = dataclasses.replace(shipped_copy, cache=cache, verbose=True)
    replace_in(opts.data / "countries" / "kgz.yaml", *EDIT)
    pipeline.keep_warm()
    try:
        yield opts
    finally:
        pipeline.forget_process_state()


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What this process does, in order: "start FMT" when a writer's render is set up (here or for a
    worker), "brief rendered" when the brief's render here returns."""
    EVENTS.clear()
    args = pipeline._render_args

    def render_args(job: Any, *rest: Any) -> Any:
        EVENTS.append(f"start {job.fmt}")
        return args(job, *rest)

    monkeypatch.setattr(pipeline, "_render_args", render_args)
    monkeypatch.setattr(pipeline, "render_one", _render_noting_the_brief)
    return EVENTS


def test_the_data_pack_and_web_page_start_after_the_brief_and_the_two_are_written_first(
    edited: BuildOptions, events: list[str]
):
    lines: list[str] = []
    result = build(edited, log=lambda message, always=False: lines.append(message))
    assert result.first == ["brief.pdf", "deck.pptx"]
    assert events.index("start deck") < events.index("brief rendered")
    assert events.index("brief rendered") < events.index("start data")
    assert events.index("brief rendered") < events.index("start html")
    steps = [line.split()[0:2] for line in lines if line.startswith("  ")]
    assert steps.index(["write", "first"]) == steps.index(["render", "deck.pptx"]) + 1
    assert steps.index(["write", "first"]) < steps.index(["render", "brief-data.xlsx"])
    assert {p.name for p in result.written} == {"brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html"}


def test_a_picture_deck_starts_once_its_charts_are_drawn_while_the_brief_is_still_laid_out(
    edited: BuildOptions, events: list[str]
):
    result = build(dataclasses.replace(edited, deck_charts="picture"))
    assert events.index("start deck") < events.index("brief rendered")
    assert result.first == ["brief.pdf", "deck-pictures.pptx"]


def _failing_data_pack(*_: Any, **__: Any) -> Any:
    raise ValueError("broken on purpose")


def test_a_writer_that_fails_after_the_first_write_names_what_was_rewritten(
    edited: BuildOptions, monkeypatch: pytest.MonkeyPatch
):
    before = file_states(edited.out)
    monkeypatch.setattr(datapack, "render", _failing_data_pack)  # the workers fork from this process
    with pytest.raises(RenderError) as caught:
        build(edited)
    assert str(caught.value) == "data writer failed: ValueError: broken on purpose"
    assert caught.value.rewritten == ("brief.pdf", "deck.pptx")
    after = file_states(edited.out)
    assert after["brief.pdf"] != before["brief.pdf"] and after["deck.pptx"] != before["deck.pptx"]
    assert after["brief-data.xlsx"] == before["brief-data.xlsx"]
    assert after["brief.html"] == before["brief.html"]


@pytest.mark.parametrize(
    ("warm", "strict", "formats", "first"),
    [
        (True, False, ["pdf", "deck", "data", "html"], True),
        (True, False, ["pdf", "data"], True),
        (True, False, ["deck", "html"], True),
        (False, False, ["pdf", "deck", "data", "html"], False),  # a one-shot build writes all at once
        (True, True, ["pdf", "deck", "data", "html"], False),  # --strict: any warning keeps all back
        (True, False, ["pdf", "deck"], False),  # nothing else to wait for
        (True, False, ["data", "html"], False),
        (True, False, [], False),
    ],
)
def test_only_a_watch_writes_the_brief_and_deck_before_the_rest(
    warm: bool, strict: bool, formats: list[str], first: bool
):
    assert pipeline.first_then_rest(warm, strict, formats) is first
