"""Page craft and type of the PDF (issue 22), measured on rendered pages: every page but the first and
last at least 60% full, on A4 and Letter; rows, lists, headings and figures kept whole; one body size on
a 60-80 character line; a typeface with the Kazakh and Uzbek letters."""

from __future__ import annotations

import collections
import functools
import io
import statistics
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from digibrief.document import types as d
from digibrief.writers.pdf import brief as render_pdf
from digibrief.writers.pdf.blocks import card_rows
from digibrief.writers.pdf.fonts import register
from digibrief.writers.pdf.options import PdfOptions
from digibrief.writers.pdf.styles import Page, Palette, Styles

from .conftest import DATA, REPORT, pdf_pages, require_tool, run_cli

DPI = 36
KAZAKH_UZBEK = "ҚқҒғҮүҰұӨөҺһӘә Ўў Ғғ Ққ Ҳҳ"


def fill(data: bytes, paper: str) -> list[float]:
    """Per page, how far down its text frame the content reaches (0 = empty, 1 = to the foot), read from
    the page rendered in grey (the running head and foot lie outside the frame)."""
    page = Page.for_paper(paper)
    scale = DPI / 72
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [require_tool("pdftoppm"), "-r", str(DPI), "-gray", "-", f"{tmp}/p"], input=data, check=True
        )
        out = []
        for path in sorted(Path(tmp).glob("p-*.pgm")):
            im = Image.open(path).convert("L")
            top, foot = round(page.top * scale), im.height - round(page.bottom * scale)
            left, right = round(page.left * scale), im.width - round(page.right * scale)
            inked = im.crop((left, top, right, foot)).point(lambda v: 255 if v < 200 else 0).getbbox()
            out.append(0.0 if inked is None else inked[3] / (foot - top))
    return out


@pytest.fixture(scope="module", params=["a4", "letter"])
def shipped_pdf(request, rendered_briefs) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    return request.param, rendered_briefs(request.param).data


def test_every_page_but_the_first_and_last_is_at_least_60_percent_full(shipped_pdf) -> None:  # type: ignore[no-untyped-def]
    paper, data = shipped_pdf
    filled = fill(data, paper)
    assert len(filled) > 10
    low = {n: round(f, 2) for n, f in enumerate(filled, 1) if f < 0.6 and 1 < n < len(filled)}
    assert low == {}, (paper, low)


@pytest.fixture(scope="module")
def variant_pdfs(tmp_path_factory) -> dict[str, tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    """{name: (paper, PDF)} for the briefs a user makes besides the main one, in two builds: one brief
    per focus country on A4, and the two-country subset on Letter (the main brief is shipped_pdf's)."""
    out = tmp_path_factory.mktemp("variants")
    paths = ("--data", str(DATA), "--report", str(REPORT), "--out", str(out))
    for args in (("--per-country",), ("--countries", "KAZ,UZB", "--paper", "letter")):
        done = run_cli("build", *paths, "--only", "pdf", "-q", *args)
        assert done.returncode == 0, done.stderr
    briefs = {f"{p.parent.name} brief": ("a4", p.read_bytes()) for p in sorted(out.glob("*/brief.pdf"))}
    assert len(briefs) == 4, sorted(briefs)
    return briefs | {"KAZ,UZB on Letter": ("letter", (out / "brief-kaz-uzb-letter.pdf").read_bytes())}


def test_every_per_country_and_subset_brief_has_no_page_under_60_percent_full(variant_pdfs) -> None:  # type: ignore[no-untyped-def]
    low = {}
    for name, (paper, data) in variant_pdfs.items():
        filled = fill(data, paper)
        assert len(filled) > 10, name
        low |= {(name, n): round(f, 2) for n, f in enumerate(filled, 1) if f < 0.6 and 1 < n < len(filled)}
    assert low == {}


def test_a_chapter_opens_its_page_or_is_named_in_that_page_s_running_head(shipped_pdf, variant_pdfs) -> None:  # type: ignore[no-untyped-def]
    """One that begins below another chapter's end is never under that chapter's name, on every paper
    and variant."""
    checked = 0
    for name, (_, data) in {"main": shipped_pdf, **variant_pdfs}.items():
        reader = PdfReader(io.BytesIO(data))
        pages = page_lines(data, heads=True)
        chapters = [
            (reader.get_destination_page_number(e), " ".join(e.title.split()))
            for e in reader.outline
            if not isinstance(e, list)
        ]
        for n, title in chapters:
            if n > 0:  # not the cover
                opens = any(line.startswith(title) for line in pages[n][1:3])  # under its kicker, if any
                # else the head names it, or a chapter that begins below it on the same page
                named = any(t in pages[n][0] for m, t in chapters if m == n)
                assert opens or named, (name, n + 1, title, pages[n][:3])
                checked += 1
    assert checked > 40


def test_the_references_never_end_with_one_or_two_entries_alone_on_the_last_page(variant_pdfs) -> None:  # type: ignore[no-untyped-def]
    for name, (_, data) in variant_pdfs.items():
        last = page_lines(data)[-1]
        entries = [x for x in last if x[:1] == "[" and x[1:].split("]")[0].isdigit()]
        assert len(entries) >= 3 or len(entries) == 0, (name, last)


def page_lines(data: bytes, heads: bool = False) -> list[list[str]]:
    """The text lines of each page, without its running head and foot (pdftotext -layout); with
    heads, every line."""
    pages = [list(p) for p in _layout_lines(data)]
    return pages if heads else [p[1:-1] for p in pages]


@functools.cache
def _layout_lines(data: bytes) -> tuple[tuple[str, ...], ...]:
    """Every line of each page, as pdftotext -layout reads them: once per PDF (several tests read each)."""
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return tuple(
        tuple(" ".join(line.split()) for line in p.splitlines() if line.strip())
        for p in text.split("\f")[:-1]
    )


def test_a_heading_never_ends_a_page(shipped_pdf) -> None:  # type: ignore[no-untyped-def]
    _, data = shipped_pdf
    reader = PdfReader(io.BytesIO(data))
    headings = {" ".join(o.title.split()) for o in _flat(reader.outline)}
    pages = page_lines(data)
    for n, lines in enumerate(pages[:-1], 1):
        assert lines and lines[-1] not in headings, (n, lines[-3:])


def _flat(items: list) -> list:  # type: ignore[type-arg]
    return [x for i in items for x in (_flat(i) if isinstance(i, list) else [i])]


def test_a_figure_with_its_qualifier_and_unit_stays_on_one_line(shipped_pdf, shipped_doc) -> None:  # type: ignore[no-untyped-def]
    _, data = shipped_pdf
    text = "\n".join(line for lines in page_lines(data) for line in lines)
    figures = {
        k.fact.display
        for s in shipped_doc.sections
        for b in s.blocks
        if isinstance(b, d.KeyFigures)
        for k in b.items
    }
    spaced = [f for f in figures if " " in f]
    assert any(f.startswith("more than") for f in spaced)
    for f in spaced:
        assert f in text, f


# --- keep-together rules on made-up content, with the break falling at every place -----------


def _doc(*blocks: d.Block) -> d.Document:
    meta = d.Meta("Keep together", "", "2026-01-01", "January 2026", "Publisher", "Author")
    return d.Document(meta, (d.Section("s", "overview", "Section", blocks),))


def _words(n: int, tag: str) -> d.Text:
    return (d.Run(" ".join(f"{tag}{i % 7}" for i in range(n)) + "."),)


def _render(doc: d.Document, theme) -> bytes:  # type: ignore[no-untyped-def]
    return render_pdf.render(doc, {}, theme, PdfOptions()).data


@pytest.mark.parametrize("filler", [8, 10, 12, 14, 16])
def test_a_table_row_never_splits_and_its_header_repeats_only_at_a_page_top(filler, shipped_theme) -> None:  # type: ignore[no-untyped-def]
    rows = tuple(  # the middle cell runs to several lines, from its row's start mark to its end mark
        (
            (d.Run(f"R{i:02d}"),),
            (d.Run(f"R{i:02d}start " + " ".join(["cell"] * (40 + i % 3 * 15)) + f" R{i:02d}end"),),
            (d.Run("x"),),
        )
        for i in range(30)
    )
    table = d.Table(("Alpha", "Bravo", "Charlie"), rows, caption="A long table", widths=(1, 4, 1))
    doc = _doc(*[d.Paragraph(_words(60, "filler")) for _ in range(filler)], table)
    pages = page_lines(_render(doc, shipped_theme))
    for i in range(30):
        start = [n for n, lines in enumerate(pages) if any(f"R{i:02d}start" in x for x in lines)]
        end = [n for n, lines in enumerate(pages) if any(f"R{i:02d}end" in x for x in lines)]
        assert start == end and len(start) == 1, (i, start, end)
    with_header = [n for n, lines in enumerate(pages) if "Alpha Bravo Charlie" in lines]
    assert len(with_header) >= 2
    for n in with_header[1:]:  # a repeated header opens its page
        assert pages[n][0] == "Alpha Bravo Charlie", pages[n][:3]


def test_no_table_row_stands_alone_on_a_page(shipped_theme) -> None:  # type: ignore[no-untyped-def]
    alone = []
    for n in range(18, 30):  # the last page of the table holds one row, two, three...
        rows = tuple(((d.Run(f"R{i:02d}"),), _words(30, "cell"), (d.Run("x"),)) for i in range(n))
        table = d.Table(("Alpha", "Bravo", "Charlie"), rows, caption="A table", widths=(1, 4, 1))
        doc = _doc(*[d.Paragraph(_words(60, "filler")) for _ in range(4)], table)
        pages = page_lines(_render(doc, shipped_theme))
        counts = [sum(1 for x in lines if x[:1] == "R" and x[1:3].isdigit()) for lines in pages]
        alone += [(n, counts)] if 1 in counts else []
    assert alone == []


def test_no_list_leaves_one_item_alone_on_a_page_and_its_title_stays_with_it(shipped_theme) -> None:  # type: ignore[no-untyped-def]
    items = tuple((d.Run(f"Item{k} " + " ".join(["point"] * 12)),) for k in range(5))
    split = 0
    for lines_before in range(18, 32):  # the page break falls before, in and after the list
        filler = tuple(d.Paragraph(_words(9, "filler")) for _ in range(lines_before))
        doc = _doc(*filler, d.Bullets(items, title="Highlights"), d.Paragraph(_words(200, "after")))
        pages = page_lines(_render(doc, shipped_theme))
        counts = [sum(1 for x in lines if x.startswith("• Item")) for lines in pages]
        assert 1 not in counts, (lines_before, counts)
        assert all(lines[-1] != "Highlights" for lines in pages), lines_before
        split += sum(1 for c in counts if c) > 1
    assert split  # the break did fall inside the list


@pytest.mark.parametrize("lead", range(30, 60, 3))
def test_a_figure_in_running_text_never_breaks_from_its_qualifier_or_unit(lead, shipped_theme) -> None:  # type: ignore[no-untyped-def]
    fact = d.Fact(14e6, "count", "more than 14 million", "2024", ())
    text = (d.Run(" ".join(["word"] * lead) + " "), d.Run(fact.display, fact=fact), d.Run(" and more words."))
    pages = page_lines(_render(_doc(d.Paragraph(text)), shipped_theme))
    assert any("more than 14 million" in x for lines in pages for x in lines), lead


@pytest.mark.parametrize("n", range(1, 13))
def test_the_key_figure_grid_leaves_no_card_alone_on_its_row(n: int) -> None:
    rows = card_rows(list(range(n)), 3)
    assert [x for row in rows for x in row] == list(range(n))
    assert all(len(row) <= 3 for row in rows)
    assert n == 1 or all(len(row) >= 2 for row in rows)


# --- type ------------------------------------------------------------------------------------


def test_all_running_text_has_one_body_size_of_at_least_9_5_pt(shipped_theme) -> None:  # type: ignore[no-untyped-def]
    st = Styles(shipped_theme, register(shipped_theme.fonts), Palette.from_theme(shipped_theme), 480)
    running = [st.body, st.lead, st.bullet, st.bullet_kept, st.callout_text, st.take_text]
    assert {s.fontSize for s in running} == {st.body_size}
    assert st.body_size >= 9.5
    assert min(st.kf_foot.fontSize, st.kf_meta.fontSize, st.source.fontSize, st.cell.fontSize) >= 7.5
    assert shipped_theme.size("chart_print") * 0.88 >= 7  # the charts' smallest text (their notes) in print


def test_running_text_lines_hold_60_to_80_characters(shipped_pdf, shipped_theme) -> None:  # type: ignore[no-untyped-def]
    _, data = shipped_pdf
    body = shipped_theme.size("body")
    lengths = []
    for page in pdf_pages(data):  # pypdf's text runs, read once per PDF and session
        lines: dict[int, list[tuple[float, str]]] = collections.defaultdict(list)
        for text, cm, tm, size in page.runs:
            _collect(lines, text, cm, tm, None, size)
        for runs in lines.values():
            whole = "".join(t for _, t in runs).strip()
            at_body = "".join(t for s, t in runs if abs(s - body) < 0.05).strip()
            if at_body and len(at_body) >= 0.8 * len(whole) and len(whole) >= 45:  # not a paragraph's end
                lengths.append(len(whole))
    assert len(lengths) > 100
    assert 60 <= statistics.median(lengths) <= 80, statistics.median(lengths)
    assert sorted(lengths)[int(len(lengths) * 0.95)] <= 80, sorted(lengths)[-10:]


def _collect(
    lines: dict[int, list[tuple[float, str]]], text: str, cm: list[float], tm: list[float], *rest: object
) -> None:
    """pypdf's text visitor: each run's text and its size in points, by the height of its line."""
    size = rest[1] if len(rest) > 1 and isinstance(rest[1], float | int) else 0.0
    if text.strip():
        lines[round(tm[5] * cm[3] + cm[5])].append((size * (tm[3] or 1) * (cm[3] or 1), text))


def test_the_typeface_has_every_kazakh_and_uzbek_letter_and_is_embedded(shipped_theme, shipped_pdf) -> None:  # type: ignore[no-untyped-def]
    fonts = register(shipped_theme.fonts)
    assert "DejaVu" not in fonts.family  # a house face; DejaVu is only the fallback
    assert shipped_theme.fallback is not None and shipped_theme.fallback.family == "DejaVu Sans"
    from reportlab.pdfbase import pdfmetrics

    for name in (fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic):
        cmap = pdfmetrics.getFont(name).face.charToGlyph
        missing = [c for c in KAZAKH_UZBEK.replace(" ", "") if not cmap.get(ord(c))]
        assert missing == [], (name, missing)
    licence = Path(shipped_theme.fonts.regular).parent / "OFL.txt"
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text(encoding="utf-8")
    _, data = shipped_pdf
    reader = PdfReader(io.BytesIO(data))
    names = {
        str(f["/BaseFont"]) for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values()
    }  # fmt: skip
    assert any("NotoSans" in n for n in names), names


def test_the_cover_and_footer_name_the_publisher_and_author_never_the_tool(shipped_pdf, shipped_doc) -> None:  # type: ignore[no-untyped-def]
    _, data = shipped_pdf
    meta = shipped_doc.meta
    assert "digibrief" not in (meta.publisher + meta.author).lower()
    pages = page_lines(data)
    text = subprocess.run(
        [require_tool("pdftotext"), "-l", "2", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert meta.publisher in text and meta.author in text
    assert "digibrief" not in text.lower()
    assert pages


def test_a_reference_list_never_ends_with_one_or_two_entries_alone_on_a_page(shipped_theme) -> None:  # type: ignore[no-untyped-def]
    refs = tuple(
        d.Reference(
            k, "Publisher", "Publisher", f"Ref{k:02d} " + " ".join(["title"] * 20), "2024", note="A note."
        )
        for k in range(1, 13)
    )
    split = 0
    for lines_before in range(30, 60, 3):  # the page break falls before, in and at the end of the list
        filler = tuple(d.Paragraph(_words(9, "filler")) for _ in range(lines_before))
        pages = page_lines(_render(_doc(*filler, d.References(refs)), shipped_theme))
        counts = [sum(1 for x in lines if "Ref" in x and x.startswith("[")) for lines in pages]
        assert counts[-1] >= 3, (lines_before, counts)
        split += sum(1 for c in counts if c) > 1
    assert split


def test_a_table_s_source_line_never_opens_a_page_alone(shipped_theme) -> None:  # type: ignore[no-untyped-def]
    opened, split = [], 0
    for n in range(50, 62):  # one-line rows: the table ends at every line of its second page
        rows = tuple(((d.Run(f"R{i:02d}"),), _words(4, "cell"), (d.Run("x"),)) for i in range(n))
        table = d.Table(
            ("Alpha", "Bravo", "Charlie"),
            rows,
            caption="A table",
            widths=(1, 4, 1),
            source="Sources: Tail (2024).",
        )
        doc = _doc(
            *[d.Paragraph(_words(60, "filler")) for _ in range(2)], table, d.Paragraph(_words(200, "after"))
        )
        pages = page_lines(_render(doc, shipped_theme))
        at = [
            (k, i)
            for k, lines in enumerate(pages)
            for i, x in enumerate(lines)
            if x.startswith("Sources: Tail")
        ]
        assert len(at) == 1, n
        opened += [n] if at[0][1] == 0 else []
        split += at[0][0] == 2  # the break fell at the table's end
    assert opened == [] and split


def test_a_long_table_split_before_it_was_measured_still_carries_its_tail() -> None:
    # a wrapper may split the table it holds before wrapping it (a 64-country table did): the row
    # heights are then still unknown, and must be measured rather than summed as None
    from digibrief.writers.pdf.styles import Grid

    table = Grid([[f"row {i}", "cell"] for i in range(80)])
    table.tail = 12.0
    parts = table.split(400, 300)
    assert len(parts) == 2 and parts[-1].tail == 12.0 and parts[0].tail == 0.0
