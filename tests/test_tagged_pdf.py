"""The brief is a tagged PDF (PDF/UA-1): read back with pikepdf, poppler, qpdf and two PDF/UA checkers.

Three PDFs, each made once per module: the shipped brief (the session's CLI build), the Letter variant
and a hostile-text build (markup-like strings, a link broken over a page break, links in the cells of a
table that splits inside a row, an image chart, text in another language).
The structure is read with a small content-stream reader (MCID -> text) so that the tests see what a
screen reader gets: the elements, their text in structure order, the annotations they own.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from digibrief import charts
from digibrief.document import types as d
from digibrief.document.compose import compose
from digibrief.project.load import load
from digibrief.writers.pdf import brief as render_pdf
from digibrief.writers.pdf.options import PdfOptions

from .conftest import require_tool

HOSTILE = ("AT&T", "a < b", '<img src="/etc/passwd"/>', "<font size=80>big</font>", "an unbalanced <b> tag")
LONG_LINK = "https://example.org/a-long-link?a=1&b=2"


# --- reading the structure back ------------------------------------------------------------------


def _cmap(font: pikepdf.Object) -> dict[bytes, str]:
    """A font's ToUnicode map: code -> text."""
    out: dict[bytes, str] = {}
    data = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[bytes.fromhex(src)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first, start = int(lo, 16), int(dst, 16)
            for i in range(int(hi, 16) - first + 1):
                out[(first + i).to_bytes(len(lo) // 2, "big")] = chr(start + i)
    return out


@dataclasses.dataclass
class PageText:
    marked: dict[int, str]  # MCID -> text
    artifact: str  # text inside artifacts
    untagged: str  # text in neither (must be empty)


def page_text(page: pikepdf.Page) -> PageText:
    fonts = {name: _cmap(f) for name, f in page.Resources.get("/Font", {}).items()}
    marked: dict[int, str] = {}
    artifact, untagged = [], []
    stack: list[object] = []
    cmap: dict[bytes, str] = {}

    def show(raw: bytes) -> None:
        width = max((len(k) for k in cmap), default=1)
        text = "".join(cmap.get(raw[i : i + width], "\ufffd") for i in range(0, len(raw), width))
        mcid = next((m for m in reversed(stack) if isinstance(m, int)), None)
        if "artifact" in stack:
            artifact.append(text)
        elif mcid is None:
            untagged.append(text)
        else:
            marked[mcid] = marked.get(mcid, "") + text

    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "BDC":
            tag, props = operands
            if tag == pikepdf.Name.Artifact:
                stack.append("artifact")
            else:
                stack.append(
                    int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None
                )
        elif name == "BMC":
            stack.append("artifact" if operands[0] == pikepdf.Name.Artifact else None)
        elif name == "EMC":
            stack.pop()
        elif name == "Tf":
            cmap = fonts[str(operands[0])]
        elif name in ("Tj", "'", '"'):
            show(bytes(operands[-1]))
        elif name == "TJ":
            show(b"".join(bytes(x) for x in operands[0] if isinstance(x, pikepdf.String)))
        if name in ("T*", "Td", "TD", "Tm", "'", '"'):  # a new line: a space between words
            mcid = next((m for m in reversed(stack) if isinstance(m, int)), None)
            if mcid is not None:
                marked[mcid] = marked.get(mcid, "") + " "
    assert not stack, "unbalanced marked content"
    return PageText(marked, "".join(artifact), "".join(untagged))


@dataclasses.dataclass
class Elem:
    obj: pikepdf.Object
    role: str
    kids: list[Elem | tuple[int, int] | pikepdf.Object]  # elements, (page, MCID), annotations
    parent: Elem | None

    def walk(self) -> Iterator[Elem]:
        yield self
        for k in self.kids:
            if isinstance(k, Elem):
                yield from k.walk()

    def text(self, tagged: Tagged) -> str:
        """The element's text, its marked content in structure order (line ends read as spaces)."""
        return " ".join(self._raw(tagged).split())

    def _raw(self, tagged: Tagged) -> str:
        return "".join(
            k._raw(tagged) if isinstance(k, Elem) else tagged.pages[k[0]].marked.get(k[1], "")
            for k in self.kids
            if isinstance(k, (Elem, tuple))
        )

    def marked(self) -> list[tuple[int, int]]:
        return [k for k in self.kids if isinstance(k, tuple)]

    def annots(self) -> list[pikepdf.Object]:
        return [k for k in self.kids if isinstance(k, pikepdf.Object)]


class Tagged:
    """A tagged PDF, opened: its structure tree as Elem objects and each page's marked text."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = pikepdf.open(path)
        self.page_index = {p.obj.objgen: i for i, p in enumerate(self.pdf.pages)}
        self.annot_page = {
            a.objgen: i for i, p in enumerate(self.pdf.pages) for a in p.obj.get("/Annots", [])
        }
        self.pages = [page_text(p) for p in self.pdf.pages]
        root = self.pdf.Root.StructTreeRoot.K
        self.root = self._elem(root[0] if isinstance(root, pikepdf.Array) else root, None, None)

    def _elem(self, obj: pikepdf.Object, parent: Elem | None, page: int | None) -> Elem:
        if "/Pg" in obj:
            page = self.page_index[obj.Pg.objgen]
        elem = Elem(obj, str(obj.S)[1:], [], parent)
        kids = obj.get("/K")
        for k in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(k, int):
                assert page is not None, f"MCID {k} of {elem.role} has no page"
                elem.kids.append((page, int(k)))
            elif k.get("/Type") == pikepdf.Name.MCR:
                elem.kids.append((self.page_index[k.Pg.objgen], int(k.MCID)))
            elif k.get("/Type") == pikepdf.Name.OBJR:
                elem.kids.append(k.Obj)
            else:
                assert k.P.objgen == obj.objgen, "an element's /P is not its parent"
                elem.kids.append(self._elem(k, elem, page))
        return elem

    def elements(self, *roles: str) -> list[Elem]:
        return [e for e in self.root.walk() if not roles or e.role in roles]

    def text(self) -> str:
        """All text in structure order: what a screen reader reads."""
        return self.root.text(self)


# --- the three PDFs --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_brief(shipped: Any) -> tuple[Tagged, d.Document]:
    """The shipped brief as the CLI built it, and the document composed from the same snapshot."""
    doc = compose(load(shipped.data, shipped.report))
    return Tagged(shipped.out / "brief.pdf"), doc


@pytest.fixture(scope="module")
def writer_inputs(shipped_doc: Any, shipped_theme: Any, chart_images: Any) -> tuple[Any, Any, Any]:
    requests = render_pdf.image_requests(shipped_doc)
    return shipped_doc, shipped_theme, chart_images(requests, shipped_theme, shipped_doc.speech)


@pytest.fixture(scope="module")
def letter_brief(
    writer_inputs: Any, rendered_briefs: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Tagged, d.Document]:
    doc, _, _ = writer_inputs
    path = tmp_path_factory.mktemp("letter") / "brief.pdf"
    path.write_bytes(rendered_briefs("letter").data)
    return Tagged(path), doc


def hostile_document(doc: d.Document) -> d.Document:
    """Markup-like strings everywhere, a link long enough to break over a page, a table that splits
    (inside a row too) with links and citations in its cells, a hostile alt text, another language."""
    runs = (
        *(d.Run(s + " ") for s in HOSTILE),
        d.Run("smile \U0001f600 "),
        d.Run("click", href="javascript:alert(1)"),
        d.Run(" safe", href="https://example.org/?a=1&b=2"),
        d.Run(" and "),
        d.Run("Қазақстан", lang="kk"),
        d.Run(" in Kazakh."),
    )
    long_link = d.Run(" ".join(["a link that runs on & on"] * 300), href=LONG_LINK)
    prose = " ".join(["a cell <td> that is far too long for one page & goes on"] * 60)
    rows = tuple(
        (
            (d.Run(f"row {i} <tr>"),),
            (d.Run("see "), d.Run("the source", href=f"https://example.org/{i}"), d.Run("1", cite=(1,))),
            (d.Run(prose if i == 30 else "a&b"), d.Run("2", cite=(2,))),
        )
        for i in range(60)
    )
    figures = [f for s in doc.sections for f in s.blocks if isinstance(f, d.Figure)]
    hostile_alt = {
        figures[0].chart.id: '<img src=x> & "alt" \U0001f600 with <b>markup</b>, still a sentence.'
    }
    sections = []
    for s in doc.sections:
        blocks = [
            dataclasses.replace(b, chart=dataclasses.replace(b.chart, alt=hostile_alt[b.chart.id]))
            if isinstance(b, d.Figure) and b.chart.id in hostile_alt
            else b
            for b in s.blocks
        ]
        if s.id == "overview":
            blocks = [
                d.Paragraph(runs),
                d.Paragraph((d.Run("Before the long link, "), long_link, d.Run(" after it."))),
                d.Bullets(
                    ((d.Run("<li>"), d.Run(" item", href="https://example.org/li")),), title="<h3> & co"
                ),
                d.Callout("<u>Sources</u> disagree", runs),
                d.Table(("<th>", "a&b", "Why </table>"), rows, caption="A <caption> & more"),
                *blocks,
            ]
            s = dataclasses.replace(s, title="Overview <b>& co</b>")
        sections.append(dataclasses.replace(s, blocks=tuple(blocks)))
    meta = dataclasses.replace(
        doc.meta,
        title='Digital <Central> Asia & "AT&T" \x07 \U0001f600',
        author="R&D <team>",
        subtitle="a < b",
    )
    return dataclasses.replace(doc, meta=meta, sections=tuple(sections))


@pytest.fixture(scope="module")
def hostile_brief(
    writer_inputs: Any, pdf_store: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Tagged, d.Document]:
    """The hostile document with one chart as a PNG image (a missing chart fails the render: see
    test_render_pdf.py)."""
    doc, theme, images = writer_inputs
    doc = hostile_document(doc)
    requests = render_pdf.image_requests(doc)
    images = dict(images)
    png = requests[1]
    images[png.key] = charts.render(png.chart, theme, charts.MEDIA[png.medium], "png")
    rendered = render_pdf.render(doc, images, theme, PdfOptions(), store=pdf_store)
    again = render_pdf.render(doc, images, theme, PdfOptions())  # charts parsed again: the same bytes
    assert again.data == rendered.data, "two builds of the hostile brief differ"
    path = tmp_path_factory.mktemp("hostile") / "brief.pdf"
    path.write_bytes(rendered.data)
    return Tagged(path), doc


@pytest.fixture(params=["shipped_brief", "letter_brief", "hostile_brief"])
def any_brief(request: pytest.FixtureRequest) -> tuple[Tagged, d.Document]:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def _pip_tool(name: str) -> str:
    """A checker installed with the test extras: next to this Python, else on PATH (require_tool)."""
    here = Path(sys.executable).with_name(name)
    return str(here) if here.exists() else require_tool(name)


# --- the checkers ----------------------------------------------------------------------------------


def test_pdfinfo_says_tagged_and_qpdf_finds_no_error(any_brief: Any) -> None:
    tagged, _ = any_brief
    info = subprocess.run(
        [require_tool("pdfinfo"), str(tagged.path)], capture_output=True, text=True, check=True
    )
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M), info.stdout
    check = subprocess.run(
        [require_tool("qpdf"), "--check", str(tagged.path)], capture_output=True, text=True
    )
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout, check.stdout


@pytest.fixture(scope="module")
def checked(
    shipped_brief: Any, letter_brief: Any, hostile_brief: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, tuple[dict[str, Any], dict[str, Any]]]:
    """Each PDF's pdfua and outloud reports, each checker run once on the three files."""
    paths = [b[0].path for b in (shipped_brief, letter_brief, hostile_brief)]
    done = subprocess.run(
        [_pip_tool("pdfua"), "check", "--format", "json", *map(str, paths)], capture_output=True, text=True
    )
    pdfua, at, decoder = [], 0, json.JSONDecoder()
    while at < len(done.stdout.rstrip()):  # one JSON object per file, one after the other
        report, at = decoder.raw_decode(done.stdout, at)
        pdfua.append(report)
        at = len(done.stdout) - len(done.stdout[at:].lstrip())
    out = tmp_path_factory.mktemp("outloud") / "outloud.json"
    subprocess.run([_pip_tool("outloud"), *map(str, paths), "--json", str(out), "-q"], capture_output=True)
    outloud = {r["path"]: r for r in json.loads(out.read_text())["results"]}
    by_file = {r["file"]: r for r in pdfua}
    return {p: (by_file[str(p)], outloud[str(p)]) for p in paths}


def test_pdfua_check_reports_nothing(any_brief: Any, checked: Any) -> None:
    tagged, _ = any_brief
    report, _ = checked[tagged.path]
    assert report["findings"] == [], report["findings"][:3]
    assert report["skipped"] == [], "a rule could not be evaluated on this file"
    assert report["exit_code"] == 0


def test_outloud_fails_no_pdfua_checkpoint_and_no_wcag_criterion(any_brief: Any, checked: Any) -> None:
    tagged, doc = any_brief
    _, result = checked[tagged.path]
    assert result["error"] is None
    failed = [
        (group, c["id"])
        for group, items in result["criteria"].items()
        for c in items
        if c["status"] == "fail"
    ]
    assert failed == []
    assert result["counts"]["error"] == 0, [f for f in result["findings"] if f["severity"] == "error"]
    figures = {
        tagged.page_index[f.obj.Pg.objgen] + 1: [float(v) for v in f.obj.A.BBox]
        for f in tagged.elements("Figure")
        if "/Pg" in f.obj
    }
    subtitles = {" ".join(f.chart.subtitle.split()) for f in doc.figures()}
    subtitles |= {s.kicker.upper() for s in doc.sections if s.kicker and s.new_page}
    subtitles |= {  # a table's header row that opens a page (repeated headers go only at a page top)
        " ".join(t.columns) for s in doc.sections for t in s.blocks if isinstance(t, d.Table)
    }
    subtitles |= {b.title.upper() for s in doc.sections for b in s.blocks if isinstance(b, d.KeyFigures)}
    running = {doc.meta.title, *(s.title for s in doc.sections)}  # what a running head could show
    prose = " ".join(  # a line that repeats because the text repeats itself (the hostile brief's) is content
        " ".join(_block_texts(b)) for s in doc.sections for b in s.blocks if isinstance(b, d.Paragraph)
    )
    unexplained = [f for f in result["findings"] if not _explained(f, figures, subtitles, prose, running)]
    assert unexplained == []


def _explained(
    finding: dict[str, Any],
    figures: dict[int, list[float]],
    subtitles: set[str],
    prose: str = "",
    running: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """outloud's layout heuristics that misread a chart: the timeline's crossing lane and year lines
    read as "a ruled grid no table announces" (TBL-014), and a chart subtitle that lands at the top of
    three pages as "a running header tagged as content" (PAG-001), as does the kicker ("COUNTRY
    PROFILE") above each country's title, which opens a page, a table's header row at a page top, and the
    title of a key-figure panel ("AT A GLANCE"), which floats to the top of a page like a figure; and a
    line of a paragraph that repeats a phrase (the hostile brief's), which can open three pages alike. A
    chart is rightly a Figure, its labels inside it and its meaning in /Alt; a subtitle, a kicker, a
    header row, a panel's title or a paragraph is content."""
    if finding["rule"] == "TBL-014":
        box = finding["boxes"][0]
        fig = figures.get(box["page"])
        return (
            fig is not None and fig[0] - 2 <= box["x0"] <= box["x1"] <= fig[2] + 2 and fig[1] - 2 <= box["y0"]
        )
    if finding["rule"] == "PAG-001":
        parts = [part.rstrip("…").strip() for part in finding["evidence"].split("; ")]
        return all(
            part
            and (
                any(s.startswith(part) for s in subtitles)
                or (part not in running and prose.count(part) >= 3)  # a paragraph that repeats a phrase
            )
            for part in parts
        )
    return False


# --- the structure ---------------------------------------------------------------------------------


def test_every_section_heading_is_there_in_order_h1_then_h2(shipped_brief: Any) -> None:
    tagged, doc = shipped_brief
    assert [k.role for k in tagged.root.kids if isinstance(k, Elem)] == ["Sect"] * len(doc.sections)
    headings = [(e.role, e.text(tagged)) for e in tagged.elements("H1", "H2")]
    cover = next(s for s in doc.sections if s.role == "cover")
    expected = [("H1", cover.title or doc.meta.title)] + [
        ("H2", s.title) for s in doc.sections if s.role != "cover"
    ]
    assert headings == [(role, " ".join(t.split())) for role, t in expected]
    levels = [int(e.role[1]) for e in tagged.elements("H1", "H2", "H3", "H4", "H5", "H6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_every_chart_is_a_figure_with_its_alt_text_and_box(any_brief: Any) -> None:
    tagged, doc = any_brief
    figures = tagged.elements("Figure")
    charts = [b for s in doc.sections for b in s.blocks if isinstance(b, d.Figure | d.Locator)]
    assert [str(f.obj.Alt) for f in figures] == [" ".join(b.chart.alt.split()) for b in charts]
    for f, b in zip(figures, charts, strict=True):
        pages = {p for p, _ in f.marked()}
        assert len(pages) == 1, "a figure is drawn on one page"
        box = [float(v) for v in f.obj.A.BBox]
        media = [float(v) for v in tagged.pdf.pages[pages.pop()].mediabox]
        assert media[0] <= box[0] < box[2] <= media[2] and media[1] <= box[1] < box[3] <= media[3]
        if isinstance(b, d.Figure):
            assert f.parent is not None and f.parent.role == "Div"  # grouped with its title and caption


def test_every_table_has_its_rows_and_header_cells_scoped_to_columns(any_brief: Any) -> None:
    tagged, doc = any_brief
    tables = [b for s in doc.sections for b in s.blocks if isinstance(b, d.Table) and b.columns]
    elements = tagged.elements("Table")
    assert len(elements) == len(tables)
    for table, elem in zip(tables, elements, strict=True):
        rows = [r for r in elem.kids if isinstance(r, Elem)]
        assert [r.role for r in rows] == ["TR"] * (1 + len(table.rows))
        assert all(len(r.kids) == len(table.columns) for r in rows)
        head = [c for c in rows[0].kids if isinstance(c, Elem)]
        assert [c.role for c in head] == ["TH"] * len(table.columns)
        assert all(c.obj.A.Scope == pikepdf.Name.Column for c in head)
        assert [c.text(tagged) for c in head] == [" ".join(c.split()) for c in table.columns]
        first = [c.text(tagged) for c in rows[1].kids if isinstance(c, Elem)]
        assert first[0].startswith(" ".join(d.plain(table.rows[0][0]).split())[:20])


def test_every_link_annotation_is_owned_by_a_link_element_and_described(any_brief: Any) -> None:
    tagged, _ = any_brief
    owned = {a.objgen: e for e in tagged.elements("Link") for a in e.annots()}
    parent_tree = dict(_nums(tagged.pdf.Root.StructTreeRoot.ParentTree))
    count = 0
    for page in tagged.pdf.pages:
        assert page.obj.Tabs == pikepdf.Name.S
        for annot in page.obj.get("/Annots", []):
            if annot.Subtype != pikepdf.Name.Link:
                continue
            count += 1
            assert annot.objgen in owned, "a link annotation no Link element owns"
            assert parent_tree[int(annot.StructParent)].objgen == owned[annot.objgen].obj.objgen
            assert str(annot.Contents).strip()
            assert int(annot.F) & 4  # printed
    assert count == len(owned) > 10
    assert all(e.text(tagged) for e in tagged.elements("Link")), "a Link element without text"


def test_every_mcid_has_one_owner_and_no_text_is_untagged(any_brief: Any) -> None:
    tagged, _ = any_brief
    owners: dict[tuple[int, int], Elem] = {}
    for e in tagged.elements():
        for m in e.marked():
            assert m not in owners, f"MCID {m} claimed twice"
            owners[m] = e
    parent_tree = dict(_nums(tagged.pdf.Root.StructTreeRoot.ParentTree))
    for i, (page, text) in enumerate(zip(tagged.pdf.pages, tagged.pages, strict=True)):
        assert not text.untagged.strip(), f"page {i + 1}: text neither tagged nor an artifact"
        mcids = sorted(m for p, m in owners if p == i)
        assert mcids == list(range(len(mcids))) and set(text.marked) <= set(mcids)
        if mcids:
            array = parent_tree[int(page.obj.StructParents)]
            assert [array[m].objgen for m in mcids] == [owners[(i, m)].obj.objgen for m in mcids]


def test_running_heads_and_page_numbers_are_artifacts(shipped_brief: Any) -> None:
    tagged, doc = shipped_brief
    n = len(tagged.pages)
    for i, page in enumerate(tagged.pages[1:], 2):
        assert f"page {i} of {n}" in page.artifact
        assert doc.meta.title in page.artifact
    assert "page 2 of" not in tagged.text()


def test_structure_order_reads_the_document_in_order(any_brief: Any) -> None:
    """Every text of the document is found in the structure-order text, each after the one before:
    floated figures, side-by-side key figures and split tables are read in the document's order."""
    tagged, doc = any_brief
    text = tagged.text()
    at = 0
    for s in doc.sections:
        for part in [s.title, *(t for b in s.blocks for t in _block_texts(b))]:
            words = " ".join(part.split())[:60].strip()
            if not words:
                continue
            found = text.find(words, at)
            assert found >= 0, f"not found in order after position {at}: {words!r}"
            at = found + len(words)


def _lead(text: d.Text) -> str:
    """A text up to its first citation marker (the marker is read, the document's plain text skips it)."""
    out = []
    for r in text:
        if r.cite:
            break
        out.append(r.text)
    return "".join(out)


def _block_texts(b: d.Block) -> list[str]:
    if isinstance(b, d.Paragraph):
        return [_lead(b.text)]
    if isinstance(b, d.Bullets):
        return [b.title, *(_lead(i) for i in b.items)]
    if isinstance(b, d.Table):
        return [b.caption, *b.columns, *(_lead(c) for row in b.rows for c in row)]
    if isinstance(b, d.Figure):
        return [d.plain(b.headline).strip() or b.chart.title, b.chart.subtitle]
    if isinstance(b, d.Callout):
        return [b.title, _lead(b.text)]
    if isinstance(b, d.KeyFigures):
        return [kf.label for kf in b.items]
    if isinstance(b, d.References):
        return [r.full for r in b.items]
    return []


def test_lists_contents_and_references_have_their_parts(shipped_brief: Any) -> None:
    tagged, doc = shipped_brief
    for li in tagged.elements("LI"):
        assert any(isinstance(k, Elem) and k.role == "LBody" for k in li.kids)
    refs = next(b for s in doc.sections for b in s.blocks if isinstance(b, d.References))
    labels = [e.text(tagged) for e in tagged.elements("Lbl") if e.text(tagged).startswith("[")]
    assert labels == [f"[{r.number}]" for r in refs.items]
    toc = tagged.elements("TOC")
    assert len(toc) == 1
    entries = [k for k in toc[0].kids if isinstance(k, Elem)]
    assert [e.role for e in entries] == ["TOCI"] * sum(1 for s in doc.sections if s.in_contents)
    for entry, s in zip(entries, [s for s in doc.sections if s.in_contents], strict=True):
        (link,) = [k for k in entry.kids if isinstance(k, Elem)]
        assert link.role == "Link" and s.title in link.text(tagged) and link.annots()


def test_local_names_carry_their_language(shipped_brief: Any) -> None:
    tagged, _ = shipped_brief
    spans = {e.text(tagged): str(e.obj.Lang) for e in tagged.elements("Span") if "/Lang" in e.obj}
    assert spans.get("Қазақстан") == "kk" and spans.get("Казахстан") == "ru"
    assert str(tagged.pdf.Root.Lang) == "en"


def test_catalog_metadata_title_and_pdfua_identification(any_brief: Any) -> None:
    tagged, doc = any_brief
    root = tagged.pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    xmp = ET.fromstring(root.Metadata.read_bytes())
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    }
    shown = doc.meta.title.replace("\x07", "")  # a control character has no place in either
    title = xmp.find(".//dc:title/rdf:Alt/rdf:li", ns)
    assert title is not None and title.text == shown
    part = xmp.find(".//pdfuaid:part", ns)
    assert part is not None and part.text == "1"
    assert str(tagged.pdf.docinfo.Title) == shown


def test_fonts_are_embedded_with_unicode_maps_and_hostile_text_reads_exactly(hostile_brief: Any) -> None:
    tagged, _ = hostile_brief
    for page in tagged.pdf.pages:
        for font in page.Resources.Font.values():
            assert "/FontFile2" in font.FontDescriptor and "/ToUnicode" in font
    text = tagged.text()
    for s in HOSTILE:
        assert s in text
    assert "Overview <b>& co</b>" in text and "<u>Sources</u> disagree" in text


def test_a_link_broken_over_a_page_is_one_link_element(hostile_brief: Any) -> None:
    tagged, _ = hostile_brief
    (link,) = [e for e in tagged.elements("Link") if any(_uri(a) == LONG_LINK for a in e.annots())]
    pages = {p for p, _ in link.marked()}
    assert len(pages) >= 2, "the long link is expected to break over a page"
    assert {tagged.annot_page[a.objgen] for a in link.annots()} == pages  # one annotation per line, on both
    assert len(link.annots()) > 2
    assert link.text(tagged).startswith("a link that runs on & on")
    assert link.parent is not None and link.parent.role == "P"


def test_a_split_table_is_one_table_its_repeated_header_an_artifact(hostile_brief: Any) -> None:
    tagged, _doc = hostile_brief
    table = next(e for e in tagged.elements("Table") if e.kids and "row 0 <tr>" in e.text(tagged))
    rows = [r for r in table.kids if isinstance(r, Elem)]
    assert len(rows) == 61
    pages = {p for r in rows for c in r.walk() for p, _ in c.marked()}
    assert len(pages) >= 2
    for p in sorted(pages)[1:]:
        assert "<th>" in tagged.pages[p].artifact  # the header again, as an artifact
    long_row = rows[31]
    cell = [c for c in long_row.kids if isinstance(c, Elem)][2]
    assert len({p for k in cell.walk() for p, _ in k.marked()}) >= 2  # the row split over pages: one cell
    links = [k for r in rows for k in r.walk() if k.role == "Link"]
    assert len(links) >= 120  # a link and a citation per row, in the cells


def test_an_image_chart_is_a_figure(hostile_brief: Any) -> None:
    tagged, doc = hostile_brief
    requests = render_pdf.image_requests(doc)
    charts = [b for s in doc.sections for b in s.blocks if isinstance(b, d.Figure | d.Locator)]
    by_id = {b.chart.id: e for b, e in zip(charts, tagged.elements("Figure"), strict=True)}
    image = by_id[requests[1].chart.id]
    (page,) = {p for p, _ in image.marked()}
    assert any(x.Subtype == pikepdf.Name.Image for x in tagged.pdf.pages[page].Resources.XObject.values())


def _uri(annot: pikepdf.Object) -> str:
    action = annot.get("/A")
    return str(action.get("/URI", "")) if action is not None else ""


def _nums(tree: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    """The entries of a number tree."""
    if "/Nums" in tree:
        nums = tree.Nums
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in tree.get("/Kids", []):
        yield from _nums(kid)
