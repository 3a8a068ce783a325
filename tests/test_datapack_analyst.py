"""The data pack as an analyst uses it (issue 26): the incidents as one table, the statuses the brief gives,
units in words, years as numbers, web addresses as links and sheets named in the brief's words."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from digibrief.document import types as d
from digibrief.vocabulary import WORDS

from .test_datapack import NS, read_workbook, sheet_for

Book = dict[str, list[list[str | float]]]
REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@pytest.fixture(scope="module")
def book(shipped) -> Book:  # type: ignore[no-untyped-def]
    return read_workbook(shipped.out / "brief-data.xlsx")


def links(path: Path) -> dict[str, dict[str, str]]:
    """{sheet name: {cell reference: the address it links to}}, read from the sheets' XML."""
    with zipfile.ZipFile(path) as z:
        rels = {
            r.get("Id"): r.get("Target") for r in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        }
        out: dict[str, dict[str, str]] = {}
        for sheet in ElementTree.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
            target = rels[sheet.get(f"{{{NS['r']}}}id")]
            name = target.rsplit("/", 1)[-1]
            rel_path = f"xl/worksheets/_rels/{name}.rels"
            targets = (
                {r.get("Id"): r.get("Target") for r in ElementTree.fromstring(z.read(rel_path))}
                if rel_path in z.namelist()
                else {}
            )
            xml = ElementTree.fromstring(z.read(f"xl/{target}"))
            out[sheet.get("name")] = {
                h.get("ref"): targets[h.get(f"{{{NS['r']}}}id")] for h in xml.iter(f"{{{NS['m']}}}hyperlink")
            }
        return out


def _table(doc: d.Document, caption: str) -> d.Table:
    return next(b for s in doc.sections for b in s.blocks if isinstance(b, d.Table) and b.caption == caption)


def _rows(sheet: list[list[str | float]]) -> list[dict[str, str | float]]:
    header = [str(c) for c in sheet[3]]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=True)) for row in sheet[4:]]


def test_the_incidents_sheet_lists_every_incident_of_the_brief_with_its_date_and_source(
    book: Book, shipped_doc, shipped_project
) -> None:  # type: ignore[no-untyped-def]
    table = _table(shipped_doc, WORDS["incidents_caption"])
    rows = _rows(sheet_for(book, table.caption))
    assert list(rows[0]) == [
        "Country", "Date", "Year", "Month", "Risk", "Title", "What happened", "Source", "Address",
    ]  # fmt: skip
    assert len(rows) == len(table.rows) >= 20
    urls = {s.url for s in shipped_project.sources.values() if s.url}
    for row, shown in zip(rows, table.rows, strict=True):
        title = next(r.text for r in shown[3] if r.bold)
        assert (row["Country"], row["Date"], row["Risk"], row["Title"]) == (
            d.plain(shown[0]),
            d.plain(shown[1]),
            d.plain(shown[2]),
            title,
        )
        assert row["What happened"] and row["What happened"] in d.plain(shown[3])
        assert isinstance(row["Year"], float) and 1990 < row["Year"] < 2100
        assert row["Month"] == "" or 1 <= float(row["Month"]) <= 12
        assert re.fullmatch(r"\[\d+\] .+ \d{4}", str(row["Source"])), row["Source"]
        assert row["Address"] == "" or row["Address"] in urls
    assert sum(1 for r in rows if r["Address"]) >= len(rows) // 2


def test_no_status_in_the_pack_contradicts_the_brief_s_where_sources_disagree(
    book: Book, shipped_doc
) -> None:  # type: ignore[no-untyped-def]
    table = _table(shipped_doc, WORDS["disagreement_caption"])
    rows = [r for r in _rows(sheet_for(book, table.caption)) if r["Column"] == "Values reported"]
    shown_by_topic = {d.plain(row[0]): {n for run in row[2] for n in run.cite} for row in table.rows}
    assert set(shown_by_topic) == {r["Row"] for r in rows}
    elsewhere = {  # each value's status wherever else the pack lists it
        (r.get("Value"), r.get("Source")): r.get("Status")
        for name, sheet in book.items()
        if name not in ("About", "Sources", table.caption) and len(sheet) > 3 and "Status" in sheet[3]
        for r in _rows(sheet)
    }
    not_used = 0
    for topic, shown in shown_by_topic.items():
        values = [r for r in rows if r["Row"] == topic]
        used = [r for r in values if int(str(r["Source"]).split("]")[0][1:]) in shown]
        assert len(used) == 1, (topic, values)
        assert used[0]["Status"] in ("verified", "reported", "unverified"), used[0]
        for r in values:
            if r is not used[0]:  # set aside, unless the brief prints it elsewhere with a status
                assert r["Status"] == elsewhere.get((r["Value"], r["Source"]), "not used"), r
                not_used += r["Status"] == "not used"
    assert not_used >= 3


def test_units_are_words_from_the_labels_table_and_years_are_numbers(book: Book, shipped_doc) -> None:  # type: ignore[no-untyped-def]
    words = {v for k, v in WORDS.items() if k.startswith("unit_")}
    labels = {f.chart.unit_label for f in shipped_doc.figures()}
    units, periods = set(), []
    for name, sheet in book.items():
        if name in ("About", "Sources") or len(sheet) < 4:
            continue
        for row in _rows(sheet):
            if row.get("Unit"):
                units.add(row["Unit"])
            periods += [row[k] for k in ("Year", "Period") if k in row and row[k] != ""]
    assert units and units <= words | labels, units - words - labels
    assert not units & {"per100", "usd", "count"}
    bare = [p for p in periods if isinstance(p, str) and re.fullmatch(r"\d{4}", p)]
    assert bare == [] and any(isinstance(p, float) for p in periods)
    assert all(isinstance(p, float) or re.search(r"\d{4}", p) for p in periods), periods


def test_a_country_s_milestones_keep_the_printed_date_beside_year_and_month_as_numbers(
    book: Book, shipped_doc
) -> None:  # type: ignore[no-untyped-def]
    tables = [
        b
        for s in shipped_doc.sections
        for b in s.blocks
        if isinstance(b, d.Table) and b.caption.startswith("Milestones:")
    ]
    assert len(tables) >= 4
    for table in tables:
        rows = _rows(sheet_for(book, table.caption))
        assert list(rows[0])[:5] == ["Date", "Year", "Month", "Milestone", "What happened"]
        assert [(r["Date"], r["Milestone"]) for r in rows] == [
            (d.plain(x[0]), d.plain(x[1])) for x in table.rows
        ]
        for r in rows:
            assert isinstance(r["Year"], float) and str(int(r["Year"])) in str(r["Date"]), r
            assert r["Month"] == "" or 1 <= float(r["Month"]) <= 12


def test_web_addresses_are_links(book: Book, shipped) -> None:  # type: ignore[no-untyped-def]
    found = links(shipped.out / "brief-data.xlsx")
    sources = book["Sources"]
    column = "E"  # the Sources sheet's Address column
    assert sources[3][4] == "Address"
    for n, row in enumerate(sources[4:], start=5):
        if len(row) > 4 and row[4]:
            assert found["Sources"].get(f"{column}{n}") == row[4], n
    incidents = next(name for name in book if name.startswith("Incidents"))
    addresses = [row[8] for row in book[incidents][4:] if len(row) > 8 and row[8]]
    assert addresses and sorted(found[incidents].values()) == sorted(addresses)


def test_sheet_names_say_what_each_sheet_holds_in_the_brief_s_words(book: Book, shipped_project) -> None:  # type: ignore[no-untyped-def]
    names = list(book)
    assert len({n.lower() for n in names}) == len(names)
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names), names
    given = {c.title: c.sheet for c in shipped_project.report.charts.values() if c.sheet}
    assert given  # the report names some sheets itself (`sheet:`): those, else the title cut to fit
    for name, title, _ in (row + [""] * (3 - len(row)) for row in book["About"][4:]):
        words = str(title).replace(":", " \u2013").split()
        head = " ".join(words[: len(str(name).split())])
        assert str(name).split(" (")[0] in (head.rstrip(",."), given.get(str(title))), (name, title)
    assert set(given.values()) <= set(names)
    assert "Incidents and evidence" in names and "Kazakhstan \u2013 At a glance" in names
    assert not [n for n in names if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", n)]  # no slugs


def test_a_sheet_name_excel_would_refuse_is_a_located_error(project_copy) -> None:  # type: ignore[no-untyped-def]
    from .conftest import replace_in, run_cli

    report = project_copy / "report" / "report.yaml"
    line = (
        report.read_text(encoding="utf-8").splitlines().index("    sheet: Digital government milestones") + 1
    )
    replace_in(report, "sheet: Digital government milestones", 'sheet: "Milestones: digital government"')
    done = run_cli("check", cwd=project_copy)
    assert done.returncode == 1, done.stderr
    assert f"report.yaml:{line}:" in done.stderr and "an Excel sheet name cannot hold :" in done.stderr
    assert "Traceback" not in done.stderr
