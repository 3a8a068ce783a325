"""Labels in any language: every fixed word of the outputs comes from report/labels.yaml (shipped in
English), and numbers and dates follow report.yaml's language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from digibrief.document.numbers import big, edition_label, fmt, ordinal
from digibrief.document.words import ENGLISH, Speech
from digibrief.vocabulary import MONTHS, ORDINAL, WORDS

from .conftest import DATA, REPORT, ROOT, deck_text, pdf_pages, replace_in, run_cli
from .test_datapack import read_workbook

FRENCH = ROOT / "tests" / "labels_fr.yaml"

# words the outputs print that are not the user's data: none may survive a French labels table
FURNITURE = (
    "Country profile",
    "At a glance",
    "Highlights",
    "page 2 of",
    "Latest available value of each indicator",
    "What happened",
    "Incidents and evidence behind the ratings",
    "Sources disagree:",
    "Source:",
    "Sources:",
    "November 2026",
    "(1 = best)",
    "Dated milestones by country",
    "Hollow markers",
)  # "n/a" and "Where sources disagree" also occur in the shipped data's own words, so are not listed
DECK_FURNITURE = (*FURNITURE, "Backup", "Questions and discussion", "(continued)", "No data")
PACK_FURNITURE = ("Country", "Year", "Value", "Unit", "Status", "Shown as", "About", "What it shows")


def french() -> Speech:
    table = yaml.safe_load(FRENCH.read_text(encoding="utf-8"))
    return Speech.of("fr", table["words"], table["months"], table["months_short"], table["ordinal"])


def test_the_shipped_labels_are_the_english_defaults():
    shipped = yaml.safe_load((REPORT / "labels.yaml").read_text(encoding="utf-8"))
    # but the name of the shipped brief's region, which no default can know
    assert shipped["words"] == {**WORDS, "locator_title": "Central Asia"}
    assert shipped["months"] == list(MONTHS) and shipped["ordinal"] == ORDINAL


def test_numbers_and_dates_follow_the_language():
    fr = french()
    assert fmt(fr, 92.93, "percent", 1) == "92,9 %"
    assert fr.decimal(1234.5, 1) == "1\u202f234,5"  # Babel's French grouping: a narrow no-break space
    assert (ordinal(fr, 1), ordinal(fr, 24)) == ("1er", "24e")
    assert big(fr, 165_000_000) == "165 millions"
    assert fmt(fr, None, "score") == "n.d."
    assert edition_label(fr, "2026-11-29") == "novembre 2026"
    assert (
        fmt(ENGLISH, 92.93, "percent", 1),
        ordinal(ENGLISH, 22),
        edition_label(ENGLISH, "2026-11-29"),
    ) == (
        "92.9%",
        "22nd",
        "November 2026",
    )


def slide_text(path: Path) -> str:
    """The text on the slides (shapes, tables, chart titles), without the speaker notes."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                out += [c.text_frame.text for row in shape.table.rows for c in row.cells]
            if getattr(shape, "has_chart", False) and shape.has_chart:
                chart = shape.chart
                out += [s.name for s in chart.plots[0].series] if chart.plots else []
    return "\n".join(out)


@pytest.fixture(scope="module")
def french_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built with the French labels table, language fr and French section titles:
    its output folder, shared by the tests that read a translated build."""
    root = tmp_path_factory.mktemp("french")
    shutil.copytree(DATA, root / "data")
    shutil.copytree(REPORT, root / "report")
    shutil.copy(FRENCH, root / "report" / "labels.yaml")
    report = root / "report" / "report.yaml"
    replace_in(report, "language: en", "language: fr")
    for english, french_title in (
        ("title: Key takeaways", "title: Points clés"),
        ("title: Contents", "title: Sommaire"),
        ("title: Regional overview", "title: Vue régionale"),
        ("title: Risks", "title: Risques"),
        ("title: Methodology and sources", "title: Méthode et sources"),
    ):
        replace_in(report, english, french_title)
    out = root / "out"
    done = run_cli(
        "build",
        *("--data", str(root / "data"), "--report", str(report.parent), "--out", str(out)),
        "-q",
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_a_french_labels_table_leaves_no_english_furniture(french_build: Path):
    out = french_build
    pdf = " ".join(" ".join(p.text.split()) for p in pdf_pages(out / "brief.pdf"))  # read once, for both
    deck = " ".join(slide_text(out / "deck.pptx").split())
    pack = [
        cell for rows in read_workbook(out / "brief-data.xlsx").values() for row in rows[:4] for cell in row
    ]
    page = (out / "brief.html").read_text(encoding="utf-8")
    web = " ".join(re.sub(r"<[^>]*>", " ", page).split())
    left = {
        "brief.pdf": [w for w in FURNITURE if w.lower() in pdf.lower()],
        "deck.pptx": [w for w in DECK_FURNITURE if w in deck],
        "brief-data.xlsx": [w for w in PACK_FURNITURE if w in pack],
        "brief.html": [w for w in (*FURNITURE, "Show the data", "References") if w.lower() in web.lower()],
    }
    assert left == {"brief.pdf": [], "deck.pptx": [], "brief-data.xlsx": [], "brief.html": []}
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "Voir les données" in web and "Références" in web and "92,9 %" in web
    french_words = ("page 2 sur", "profil de pays", "en bref", "novembre 2026", "24e", "92,9 %", "source :")
    for expected in (*french_words, "divergences entre sources"):
        assert expected in pdf.lower(), expected
    assert "Annexe" in deck and "Pays" in pack


ENGLISH_STATUS_MARKS = ("\u00b7 reported", "\u00b7 unverified", "(reported)", "(unverified)")


def test_a_translated_labels_table_prints_no_english_status_mark(french_build: Path):
    out = french_build  # every value of report/labels.yaml translated
    from pptx import Presentation

    pdf = " ".join(" ".join(p.text.split()) for p in pdf_pages(out / "brief.pdf"))  # read once, for both
    deck = " ".join(deck_text(out / "deck.pptx").split())  # slides, tables and speaker notes
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
    charts = [
        t.text or ""
        for slide in Presentation(str(out / "deck.pptx")).slides
        for shape in slide.shapes
        if getattr(shape, "has_chart", False) and shape.has_chart
        for t in shape.chart._chartSpace.iter(a)
    ]
    assert "sur" in pdf and charts, "the French build wrote both outputs"
    found = {
        "brief.pdf": [m for m in ENGLISH_STATUS_MARKS if m in pdf],
        "deck.pptx": [m for m in ENGLISH_STATUS_MARKS if m in deck or any(m in t for t in charts)],
    }
    assert found == {"brief.pdf": [], "deck.pptx": []}
    assert "signal\u00e9" in deck, "the deck marks a reported figure in French"


def test_a_template_that_drops_a_field_is_refused_at_its_place(project_copy: Path):
    labels = project_copy / "report" / "labels.yaml"
    replace_in(labels, 'page_of: "page {page} of {total}"', 'page_of: "page {page}"')
    done = run_cli("check", cwd=project_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "report/labels.yaml:" in done.stderr
    assert "'page_of' must keep the fields {page}, {total}, got 'page {page}'" in done.stderr


def test_an_unknown_language_is_refused_by_check_at_its_line(project_copy: Path):
    report = project_copy / "report" / "report.yaml"
    replace_in(report, "language: en", "language: xx")
    line = report.read_text(encoding="utf-8").splitlines().index("language: xx") + 1
    done = run_cli("check", cwd=project_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"report/report.yaml:{line}:11: language: unknown language 'xx'" in done.stderr, done.stderr


def test_without_a_labels_file_the_outputs_speak_english(project_copy: Path):
    (project_copy / "report" / "labels.yaml").unlink()
    done = run_cli("check", cwd=project_copy)
    assert done.returncode == 0, done.stderr
