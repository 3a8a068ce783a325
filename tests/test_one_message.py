"""One mistake, one message: a broken or missing file reports its own problems, and what refers to it
elsewhere is counted once instead of repeated; long lists of problems are cut per file."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import replace_in, run_cli

LOCATED = re.compile(r"^[^:\s]+(:\d+:\d+)?: ")


def problems(result) -> list[str]:
    """The problem lines of a failed check (not the count at the end)."""
    return [
        line for line in result.stderr.splitlines() if LOCATED.match(line) and "problem(s) found" not in line
    ]


def check(project: Path, *args: str):
    return run_cli("check", *args, cwd=project)


def test_a_deleted_country_file_is_one_problem_that_names_the_missing_file(project_copy):
    (project_copy / "data" / "countries" / "tjk.yaml").unlink()
    result = check(project_copy)
    assert result.returncode == 1
    found = problems(result)
    assert 1 <= len(found) <= 3, found
    named = [
        p for p in found if p.startswith("data/countries/tjk.yaml: missing (listed at report/report.yaml:")
    ]
    assert len(named) == 1, found
    assert (
        re.search(r"report\.yaml:\d+\)", named[0])
        and "references to TJK elsewhere were not checked" in named[0]
    )
    assert not any("did you mean 'TKM'" in p for p in found), found


def test_one_mistyped_key_in_a_country_file_is_reported_there_only(project_copy):
    replace_in(project_copy / "data" / "countries" / "kgz.yaml", "\ncapital: ", "\ncapitl: ")
    result = check(project_copy)
    assert result.returncode == 1
    found = problems(result)
    assert 1 <= len(found) <= 3, found
    assert all(p.startswith("data/countries/kgz.yaml") for p in found), found
    assert any("unknown key 'capitl'; did you mean 'capital'?" in p for p in found), found
    assert any("references to KGZ in other files were not checked" in p for p in found), found


def test_a_missing_theme_font_is_a_located_data_error(project_copy):
    replace_in(
        project_copy / "report" / "theme.yaml", "regular: NotoSans-Regular.ttf", "regular: NoSuchFace.ttf"
    )
    for command in ("check", "build"):
        result = run_cli(command, cwd=project_copy)
        assert result.returncode == 1, result.stderr
        assert re.search(
            r"report/theme\.yaml:\d+:\d+: fonts\.regular: font file 'NoSuchFace\.ttf' not found",
            result.stderr,
        )


def test_over_fifty_problems_in_one_file_print_fifty_and_a_count(project_copy):
    path = project_copy / "data" / "countries" / "kgz.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(f"extra_{i}: 1\n" for i in range(80)), encoding="utf-8")
    result = check(project_copy)
    assert result.returncode == 1
    kgz = [line for line in result.stderr.splitlines() if line.startswith("data/countries/kgz.yaml")]
    assert len(kgz) == 51, kgz[-3:]
    assert kgz[-1].startswith("data/countries/kgz.yaml: ") and "more problem(s) not shown" in kgz[-1]


def test_a_csv_with_five_thousand_bad_rows_prints_at_most_120_lines(project_copy, tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text("country,year,value\n" + "".join(f"KGZ,{2000 + i % 20},eighty\n" for i in range(5000)))
    result = run_cli(
        "import",
        str(csv),
        "--indicator",
        "internet_users",
        "--source",
        "OWID_ITU_INTERNET_2025",
        cwd=project_copy,
    )
    assert result.returncode == 1, result.stderr
    lines = (result.stdout + result.stderr).splitlines()
    assert len(lines) <= 120, len(lines)
    assert "Traceback" not in result.stderr and "5,000 problem(s) found" in result.stderr


def test_cache_and_clean_paths_that_are_files_say_so(project_copy):
    (project_copy / "cf").write_text("x")
    built = run_cli("build", "--only", "pdf", "--cache", "cf", cwd=project_copy)
    assert built.returncode == 2 and "--cache cf: cf is a file, not a folder" in built.stderr
    cleaned = run_cli("clean", "--out", "cf", cwd=project_copy)
    assert cleaned.returncode == 2 and "--out cf is a file, not a folder" in cleaned.stderr
