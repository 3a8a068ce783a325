"""What a warm deck render keeps from the last one is keyed by all it depends on: text measured again
equals text measured fresh, and an edited font file is measured anew."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from pptx import Presentation

from digibrief.document.types import Figure, Paragraph, Run, Table
from digibrief.theme import FontFiles
from digibrief.writers.pptx import archive, deck, package, slidecache
from digibrief.writers.pptx.options import DeckOptions, read_template
from digibrief.writers.pptx.text import Metrics, Span, _Measure, para
from tests.conftest import MemoryStore, with_headline

WORDS = "Kyrgyzstan sits in the middle of the regional field and has leaned on donors for its networks"


def test_text_measured_again_equals_text_measured_fresh(shipped_theme: Any) -> None:
    m = Metrics(shipped_theme.fonts)
    fresh = _Measure(m._faces)
    for size in (9.0, 14.0, 28.0):
        for width in (40.0, 150.0, 420.0):
            p = para(WORDS + " Supercalifragilisticexpialidocious", size, "#000000")
            first = m.lines(p, width)
            assert first == fresh.wrap(p, width)
            first[0].append(Span("a caller's own list"))  # what a caller does to its lines stays its own
            assert m.lines(p, width) == fresh.wrap(p, width)
            assert m.count(p, width) == len(fresh.wrap(p, width))


def test_an_edited_font_file_is_measured_anew(shipped_theme: Any, tmp_path: Path) -> None:
    fonts = shipped_theme.fonts
    face = tmp_path / "Face.ttf"
    shutil.copyfile(fonts.regular, face)
    copy = FontFiles(fonts.family, face, face, face, face)
    p = para(WORDS, 14.0, "#000000")
    before = Metrics(copy)
    regular = (before.width(WORDS, 14.0), before.lines(p, 200.0))
    shutil.copyfile(fonts.bold, face)  # the same path, another font
    after = Metrics(copy)
    assert after.width(WORDS, 14.0) != regular[0]
    assert after.width(WORDS, 14.0) == Metrics(FontFiles(fonts.family, *[fonts.bold] * 4)).width(WORDS, 14.0)
    assert after.lines(p, 200.0) == _Measure(after._faces).wrap(p, 200.0)
    assert before.lines(p, 200.0) == regular[1]


# --- warm renders equal cold ones ------------------------------------------------------------------------


def with_first_headline(doc: Any, words: str) -> Any:
    """The document with its first chart's headline replaced."""
    return with_headline(doc, doc.figures()[0].chart.id, words)


def cold(doc: Any, images: Any, theme: Any, options: DeckOptions) -> bytes:
    """The deck as a new process renders it whole: no store, nothing kept in memory."""
    deck.forget()
    return deck.render(doc, images, theme, options).data


def test_a_warm_render_on_a_template_after_an_edit_and_a_theme_change_equals_a_cold_one(
    shipped_doc: Any, shipped_theme: Any, rendered_deck: Any, tmp_path: Path
) -> None:
    _, images = rendered_deck
    Presentation().save(tmp_path / "plain.pptx")  # 4:3, its own layouts
    options = DeckOptions(read_template(tmp_path / "plain.pptx"))
    edited = with_first_headline(shipped_doc, "Kazakhstan scored highest in every survey, by a wide margin")
    bigger = dataclasses.replace(shipped_theme, sizes={**shipped_theme.sizes, "slide_title": 44.0})
    want = [cold(edited, images, shipped_theme, options), cold(edited, images, bigger, options)]
    assert want[0] != want[1]  # taller titles: another geometry
    store = MemoryStore()
    deck.render(shipped_doc, images, shipped_theme, options, store=store)
    assert deck.render(edited, images, shipped_theme, options, store=store).data == want[0]
    assert deck.render(edited, images, bigger, options, store=store).data == want[1]


# --- the zip ----------------------------------------------------------------------------------------------


def files_of(data: bytes) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return {i.filename: (z.read(i), i.compress_type) for i in z.infolist()}


def test_the_deck_zipped_with_kept_members_is_the_zip_zipfile_writes(rendered_deck: Any) -> None:
    full, _ = rendered_deck
    files = files_of(full.data)
    archive.forget()
    assert archive.stable_zip(files) == archive.zipfile_zip(files) == full.data
    slide = "ppt/slides/slide3.xml"
    edited = {
        **files,
        slide: (files[slide][0].replace(b"</p:sld>", b"<!-- -->\n</p:sld>"), zipfile.ZIP_DEFLATED),
    }
    assert archive.stable_zip(edited) == archive.zipfile_zip(edited)  # the other members kept
    odd = {
        "[Content_Types].xml": (b"", zipfile.ZIP_DEFLATED),
        "ppt/media/\u00e9t\u00e9.xml": (b"<a/>" * 900, zipfile.ZIP_DEFLATED),
        "stored.bin": (bytes(range(256)), zipfile.ZIP_STORED),
        "empty": (b"", zipfile.ZIP_STORED),
        "bzip": (b"bz" * 50, zipfile.ZIP_BZIP2),  # zipfile's own writing
    }
    assert archive.stable_zip(odd) == archive.zipfile_zip(odd)
    with zipfile.ZipFile(BytesIO(archive.stable_zip(odd))) as z:
        assert z.testzip() is None


def test_a_presentation_s_files_are_those_python_pptx_saves(rendered_deck: Any) -> None:
    full, _ = rendered_deck
    prs = Presentation(BytesIO(full.data))
    raw = BytesIO()
    prs.save(raw)
    saved = files_of(raw.getvalue())
    assert package.saved_parts(prs) == saved
    slides = package.saved_parts_under(prs, slidecache.OWNED)
    assert slides == {
        n: data
        for n, (data, _) in saved.items()
        if n.startswith(slidecache.OWNED) or (n.startswith(tuple(f"{f}_rels/" for f in slidecache.OWNED)))
    }


def with_value(doc: Any, value: Any) -> Any:
    """The document with the first value of its first line chart's first series set to value."""
    chart = next(f.chart for f in doc.figures() if f.chart.series and f.chart.series[0].points)

    def block(b: Any) -> Any:
        if not (isinstance(b, Figure) and b.chart.id == chart.id):
            return b
        first, *rest = b.chart.series
        point = dataclasses.replace(first.points[0], value=value)
        series = dataclasses.replace(first, points=(point, *first.points[1:]))
        return dataclasses.replace(b, chart=dataclasses.replace(b.chart, series=(series, *rest)))

    sections = tuple(dataclasses.replace(s, blocks=tuple(block(b) for b in s.blocks)) for s in doc.sections)
    return dataclasses.replace(doc, sections=sections)


def with_backup_edits(doc: Any) -> Any:
    """The document with its backup's tables' first cells and paragraphs reworded."""

    def block(b: Any) -> Any:
        if isinstance(b, Table) and b.rows and b.on_slide != "omit":
            first, *rest = b.rows
            return dataclasses.replace(b, rows=(((Run("Edited cell"),), *first[1:]), *rest))
        if isinstance(b, Paragraph):
            return dataclasses.replace(b, text=(Run("An edited paragraph of reference material."),))
        return b

    sections = tuple(
        dataclasses.replace(s, blocks=tuple(block(b) for b in s.blocks)) if s.backup else s
        for s in doc.sections
    )
    return dataclasses.replace(doc, sections=sections)


def test_warm_renders_after_value_headline_and_mode_edits_equal_cold_ones(
    shipped_doc: Any, shipped_theme: Any, deck_images: Any, rendered_deck: Any
) -> None:
    native, picture = DeckOptions(), DeckOptions(charts="picture")
    led = with_first_headline(with_value(shipped_doc, 80), "Kazakhstan led every survey")
    edits = [
        (with_value(shipped_doc, 80.0), native),
        (with_value(shipped_doc, 81.5), native),
        (led, native),
        (led, picture),  # a whole render: nothing kept for pictures yet
        (
            with_first_headline(with_value(shipped_doc, 80), "Kazakhstan led the region in every survey"),
            picture,
        ),
        (with_backup_edits(shipped_doc), native),
        (shipped_doc, native),  # an undo
    ]
    want = [cold(doc, deck_images, shipped_theme, options) for doc, options in edits[:-1]]
    deck.forget()
    store = MemoryStore()
    first = deck.render(shipped_doc, deck_images, shipped_theme, native, store=store)
    # the undo's reference: that render was cold (memos forgotten, store empty), and a full one
    assert first.data == rendered_deck[0].data
    want.append(first.data)
    reused = []
    for (doc, options), data in zip(edits, want, strict=True):
        reused.append(bool(deck._SCRATCH))  # the presentation the last few slides were drawn on
        assert deck.render(doc, deck_images, shipped_theme, options, store=store).data == data
    assert sum(reused) >= 3


def test_a_slide_s_plan_text_is_its_repr_with_elements_kept_from_the_last_render(warm_deck_edit: Any) -> None:
    # the session's two renders: the shipped deck into an empty store, then its first chart's headline
    # edited (conftest.warm_deck_edit, which saw the plans slidecache.slide_keys was given)
    first, second = warm_deck_edit.plans
    shared = {id(e) for sp in first for e in sp.elements} & {id(e) for sp in second for e in sp.elements}
    assert shared  # sections planned as before hand back their elements
    for plan_text, plan in warm_deck_edit.plan_texts:  # taken straight after the second render
        assert plan_text == plan
    assert len(warm_deck_edit.plan_texts) == len(second)


def test_a_slide_drawn_again_around_the_same_chart_adds_its_kept_parts_as_a_cold_render_draws_them(
    warm_deck_edit: Any, cold_headline_deck: Any
) -> None:
    # the headline's slide drawn again in the session's warm render (conftest.warm_deck_edit)
    assert warm_deck_edit.charts_drawn == [] and len(warm_deck_edit.charts_added) == 1  # its chart as it was
    assert warm_deck_edit.warm.data == cold_headline_deck  # the edited deck, rendered cold once per session
