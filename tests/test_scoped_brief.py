"""A brief of some of the report's countries (build --per-country, --countries) is composed for them:
its cover, map, takeaways, incidents, disagreements, remarks and emphasis are theirs, and nothing in
it refers to a focus country it leaves out. Read from the composed document (cheap), and the cover
of one per-country brief from its PDF."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from digibrief.document.compose import compose
from digibrief.document.types import Bullets, Figure, KeyFigures, Locator, Paragraph, Table, plain

from .conftest import replace_in, require_tool, run_cli

NAMES = {"KAZ": "Kazakhstan", "UZB": "Uzbekistan", "KGZ": "Kyrgyzstan", "TJK": "Tajikistan"}
SCOPES = [("KAZ",), ("UZB",), ("KGZ",), ("TJK",), ("KAZ", "UZB")]


@pytest.fixture(scope="module")
def scoped(shipped_project: Any) -> dict[tuple[str, ...], Any]:
    return {s: compose(shipped_project, list(s)) for s in SCOPES}


def section(doc: Any, sid: str) -> Any:
    return next(s for s in doc.sections if s.id == sid)


def absent(focus: tuple[str, ...]) -> list[str]:
    return [name for cid, name in NAMES.items() if cid not in focus]


def takeaways_of(doc: Any) -> list[str]:
    [bullets] = [b for b in section(doc, "takeaways").blocks if isinstance(b, Bullets)]
    return [plain(t) for t in bullets.items]


@pytest.mark.parametrize("focus", SCOPES, ids="-".join)
def test_a_scoped_cover_names_its_countries_and_its_map_colours_only_them(scoped, focus):
    doc = scoped[focus]
    names = [NAMES[c] for c in focus]
    assert all(n in doc.meta.title for n in names), doc.meta.title
    assert all(n in doc.meta.subtitle for n in names), doc.meta.subtitle
    for other in absent(focus):
        assert other not in doc.meta.title and other not in doc.meta.subtitle
    [locator] = [b for b in section(doc, "cover").blocks if isinstance(b, Locator)]
    assert {s.key for s in locator.chart.shapes if s.emphasis} == set(focus)
    assert all(n in locator.chart.alt for n in names), locator.chart.alt  # and says so to a listener
    assert not any(other in locator.chart.alt for other in absent(focus)), locator.chart.alt


@pytest.mark.parametrize("focus", SCOPES, ids="-".join)
def test_a_scoped_brief_s_takeaways_are_about_its_countries_alone(scoped, focus):
    items = takeaways_of(scoped[focus])
    assert 2 <= len(items) <= 5, items
    for item in items:
        assert any(NAMES[c] in item for c in focus), item
        assert not any(other in item for other in absent(focus)), item
    assert re.search(r"\d", " ".join(items))  # figures, read from the data


def test_the_tajikistan_brief_s_takeaways_differ_from_kazakhstan_s(scoped):
    assert not set(takeaways_of(scoped[("TJK",)])) & set(takeaways_of(scoped[("KAZ",)]))


@pytest.mark.parametrize("focus", SCOPES, ids="-".join)
def test_a_scoped_brief_s_incidents_and_disagreements_concern_its_countries(scoped, focus):
    doc = scoped[focus]
    names = {NAMES[c] for c in focus}
    [incidents] = [b for b in section(doc, "risks").blocks if isinstance(b, Table)]
    assert {plain(row[0]) for row in incidents.rows} == names
    assert all(n in incidents.caption for n in names), incidents.caption
    method = section(doc, "methodology")
    tables = [b for b in method.blocks if isinstance(b, Table) and b.caption == "Where sources disagree"]
    said = " ".join(plain(b.text) for b in method.blocks if isinstance(b, Paragraph))
    if tables:
        assert {plain(row[0]).split(":")[0] for row in tables[0].rows} <= names
    else:  # no disagreement recorded for them: the methodology says so instead of leaving it unexplained
        assert "No disagreement between sources is recorded for the figures of " in said


def test_methodology_remarks_are_printed_only_in_briefs_that_show_their_country(scoped, shipped_doc):
    def method_text(doc: Any) -> str:
        blocks = section(doc, "methodology").blocks
        return " ".join(plain(b.text) for b in blocks if isinstance(b, Paragraph))

    whole = method_text(shipped_doc)
    assert "Alif and Humo" in whole and "Kaspi Bank" in whole and "Allakulov" in whole
    assert "Alif and Humo" in method_text(scoped[("TJK",)])
    assert "Kaspi Bank" not in method_text(scoped[("TJK",)]) and "Allakulov" not in method_text(
        scoped[("TJK",)]
    )
    assert "Alif and Humo" not in method_text(scoped[("KAZ", "UZB")])


@pytest.mark.parametrize("focus", SCOPES, ids="-".join)
def test_a_scoped_brief_emphasises_its_countries_in_the_regional_charts(scoped, focus):
    doc = scoped[focus]
    figures = [b for sid in ("overview", "risks") for b in section(doc, sid).blocks if isinstance(b, Figure)]
    lines = [f.chart for f in figures if f.chart.series]
    assert lines and all({s.key for s in c.series if s.emphasis} == set(focus) for c in lines)
    [timeline] = [f.chart for f in figures if f.chart.kind == "timeline"]
    assert {lane.label for lane in timeline.lanes if lane.emphasis} == {NAMES[c] for c in focus}
    [matrix] = [f for f in figures if f.chart.kind == "heatmap"]
    framed = {row for row, on in zip(matrix.chart.rows, matrix.chart.row_emphasis, strict=True) if on}
    assert framed == {NAMES[c] for c in focus}
    assert NAMES[focus[0]] in plain(matrix.headline)
    assert not any(other in plain(matrix.headline) for other in absent(focus))


def test_the_regional_brief_keeps_its_own_takeaways_and_emphasises_no_country(shipped_doc):
    assert len(takeaways_of(shipped_doc)) == 5
    [matrix] = [b for b in section(shipped_doc, "risks").blocks if isinstance(b, Figure)]
    assert matrix.chart.row_emphasis == ()
    [timeline] = [
        b.chart for b in section(shipped_doc, "overview").blocks if isinstance(b, Figure) and b.chart.lanes
    ]
    assert not any(lane.emphasis for lane in timeline.lanes)
    assert "Tajikistan" in plain(matrix.headline)


def test_a_scoped_brief_condenses_the_context_section(scoped, shipped_doc):
    full = section(shipped_doc, "context-tkm")
    short = section(scoped[("KAZ",)], "context-tkm")
    assert any(isinstance(b, (Locator, KeyFigures)) for b in full.blocks) and full.new_page
    assert not any(isinstance(b, (Locator, KeyFigures, Bullets)) for b in short.blocks)
    assert [type(b) for b in short.blocks] == [Paragraph, Figure] and not short.new_page


def test_check_warns_about_a_country_whose_own_brief_would_have_no_takeaway(project_copy):
    report = project_copy / "report" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    start = text.index('  TJK:\n    - "**Most people in Tajikistan')
    end = text.index("\n\n", start)
    report.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    replace_in(report, "  - countries: [KAZ, TJK]\n", "  - countries: [KAZ, UZB, TJK]\n")
    checked = run_cli("check", "--strict", cwd=project_copy)
    assert checked.returncode == 3, checked.stderr
    assert re.search(
        r"report/report\.yaml:\d+:1: takeaways: TJK's own brief \(build --per-country\) would have no "
        r"takeaways: give it its own under country_takeaways: TJK:",
        checked.stderr,
    ), checked.stderr
    assert "KAZ's own brief" not in checked.stderr


def test_the_kazakhstan_brief_s_printed_cover_and_takeaways_are_kazakhstan_s(
    shipped_project, shipped_theme, chart_images, pdf_store
):
    """The one PDF test here: the cover and takeaways as printed, read back with pdftotext."""
    from digibrief.writers.pdf import brief as render_pdf
    from digibrief.writers.pdf.options import PdfOptions

    pdftotext = require_tool("pdftotext")
    doc = compose(shipped_project, ["KAZ"])
    images = chart_images(render_pdf.image_requests(doc), shipped_theme, doc.speech)
    pdf = render_pdf.render(doc, images, shipped_theme, PdfOptions(paper="a4"), store=pdf_store).data

    def page(n: int) -> str:
        run = subprocess.run(
            [pdftotext, "-f", str(n), "-l", str(n), "-", "-"], input=pdf, capture_output=True, check=True
        )
        return " ".join(run.stdout.decode("utf-8").split())

    cover, second = page(1), page(2)
    assert "Digital Central Asia: Kazakhstan" in cover and "digital risks in Kazakhstan" in cover
    assert not any(other in cover for other in absent(("KAZ",)))
    assert "Key takeaways" in second and "Nearly everyone in Kazakhstan is online" in second
    assert "Tajikistan" not in second.split("Contents")[0]


def test_a_scoped_outlook_opens_with_its_countries_own_points_and_the_regional_one_has_none(
    scoped, shipped_doc
):
    def points(doc: Any) -> list[str]:
        [bullets] = [b for b in section(doc, "outlook").blocks if isinstance(b, Bullets)]
        return [plain(t) for t in bullets.items]

    regional = points(shipped_doc)
    for focus in SCOPES:
        mine = points(scoped[focus])
        assert mine[0].startswith(("Kazakhstan's", "Uzbekistan's", "Kyrgyzstan's", "In Tajikistan"))
        assert mine[0] not in regional
        assert NAMES[focus[0]] in mine[0]
        for item in mine:
            assert not any(other in item for other in absent(focus)), item


def test_the_deck_s_risk_matrix_names_the_brief_s_countries_in_bold_the_others_muted(
    scoped, shipped_theme, chart_images
):
    """Drawn from the risks section alone, so the deck test stays quick."""
    import dataclasses
    from io import BytesIO

    from pptx import Presentation

    from digibrief.writers.pptx import deck as render_pptx
    from digibrief.writers.pptx.options import DeckOptions

    doc = scoped[("KAZ",)]
    doc = dataclasses.replace(doc, sections=(section(doc, "risks"),))
    images = chart_images(render_pptx.image_requests(doc), shipped_theme, doc.speech)
    out = render_pptx.render(doc, images, shipped_theme, DeckOptions())
    tables = [
        s.table for slide in Presentation(BytesIO(out.data)).slides for s in slide.shapes if s.has_table
    ]
    [matrix] = [t for t in tables if any(c.text == "3 High" for row in t.rows for c in row.cells)]
    cells = [cell for row in matrix.rows for cell in row.cells]
    bold = {
        cell.text: any(r.font.bold for p in cell.text_frame.paragraphs for r in p.runs)
        for cell in cells
        if cell.text in NAMES.values()
    }
    assert bold["Kazakhstan"] and not any(bold[n] for n in absent(("KAZ",))), bold
