"""`digibrief new`: a scaffold that check refuses at every placeholder until it is filled in, and
that is valid once it is, added to the files that list it without touching anything else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digibrief.project import yamlsource
from digibrief.project.scaffold import add_country_to_report, add_country_to_risks, append_to_list

from .conftest import run_cli, with_each_country_chart

PLACEHOLDER_LINE = re.compile(
    r"^(data/countries/mng\.yaml|data/risks\.yaml|report/report\.yaml):\d+:\d+: .+: fill in this placeholder"
)


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(), after.splitlines()
    return [(x, y) for x, y in zip(a, b, strict=False) if x != y]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each placeholder whose text starts with a key by that key's YAML value."""
    for start, value in values.items():
        text = re.sub(r'"TODO: ' + re.escape(start) + r'[^"]*"', value, text)
    return text


def test_new_country_is_refused_at_every_placeholder_and_listed_where_it_must_be(project_copy: Path):
    report, risks = with_each_country_chart(project_copy), project_copy / "data" / "risks.yaml"
    report_before, risks_before = report.read_text(encoding="utf-8"), risks.read_text(encoding="utf-8")
    made = run_cli("new", "country", "mng", "--name", "Mongolia", cwd=project_copy)
    assert made.returncode == 0, made.stderr
    assert "wrote data/countries/mng.yaml" in made.stdout
    assert (project_copy / "data" / "countries" / "mng.yaml").is_file()

    # report.yaml: the countries line changed and a TODO headline added to each chart drawn for every
    # country; comments and layout kept
    report_after = report.read_text(encoding="utf-8")
    added = [line for line in report_after.splitlines() if line.strip().startswith("MNG: ")]
    assert added == ['      MNG: "TODO: this chart\'s finding for MNG in one sentence, with data references"']
    without = "\n".join(line for line in report_after.splitlines() if line not in added) + "\n"
    [(old, new)] = changed_lines(report_before, without)
    assert old.startswith("countries: [") and new == old.replace("]", ", MNG]", 1)
    assert len(without.splitlines()) == len(report_before.splitlines())
    # risks.yaml: the old text is kept whole and one row added, one cell per category
    after = risks.read_text(encoding="utf-8")
    assert after.startswith(risks_before.rstrip("\n"))
    located, _ = yamlsource.parse(after.encode(), "risks.yaml")
    assert located is not None
    assert set(located.value["assessments"]["MNG"]) == set(located.value["categories"])

    check = run_cli("check", cwd=project_copy)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    problems = check.stderr.splitlines()[:-1]
    assert problems and all(PLACEHOLDER_LINE.match(line) for line in problems), problems


def test_a_filled_in_country_scaffold_is_valid_and_builds(project_copy: Path, tmp_path: Path):
    assert run_cli("new", "country", "MNG", "--name", "Mongolia", cwd=project_copy).returncode == 0
    country = project_copy / "data" / "countries" / "mng.yaml"
    text = fill(
        country.read_text(encoding="utf-8"),
        {
            "the capital": "Ulaanbaatar",
            "people": "3398366",
            "the year": "2021",
            "a source id": "OWID_UNWPP2022_POP",
            "a short point": "Internet use keeps rising.",
            "an indicator id": "internet_users",
        },
    )
    text = re.sub(
        r"(?m)^  TODO: two or three paragraphs.*$", "  Mongolia is new to this brief [SEED_GNV_2024].", text
    )
    text = text.replace(
        "indicators: {}",
        "indicators:\n  internet_users:\n    2022: {value: 83.9, source: OWID_ITU_INTERNET_2025}",
    )
    country.write_text(text, encoding="utf-8")
    report = project_copy / "report" / "report.yaml"
    report.write_text(
        fill(
            report.read_text(encoding="utf-8"),
            {"this chart's finding": '"Internet use in Mongolia reached {MNG internet_users}"'},
        ),
        encoding="utf-8",
    )
    risks = project_copy / "data" / "risks.yaml"
    risks.write_text(
        fill(
            risks.read_text(encoding="utf-8"), {"what the sources show": "The sources used hold no evidence."}
        ),
        encoding="utf-8",
    )
    check = run_cli("check", cwd=project_copy)
    assert check.returncode == 0, check.stderr
    built = run_cli(
        "build",
        "--only",
        "pdf",
        "--countries",
        "MNG",
        "--out",
        str(tmp_path / "out"),
        "-q",
        cwd=project_copy,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    from pypdf import PdfReader

    pdfs = list((tmp_path / "out").glob("*.pdf"))
    assert len(pdfs) == 1
    assert "Mongolia" in [o.title for o in PdfReader(pdfs[0]).outline if not isinstance(o, list)]


def test_a_context_country_scaffold_touches_no_other_file(project_copy: Path):
    report, risks = project_copy / "report" / "report.yaml", project_copy / "data" / "risks.yaml"
    before = report.read_bytes(), risks.read_bytes()
    made = run_cli("new", "country", "AFG", "--name", "Afghanistan", "--role", "context", cwd=project_copy)
    assert made.returncode == 0, made.stderr
    assert (report.read_bytes(), risks.read_bytes()) == before
    assert "role: context" in (project_copy / "data" / "countries" / "afg.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("country", "KGZ", "--name", "Kyrgyzstan"), "data/countries/kgz.yaml already exists"),
        (("country", "M1", "--name", "Nowhere"), "expected three letters"),
        (("indicator", "internet_users"), "'internet_users' is already defined"),
        (("indicator", "9lives"), "expected a letter"),
        (("indicator", "speed", "--unit", "mbps"), "--unit: expected one of percent"),
    ],
)
def test_new_refuses_what_it_cannot_add_and_writes_nothing(
    project_copy: Path, args: tuple[str, ...], says: str
):
    files = {p: p.read_bytes() for p in project_copy.rglob("*") if p.is_file()}
    result = run_cli("new", *args, cwd=project_copy)
    assert result.returncode == 2 and says in result.stderr and "Traceback" not in result.stderr
    assert files == {p: p.read_bytes() for p in project_copy.rglob("*") if p.is_file()}


def test_new_indicator_is_refused_until_filled_in_then_valid(project_copy: Path):
    made = run_cli(
        "new",
        "indicator",
        "mobile_broadband",
        "--name",
        "Mobile broadband",
        "--unit",
        "per100",
        cwd=project_copy,
    )
    assert made.returncode == 0, made.stderr
    check = run_cli("check", cwd=project_copy)
    assert check.returncode == 1
    problems = check.stderr.splitlines()[:-1]
    assert len(problems) == 6 and all(
        re.match(
            r"data/indicators\.yaml:\d+:\d+: indicators\.mobile_broadband\.\S+: fill in this placeholder",
            line,
        )
        for line in problems
    ), problems
    path = project_copy / "data" / "indicators.yaml"
    path.write_text(
        fill(
            path.read_text(encoding="utf-8"),
            {
                "the unit as": '"per 100 people"',
                "the lowest": "0",
                "the highest": "200",
                "true or false": "true",
                "one sentence": "Active mobile broadband subscriptions per 100 people.",
                "its default source": "OWID_ITU_MOBILE_2023",
            },
        ),
        encoding="utf-8",
    )
    assert run_cli("check", cwd=project_copy).returncode == 0


def test_a_list_that_cannot_be_extended_is_left_alone_with_the_lines_to_add(project_copy: Path):
    report = project_copy / "report" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    text = re.sub(r"countries: \[KAZ, UZB, KGZ, TJK\]", "countries: [KAZ, UZB,\n  KGZ, TJK]", text)
    report.write_text(text, encoding="utf-8")
    made = run_cli("new", "country", "MNG", "--name", "Mongolia", cwd=project_copy)
    assert made.returncode == 0, made.stderr
    assert report.read_text(encoding="utf-8") == text
    assert "add MNG at the end of countries: in report/report.yaml" in made.stdout


def test_block_lists_and_crlf_files_are_extended_in_their_own_style():
    block = "title: x\ncountries:\n  - KAZ   # first\n  - UZB\nsections: []\n"
    edit = add_country_to_report(block, "report.yaml", "MNG")
    assert edit.text == "title: x\ncountries:\n  - KAZ   # first\n  - UZB\n  - MNG\nsections: []\n"
    crlf = "levels: {}\r\ncategories:\r\n  a: {}\r\n  b: {}\r\nassessments:\r\n  KAZ:\r\n    a: {}\r\n"
    edit = add_country_to_risks(crlf, "risks.yaml", "MNG")
    assert edit.text is not None and edit.text.startswith(crlf) and "\n" not in edit.text.replace("\r\n", "")
    assert edit.text.endswith(
        "  MNG:\r\n    a: {level: null, rationale: \"TODO: what the sources show, or 'Not assessed for lack of evidence in the sources used.'\", sources: []}\r\n    b: {level: null, rationale: \"TODO: what the sources show, or 'Not assessed for lack of evidence in the sources used.'\", sources: []}\r\n"
    )
    located, _ = yamlsource.parse(b"countries: []\n", "r.yaml")
    assert append_to_list("countries: []\n", located, ("countries",), "MNG") == "countries: [MNG]\n"


def test_new_source_adds_an_entry_that_check_accepts_and_refuses_what_is_left_to_fill(project_copy: Path):
    sources = project_copy / "data" / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    made = run_cli(
        "new", "source", "ITU_FF_2026", "--publisher", "ITU", "--title", "Facts and Figures 2026",
        "--url", "https://www.itu.int/itu-d/reports/statistics/", "--date", "2026-11", "--kind", "primary",
        cwd=project_copy,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    after = sources.read_text(encoding="utf-8")
    assert after.startswith(before) and "  ITU_FF_2026:\n" in after  # the rest kept byte for byte
    assert run_cli("check", cwd=project_copy).returncode == 0
    again = run_cli("new", "source", "ITU_FF_2026", cwd=project_copy)
    assert again.returncode == 2 and "already defined" in again.stderr
    bare = run_cli("new", "source", "LATER", "--title", "A report", cwd=project_copy)
    assert bare.returncode == 0, bare.stderr
    check = run_cli("check", cwd=project_copy)
    left = check.stderr.splitlines()[:-1]
    assert check.returncode == 1 and len(left) == 3, left
    assert all(
        re.match(r"data/sources\.yaml:\d+:\d+: sources\.LATER\.(publisher|date|kind): fill in", s)
        for s in left
    )
