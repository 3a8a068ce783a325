"""Decks on a user's template: its title style kept, one palette with the brief, 4:3 slides used as well
as 16:9, and a template whose placeholders cannot hold content refused. Templates are made here."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu

from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.options import DeckOptions, read_template

from .conftest import run_cli

AMBER = "FFB300"
NAVY = "14171F"


def _widen(prs) -> None:
    """python-pptx's default 4:3 master and layouts stretched to 16:9."""
    k = 12192000 / prs.slide_width
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for owner in [prs.slide_master, *prs.slide_master.slide_layouts]:
        for shape in owner.shapes:
            if shape._element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}") is not None:
                shape.left, shape.width = round(shape.left * k), round(shape.width * k)


def amber_dark_template(path: Path) -> Path:
    """A dark 16:9 template (background dk1 navy, text lt1) whose master styles titles centred, amber and
    in a serif face of its own."""
    prs = Presentation()
    _widen(prs)
    cmap = prs.slide_master._element.find(qn("p:clrMap"))
    for slot, colour in {"bg1": "dk1", "tx1": "lt1", "bg2": "dk2", "tx2": "lt2"}.items():
        cmap.set(slot, colour)
    part = prs.slide_master.part.part_related_by(RT.THEME)
    blob = part.blob.decode()
    for old, new in {
        '<a:sysClr val="windowText" lastClr="000000"/>': f'<a:srgbClr val="{NAVY}"/>',
        '<a:srgbClr val="4F81BD"/>': '<a:srgbClr val="4FC3F7"/>',  # accent1
        '<a:srgbClr val="C0504D"/>': '<a:srgbClr val="FFB74D"/>',  # accent2
    }.items():
        blob = blob.replace(old, new)
    part._blob = blob.encode()
    lvl1 = prs.slide_master._element.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    lvl1.set("algn", "ctr")
    rpr = lvl1.find(qn("a:defRPr"))
    for child in list(rpr):
        if child.tag in (qn("a:solidFill"), qn("a:latin")):
            rpr.remove(child)
    fill = rpr.makeelement(qn("a:solidFill"), {})
    fill.append(fill.makeelement(qn("a:srgbClr"), {"val": AMBER}))
    rpr.insert(0, fill)
    rpr.insert(1, rpr.makeelement(qn("a:latin"), {"typeface": "DejaVu Serif"}))  # in schema order
    prs.save(path)
    return path


def four_three_template(path: Path) -> Path:
    """python-pptx's default template as it is: 4:3 (10 x 7.5 in), white."""
    Presentation().save(path)
    return path


def degenerate_template(path: Path) -> Path:
    """A template whose 'Title and Content' body placeholder is zero points tall."""
    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name == "Title and Content":
            for ph in layout.placeholders:
                if ph.placeholder_format.idx == 1:
                    ph.left, ph.top, ph.width = Emu(457200), Emu(1600200), Emu(8229600)
                    ph.height = Emu(0)
    prs.save(path)
    return path


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(shipped_doc, shipped_theme):
    return shipped_doc, shipped_theme


def render(project, deck_images, template: Path, charts: str = "native", theme=None):
    doc, shipped = project
    return render_pptx.render(
        doc, deck_images, theme or shipped, DeckOptions(read_template(template), charts)
    )


@pytest.fixture(scope="module")
def dark_deck(project, deck_images, tmp_path_factory):
    """The shipped deck on the dark template with a centred amber title style, as rendered."""
    return render(project, deck_images, amber_dark_template(tmp_path_factory.mktemp("dark") / "dark.pptx"))


@pytest.fixture(scope="module")
def dark(dark_deck):
    return Presentation(BytesIO(dark_deck.data))


@pytest.fixture(scope="module")
def narrow(project, deck_images, tmp_path_factory):
    """The shipped deck on a plain 4:3 template: (the result, the presentation)."""
    out = render(project, deck_images, four_three_template(tmp_path_factory.mktemp("43") / "plain43.pptx"))
    return out, Presentation(BytesIO(out.data))


def titles(prs):
    return [s for slide in prs.slides for s in slide.shapes if s.name == "Title"]


# --- the template's title style ------------------------------------------------------------------------


def test_the_deck_on_a_dark_template_validates_against_the_ooxml_schema(dark_deck, ooxml_validator, tmp_path):
    (tmp_path / "deck.pptx").write_bytes(dark_deck.data)
    report = ooxml_validator.validate(tmp_path / "deck.pptx")
    assert report.error_count == 0, report.errors[:5]


def test_titles_on_a_template_take_its_centred_amber_title_style(dark):
    master = dark.slide_master._element
    lvl1 = master.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    assert lvl1.get("algn") == "ctr"
    assert lvl1.find(f"{qn('a:defRPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val") == AMBER
    found = titles(dark)
    assert len(found) == len(dark.slides), "every slide has its title in the layout's placeholder"
    for shape in found:
        assert shape.is_placeholder
        for p in shape._element.iter(qn("a:p")):
            ppr = p.find(qn("a:pPr"))
            assert ppr is None or ppr.get("algn") is None, f"{shape.text_frame.text!r}: alignment forced"
        for rpr in shape._element.iter(qn("a:rPr")):
            assert rpr.find(qn("a:solidFill")) is None, f"{shape.text_frame.text!r}: colour forced"
            assert rpr.find(qn("a:latin")) is None, f"{shape.text_frame.text!r}: font forced"
    layouts = {slide.slide_layout.name: slide.slide_layout for slide in dark.slides}
    for layout in layouts.values():  # nothing between the master's style and the slide overrides it
        for ph in layout.placeholders:
            if ph.placeholder_format.type not in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
                continue
            assert ph._element.find(f".//{qn('a:lstStyle')}/{qn('a:lvl1pPr')}") is None


def test_the_theme_may_set_the_title_style_on_a_template(project, deck_images, tmp_path):
    _, theme = project
    themed = replace(theme, slide_titles=("#AA2200", "Noto Serif", "r"))
    out = render(project, deck_images, amber_dark_template(tmp_path / "dark.pptx"), theme=themed)
    for shape in titles(Presentation(BytesIO(out.data))):
        assert {p.find(qn("a:pPr")).get("algn") for p in shape._element.iter(qn("a:p"))} == {"r"}
        runs = list(shape._element.iter(qn("a:rPr")))
        assert runs
        assert {r.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val") for r in runs} == {"AA2200"}
        assert {r.find(qn("a:latin")).get("typeface") for r in runs} == {"Noto Serif"}


# --- a template that cannot hold the deck ---------------------------------------------------------------


def test_check_and_build_refuse_a_template_with_a_zero_height_placeholder_naming_layout_and_placeholder(
    tmp_path,
):
    path = degenerate_template(tmp_path / "flat.pptx")
    checked = run_cli("check", "--template", str(path))
    assert checked.returncode == 1, checked.stderr
    line = checked.stderr.splitlines()[0]
    assert line.startswith(f"{path}: ppt/slideLayouts/slideLayout2.xml: ")
    assert "layout 'Title and Content'" in line and "placeholder 'Content Placeholder 2'" in line
    assert "0 pt tall" in line and "Traceback" not in checked.stderr
    built = run_cli("build", "--only", "deck", "--template", str(path), "--out", str(tmp_path / "out"), "-q")
    assert built.returncode == 1
    assert line in built.stderr
    assert not list((tmp_path / "out").glob("*.pptx"))


def test_check_accepts_a_template_that_holds_the_deck(tmp_path):
    checked = run_cli("check", "--template", str(four_three_template(tmp_path / "plain.pptx")))
    assert checked.returncode == 0, checked.stderr
    assert "template plain.pptx holds the deck" in checked.stdout


# --- one palette --------------------------------------------------------------------------------------


def series_colours(prs) -> dict[str, set[str]]:
    """Each native chart series' name -> the line or fill colours it is drawn in, over the whole deck."""
    out: dict[str, set[str]] = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if not getattr(shape, "has_chart", False) or not shape.has_chart:
                continue
            for ser in shape.chart._chartSpace.iter(qn("c:ser")):
                name = "".join(v.text or "" for v in ser.find(qn("c:tx")).iter(qn("c:v")))
                sp = ser.find(qn("c:spPr"))
                if sp is None:
                    continue
                fills = sp.findall(f"{qn('a:ln')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
                fills += sp.findall(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
                out.setdefault(name, set()).update("#" + f.get("val") for f in fills)
    return out


def grey(colour: str) -> bool:
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return max(channels) - min(channels) < 16


def test_a_country_has_its_brief_colour_on_a_template(project, dark):
    doc, theme = project
    own = {
        s.label.split(" ")[0]: theme.palette[s.colour].upper()
        for f in doc.figures()
        for s in f.chart.series
        if s.colour is not None
    }
    seen = series_colours(dark)
    coloured = {name: {c for c in colours if not grey(c)} for name, colours in seen.items() if name in own}
    assert len([name for name, colours in coloured.items() if colours]) >= 3, seen
    for name, colours in coloured.items():  # its own colour, or the focus role's as in the brief's charts
        assert colours <= {own[name], theme.focus.upper()}, (name, colours, own[name])
    accents = {"#4FC3F7", "#FFB74D"}  # the template's accent1 and accent2
    assert not accents & set().union(*seen.values()), "no series in the template's accents"


# --- 4:3 ------------------------------------------------------------------------------------------------


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def matrix_tables(prs, doc) -> list[tuple[int, object]]:
    """(slide index, table) of every table drawing the risk matrix."""
    (spec,) = [f.chart for f in doc.figures() if f.chart.kind == "heatmap"]
    return [
        (i, shape.table)
        for i, slide in enumerate(prs.slides)
        for shape in slide.shapes
        if shape.has_table and shape.name == f"Chart: {spec.title}"
    ]


def test_the_risk_matrix_is_one_table_on_one_slide_on_4_3_as_on_16_9(project, narrow, rendered_deck):
    doc, theme = project
    (spec,) = [f.chart for f in doc.figures() if f.chart.kind == "heatmap"]
    cells = (len(spec.rows) + 1) * (len(spec.columns) + 1)
    wide = Presentation(BytesIO(rendered_deck[0].data))
    out, prs = narrow
    assert prs.slide_width / prs.slide_height == pytest.approx(4 / 3)
    for deck in (wide, prs):
        found = matrix_tables(deck, doc)
        assert len(found) == 1, [slide_title(deck.slides[i]) for i, _ in found]
        _, table = found[0]
        assert len(table.rows) * len(table.columns) == cells, "every country and category in the one table"
        texts = {c.text_frame.text for row in table.rows for c in row.cells}
        assert set(spec.rows) <= texts and set(spec.columns) <= texts
        sizes = [
            r.font.size.pt
            for row in table.rows
            for c in row.cells
            for p in c.text_frame.paragraphs
            for r in p.runs
        ]
        assert min(sizes) >= theme.size("slide_label"), "a step down the type scale at most"
    ((i, table),) = matrix_tables(prs, doc)
    frame = next(s for s in prs.slides[i].shapes if s.has_table)
    assert frame.left + frame.width <= prs.slide_width and frame.top + frame.height <= prs.slide_height
    assert not any("continues on" in w and spec.title in w for w in out.warnings), out.warnings


def test_on_4_3_every_country_shows_its_four_key_figures(project, narrow):
    doc, _ = project
    out, prs = narrow
    assert not any("key figures fit" in w for w in out.warnings), out.warnings
    tiles = {}
    for slide in prs.slides:
        n = sum(1 for s in slide.shapes if s.name == "Key figure")
        if n:
            tiles[slide_title(slide)] = n
    wanted = {
        s.title: min(4, len(b.items))
        for s in doc.sections
        for b in s.blocks
        if type(b).__name__ == "KeyFigures" and s.role == "profile"
    }
    assert wanted and all(tiles.get(t) == n for t, n in wanted.items()), (tiles, wanted)


def test_on_4_3_tables_continue_over_slides_and_nothing_is_cut(project, narrow):
    doc, _ = project
    out, prs = narrow
    assert not any("skipped" in w for w in out.warnings), out.warnings
    titles = [slide_title(s) for s in prs.slides]
    captions = [
        (b.caption or s.title).rstrip(". ")
        for s in doc.sections
        for b in s.blocks
        if type(b).__name__ == "Table" and b.on_slide != "omit"
    ]
    assert captions and all(c in titles for c in captions), set(captions) - set(titles)
    sources = doc.speech.word("sources_title")
    for slide in prs.slides:
        listing = slide_title(slide).startswith(sources)  # the numbered sources in the backup
        for shape in slide.shapes:
            if not shape.has_text_frame or shape.name in ("Title", "Footer", "Slide number"):
                continue
            if listing or shape.name == "Source" or shape.name.startswith("Contents"):
                assert "\u2026" not in shape.text_frame.text, (slide_title(slide), shape.text_frame.text)
    assert sum(slide_title(s).startswith(sources) for s in prs.slides) >= 2, "the sources are listed"


def test_a_source_line_is_on_its_slide_in_full_or_in_its_notes(project, narrow):
    doc, _ = project
    _, prs = narrow
    lines = {f.chart.source_line for f in doc.figures() if f.chart.source_line}
    for slide in prs.slides:
        shown = " ".join(s.text_frame.text for s in slide.shapes if s.name == "Source")
        said = slide.notes_slide.notes_text_frame.text
        for line in lines:
            if line in said and line not in shown:  # said only: the slide has no cut copy of it
                assert line[:30] not in shown
    assert all(any(line in s.notes_slide.notes_text_frame.text for s in prs.slides) for line in lines)


# --- pictures on the slide's background -----------------------------------------------------------------


def test_the_milestones_picture_is_drawn_on_the_dark_slide_s_background(project, tmp_path):
    from PIL import Image

    from digibrief.pipeline.build import draw_chart

    doc, theme = project
    options = DeckOptions(read_template(amber_dark_template(tmp_path / "dark.pptx")))
    requests = render_pptx.image_requests(doc, options)
    assert requests and {r.chart.kind for r in requests} == {"timeline"}
    assert all(r.ground is not None and r.ground.paper == "#" + NAVY for r in requests)
    with Image.open(BytesIO(draw_chart(requests[0], theme))) as im:
        rgb = im.convert("RGB")
        w, h = rgb.size
        assert rgb.getpixel((2, 2)) == rgb.getpixel((w - 3, h - 3)) == (0x14, 0x17, 0x1F)
        lightest = max(sum(rgb.getpixel((x, y))) for x in range(0, w, 3) for y in range(0, h, 3))
        assert lightest > 3 * 150, "its labels in the slide's light text colour"
    plain = render_pptx.image_requests(
        doc, DeckOptions(read_template(four_three_template(tmp_path / "w.pptx")))
    )
    assert all(r.ground is None for r in plain), "a white template's pictures are the brief's own"


def test_theme_yaml_s_slide_titles_become_the_theme_s_title_style(shipped_project):
    from pydantic import ValidationError

    from digibrief.project.model import ThemeFile
    from digibrief.project.theming import make_theme

    from .conftest import REPORT

    spec = shipped_project.theme.model_dump()
    assert make_theme(shipped_project.theme, REPORT).slide_titles == ("", "", ""), "the template's own"
    styled = ThemeFile.model_validate(
        {**spec, "slide_titles": {"colour": "#AA2200", "font": "Noto Serif", "align": "right"}}
    )
    assert make_theme(styled, REPORT).slide_titles == ("#AA2200", "Noto Serif", "r")
    with pytest.raises(ValidationError):
        ThemeFile.model_validate({**spec, "slide_titles": {"align": "justified"}})


# --- a template's colours as the one palette --------------------------------------------------------------


def test_a_template_may_give_its_accents_as_the_palette_of_brief_and_deck(shipped_project, tmp_path):
    from digibrief.project.model import ThemeFile
    from digibrief.project.theming import make_theme

    amber_dark_template(tmp_path / "corp.pptx")  # accent1 4FC3F7, accent2 FFB74D, then Office's
    spec = {k: v for k, v in shipped_project.theme.model_dump().items() if k not in ("palette", "fonts")}
    theme = make_theme(ThemeFile.model_validate({**spec, "palette_from": "corp.pptx"}), tmp_path)
    assert theme.palette == ("#4FC3F7", "#FFB74D", "#9BBB59", "#8064A2", "#4BACC6", "#F79646")


def test_check_refuses_two_palettes_or_a_palette_template_it_cannot_read_at_its_line(project_copy):
    theme = project_copy / "report" / "theme.yaml"
    text = theme.read_text()
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("palette:"))
    theme.write_text(text.replace("palette: [", "palette_from: corp.pptx\npalette: [", 1))
    both = run_cli("check", cwd=project_copy)
    assert both.returncode == 1 and "not both or neither" in both.stderr, both.stderr
    theme.write_text("\n".join(t for t in text.splitlines() if not t.startswith("palette:")) + "\n")
    theme.write_text(theme.read_text().replace("focus:", "palette_from: corp.pptx\nfocus:", 1))
    missing = run_cli("check", cwd=project_copy)
    assert missing.returncode == 1, missing.stderr
    assert f"theme.yaml:{line}:" in missing.stderr and "palette_from" in missing.stderr
    assert "template 'corp.pptx' not found" in missing.stderr and "Traceback" not in missing.stderr
    amber_dark_template(project_copy / "report" / "corp.pptx")
    ok = run_cli("check", cwd=project_copy)
    assert ok.returncode == 0, ok.stderr
