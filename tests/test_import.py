"""`digibrief import`: a CSV download merged into the country files, every other byte kept, bad rows refused."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from digibrief.errors import InputError, UsageError
from digibrief.project.importer import plan_import
from digibrief.project.load import load

from .conftest import replace_in, run_cli

OWID = """Entity,Code,Year,Individuals using the Internet (% of population)
Africa,,2022,40.2
France,FRA,2022,85.3
Kyrgyzstan,KGZ,2021,74.6424
Kyrgyzstan,KGZ,2022,80.1
Kyrgyzstan,KGZ,2023,81.25
Tajikistan,TJK,2023,
"""


def write_csv(folder: Path, text: str, name: str = "new.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def import_args(csv: Path, *more: str) -> tuple[str, ...]:
    """`digibrief import` as run in the project folder, so that messages name files as the user does."""
    return ("import", csv.name, "--indicator", "internet_users", "--source", "OWID_ITU_INTERNET_2025", *more)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines a merge removed and added; every other line is the same, byte for byte."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    removed = [d[2:] for d in diff if d.startswith("- ")]
    added = [d[2:] for d in diff if d.startswith("+ ")]
    return removed, added


def test_an_owid_download_is_merged_keeping_every_other_byte(project_copy):
    kgz = project_copy / "data" / "countries" / "kgz.yaml"
    before = kgz.read_text(encoding="utf-8")
    others = {p: p.read_bytes() for p in (project_copy / "data").rglob("*.yaml") if p != kgz}
    done = run_cli(*import_args(write_csv(project_copy, OWID), "--write"), cwd=project_copy)
    assert done.returncode == 0, done.stderr
    after = kgz.read_text(encoding="utf-8")
    removed, added = changed_lines(before, after)
    assert removed == ["    2022: {value: 79.7703, source: OWID_ITU_INTERNET_2025}\n"]
    assert added == [
        "    2022: {value: 80.1, source: OWID_ITU_INTERNET_2025}\n",
        "    2023: {value: 81.25, source: OWID_ITU_INTERNET_2025}\n",
    ]
    assert (
        after.index("2022: {value: 80.1") < after.index("2023: {value: 81.25") < after.index("  mobile_subs:")
    )
    assert [line for line in after.splitlines() if "#" in line] == [
        line for line in before.splitlines() if "#" in line
    ]
    assert others == {p: p.read_bytes() for p in others}  # other countries: no value changed, no file touched
    series = (
        load(project_copy / "data", project_copy / "report").countries["KGZ"].indicators["internet_users"]
    )
    assert (series[2022].value, series[2023].value, series[2021].value) == (80.1, 81.25, 74.6424)


def test_without_write_it_prints_what_would_change_and_writes_nothing(project_copy):
    kgz = project_copy / "data" / "countries" / "kgz.yaml"
    before = kgz.read_bytes()
    done = run_cli(*import_args(write_csv(project_copy, OWID)), cwd=project_copy)
    assert done.returncode == 0, done.stderr
    assert kgz.read_bytes() == before
    out = done.stdout.replace("\\", "/")
    line = (
        before.decode().splitlines().index("    2022: {value: 79.7703, source: OWID_ITU_INTERNET_2025}") + 1
    )
    assert f"  data/countries/kgz.yaml:{line}: 2022: 79.7703 \u2192 80.1\n" in out
    assert f"  data/countries/kgz.yaml:{line + 1}: 2023: new 81.25\n" in out
    assert "1 value to change and 1 to add in 1 file; 1 already as in the file" in out
    assert "skipped 2 rows for 2 places not in the data; 1 empty cell" in out
    assert "run again with --write" in out


BAD = """Entity,Code,Year,Individuals using the Internet (% of population)
Kyrgyzstan,KGZ,2022,80.1
Kyrgyzstan,KGZ,2023,eighty
Kazakhstan,KAZ,2023,130
Kyrgyzstan,KGZ,2022,80.2
Uzbekistan,UZB,20x3,70
"""


def test_bad_rows_are_located_errors_and_nothing_is_written(project_copy):
    files = {p: p.read_bytes() for p in (project_copy / "data" / "countries").glob("*.yaml")}
    done = run_cli(*import_args(write_csv(project_copy, BAD), "--write"), cwd=project_copy)
    assert done.returncode == 1
    errors = done.stderr.splitlines()
    assert "new.csv:3:21: expected a number, got 'eighty'" in errors
    assert "new.csv:4:21: 130 is outside the range of Internet users (0 to 100)" in errors
    assert (
        "new.csv:5:21: KGZ 2022 is given twice with different values: 80.1 on line 2 and 80.2 here" in errors
    )
    assert "new.csv:6:16: expected a year such as 2023, got '20x3'" in errors
    assert "Traceback" not in done.stderr
    assert files == {p: p.read_bytes() for p in files}


def test_an_unknown_country_in_a_plain_file_is_a_located_error(project_copy):
    csv = write_csv(project_copy, "country,year,value\nKGZ,2023,81\nKyrgystan,2023,80\n")
    with pytest.raises(InputError) as err:
        plan_import(
            csv, "internet_users", "OWID_ITU_INTERNET_2025", project_copy / "data", project_copy / "report"
        )
    (problem,) = err.value.problems
    assert problem.line == 3 and problem.col == 1
    assert problem.message.startswith("unknown country 'Kyrgystan'; did you mean 'Kyrgyzstan'?")


def test_world_bank_downloads_are_read_in_both_layouts(project_copy):
    databank = (
        '"Country Name","Country Code","Series Name","Series Code","2022 [YR2022]","2023 [YR2023]"\n'
        '"Kyrgyz Republic","KGZ","Individuals using the Internet (% of population)","IT.NET.USER.ZS","80.1",".."\n'
        '"World","WLD","Individuals using the Internet (% of population)","IT.NET.USER.ZS","67.4","68"\n'
        "\n"
        '"Data from database: World Development Indicators",,,,,\n'
        '"Last Updated: 12/16/2024",,,,,\n'
    )
    classic = (
        '"Data Source","World Development Indicators",\n'
        "\n"
        '"Last Updated Date","2025-01-28",\n'
        "\n"
        '"Country Name","Country Code","Indicator Name","Indicator Code","2022","2023",\n'
        '"Kyrgyz Republic","KGZ","Individuals using the Internet (% of population)","IT.NET.USER.ZS","80.1","",\n'
    )
    data, report = project_copy / "data", project_copy / "report"
    for name, text in (("databank.csv", databank), ("classic.csv", classic)):
        plan = plan_import(
            write_csv(project_copy, text, name), "internet_users", "OWID_ITU_INTERNET_2025", data, report
        )
        assert plan.layout == "wdi"
        assert [(u.country, u.year, u.before, u.value) for f in plan.files for u in f.updates] == [
            ("KGZ", 2022, 79.7703, 80.1)
        ]
        assert plan.empty == 1


def test_a_series_new_to_a_country_is_added_after_its_last_series(project_copy):
    tkm = project_copy / "data" / "countries" / "tkm.yaml"
    before = tkm.read_text(encoding="utf-8")
    csv = write_csv(project_copy, "country,year,value\nTurkmenistan,2024,12.5\nTKM,2020,10\n")
    plan = plan_import(
        csv, "gci_score", "OWID_ITU_INTERNET_2025", project_copy / "data", project_copy / "report"
    )
    (file,) = plan.files
    removed, added = changed_lines(before, file.text)
    assert removed == []
    assert added == [
        "  gci_score:\n",
        "    2020: {value: 10, source: OWID_ITU_INTERNET_2025}\n",
        "    2024: {value: 12.5, source: OWID_ITU_INTERNET_2025}\n",
    ]


def test_an_unknown_indicator_or_source_is_a_usage_error(project_copy):
    csv = write_csv(project_copy, OWID)
    with pytest.raises(UsageError, match="did you mean 'internet_users'"):
        plan_import(
            csv, "internet_user", "OWID_ITU_INTERNET_2025", project_copy / "data", project_copy / "report"
        )
    done = run_cli(
        "import", str(csv), "--indicator", "internet_users", "--source", "NOPE",
        "--data", str(project_copy / "data"), "--report", str(project_copy / "report"),
    )  # fmt: skip
    assert done.returncode == 2 and "--source: unknown source 'NOPE'" in done.stderr


def test_the_status_follows_the_source_and_a_note_is_kept(project_copy):
    """A primary release makes a value verified, any other source at best reported; notes stay."""
    data, report = project_copy / "data", project_copy / "report"
    (project_copy / "ranks.csv").write_text("country,year,value\nKGZ,2020,82\n", encoding="utf-8")
    kgz = data / "countries" / "kgz.yaml"
    before = kgz.read_text(encoding="utf-8")
    (old,) = [
        line for line in before.splitlines() if line.startswith("    2020: {value: 83, source: NEWS_24KG")
    ]
    assert "status: reported" in old and 'note: "Rank as reported' in old
    done = run_cli(
        "import", "ranks.csv", "--indicator", "egdi_rank", "--source", "UNDESA_EGDI_2022_CSV", "--write",
        cwd=project_copy,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2020: 83 \u2192 82, now verified (keeps its note: check it still holds)" in done.stdout
    removed, added = changed_lines(before, kgz.read_text(encoding="utf-8"))
    assert removed == [old + "\n"]
    assert added == [
        '    2020: {value: 82, source: UNDESA_EGDI_2022_CSV, note: "Rank as reported in the press; no 2020 score was found."}\n'
    ]
    (project_copy / "news.csv").write_text("country,year,value\nKGZ,2025,75\n", encoding="utf-8")
    done = run_cli(
        "import", "news.csv", "--indicator", "egdi_rank", "--source", "NEWS_24KG_EGDI2020", "--write",
        cwd=project_copy,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2025: new 75 (reported)" in done.stdout
    assert "    2025: {value: 75, source: NEWS_24KG_EGDI2020, status: reported}\n" in kgz.read_text(
        encoding="utf-8"
    )
    series = load(data, report).countries["KGZ"].indicators["egdi_rank"]  # the merged data is valid
    assert (series[2020].status, series[2025].status) == ("verified", "reported")


def test_a_file_with_crlf_line_ends_keeps_them(project_copy):
    kgz = project_copy / "data" / "countries" / "kgz.yaml"
    kgz.write_bytes(kgz.read_bytes().replace(b"\n", b"\r\n"))
    csv = write_csv(project_copy, OWID)
    (file,) = plan_import(
        csv, "internet_users", "OWID_ITU_INTERNET_2025", project_copy / "data", project_copy / "report"
    ).files
    raw = file.text.encode("utf-8")
    assert raw.count(b"\n") == raw.count(b"\r\n") == kgz.read_bytes().count(b"\r\n") + 1


def test_a_point_written_as_a_block_gains_and_loses_its_status_line(project_copy):
    data, report = project_copy / "data", project_copy / "report"
    kgz = data / "countries" / "kgz.yaml"
    replace_in(
        kgz,
        "    2021: {value: 74.6424, source: OWID_ITU_INTERNET_2025}\n",
        "    2021:\n      value: 74.6424  # ITU, 2025 vintage\n      source: OWID_ITU_INTERNET_2025\n",
    )
    block = kgz.read_text(encoding="utf-8")
    csv = write_csv(project_copy, "country,year,value\nKGZ,2021,80.1\n")
    (file,) = plan_import(csv, "internet_users", "SEED_GNV_2024", data, report).files
    assert changed_lines(block, file.text) == (
        ["      value: 74.6424  # ITU, 2025 vintage\n", "      source: OWID_ITU_INTERNET_2025\n"],
        [
            "      value: 80.1  # ITU, 2025 vintage\n",
            "      source: SEED_GNV_2024\n",
            "      status: reported\n",
        ],
    )
    kgz.write_text(file.text, encoding="utf-8")
    (file,) = plan_import(csv, "internet_users", "OWID_ITU_INTERNET_2025", data, report).files
    assert changed_lines(file.text, block) == (
        ["      value: 80.1  # ITU, 2025 vintage\n"],
        ["      value: 74.6424  # ITU, 2025 vintage\n"],
    )


def test_values_that_would_break_a_rule_elsewhere_are_refused_with_its_location(project_copy):
    """Kyrgyzstan's disagreement shows the ITU value for 2022; taking that year from another source breaks it."""
    kgz = project_copy / "data" / "countries" / "kgz.yaml"
    before = kgz.read_bytes()
    write_csv(project_copy, "country,year,value\nKGZ,2022,80.1\n")
    done = run_cli(
        "import", "new.csv", "--indicator", "internet_users", "--source", "SEED_GNV_2024", "--write",
        cwd=project_copy,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("data/countries/kgz.yaml:"), done.stderr
    assert "discrepancies." in done.stderr and "(after importing new.csv)" in done.stderr
    assert kgz.read_bytes() == before


def test_an_import_can_add_the_source_it_cites_in_the_same_write(project_copy):
    csv = project_copy / "one.csv"
    csv.write_text("country,year,value\nKGZ,2024,83.5\n", encoding="utf-8")
    sources = project_copy / "data" / "sources.yaml"
    before = sources.read_text(encoding="utf-8")
    args = ("import", str(csv), "--indicator", "internet_users", "--source", "ITU_2026")
    described = (
        "--publisher",
        "ITU",
        "--title",
        "Facts and Figures 2026",
        "--date",
        "2026-11",
        "--kind",
        "primary",
    )
    partial = run_cli(*args, "--title", "Facts and Figures 2026", "--write", cwd=project_copy)
    assert partial.returncode == 2 and "give --publisher, --date, --kind too" in partial.stderr
    done = run_cli(*args, *described, "--url", "https://www.itu.int/", "--write", cwd=project_copy)
    assert done.returncode == 0, done.stderr
    assert "data/sources.yaml: the source added" in done.stdout
    after = sources.read_text(encoding="utf-8")
    assert after.startswith(before) and "  ITU_2026:\n" in after
    assert (
        "2024: {value: 83.5, source: ITU_2026}"
        in (project_copy / "data" / "countries" / "kgz.yaml").read_text()
    )
    assert run_cli("check", cwd=project_copy).returncode == 0
    again = run_cli(*args, *described, cwd=project_copy)
    assert again.returncode == 2 and "already in data/sources.yaml" in again.stderr
