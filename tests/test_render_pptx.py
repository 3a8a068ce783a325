"""The slide-deck writer: the shipped project rendered once, read back with python-pptx and re-measured."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pypdf import PdfReader

from digibrief import charts
from digibrief.document.compose import compose
from digibrief.document.types import Bullets, Document, Figure, References, Run, Table
from digibrief.errors import UsageError
from digibrief.project.load import load
from digibrief.project.theming import make_theme
from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.options import DeckOptions, read_template

from .conftest import DATA, REPORT, deck_text, require_tool

EMU_PER_PT = 12700
HOSTILE = ("<img src=x>", "AT&T", "a < b", "<script>alert(1)</script>")


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project():
    p = load(DATA, REPORT)
    return compose(p), make_theme(p.theme, REPORT)


@pytest.fixture(scope="module")
def images(project):
    doc, theme = project
    reqs = render_pptx.image_requests(doc)
    return {r.key: charts.render(r.chart, theme, charts.MEDIA[r.medium], r.fmt) for r in reqs}


@pytest.fixture(scope="module")
def rendered(project, images):
    doc, theme = project
    return render_pptx.render(doc, images, theme, DeckOptions())


@pytest.fixture(scope="module")
def deck(rendered):
    return Presentation(BytesIO(rendered.data))


def stress(doc: Document) -> Document:
    """The real document with hostile strings, a control character, too many takeaways and a huge table."""
    meta = replace(doc.meta, title="Digital Central Asia <img src=x> & AT&T", author="R&D <team>")
    long = " and the evidence behind it is set out in full in the printed brief" * 2
    sections = []
    for s in doc.sections:
        blocks = list(s.blocks)
        if s.id == "takeaways":
            items = [
                (Run(f"Point {i}:", bold=True), Run(f" a < b\x07 holds{long}."), Run("1", cite=(1,)))
                for i in range(14)
            ]
            blocks = [Bullets(tuple(items), numbered=True)]
        if s.id == "overview":
            blocks = [b if not isinstance(b, Table) else replace(b, rows=b.rows * 12) for b in blocks]
        if s.id == "country-kaz":
            s = replace(s, title="Kazakhstan <img src=x>")
            blocks = [
                replace(b, items=((Run("AT&T a < b \x0b<script>alert(1)</script>"),), *b.items[1:]))
                if isinstance(b, Bullets)
                else b
                for b in blocks
            ]
        if s.id == "methodology":
            blocks = [
                replace(
                    b,
                    items=(
                        replace(
                            b.items[0],
                            publisher="Evil <script>alert(1)</script> & Co",
                            title="Title",
                            date="2024",
                        ),
                        *b.items[1:],
                    ),
                )
                if isinstance(b, References)
                else b
                for b in blocks
            ]
        sections.append(replace(s, blocks=tuple(blocks)))
    return replace(doc, meta=meta, sections=tuple(sections))


@pytest.fixture(scope="module")
def stressed(project, images):
    doc, theme = project
    return render_pptx.render(stress(doc), images, theme, DeckOptions())


def make_template(path: Path, rename: tuple[str, str] | None = None) -> Path:
    """python-pptx's default (4:3) with its theme renamed and one slide of its own; optionally a layout renamed."""
    prs = Presentation()
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    theme_part._blob = theme_part.blob.replace(b'name="Office Theme"', b'name="Org Theme"')
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "A slide of the template"
    if rename:
        for layout in prs.slide_layouts:
            if layout.name == rename[0]:
                layout.name = rename[1]
    prs.save(path)
    return path


@pytest.fixture(scope="module")
def templated(project, images, tmp_path_factory):
    doc, theme = project
    path = make_template(tmp_path_factory.mktemp("tpl") / "org.pptx")
    return render_pptx.render(doc, images, theme, DeckOptions(read_template(path)))


# --- reading a deck back ---------------------------------------------------------------------------


def kicker(slide) -> str:
    return next((s.text_frame.text for s in slide.shapes if s.name == "Kicker"), "")


def title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


@cache
def font(path: str) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, 1000)


def frame_height(tf, width: float, theme) -> float:
    """Height of a text frame's paragraphs wrapped at width (pt), from the sizes and spacing in the file."""
    files = {
        (False, False): theme.fonts.regular,
        (True, False): theme.fonts.bold,
        (False, True): theme.fonts.italic,
        (True, True): theme.fonts.bold_italic,
    }
    total = 0.0
    for i, p in enumerate(tf.paragraphs):
        assert p.line_spacing is not None and not isinstance(p.line_spacing, float), (
            "exact line pitch expected"
        )
        ppr = p._p.pPr
        indent = int(ppr.get("marL", "0")) / EMU_PER_PT if ppr is not None else 0.0
        pieces = []  # (text, size, bold, italic)
        for el in p._p:
            if el.tag in (qn("a:r"), qn("a:fld")):
                rpr = el.find(qn("a:rPr"))
                assert rpr is not None and rpr.get("sz"), "every run has an explicit size"
                size = int(rpr.get("sz")) / 100
                pieces.append((el.find(qn("a:t")).text or "", size, rpr.get("b") == "1", rpr.get("i") == "1"))
        if pieces and "\t" in pieces[0][0]:  # a number hung in the indent: "12.\t"
            marker, rest = pieces[0][0].split("\t", 1)
            assert font(str(files[(False, False)])).getlength(marker) * pieces[0][1] / 1000 <= indent
            pieces[0] = (rest, *pieces[0][1:])
        room = width - indent
        lines, used = 1, 0.0
        for text, size, bold, italic in pieces:
            f = font(str(files[(bold, italic)]))
            for tok in re.findall(r"\S+|\s+", text):
                w = f.getlength(tok) * size / 1000
                if tok.isspace():
                    used += w if used else 0.0
                elif used + w <= room:
                    used += w
                else:
                    lines += 1 if used else 0
                    while w > room:  # a word wider than the line is cut by the application
                        lines += 1
                        w -= room
                    used = w
        total += (p.space_before.pt if i and p.space_before is not None else 0.0) + lines * p.line_spacing.pt
    return total


# --- the shipped deck ------------------------------------------------------------------------------


def test_image_requests_ask_one_slide_png_per_chart(project):
    doc, _ = project
    reqs = render_pptx.image_requests(doc)
    assert [r.chart.id for r in reqs] == list(dict.fromkeys(f.chart.id for f in doc.figures()))
    assert {r.fmt for r in reqs} == {"png"}
    assert {r.medium for r in reqs} <= {"slide_wide", "slide_half"}
    profiles = [s for s in doc.sections if s.role == "profile"]
    main = {next(b for b in s.blocks if isinstance(b, Figure)).chart.id for s in profiles}
    assert {r.chart.id for r in reqs if r.medium == "slide_half"} == main


def test_deck_is_16_by_9_with_a_slide_count_that_matches(rendered, deck):
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob
    assert b'<a:latin typeface="DejaVu Sans"/>' in theme, "the built-in design uses the theme's font family"
    assert rendered.pages == len(deck.slides)


def test_slide_titles_follow_the_sections_in_order(project, deck):
    doc, _ = project
    heads = [(title(s), kicker(s)) for s in deck.slides]
    assert all(t for t, _ in heads), "every slide has a title in its title placeholder"
    at = 0
    for section in doc.sections:
        found = [i for i in range(at, len(heads)) if section.title in heads[i]]
        assert found, f"no slide for section {section.title!r} after slide {at + 1}"
        at = found[0]
    assert heads[0][0] == doc.meta.title
    assert (
        title(deck.slides[2]) == "Contents"
        and "Regional overview" in deck.slides[2].shapes[1].text_frame.text
    )


def test_every_slide_has_notes_and_chart_slides_name_their_sources(project, deck):
    doc, _ = project
    refs = {r.number: r.full for r in doc.references}
    figures = {f.chart.alt: f for f in doc.figures()}
    for i, slide in enumerate(deck.slides, 1):
        assert notes(slide).strip(), f"slide {i} has no speaker notes"
        for pic in (s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE):
            fig = figures[pic._element._nvXxPr.cNvPr.get("descr")]
            line = next(x for x in notes(slide).splitlines() if x.startswith("Sources: "))
            assert all(refs[n] in line for n in fig.cite), f"slide {i}: sources of {fig.chart.id} missing"


def test_citation_markers_stay_off_slides_but_sources_reach_the_notes(deck):
    takeaways = deck.slides[1]
    body = takeaways.placeholders[1].text_frame.text
    assert "Kazakhstan leads." in body and "[1" not in body and "2018.1" not in body
    assert "Sources: [1] UN DESA" in notes(takeaways)


def test_every_picture_has_its_chart_alt_text(project, deck):
    doc, _ = project
    alts = {f.chart.alt for f in doc.figures()}
    pics = [s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == len(alts)
    assert {p._element._nvXxPr.cNvPr.get("descr") for p in pics} == alts


def test_no_text_exceeds_its_box(project, deck):
    _, theme = project
    checked = 0
    for n, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                tf = shape.text_frame
                body = tf._txBody.bodyPr
                assert body.get("wrap") == "square" and body.find(qn("a:noAutofit")) is not None
                w = (shape.width - tf.margin_left - tf.margin_right) / EMU_PER_PT
                h = (shape.height - tf.margin_top - tf.margin_bottom) / EMU_PER_PT
                assert frame_height(tf, w, theme) <= h + 0.5, f"slide {n}: {shape.name} overflows"
                checked += 1
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        w = (table.columns[c].width - cell.margin_left - cell.margin_right) / EMU_PER_PT
                        h = (row.height - cell.margin_top - cell.margin_bottom) / EMU_PER_PT
                        assert frame_height(cell.text_frame, w, theme) <= h + 0.5, f"slide {n}: cell {r},{c}"
                        checked += 1
                assert sum(r.height for r in table.rows) <= shape.height + 12700
    assert checked > 100


def test_no_placeholder_is_left_empty(deck):
    for n, slide in enumerate(deck.slides, 1):
        for ph in slide.placeholders:
            assert ph.text_frame.text.strip(), f"slide {n}: empty {ph.name} would show 'Click to add text'"


def test_slides_carry_footer_and_a_slide_number_field(deck):
    for n, slide in enumerate(deck.slides, 1):
        types = {ph.placeholder_format.type for ph in slide.placeholders}
        if slide.slide_layout.name == "Title Slide":
            continue
        assert {PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER} <= types, f"slide {n}"
        number = next(
            p for p in slide.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER
        )
        field = number._element.find(f".//{qn('a:fld')}")
        assert field.get("type") == "slidenum" and field.find(qn("a:t")).text == str(n)


def test_profile_slides_show_a_chart_key_figures_and_at_most_five_bullets(deck, rendered):
    kaz = next(s for s in deck.slides if title(s) == "Kazakhstan")
    values = [s.text_frame.paragraphs[0].text for s in kaz.shapes if s.name == "Key figure"]
    assert values == ["19.2 million", "80%", "more than 14 million"]
    bullets = kaz.placeholders[1].text_frame.paragraphs
    assert 3 <= len(bullets) <= 5
    assert sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in kaz.shapes) == 1
    assert not rendered.warnings, rendered.warnings


def test_highlights_beyond_five_move_to_the_notes_with_a_warning(project, images):
    doc, theme = project
    extra = (Run("An extra sixth point for the test."),)
    sections = tuple(
        replace(
            s,
            blocks=tuple(
                replace(b, items=(*b.items, extra))
                if isinstance(b, Bullets) and b.title == "Highlights"
                else b
                for b in s.blocks
            ),
        )
        if s.country == "KAZ"
        else s
        for s in doc.sections
    )
    out = render_pptx.render(replace(doc, sections=sections), images, theme, DeckOptions())
    assert any(w.startswith("Kazakhstan: 1 highlight(s)") for w in out.warnings), out.warnings
    kaz = next(s for s in Presentation(BytesIO(out.data)).slides if title(s) == "Kazakhstan")
    assert "Also in the brief: " in notes(kaz)


def test_two_renders_are_byte_identical(project, images, rendered):
    doc, theme = project
    again = render_pptx.render(doc, images, theme, DeckOptions())
    assert again.data == rendered.data
    with zipfile.ZipFile(BytesIO(rendered.data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"


def test_core_properties_come_from_the_document(project, deck):
    doc, _ = project
    cp = deck.core_properties
    assert cp.title == doc.meta.title and cp.author == doc.meta.author
    assert cp.subject == doc.meta.subtitle and cp.last_modified_by == doc.meta.author
    assert cp.keywords == ", ".join(doc.meta.keywords) and cp.revision == 1
    assert cp.created == cp.modified and cp.created.timestamp() == doc.meta.epoch


# --- hostile and oversized input -------------------------------------------------------------------


def test_hostile_strings_appear_literally_and_control_characters_go(stressed):
    prs = Presentation(BytesIO(stressed.data))
    text = deck_text(stressed.data)
    for s in HOSTILE:
        assert s in text
    assert "\x07" not in text and "\x0b" not in text
    assert prs.core_properties.title == "Digital Central Asia <img src=x> & AT&T"
    assert "Kazakhstan <img src=x>" in [title(s) for s in prs.slides]


def test_text_too_long_continues_on_a_second_slide_with_a_warning(stressed):
    prs = Presentation(BytesIO(stressed.data))
    titles = [title(s) for s in prs.slides]
    assert "Key takeaways (continued)" in titles
    assert "text split: Key takeaways continued on a second slide" in stressed.warnings


def test_a_table_too_large_for_a_slide_is_skipped_with_a_warning(stressed):
    prs = Presentation(BytesIO(stressed.data))
    assert any(w.startswith("table skipped: Latest available value") for w in stressed.warnings)
    assert "Latest available value of each indicator, with its year" not in [title(s) for s in prs.slides]


def test_stressed_text_still_fits(project, stressed):
    _, theme = project
    prs = Presentation(BytesIO(stressed.data))
    for n, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                tf = shape.text_frame
                w = (shape.width - tf.margin_left - tf.margin_right) / EMU_PER_PT
                h = (shape.height - tf.margin_top - tf.margin_bottom) / EMU_PER_PT
                assert frame_height(tf, w, theme) <= h + 0.5, f"slide {n}: {shape.name} overflows"


# --- templates ---------------------------------------------------------------------------------------


def test_a_template_gives_its_size_theme_and_layouts_without_its_own_slides(templated):
    prs = Presentation(BytesIO(templated.data))
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob
    assert b'name="Org Theme"' in theme
    assert "A slide of the template" not in [title(s) for s in prs.slides]
    assert any("1 slide(s) were left out" in w for w in templated.warnings)
    assert {s.slide_layout.name for s in prs.slides} == {"Title Slide", "Title and Content", "Title Only"}
    assert all(title(s) for s in prs.slides)
    assert templated.pages == len(prs.slides)


def test_a_template_without_a_needed_layout_is_a_usage_error(project, images, tmp_path):
    doc, theme = project
    path = make_template(tmp_path / "thin.pptx", rename=("Title Only", "Only a title"))
    with pytest.raises(UsageError, match=r"'Title Only'.*") as err:
        render_pptx.render(doc, images, theme, DeckOptions(read_template(path)))
    assert path.name in str(err.value)


def test_a_file_that_is_not_a_presentation_is_a_usage_error(project, images, tmp_path):
    doc, theme = project
    path = tmp_path / "not.pptx"
    path.write_text("plain text")
    with pytest.raises(UsageError, match="cannot be read as a PowerPoint file"):
        render_pptx.render(doc, images, theme, DeckOptions(read_template(path)))


# --- a real client -----------------------------------------------------------------------------------


def test_libreoffice_converts_both_decks_with_the_same_slide_count(rendered, templated, tmp_path):
    soffice = require_tool("soffice")
    decks = {"deck.pptx": rendered, "templated.pptx": templated}
    for name, r in decks.items():
        (tmp_path / name).write_bytes(r.data)
    profile = (tmp_path / "profile").as_uri()
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *(str(tmp_path / n) for n in decks),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for name, r in decks.items():
        pdf = tmp_path / "pdf" / name.replace(".pptx", ".pdf")
        assert pdf.is_file(), proc.stdout + proc.stderr
        assert len(PdfReader(pdf).pages) == r.pages


def test_a_libreoffice_style_template_keeps_titles_and_bodies_apart(project, images, tmp_path):
    """LibreOffice names the layout 'Title, Content' and gives its title and body the same idx (0)."""
    doc, theme = project
    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name == "Title and Content":
            layout.name = "Title, Content"
            for ph in layout.placeholders:
                if ph.placeholder_format.idx == 1:
                    ph.element.ph.set("idx", "0")
    path = tmp_path / "lo.pptx"
    prs.save(path)
    deck = Presentation(
        BytesIO(render_pptx.render(doc, images, theme, DeckOptions(read_template(path))).data)
    )
    takeaways = deck.slides[1]
    assert title(takeaways) == "Key takeaways"
    bodies = [s for s in takeaways.placeholders if s.placeholder_format.type != PP_PLACEHOLDER.TITLE]
    assert any("Kazakhstan leads" in s.text_frame.text for s in bodies)
