"""The PDF writer, tested by reading the brief back (pypdf; poppler and qpdf when installed)."""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from digibrief.document import types as d
from digibrief.errors import RenderError
from digibrief.theme import Theme
from digibrief.writers.contract import Images
from digibrief.writers.pdf import brief as render_pdf
from digibrief.writers.pdf.options import PdfOptions

from .conftest import PageText, pdf_pages, pdf_text, require_tool

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = (
    "AT&T",
    "a < b",
    '<img src="/etc/passwd"/>',
    '<a href="javascript:alert(1)">x</a>',
    "<font size=80>big</font>",
    "an unbalanced <b> tag",
    "&amp; stays &amp;",
)


# --- helpers and fixtures ------------------------------------------------------------------------


def run_tool(*args: str, data: bytes | None = None) -> str:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout.decode()


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def fragments(page: PageText) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run on a page (x is reliable at line starts only)."""
    out: list[tuple[float, float, str]] = []
    for text, cm, tm, _ in page.runs:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            out.append((x, y, text.strip()))
    return out


def links(reader: PdfReader, page_index: int) -> list[dict]:  # type: ignore[type-arg]
    return [
        a.get_object()
        for a in reader.pages[page_index].get("/Annots", [])
        if a.get_object()["/Subtype"] == "/Link"
    ]


def page_texts(data: bytes) -> list[str]:
    """Each page's text, as pypdf extracts it (once per PDF and session: conftest.pdf_pages)."""
    return [p.text for p in pdf_pages(data)]


@pytest.fixture(scope="module")
def built(shipped_doc, shipped_theme, chart_images) -> tuple[d.Document, Theme, Images]:  # type: ignore[no-untyped-def]
    """The shipped document and theme (composed once per session) and the PDF's images (drawn once)."""
    requests = render_pdf.image_requests(shipped_doc)
    return shipped_doc, shipped_theme, chart_images(requests, shipped_theme, shipped_doc.speech)


@pytest.fixture(scope="module")
def brief(rendered_briefs):  # type: ignore[no-untyped-def]
    return rendered_briefs("a4")


@pytest.fixture(scope="module")
def reader(brief) -> PdfReader:  # type: ignore[no-untyped-def]
    return PdfReader(io.BytesIO(brief.data))


@pytest.fixture(scope="module")
def hostile(built: tuple[d.Document, Theme, Images], pdf_store):  # type: ignore[no-untyped-def]
    """The brief with data strings that look like markup, a javascript: link and an emoji (its charts
    parsed once per session, in the session's store)."""
    doc, theme, images = built
    runs = (
        *(d.Run(s + " ") for s in HOSTILE),
        d.Run("smile \U0001f600 "),
        d.Run("click", href="javascript:alert(1)"),
        d.Run(" safe", href="https://example.org/?a=1&b=2"),
    )
    sections = list(doc.sections)
    i = next(i for i, s in enumerate(sections) if s.id == "overview")
    s = sections[i]
    sections[i] = dataclasses.replace(
        s,
        title="Overview <b>& co</b>",
        blocks=(
            d.Paragraph(runs),
            d.Callout("<u>Sources</u> disagree", runs),
            d.Table(("<th>", "a&b"), ((runs, (d.Run("<td/>"),)),)),
            *s.blocks,
        ),
    )
    rendered = render_pdf.render(
        dataclasses.replace(doc, sections=tuple(sections)), images, theme, PdfOptions(), store=pdf_store
    )
    return rendered, PdfReader(io.BytesIO(rendered.data))


# --- the contract --------------------------------------------------------------------------------


def test_image_requests_ask_for_print_svg_and_the_tall_size_for_timeline_and_heatmap(built) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    requests = render_pdf.image_requests(doc)
    maps = {b.chart.id for s in doc.sections for b in s.blocks if isinstance(b, d.Locator)}
    assert {r.chart.id for r in requests} == {f.chart.id for f in doc.figures()} | maps
    countries = {s.country for s in doc.sections if s.role == "profile" and s.country}
    assert {"locator-map"} | {f"{c.lower()}-locator-map" for c in countries} <= maps  # cover, country pages
    assert all(r.fmt == "svg" for r in requests)
    for r in requests:
        tall = "print_tall" if r.chart.kind in ("timeline", "heatmap") else "print"
        assert r.medium == ("print_map" if r.chart.id in maps else tall)


def test_render_returns_a_pdf_and_its_page_count(brief, reader) -> None:  # type: ignore[no-untyped-def]
    assert brief.data.startswith(b"%PDF-")
    assert brief.pages == len(reader.pages) > 10
    assert brief.warnings == []


def test_every_body_page_says_page_n_of_m_and_the_cover_does_not(brief, reader) -> None:  # type: ignore[no-untyped-def]
    n = len(reader.pages)
    texts = page_texts(brief.data)
    assert len(texts) == n
    assert "page 1 of" not in texts[0]
    for i in range(1, n):
        text = texts[i]
        assert f"page {i + 1} of {n}" in text
        assert "Digital Central Asia" in text  # running header


# --- navigation ----------------------------------------------------------------------------------


def test_outline_has_every_section_and_country_at_level_0(built, reader) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    entries = outline(reader)
    top = [title for level, title, _ in entries if level == 0]
    assert top == [s.title for s in doc.sections]
    for s in doc.sections:
        if s.id.startswith("country-"):
            assert s.title in top
    assert "References" in [t for lvl, t, _ in entries if lvl == 1]
    levels = [lvl for lvl, _, _ in entries]
    assert levels[0] == 0 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_contents_page_numbers_are_the_pages_the_headings_land_on(built, brief, reader) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    pages = {title: page for level, title, page in outline(reader) if level == 0}
    contents = pages["Contents"] - 1
    frags = fragments(pdf_pages(brief.data)[contents])
    numbers = {round(y): text for x, y, text in frags if text.isdigit() and x > 400}
    listed = {
        text: int(numbers[round(y)]) for x, y, text in frags if round(y) in numbers and not text.isdigit()
    }
    after = [s for s in doc.sections[[s.id for s in doc.sections].index("contents") + 1 :]]
    assert [s.title for s in after] == [t for t in listed if t in pages]
    for s in after:
        assert listed[s.title] == pages[s.title], s.title


def test_contents_entries_are_links_to_the_headings(built, reader) -> None:  # type: ignore[no-untyped-def]
    pages = {title: page for level, title, page in outline(reader) if level == 0}
    contents = pages["Contents"] - 1
    targets = set()
    for a in links(reader, contents):
        if "/Dest" in a:
            targets.add(reader.get_page_number(a["/Dest"][0].get_object()) + 1)
    expected = {p for t, p in pages.items() if t not in ("Digital Central Asia", "Key takeaways", "Contents")}
    assert expected <= targets


def linked_numbers(label: str) -> list[int]:
    """The references a marker links to: each listed number ("1,3,4"), or, for a label with a range
    ("2\u20137,9"), the first number alone, since such a label links as a whole."""
    if "\u2013" in label:
        return [int(re.split(r"[,\u2013]", label)[0])]
    return [int(n) for n in label.split(",")]


def test_citation_markers_link_to_their_numbered_reference(built, brief, reader) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    refs: dict[int, tuple[int, float]] = {}  # number -> (page index, baseline y) of "[n]"
    for i, page in enumerate(pdf_pages(brief.data)):
        for _, y, text in fragments(page):
            m = re.fullmatch(r"\[(\d+)\]", text)
            if m:
                refs[int(m.group(1))] = (i, y)
    assert set(refs) == {r.number for r in doc.references}

    takeaways = next(s for s in doc.sections if s.id == "takeaways")
    cited = [
        n
        for b in takeaways.blocks
        for item in b.items
        for r in item
        if r.cite
        for n in linked_numbers(r.text)
    ]  # type: ignore[attr-defined]
    page = next(p for lvl, t, p in outline(reader) if t == takeaways.title) - 1
    found = []
    for a in links(reader, page):
        dest = a.get("/Dest")
        if dest is None:
            continue
        target, top = reader.get_page_number(dest[0].get_object()), float(dest[3])
        hits = [n for n, (p, y) in refs.items() if p == target and 0 <= top - y < 20]
        if hits:
            found.append(hits[0])
    assert found == cited


def test_reference_urls_are_live_links_and_no_link_is_javascript(built, reader) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    uris = {a["/A"]["/URI"] for i in range(len(reader.pages)) for a in links(reader, i) if "/A" in a}
    expected = {r.url for r in doc.references if r.url}
    assert expected and expected <= uris
    assert all(u.startswith(("http://", "https://", "mailto:")) for u in uris)


# --- text ----------------------------------------------------------------------------------------


def test_countries_sections_and_seed_figures_are_in_the_text(built, brief) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    text = pdf_text(brief.data)
    for s in doc.sections:
        assert s.title in text
    for figure in ("28th", "80%", "230 million", "165 million", "13,000", "Astana", "Dushanbe"):
        assert figure in text


def test_cyrillic_and_uzbek_latin_names_render_as_text(brief) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(brief.data)
    for name in ("Oʻzbekiston", "Ўзбекистон", "Қазақстан", "Тоҷикистон", "Türkmenistan", "Кыргызстан"):
        assert name in text


def test_a_key_figures_status_is_said_in_words_not_marked(brief) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(brief.data)
    assert "2021 \u00b7 reported" in text and "\u2020" not in text and "\u2021" not in text


def test_hostile_strings_print_literally_and_load_nothing(hostile) -> None:  # type: ignore[no-untyped-def]
    rendered, reader = hostile
    text = pdf_text(rendered.data)
    for s in HOSTILE:
        assert s in text
    assert "Overview <b>& co</b>" in text
    assert "<u>Sources</u> disagree" in text and "<th>" in text and "<td/>" in text
    assert not any(_has_images(p) for p in reader.pages)  # <img> loaded nothing
    uris = {a["/A"]["/URI"] for i in range(len(reader.pages)) for a in links(reader, i) if "/A" in a}
    assert "https://example.org/?a=1&b=2" in uris
    assert not any("javascript" in u for u in uris)
    assert any("javascript:alert(1)" in w and "dropped" in w for w in rendered.warnings)


def test_a_character_the_pdf_cannot_show_becomes_a_box_and_a_warning(hostile) -> None:  # type: ignore[no-untyped-def]
    rendered, _ = hostile
    assert "smile \u25a1" in pdf_text(rendered.data)
    assert any("U+1F600" in w for w in rendered.warnings)


def test_hostile_text_survives_poppler(hostile) -> None:  # type: ignore[no-untyped-def]
    rendered, _ = hostile
    text = run_tool(require_tool("pdftotext"), "-enc", "UTF-8", "-", "-", data=rendered.data)
    for s in ('<img src="/etc/passwd"/>', "AT&T", "<font size=80>big</font>"):
        assert s in text


def _has_images(page: object) -> bool:
    xobjects = page["/Resources"].get("/XObject", {})  # type: ignore[index]
    return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


# --- print quality -------------------------------------------------------------------------------


def test_overlong_text_is_laid_out_without_errors(built, brief, pdf_store) -> None:  # type: ignore[no-untyped-def]
    """Titles, numbers, cells and callouts far too long for a page are set (split or shrunk), not fatal."""
    doc, theme, images = built
    word = "x" * 3000
    prose = ("lorem ipsum dolor sit amet " * 400).strip()
    sections = list(doc.sections)
    i = next(i for i, s in enumerate(sections) if s.id.startswith("country-"))
    blocks = (
        d.KeyFigures(
            (
                d.KeyFigure(
                    "L" * 400, d.Fact(None, "score", word, "p" * 200, (1,), "unverified"), (d.Run(prose),)
                ),
            )
            * 4,
            facts=(("F", prose),),
        ),
        d.Paragraph((d.Run(word),)),
        d.Callout("C" * 400, (d.Run(prose),)),
        d.Table(("a", "b"), (((d.Run(prose),), (d.Run(word),)),)),
        d.Bullets(((d.Run(prose),),), title="H" * 400),
    )
    sections[i] = dataclasses.replace(sections[i], title="T" * 300, kicker="K " * 100, blocks=blocks)
    sections[0] = dataclasses.replace(sections[0], title="Title " * 60)
    meta = dataclasses.replace(doc.meta, title="Title " * 60, subtitle="Sub " * 150)
    long_doc = dataclasses.replace(doc, meta=meta, sections=tuple(sections))
    rendered = render_pdf.render(long_doc, images, theme, PdfOptions(), store=pdf_store)
    assert rendered.pages > len(PdfReader(io.BytesIO(brief.data)).pages)  # brief: the same doc, not long


def test_charts_are_vector_drawings_not_images(reader) -> None:  # type: ignore[no-untyped-def]
    for page in reader.pages:
        assert not _has_images(page)


def test_a_split_table_repeats_its_header_row(brief) -> None:  # type: ignore[no-untyped-def]
    caption = "Incidents and evidence behind the ratings"
    texts = page_texts(brief.data)
    pages = [i for i, text in enumerate(texts) if caption in text]
    assert pages
    first = pages[0]
    rows = [i for i in range(first, len(texts)) if "Turkmenistan" in texts[i]]
    following = texts[first + 1]
    assert rows and "Date" in following and "Incident" in following  # the header again on the next page


def test_a_missing_or_unreadable_chart_image_fails_the_render_naming_the_chart(built, pdf_store) -> None:  # type: ignore[no-untyped-def]
    doc, theme, images = built
    req = render_pdf.image_requests(doc)[0]
    missing = {k: v for k, v in images.items() if k != req.key}
    with pytest.raises(RenderError, match=f"chart '{req.chart.id}'"):
        render_pdf.render(doc, missing, theme, PdfOptions(), store=pdf_store)
    junk = {**images, req.key: b"<?xml version='1.0'?><svg>not a chart"}
    with pytest.raises(RenderError, match=f"chart '{req.chart.id}' .* could not be read"):
        render_pdf.render(doc, junk, theme, PdfOptions(), store=pdf_store)  # the others parsed before


def test_letter_paper_is_us_letter_and_a4_is_a4(rendered_briefs, reader) -> None:  # type: ignore[no-untyped-def]
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    letter = PdfReader(io.BytesIO(rendered_briefs("letter").data))
    assert all(
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (612, 792) for p in letter.pages
    )


def test_metadata_language_and_dates_come_from_the_document(built, reader) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    info = reader.metadata
    assert info.title == doc.meta.title
    assert info.author == doc.meta.author
    assert info.subject == doc.meta.subtitle
    assert info["/Keywords"] == ", ".join(doc.meta.keywords)
    assert info["/Creator"] == "digibrief"
    assert reader.trailer["/Root"]["/Lang"] == doc.meta.language
    assert info["/CreationDate"].startswith("D:" + doc.meta.edition.replace("-", ""))


def test_every_font_is_an_embedded_truetype_subset_of_the_theme_faces(reader) -> None:  # type: ignore[no-untyped-def]
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"]
            names.add(font["/BaseFont"].split("+")[-1])
    assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic"} <= names  # <b> and <i> use the family
    assert not {n for n in names if "DejaVu" in n} - {"DejaVuSans"}  # the fallback draws only what Noto lacks


def test_pdffonts_reports_every_font_embedded(brief) -> None:  # type: ignore[no-untyped-def]
    out = run_tool(require_tool("pdffonts"), "-", data=brief.data).splitlines()[2:]
    assert out
    for line in out:
        emb = line.split()[-5]
        assert emb == "yes", line


def test_qpdf_check_passes(brief, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(brief.data)
    out = run_tool(require_tool("qpdf"), "--check", str(pdf))
    assert "No syntax or stream encoding errors" in out


def test_pdftotext_finds_every_country_section_and_seed_figure(built, brief) -> None:  # type: ignore[no-untyped-def]
    doc, _, _ = built
    text = run_tool(require_tool("pdftotext"), "-enc", "UTF-8", "-", "-", data=brief.data)
    for s in doc.sections:
        assert " ".join(s.title.split()) in " ".join(text.split())
    for figure in ("28th", "80%", "230 million", "165 million", "13,000", "Oʻzbekiston"):
        assert figure in text


def test_chart_labels_are_searchable_text(built, brief) -> None:  # type: ignore[no-untyped-def]
    text = run_tool(require_tool("pdftotext"), "-enc", "UTF-8", "-", "-", data=brief.data)
    for label in ("Kazakhstan 92.9%", "Turkmenistan 21.3% (2017)", "Tunduk launched", "3 High"):
        assert label in text, label


# --- reproducibility -----------------------------------------------------------------------------


def test_two_renders_are_byte_identical_and_leave_reportlab_settings_alone(built, brief) -> None:  # type: ignore[no-untyped-def]
    doc, theme, images = built
    before = (rl_config.invariant, rl_config.shapeChecking, os.environ.get("SOURCE_DATE_EPOCH"))
    again = render_pdf.render(doc, images, theme, PdfOptions())
    assert again.data == brief.data
    assert (rl_config.invariant, rl_config.shapeChecking, os.environ.get("SOURCE_DATE_EPOCH")) == before


def test_bytes_do_not_depend_on_time_zone_hash_seed_or_environment(built, brief, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a child in another time zone, hash seed and SOURCE_DATE_EPOCH loads and composes the project and
    # renders it on this render's images and layout hint (its pages come out the same: one pass)
    _, _, images = built
    (tmp_path / "inputs.pickle").write_bytes(pickle.dumps((images, brief.hint)))
    script = (
        "import pickle, sys\n"
        "from pathlib import Path\n"
        "from digibrief.project.load import load\n"
        "from digibrief.document.compose import compose\n"
        "from digibrief.project.theming import make_theme\n"
        "from digibrief.writers.pdf.options import PdfOptions\n"
        "from digibrief.writers.pdf import brief as render_pdf\n"
        f"root = Path({str(ROOT)!r})\n"
        "p = load(root / 'data', root / 'report')\n"
        f"images, hint = pickle.loads(Path({str(tmp_path / 'inputs.pickle')!r}).read_bytes())\n"
        "theme = make_theme(p.theme, root / 'report')\n"
        "out = render_pdf.render(compose(p), images, theme, PdfOptions(), hint=hint)\n"
        "assert out.passes == 1, out.passes\n"
        "sys.stdout.buffer.write(out.data)\n"
    )
    env = {**os.environ, "TZ": "Asia/Tashkent", "PYTHONHASHSEED": "12345", "SOURCE_DATE_EPOCH": "86400"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True, cwd=tmp_path
    )
    assert out.stdout == brief.data
