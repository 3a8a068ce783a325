"""In a warm process (watch), the brief lays out while the workers draw the charts an edit changed, and
waits for a chart only when its page needs it. Its bytes are those of a brief rendered with every chart
in; a chart that fails meanwhile is reported as itself and nothing is written."""

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
from digibrief.writers.pdf import brief, images
from tests.conftest import replace_in

EDIT = ("2022: {value: 79.7703", "2022: {value: 79.37")  # three charts change: no other test draws them
DRAW = pipeline.draw_chart


def _kgz_chart_fails(req: Any, *args: Any) -> bytes:
    """draw_chart, but for Kyrgyzstan's own chart (run by a worker forked from this process)."""
    if req.chart.id == "kgz-internet":
        raise ValueError("broken on purpose")
    return DRAW(req, *args)


@pytest.fixture
def edited(shipped_copy: Any, tmp_path: Path) -> BuildOptions:
    """The shipped brief alone, built once in its own folder and cache (no output kept whole by its
    key, no parsed chart), then the value edited."""
    cache = tmp_path / "cache"
    shutil.copytree(shipped_copy.cache, cache, ignore=shutil.ignore_patterns("outputs"))
    opts = dataclasses.replace(shipped_copy, cache=cache, only="pdf")
    build(opts)
    replace_in(opts.data / "countries" / "kgz.yaml", *EDIT)
    return opts


@pytest.fixture(scope="module")
def full_brief(tmp_path_factory: pytest.TempPathFactory, shipped: Any) -> bytes:
    """The edited brief rendered whole, every chart drawn before the render began (a one-shot build)."""
    root = tmp_path_factory.mktemp("full") / "project"
    shutil.copytree(shipped.data.parent, root, symlinks=True, ignore=shutil.ignore_patterns("output"))
    replace_in(root / "data" / "countries" / "kgz.yaml", *EDIT)
    cache = root / "cache"
    shutil.copytree(shipped.cache, cache, ignore=shutil.ignore_patterns("outputs"))
    opts = BuildOptions(data=root / "data", report=root / "report", out=root / "out", cache=cache, only="pdf")
    build(opts)
    return (opts.out / "brief.pdf").read_bytes()


@pytest.fixture
def warm() -> Iterator[list[Any]]:
    """This process warm as a watch keeps it; yields the charts the brief laid out before they arrived."""
    seen: list[Any] = []

    class Counted(images.Pending):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            seen.append(self)

    patch = pytest.MonkeyPatch()
    patch.setattr(brief, "Pending", Counted)
    pipeline.keep_warm()
    try:
        yield seen
    finally:
        pipeline.forget_process_state()
        patch.undo()


def test_a_warm_brief_laid_out_beside_its_charts_draws_has_the_bytes_of_a_full_render(
    edited: BuildOptions, warm: list[Any], full_brief: bytes
):
    build(edited)
    assert len(warm) == 3, "the brief did not lay out while its three changed charts were drawn"
    assert (edited.out / "brief.pdf").read_bytes() == full_brief


def test_a_chart_with_a_new_font_family_starts_the_render_again_with_every_chart_in(
    edited: BuildOptions, warm: list[Any], full_brief: bytes, monkeypatch: pytest.MonkeyPatch
):
    arrived: list[bool] = []

    def unmapped(*_: Any) -> bool:  # as though each late chart named a family svglib has not mapped
        arrived.append(True)
        return True

    monkeypatch.setattr(images, "_unmapped", unmapped)
    # a late chart is taken from where its worker parsed it: make the brief parse it again here
    monkeypatch.setattr(images, "_unpickle", lambda *_: None)
    build(edited)
    assert warm and arrived, "no chart came in during the layout"
    assert (edited.out / "brief.pdf").read_bytes() == full_brief


def test_a_chart_that_fails_while_the_brief_waits_for_it_is_named_and_nothing_is_written(
    edited: BuildOptions, warm: list[Any], monkeypatch: pytest.MonkeyPatch
):
    before = (edited.out / "brief.pdf").read_bytes()
    monkeypatch.setattr(pipeline, "draw_chart", _kgz_chart_fails)
    with pytest.raises(RenderError) as caught:
        build(edited)
    assert warm, "the brief was not laid out beside the draws"
    assert (
        str(caught.value) == "chart 'kgz-internet' (print) could not be drawn: ValueError: broken on purpose"
    )
    assert (edited.out / "brief.pdf").read_bytes() == before
