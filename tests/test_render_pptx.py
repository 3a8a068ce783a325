"""The slide-deck writer: the shipped project rendered once, read back with python-pptx and re-measured."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree
from PIL import ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu
from pypdf import PdfReader

from digibrief.document.types import Bullets, Document, Figure, KeyFigures, References, Run, Table, plain
from digibrief.errors import UsageError
from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.native import PICTURE_KINDS
from digibrief.writers.pptx.options import DeckOptions, read_template
from digibrief.writers.pptx.slides import slide_parts

from .conftest import deck_text

EMU_PER_PT = 12700
HOSTILE = ("<img src=x>", "AT&T", "a < b", "<script>alert(1)</script>")
# shapes a reader does not read as body text: furniture and source lines may be smaller, subtitles 18 pt
SMALL = {"Footer", "Slide number", "Source"}
SUBTITLES = {"Kicker", "Subtitle", "Imprint"}


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(shipped_doc, shipped_theme):
    """The shipped document and theme, composed once per session."""
    return shipped_doc, shipped_theme


@pytest.fixture(scope="module")
def images(deck_images):
    return deck_images


@pytest.fixture(scope="module")
def rendered(rendered_deck):
    return rendered_deck[0]


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
                (Run(f"Point {i}, a < b\x07:", bold=True), Run(f" it holds{long}."), Run("1", cite=(1,)))
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
                else replace(
                    b, items=(replace(b.items[0], label="AT&T <script>alert(1)</script>"), *b.items[1:])
                )
                if isinstance(b, KeyFigures)
                else b
                for b in blocks
            ]  # the highlights stay on the page; a key figure's label is said on its slide
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


def main_slides(prs) -> list:
    """The talk: every slide before the Backup divider."""
    slides = list(prs.slides)
    at = next(i for i, s in enumerate(slides) if title(s) == "Backup")
    return slides[:at]


def runs(shape):
    """(text, size in pt) of every run of a text shape."""
    for p in shape.text_frame.paragraphs:
        for el in p._p:
            if el.tag in (qn("a:r"), qn("a:fld")):
                rpr = el.find(qn("a:rPr"))
                text = el.find(qn("a:t")).text or ""
                yield text, int(rpr.get("sz")) / 100


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


# --- what the writer asks the pipeline for ---------------------------------------------------------------


def test_native_decks_ask_for_pictures_only_of_the_kinds_powerpoint_cannot_draw(project):
    doc, _ = project
    reqs = render_pptx.image_requests(doc)
    assert reqs, "the shipped brief has a timeline"
    assert {r.chart.kind for r in reqs} <= PICTURE_KINDS
    assert {(r.fmt, r.medium) for r in reqs} == {("png", "slide_wide")}


def test_picture_decks_ask_for_one_png_of_every_chart(project):
    doc, _ = project
    reqs = render_pptx.image_requests(doc, DeckOptions(charts="picture"))
    # a timeline too long for one slide at the label size comes in parts, one slide each (issue 22)
    parts = [p.id for f in doc.figures() for p in slide_parts(f.chart)]
    assert [r.chart.id for r in reqs] == list(dict.fromkeys(parts))
    assert len(parts) >= len(doc.figures())


# --- the shipped deck: a talk's order ------------------------------------------------------------------


def test_deck_is_16_by_9_with_a_slide_count_that_matches(rendered, deck):
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob
    assert b'<a:latin typeface="Noto Sans"/>' in theme, "the built-in design uses the theme's font family"
    assert rendered.pages == len(deck.slides)


def test_the_talk_comes_first_then_questions_then_the_backup(project, deck):
    doc, _ = project
    titles = [title(s) for s in deck.slides]
    assert titles[0] == doc.meta.title
    divider = titles.index("Backup")
    assert titles[divider - 1] == "Questions and discussion"
    backup = titles[divider + 1 :]
    assert backup[0] == "Contents"
    backup_sections = [s.title for s in doc.sections if s.backup and s.role != "contents"]
    assert all(t in backup for t in backup_sections), backup
    assert any(t.startswith("Sources") for t in backup)
    tables = [
        b.caption.rstrip(". ")
        for s in doc.sections
        for b in s.blocks
        if isinstance(b, Table) and b.on_slide != "omit"
    ]
    assert all(t in backup for t in tables), "detailed tables are backup slides"
    assert not any(t in titles[:divider] for t in tables), "no detailed table in the talk"
    headlines = [plain(f.headline) for f in doc.figures()]
    assert all(h in titles[:divider] for h in headlines), "every chart is in the talk, titled by its headline"


def test_the_contents_list_every_part_with_the_number_of_its_first_slide(deck):
    titles = [title(s) for s in deck.slides]
    contents = next(s for s in deck.slides if title(s) == "Contents")
    names = [
        p.text for s in contents.shapes if s.name.startswith("Contents ") for p in s.text_frame.paragraphs
    ]
    numbers = [p.text for s in contents.shapes if s.name == "Slide numbers" for p in s.text_frame.paragraphs]
    assert len(names) == len(numbers) > 8
    for name, number in zip(names, numbers, strict=True):
        if not name.endswith("\u2026"):
            shown = titles[int(number) - 1]
            assert name in (shown, kicker(deck.slides[int(number) - 1])) or shown.startswith(name), (
                name,
                shown,
            )


def test_the_title_slide_matches_the_pdf_cover(project, deck):
    doc, theme = project
    cover = deck.slides[0]
    names = {s.name for s in cover.shapes}
    assert {"Cover band", "Palette stripe", "Countries", "Imprint"} <= names
    band = next(s for s in cover.shapes if s.name == "Cover band")
    assert str(band.fill.fore_color.rgb) == theme.ink.lstrip("#").upper()
    countries = next(s for s in cover.shapes if s.name == "Countries").text_frame.text
    assert all(c in countries for c in doc.meta.countries)


# --- one message per slide, a type scale ------------------------------------------------------------------


def test_main_slides_carry_at_most_sixty_words(deck):
    for n, slide in enumerate(main_slides(deck), 1):
        texts = [
            s.text_frame.text
            for s in slide.shapes
            if s.has_text_frame and s.name not in SMALL  # furniture and source lines are not the message
        ]
        words = sum(len(t.split()) for t in texts)
        assert words <= 60, f"slide {n} ({title(slide)!r}) carries {words} words"


def test_no_body_run_below_twenty_points_on_main_slides(deck):
    checked = 0
    for n, slide in enumerate(main_slides(deck), 1):
        for shape in slide.shapes:
            if not shape.has_text_frame or shape.name in SMALL:
                continue
            floor = 28 if shape.name == "Title" else 18 if shape.name in SUBTITLES else 20
            for text, size in runs(shape):
                if text.strip():
                    assert size >= floor, f"slide {n}: {shape.name} {text[:30]!r} at {size} pt"
                    checked += 1
            if shape.has_text_frame and shape.name in SMALL:
                assert all(size >= 10 for _, size in runs(shape))
    assert checked > 100


def test_sizes_are_fixed_steps_of_the_theme_never_shrunk(project, deck):
    _, theme = project
    steps = {theme.size(k) for k in theme.sizes if k.startswith("slide_")}
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                assert shape.text_frame._txBody.bodyPr.find(qn("a:normAutofit")) is None, (
                    "no shrink on overflow"
                )
                assert {size for _, size in runs(shape)} <= steps, shape.name


def test_list_points_have_at_most_twelve_words_and_five_a_slide(deck):
    takeaways = next(s for s in deck.slides if title(s) == "Key takeaways")
    items = [p.text for p in takeaways.placeholders[1].text_frame.paragraphs]
    assert 1 <= len(items) <= 5
    assert all(len(t.replace("\t", " ").split()) <= 13 for t in items), items  # the number, then 12 words


def test_slide_titles_are_findings_on_at_most_two_lines(project, deck):
    _, theme = project
    for slide in main_slides(deck):
        shape = slide.shapes.title
        if shape is None or slide.slide_layout.name == "Title Slide":
            continue
        w = (shape.width - shape.text_frame.margin_left - shape.text_frame.margin_right) / EMU_PER_PT
        assert frame_height(shape.text_frame, w, theme) <= 2 * 28 * 1.2 + 0.5, title(slide)


def test_key_figures_are_four_at_most_and_the_rest_is_said_in_the_notes(project, deck):
    doc, _ = project
    kaz = next(s for s in deck.slides if title(s) == "Kazakhstan")
    values = [s.text_frame.paragraphs[0].text for s in kaz.shapes if s.name == "Key figure"]
    key = next(
        b
        for s in doc.sections
        if s.country == "KAZ"
        for b in s.blocks
        if b.__class__.__name__ == "KeyFigures"
    )
    assert values == [k.fact.display for k in key.items[:4]]
    assert all(k.fact.display in notes(kaz) for k in key.items[4:])


# --- notes -------------------------------------------------------------------------------------------


def test_every_slide_has_notes_that_name_sources_without_dumping_references(project, deck):
    doc, _ = project
    full = [r.full for r in doc.references]
    by_headline = {plain(f.headline): f for f in doc.figures()}
    longest = 0
    for i, slide in enumerate(deck.slides, 1):
        text = notes(slide)
        assert text.strip(), f"slide {i} has no speaker notes"
        assert not any(r in text for r in full), f"slide {i}: a full reference string in the notes"
        longest = max(longest, len(text))
        f = by_headline.get(title(slide))
        if f is not None:
            assert f.chart.source_line in text, f"slide {i}: the chart's sources are not named"
            assert "in the backup" in text
    assert longest <= 2600, longest


def test_citation_markers_stay_off_slides_but_are_said_in_the_notes(deck):
    takeaways = next(s for s in deck.slides if title(s) == "Key takeaways")
    body = takeaways.placeholders[1].text_frame.text
    assert "Kazakhstan leads, 24th of 193" in body and "[1" not in body
    said = notes(takeaways)
    assert "24th of 193" in said and "Source" in said and "[" not in said


# --- geometry ---------------------------------------------------------------------------------------


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


def test_nothing_leaves_the_slide(deck):
    for n, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, f"slide {n}: {shape.name}"
            assert shape.left + shape.width <= deck.slide_width + 12700, f"slide {n}: {shape.name}"
            assert shape.top + shape.height <= deck.slide_height + 12700, f"slide {n}: {shape.name}"


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


def test_the_shipped_deck_builds_without_warnings(rendered):
    assert not rendered.warnings, rendered.warnings


# --- reproducible ----------------------------------------------------------------------------------------


def test_two_renders_are_byte_identical(project, images, rendered):
    doc, theme = project
    again = render_pptx.render(doc, images, theme, DeckOptions())
    assert again.data == rendered.data
    with zipfile.ZipFile(BytesIO(rendered.data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
        assert any(n.startswith("ppt/embeddings/") for n in z.namelist()), "native charts embed their data"


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


def test_too_many_points_continue_on_a_second_slide_with_a_warning(stressed):
    prs = Presentation(BytesIO(stressed.data))
    titles = [title(s) for s in prs.slides]
    assert titles.count("Key takeaways (continued)") >= 2  # 14 points, five a slide
    assert "text split: Key takeaways continued on a second slide" in stressed.warnings


def test_a_point_longer_than_twelve_words_is_said_in_the_notes_with_a_warning(project, images):
    doc, theme = project
    long = (Run("This takeaway has no bold lead and runs on for well over twelve words in all."),)
    sections = tuple(
        replace(
            s, blocks=tuple(replace(b, items=(long, *b.items)) for b in s.blocks if isinstance(b, Bullets))
        )
        if s.id == "takeaways"
        else s
        for s in doc.sections
    )
    out = render_pptx.render(replace(doc, sections=sections), images, theme, DeckOptions())
    assert any("point 1 has more than 12 words" in w for w in out.warnings), out.warnings
    slide = next(s for s in Presentation(BytesIO(out.data)).slides if title(s) == "Key takeaways")
    assert "no bold lead" not in slide.placeholders[1].text_frame.text
    assert "no bold lead" in notes(slide)


def test_a_long_table_continues_over_backup_slides_at_the_same_size(stressed):
    prs = Presentation(BytesIO(stressed.data))
    titles = [title(s) for s in prs.slides]
    name = "Latest available value of each indicator, with its year"
    assert titles.count(f"{name} (continued)") >= 3
    sizes = {
        size
        for s in prs.slides
        if title(s).startswith(name)
        for sh in s.shapes
        if sh.has_table
        for row in sh.table.rows
        for c in row.cells
        for _, size in runs(c)
    }
    assert len(sizes) == 1


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


# --- --deck-charts picture ---------------------------------------------------------------------------


def test_picture_charts_keep_the_slides_and_their_alt_text(project, images, rendered):
    doc, theme = project
    out = render_pptx.render(doc, images, theme, DeckOptions(charts="picture"))
    prs = Presentation(BytesIO(out.data))
    assert out.pages == rendered.pages
    pics = [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pics) == len(
        {p.id for f in doc.figures() for p in slide_parts(f.chart)}
    )  # a long timeline in parts
    assert {p._element._nvXxPr.cNvPr.get("descr") for p in pics} == {f.chart.alt for f in doc.figures()}
    assert not any(
        getattr(s, "has_chart", False) and s.has_chart for slide in prs.slides for s in slide.shapes
    )


def test_the_chart_option_is_the_deck_s_alone_so_the_brief_s_cache_key_ignores_it():
    from digibrief.writers.contract import Choices
    from digibrief.writers.pdf import options as pdf_options
    from digibrief.writers.pptx import options as deck_options

    assert pdf_options.resolve(Choices(deck_charts="picture")) == pdf_options.resolve(Choices())
    assert deck_options.resolve(Choices(deck_charts="picture")).charts == "picture"
    with pytest.raises(UsageError, match="--deck-charts"):
        deck_options.resolve(Choices(deck_charts="svg"))


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
    takeaways = next(s for s in deck.slides if title(s) == "Key takeaways")
    bodies = [s for s in takeaways.placeholders if s.placeholder_format.type != PP_PLACEHOLDER.TITLE]
    assert any("Kazakhstan leads" in s.text_frame.text for s in bodies)


def dark_template(path: Path) -> Path:
    """A 16:9 template whose master maps the background to its dark colour (bg1 = dk1) and the text to
    its light one, with light accents: how dark corporate templates are usually built."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    cmap = prs.slide_master._element.find(qn("p:clrMap"))
    for slot, colour in {"bg1": "dk1", "tx1": "lt1", "bg2": "dk2", "tx2": "lt2"}.items():
        cmap.set(slot, colour)
    part = prs.slide_master.part.part_related_by(RT.THEME)
    blob = part.blob.decode()
    for old, new in {
        '<a:sysClr val="windowText" lastClr="000000"/>': '<a:srgbClr val="14171F"/>',
        '<a:srgbClr val="4F81BD"/>': '<a:srgbClr val="4FC3F7"/>',  # accent1
        '<a:srgbClr val="C0504D"/>': '<a:srgbClr val="FFB74D"/>',  # accent2
    }.items():
        blob = blob.replace(old, new)
    part._blob = blob.encode()
    k = 12192000 / 9144000
    for owner in [prs.slide_master, *prs.slide_master.slide_layouts]:
        for shape in owner.shapes:
            if shape._element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}") is not None:
                shape.left, shape.width = round(shape.left * k), round(shape.width * k)
    prs.save(path)
    return path


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_a_dark_template_gets_light_text_and_charts_in_its_own_colours(project, images, tmp_path):
    doc, theme = project
    options = DeckOptions(read_template(dark_template(tmp_path / "dark.pptx")))
    out = render_pptx.render(doc, images, theme, options)
    prs = Presentation(BytesIO(out.data))
    fills = [
        (shape.name, r.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}"))
        for slide in main_slides(prs)
        for shape in slide.shapes
        if shape.has_text_frame and shape.name in ("Title", "Body", "Kicker")
        for r in shape._element.iter(qn("a:rPr"))
    ]
    colours = [fill.get("val") for _, fill in fills if fill is not None]
    assert colours and min(luminance(c) for c in colours if c) > 0.45, "light text on the dark master"
    assert all(fill is None for name, fill in fills if name == "Title"), (
        "titles in the master's (light) style"
    )
    spaces = [
        s.chart._chartSpace
        for slide in prs.slides
        for s in slide.shapes
        if getattr(s, "has_chart", False) and s.has_chart
    ]
    assert spaces
    xml = b"".join(etree.tostring(space) for space in spaces)
    assert b'val="0072B2"' in xml, "the focus country in its colour in the brief"
    assert b'val="4FC3F7"' not in xml, "not in the template's first accent: one palette for brief and deck"
    assert all(space.find(f"{qn('c:spPr')}/{qn('a:noFill')}") is not None for space in spaces), (
        "the slide shows through"
    )
    with_picture = [sl for sl in prs.slides if any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in sl.shapes)]
    assert with_picture and not any(s.name == "Chart card" for sl in with_picture for s in sl.shapes)
    requests = render_pptx.image_requests(doc, options)
    assert requests and all(r.ground is not None and r.ground.paper == "#14171F" for r in requests), (
        "a picture is drawn on the slide's own background, not on a white card"
    )


def test_a_template_whose_title_overlaps_its_body_is_reported_and_content_goes_below_the_title(
    project, images, tmp_path
):
    doc, theme = project
    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name in ("Title Only", "Title and Content"):
            for ph in layout.placeholders:
                if ph.placeholder_format.type == PP_PLACEHOLDER.TITLE:
                    ph.left, ph.width = Emu(457200), Emu(8229600)
                    ph.top, ph.height = Emu(274638), Emu(1600200)  # to 1.9 in; the body starts at 1.75 in
    prs.save(tmp_path / "overlap.pptx")
    out = render_pptx.render(doc, images, theme, DeckOptions(read_template(tmp_path / "overlap.pptx")))
    assert any("title placeholder overlaps the body placeholder" in w for w in out.warnings), out.warnings
    deck = Presentation(BytesIO(out.data))
    for slide in main_slides(deck):
        if slide.slide_layout.name == "Title Slide":
            continue
        title_bottom = slide.shapes.title.top + slide.shapes.title.height
        content = [
            s
            for s in slide.shapes
            if s.name not in ("Title", "Footer", "Slide number") and not s.name.startswith("Footer")
        ]
        assert all(s.top >= title_bottom - 12700 for s in content), title(slide)


# --- a real client -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def in_libreoffice(project, images, rendered, templated, tmp_path_factory, libreoffice):
    """This module's decks as LibreOffice opens them, one conversion per kind of output in this worker's
    soffice (conftest.LibreOffice, started once a session): a template LibreOffice saved (python-pptx's
    default opened and saved as pptx: the same parts, but for the fields' random ids, as a round trip
    through odp, in one conversion rather than two), then the shipped deck, the templated one and the one
    built on LibreOffice's template converted to PDF together (a deck costs LibreOffice about one and a
    half seconds of CPU).

    Returns (the PDF conversion, {deck file: (the writer's result, its PDF)})."""
    doc, theme = project
    folder = tmp_path_factory.mktemp("libreoffice")
    Presentation().save(folder / "plain.pptx")
    libreoffice.convert("pptx", [folder / "plain.pptx"], folder / "lo").check_returncode()
    on_lo = render_pptx.render(doc, images, theme, DeckOptions(read_template(folder / "lo" / "plain.pptx")))
    decks = {"deck.pptx": rendered, "templated.pptx": templated, "on-lo-template.pptx": on_lo}
    for name, r in decks.items():
        (folder / name).write_bytes(r.data)
    done = libreoffice.convert("pdf", (folder / name for name in decks), folder / "pdf")
    return done, {name: (r, folder / "pdf" / name.replace(".pptx", ".pdf")) for name, r in decks.items()}


def test_a_template_saved_by_libreoffice_builds_a_deck_libreoffice_opens_slide_for_slide(in_libreoffice):
    done, decks = in_libreoffice
    assert done.returncode == 0, done.stderr
    out, pdf = decks["on-lo-template.pptx"]
    assert len(PdfReader(pdf).pages) == out.pages == len(Presentation(BytesIO(out.data)).slides)


def test_libreoffice_converts_both_decks_with_the_same_slide_count(in_libreoffice):
    done, decks = in_libreoffice
    assert done.returncode == 0, done.stderr
    for name in ("deck.pptx", "templated.pptx"):
        r, pdf = decks[name]
        assert pdf.is_file(), done.stdout + done.stderr
        assert len(PdfReader(pdf).pages) == r.pages


def test_every_figure_of_the_document_is_on_a_slide(project, deck):
    doc, _ = project
    alts = {f.chart.alt for f in doc.figures() if isinstance(f, Figure)}
    found = {
        s._element.xpath("./*[1]/p:cNvPr/@descr")[0]
        for slide in deck.slides
        for s in slide.shapes
        if s._element.xpath("./*[1]/p:cNvPr/@descr")
    }
    assert alts <= found


def test_the_shipped_deck_validates_against_the_ooxml_schema(shipped, ooxml_validator) -> None:
    """openxml-audit (PyPI) checks every part against the Office schemas, as PowerPoint would."""
    report = ooxml_validator.validate(shipped.out / "deck.pptx")
    assert report.error_count == 0, report.errors[:5]
    assert report.is_valid
