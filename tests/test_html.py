"""The web edition, output/brief.html: one self-contained, accessible page from the same document as the
brief, with every chart inline, the data pack's values beside each chart, and data text shown as text."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from unicodedata import normalize

import pytest

from digibrief.pipeline.build import BuildOptions, build
from tests.conftest import DATA, REPORT, pdf_text, run_cli
from tests.test_datapack import read_workbook, sheet_for
from tests.test_hardening import HOSTILE, yaml_quote

ATTACKS = ("<script>alert(1)</script>", '<img src="x" onerror="alert(1)">')


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        for c in self.children:
            if isinstance(c, Node):
                if tag is None or c.tag == tag:
                    yield c
                yield from c.iter(tag)

    def find(self, tag: str) -> Node:
        return next(self.iter(tag))


VOID = {"meta", "link", "br", "hr", "img", "input", "wbr"}


class _Tree(HTMLParser):
    """The page as a tree of elements, as a browser's parser would read it (no implied tags needed:
    the writer closes every element). SVG's self-closed elements close at once."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, dict(attrs), self.at))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.at.tag == tag, f"</{tag}> closes <{self.at.tag}>"
        self.at = self.at.parent

    def handle_data(self, data):
        self.at.children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.at is tree.root, "an element is left open"
    return tree.root


@pytest.fixture(scope="module")
def page(shipped) -> tuple[str, Node]:
    html = (shipped.out / "brief.html").read_text(encoding="utf-8")
    return html, parse(html)


def test_the_page_is_one_file_that_fetches_nothing_and_runs_no_script(page):
    html, root = page
    tags = {n.tag for n in root.iter()}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "image", "foreignobject"}
    for node in root.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            assert name != "src", node.tag
            if name == "href":  # links are links; inside a chart only its own parts are referred to
                assert (node.tag == "a" and value.startswith(("#", "https://", "http://", "mailto:"))) or (
                    node.tag == "use" and value.startswith("#")
                ), (node.tag, value)
    style = root.find("style").text()
    assert "url(" not in style and "@import" not in style
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')


def test_at_least_eight_charts_are_inline_svg_named_by_their_alt_text(page, shipped_doc):
    _, root = page
    charts = [n for n in root.iter("svg") if n.attrs.get("role") == "img"]
    alts = {" ".join(f.chart.alt.split()) for f in shipped_doc.figures()}
    labelled = [n.attrs["aria-label"] for n in charts]
    assert len([a for a in labelled if a in alts]) >= 8
    assert alts <= set(labelled)
    drawn = [n for n in charts if n.attrs["aria-label"] in alts]
    assert all("text" in {c.tag for c in n.iter()} for n in drawn)  # a chart's text stays text
    ids = [n.attrs["id"] for n in root.iter() if "id" in n.attrs]
    assert len(ids) == len(set(ids)), "ids repeat"


def test_the_page_has_the_brief_s_outline_and_semantic_elements(page, shipped_doc):
    _, root = page
    body = root.find("body")
    assert [n.tag for n in body.iter() if n.tag in ("header", "nav", "main")] == ["header", "nav", "main"]
    chapters = [s for s in shipped_doc.sections if s.role not in ("cover", "contents")]
    sections = [n for n in root.find("main").children if isinstance(n, Node) and n.tag == "section"]
    assert [n.find("h2").text() for n in sections] == [s.title for s in chapters]
    assert len(list(root.iter("h1"))) == 1
    for th in root.iter("th"):
        assert th.attrs.get("scope") in ("col", "row")
    figures = list(root.iter("figure"))
    captions = [f.find("figcaption") for f in figures if f.attrs.get("class") != "locator"]
    assert len(captions) == len(shipped_doc.figures())
    for cap in captions:
        assert cap.find("h3").text() and any(p.attrs.get("class") == "source" for p in cap.iter("p"))
    glance = [n for n in root.iter("div") if n.attrs.get("class") == "glance"]
    assert glance and all(len(list(g.iter("dl"))) >= 1 for g in glance)
    whens = [dd.text() for g in glance for dd in g.iter("dd") if dd.attrs.get("class") == "when"]
    assert any("reported" in w for w in whens)  # a figure's status in words, as in the PDF
    ids = {n.attrs["id"] for n in root.iter() if "id" in n.attrs}
    cites = [a.attrs["href"] for s in root.iter("sup") for a in s.iter("a")]
    assert cites and all(h.startswith("#ref-") and h[1:] in ids for h in cites)
    assert {n.attrs["lang"] for n in root.iter("span") if "lang" in n.attrs} >= {"kk", "uz"}


def test_kyrgyzstan_s_2022_internet_value_reads_as_in_the_brief(page, shipped, shipped_doc):
    _, root = page
    chart = next(f.chart for f in shipped_doc.figures() if f.chart.id == "kgz-internet")
    book = sheet_for(read_workbook(shipped.out / "brief-data.xlsx"), chart.title)
    columns = book[3]
    row = next(r for r in book[4:] if r[0] == "Kyrgyzstan" and r[1] == 2022.0)
    shown = row[columns.index("Shown as")]
    pdf = pdf_text(shipped.out / "brief.pdf", sep=" ")
    assert shown in pdf
    kgz = next(n for n in root.iter("section") if n.attrs.get("id") == "sec-country-kgz")
    in_tables = " ".join(n.text() for n in kgz.iter("details"))
    assert kgz.text().count(shown) > in_tables.count(shown)  # said in the section, not only in its data


def _cell(value: str | float) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return value


def test_each_chart_s_data_table_holds_the_data_pack_s_values(page, shipped, shipped_doc):
    _, root = page
    book = read_workbook(shipped.out / "brief-data.xlsx")
    checked = 0
    for figure in root.iter("figure"):
        if figure.attrs.get("class") == "locator":
            continue
        chart = figure.attrs["id"].removeprefix("fig-")
        sheet = sheet_for(book, next(f.chart.title for f in shipped_doc.figures() if f.chart.id == chart))
        columns = sheet[3]
        keep = [i for i, c in enumerate(columns) if c not in ("Value", "Unit")]
        if "Shown as" in columns:  # the value as printed, beside the label
            shown = columns.index("Shown as")
            keep = [keep[0], shown, *(i for i in keep[1:] if i != shown)]
        expected = [[_cell(r[i]) if i < len(r) else "" for i in keep] for r in sheet[4:]]
        table = figure.find("details").find("table")
        assert [th.text() for th in table.find("thead").iter("th")] == [columns[i] for i in keep]
        rows = [
            [c.text() for c in tr.iter() if c.tag in ("th", "td")] for tr in table.find("tbody").iter("tr")
        ]
        assert rows == expected, chart
        assert figure.find("details").find("summary").text() == "Show the data"
        checked += 1
    assert checked == len(shipped_doc.figures()) >= 8


def test_only_html_writes_the_page_alone_named_like_the_brief_and_then_is_up_to_date(tmp_path):
    out = tmp_path / "out"
    args = ("build", "--only", "html", "--countries", "KAZ", "--out", str(out), "-q")
    first = run_cli(*args, timeout=300)
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == ["brief-kaz.html"]
    again = run_cli(*args[:-1], timeout=300)
    assert again.returncode == 0 and "up to date" in again.stdout, again.stdout


def test_a_rebuild_gives_byte_identical_html(shipped, shipped_copy):
    before = (shipped.out / "brief.html").read_bytes()
    build(BuildOptions(**{**vars(shipped_copy), "force": True, "only": "html"}))
    assert (shipped_copy.out / "brief.html").read_bytes() == before


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory, chart_cache) -> tuple[str, Node]:
    """KGZ alone, its highlights four hostile strings and two attacks, its capital the rest."""
    root = tmp_path_factory.mktemp("hostile-html")
    shutil.copytree(DATA, root / "data")
    shutil.copytree(REPORT, root / "report")
    kgz = root / "data" / "countries" / "kgz.yaml"
    text = kgz.read_text(encoding="utf-8")
    wanted = [*HOSTILE[:4], *ATTACKS]  # at most six highlights
    items = "".join(f"  - text: {yaml_quote(h)}\n    sources: [SEED_GNV_2024]\n" for h in wanted)
    text = re.sub(r"(?ms)^highlights:\n.*?(?=^\S)", "highlights:\n" + items, text)
    text = text.replace("capital: Bishkek", f"capital: {yaml_quote(' / '.join(HOSTILE[4:]))}")
    kgz.write_text(text, encoding="utf-8")
    opts = BuildOptions(
        data=root / "data",
        report=root / "report",
        out=root / "out",
        cache=chart_cache,
        countries=("KGZ",),
        one_country=True,
        only="html",
    )
    build(opts)
    html = (opts.out / "brief.html").read_text(encoding="utf-8")
    return html, parse(html)


def test_hostile_profile_text_shows_literally_and_adds_no_element_or_handler(hostile_page):
    html, root = hostile_page
    shown = normalize("NFC", " ".join(root.find("body").text().split()))
    for s in [*HOSTILE, *ATTACKS]:  # as the data is read: Unicode text in its composed form
        assert normalize("NFC", " ".join(s.split())) in shown, s
    assert not list(root.iter("script")) and not list(root.iter("img"))
    assert not [n for n in root.iter() for a in n.attrs if a.startswith("on")]
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- in a real browser: one start of headless Chromium for every check ------------------------------------

BROWSER = Path(__file__).parent / "browser"


@pytest.fixture(scope="module")
def in_browser(shipped) -> dict:
    import json
    import os
    import subprocess

    from tests.conftest import require_tool

    node = require_tool("node")
    chromium = require_tool("chromium")
    if not (BROWSER / "node_modules" / "axe-core").is_dir():
        if os.environ.get("DIGIBRIEF_REQUIRE_TOOLS") == "1":
            pytest.fail("axe-core is required in CI: npm ci --prefix tests/browser")
        pytest.skip("axe-core not installed (npm ci --prefix tests/browser)")
    done = subprocess.run(
        [node, str(BROWSER / "check.mjs"), str(shipped.out / "brief.html")],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "CHROMIUM": chromium},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_in_chromium_the_page_has_no_wcag_2_2_a_or_aa_violation(in_browser):
    assert in_browser["violations"] == []
    assert in_browser["passes"] > 0
    assert in_browser["scripts"] == 0 and in_browser["handlers"] == 0


def test_in_chromium_a_phone_scrolls_no_sideways_and_text_keeps_its_size_and_measure(in_browser):
    for width in (375, 360):
        phone = in_browser["widths"][str(width)]
        assert phone["scrollWidth"] <= phone["clientWidth"] == width
        assert phone["smallestText"] >= 14
    desktop = in_browser["widths"]["1280"]
    assert desktop["bodyText"] >= 16
    assert 60 <= desktop["measure"] <= 80  # a body line's length, in characters


def test_in_chromium_no_request_leaves_the_file(in_browser):
    assert in_browser["requests"] == []


def test_the_page_holds_none_of_our_working_words_nor_over_precise_figures(page):
    from tests.test_reader_words import WORKING_WORDS, overprecise, policies

    _, root = page
    labels = " ".join(v for n in root.iter() for k, v in n.attrs.items() if k == "aria-label" and v)
    body = root.find("body")
    shown = f"{root.find('title').text()} {labels} {body.text()}"
    assert not sorted({m.group(0) for m in WORKING_WORDS.finditer(shown)})
    refs = next(n for n in body.iter("ol") if n.attrs.get("class") == "refs")
    before = body.text().split(refs.text(), 1)[0]  # the references quote their sources as they stand
    assert overprecise(before, list(policies())) == []


def test_a_chart_missing_or_not_svg_fails_the_page_naming_it(shipped_doc, shipped_theme, chart_images):
    from digibrief.errors import RenderError
    from digibrief.writers.html import page as render_html
    from digibrief.writers.html.options import HtmlOptions

    requests = render_html.image_requests(shipped_doc)
    images = chart_images(requests, shipped_theme, shipped_doc.speech)
    first = requests[0]
    missing = {k: v for k, v in images.items() if k != first.key}
    with pytest.raises(RenderError, match=re.escape(repr(first.chart.id))):
        render_html.render(shipped_doc, missing, shipped_theme, HtmlOptions())
    junk = {**images, first.key: b"not an svg"}
    with pytest.raises(RenderError, match=re.escape(repr(first.chart.id))):
        render_html.render(shipped_doc, junk, shipped_theme, HtmlOptions())
