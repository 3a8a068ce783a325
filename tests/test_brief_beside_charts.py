"""In a warm process (watch), the brief lays out while the workers draw the charts an edit changed, and
waits for a chart only when its page needs it. Its bytes are those of a brief rendered with every chart
in; a chart that fails meanwhile is reported as itself and nothing is written."""

from __future__ import annotations

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

# a warm process's kept workers, as a watch has them
pytestmark = pytest.mark.usefixtures("workers_as_shipped")

EDIT = ("2022: {value: 79.7703", "2022: {value: 79.37")  # three charts change: no other test draws them
DRAW = pipeline.draw_chart


def _kgz_chart_fails(req: Any, *args: Any) -> bytes:
    """draw_chart, but for Kyrgyzstan's own chart (run by a worker forked from this process)."""
    if req.chart.id == "kgz-internet":
        raise ValueError("broken on purpose")
    return DRAW(req, *args)


def _edited(project: Path, tmp_path: Path) -> BuildOptions:
    """A copy of the shipped project and its last build (its outputs, manifest and layout hints) with
    the value edited, on its own copy of the session's chart cache in which no output is kept whole by
    its key: its brief is rendered, and the three charts drawn."""
    root = tmp_path / "project"
    shutil.copytree(project, root, symlinks=True)
    replace_in(root / "data" / "countries" / "kgz.yaml", *EDIT)
    cache = tmp_path / "cache"
    shutil.copytree(SESSION_CACHE[0], cache, ignore=shutil.ignore_patterns("outputs"))
    return BuildOptions(
        data=root / "data", report=root / "report", out=root / "output", cache=cache, only="pdf"
    )


SESSION_CACHE: list[Path] = []


@pytest.fixture
def edited(shipped: Any, tmp_path: Path) -> BuildOptions:
    SESSION_CACHE[:] = [shipped.cache]
    return _edited(shipped.data.parent, tmp_path)


@pytest.fixture(scope="module")
def full_brief(tmp_path_factory: pytest.TempPathFactory, shipped: Any) -> bytes:
    """The edited brief rendered whole, every chart drawn before the render began (a one-shot build)."""
    SESSION_CACHE[:] = [shipped.cache]
    opts = _edited(shipped.data.parent, tmp_path_factory.mktemp("full"))
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


def test_a_late_chart_that_needs_its_fonts_mapped_starts_the_render_again_with_every_chart_in(
    edited: BuildOptions, warm: list[Any], full_brief: bytes, monkeypatch: pytest.MonkeyPatch
):
    restarts: list[Any] = []

    def needs_mapping(req: Any, *args: Any) -> Any:  # the first late chart, as images.Remap says
        if not restarts:
            restarts.append(req)
            raise images.Remap
        return arriving(req, *args)

    arriving = brief.arriving
    monkeypatch.setattr(brief, "arriving", needs_mapping)
    build(edited)
    assert warm and restarts, "no chart came in during the layout"
    assert (edited.out / "brief.pdf").read_bytes() == full_brief


def test_a_late_chart_naming_a_font_family_svglib_has_not_mapped_raises_remap_and_registers_nothing(
    shipped_theme: Any, shipped_doc: Any, monkeypatch: pytest.MonkeyPatch
):
    from reportlab.pdfbase import pdfmetrics

    from digibrief.vocabulary import MEDIA
    from digibrief.writers.contract import ImageRequest
    from digibrief.writers.pdf.fonts import register
    from digibrief.writers.pdf.styles import Page, Palette, Styles

    fonts = register(shipped_theme.fonts)
    styles = Styles(shipped_theme, fonts, Palette.from_theme(shipped_theme), Page.for_paper("a4").frame_width)
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
        b'<text x="1" y="20" style="font-family: \'A Family Never Seen\'">x</text></svg>'
    )
    req = ImageRequest(shipped_doc.figures()[0].chart, "print", "svg")
    faces = dict(pdfmetrics._fonts)
    monkeypatch.setattr(images, "_mapped", dict(images._mapped))
    with pytest.raises(images.Remap):
        images.chart_flowables([req], {req.key: svg}, MEDIA["print"].width_in * 72, styles, mid_render=True)
    assert dict(pdfmetrics._fonts) == faces
    assert not any(k.startswith("A Family Never Seen") for k in images._mapped)


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
