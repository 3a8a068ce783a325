"""The data pack beside the brief: one sheet per chart, table and panel with the exact values shown,
each with its unit, year, status and source; byte-identical across builds; pointed to by the brief."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from digibrief.document.types import Figure, KeyFigures, Table

from .conftest import deck_text, pdf_pages, run_cli

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def read_workbook(path: Path) -> dict[str, list[list[str | float]]]:
    """Every sheet's rows as values, read with nothing but the zip and XML libraries."""
    with zipfile.ZipFile(path) as z:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)
        ]
        rels = {
            r.get("Id"): r.get("Target") for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        }
        out = {}
        for sheet in ElementTree.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
            target = rels[sheet.get(f"{{{NS['r']}}}id")]
            rows: list[list[str | float]] = []
            for row in ElementTree.fromstring(z.read(f"xl/{target}")).iter(f"{{{NS['m']}}}row"):
                rows += [[] for _ in range(int(row.get("r")) - 1 - len(rows))]  # rows left empty
                cells: list[str | float] = []
                for c in row.findall("m:c", NS):
                    col = re.match(r"[A-Z]+", c.get("r")).group()
                    index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(col))) - 1
                    cells += [""] * (index - len(cells))
                    v = c.find("m:v", NS)
                    cells.append(strings[int(v.text)] if c.get("t") == "s" else float(v.text))
                rows.append(cells)
            out[sheet.get("name")] = rows
        return out


def sheet_for(book: dict[str, list[list[str | float]]], title: str) -> list[list[str | float]]:
    """The sheet that the About sheet says shows title (its name is the title, shortened)."""
    return book[next(str(row[0]) for row in book["About"][4:] if row[1] == title)]


def test_the_data_pack_has_a_sheet_per_chart_table_and_panel_in_the_brief_s_order(shipped, shipped_doc):
    book = read_workbook(shipped.out / "brief-data.xlsx")
    names = list(book)
    assert names[0] == "About" and names[-1] == "Sources"
    shown = [b for s in shipped_doc.sections for b in s.blocks if isinstance(b, Figure | Table | KeyFigures)]
    assert len(names) == len(shown) + 2
    charts = [f.chart.title for f in shipped_doc.figures()]
    titles = [row[1] for row in book["About"][4:]]
    assert [t for t in titles if t in charts] == charts
    # the About sheet lists every other sheet
    assert [row[0] for row in book["About"][4:]] == names[1:]


def test_a_chart_sheet_holds_the_values_the_chart_draws_with_unit_year_status_and_source(
    shipped, shipped_doc
):
    book = read_workbook(shipped.out / "brief-data.xlsx")
    chart = next(f.chart for f in shipped_doc.figures() if f.chart.id == "internet-users")
    sheet = sheet_for(book, chart.title)
    assert sheet[0] == [chart.title]
    header, rows = sheet[3], sheet[4:]
    assert header == ["Country", "Year", "Value", "Unit", "Status", "Source", "Shown as"]
    drawn = {(s.label, p.year, p.value) for s in chart.series for p in s.points if p.value is not None}
    assert {(r[0], int(r[1]), r[2]) for r in rows} == drawn
    assert all(r[3] == chart.unit_label and r[4] in ("verified", "reported", "unverified") for r in rows)
    assert all(re.fullmatch(r"\[\d+\] .+ \d{4}", r[5]) for r in rows), {r[5] for r in rows}
    references = {row[0] for row in book["Sources"][4:]}
    assert {float(re.match(r"\[(\d+)\]", r[5]).group(1)) for r in rows} <= references


def test_the_sources_sheet_holds_how_each_value_was_obtained(shipped):
    sheet = read_workbook(shipped.out / "brief-data.xlsx")["Sources"]
    header, rows = sheet[3], sheet[4:]
    assert header[-4:] == ["Copy read", "Read on", "Checked against", "Handling"]
    by_title = {r[2]: r + [""] * (len(header) - len(r)) for r in rows}
    un_2016 = by_title["UN E-Government Survey 2016, EGDI country data"]
    assert un_2016[1] == "UN DESA" and "UNU-EGOV" not in un_2016[5]
    assert un_2016[6] == (
        "https://github.com/UNU-EGOV/datasets/blob/cf03dd5f47bede65558498798f2a9a07f29ee090/egdi/egdi-2016.csv"
    )
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[7]) for r in by_title.values()), (
        "every source says when it was read"
    )
    assert any(r[8] for r in by_title.values()), "some sources say what they were checked against"


def test_a_table_of_figures_gets_one_row_per_figure(shipped):
    sheet = read_workbook(shipped.out / "brief-data.xlsx")["Latest available value"]
    assert sheet[3] == ["Row", "Column", "Value", "Unit", "Period", "Status", "Source", "Shown as"]
    rows = sheet[4:]
    assert rows and all(isinstance(r[2], float) and r[6] for r in rows)


def test_the_brief_and_the_deck_backup_point_to_the_data_pack(shipped):
    text = " ".join(" ".join(p.text.split()) for p in pdf_pages(shipped.out / "brief.pdf"))
    assert "data pack brief-data.xlsx" in text
    assert "brief-data.xlsx" in deck_text(shipped.out / "deck.pptx")


def test_the_data_pack_is_byte_identical_when_rebuilt(shipped, tmp_path: Path):
    out = tmp_path / "again"
    done = run_cli(
        "build",
        *("--data", str(shipped.data), "--report", str(shipped.report), "--out", str(out)),
        *("--only", "data", "-q"),
        env={"TZ": "America/New_York"},
    )
    assert done.returncode == 0, done.stderr
    digest = [
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (out / "brief-data.xlsx", shipped.out / "brief-data.xlsx")
    ]
    assert digest[0] == digest[1]


def test_a_variant_s_data_pack_is_named_after_its_brief_and_the_brief_says_so(shipped_copy):
    opts = shipped_copy
    done = run_cli(
        "build",
        *("--data", str(opts.data), "--report", str(opts.report), "--out", str(opts.out)),
        *("--countries", "KAZ", "--only", "pdf", "-q"),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join(p.text.split()) for p in pdf_pages(opts.out / "brief-kaz.pdf"))
    assert "data pack brief-kaz-data.xlsx" in text
