"""The loader: every problem located as file:line:col, all of them in one run, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digibrief.errors import InputError
from digibrief.project import yamlsource
from digibrief.project.load import load

from .conftest import DATA, REPORT, run_cli


def problems_of(root: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load(root / "data", root / "report")
    return [str(p) for p in info.value.problems]


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace old by new in path; return the 1-based line where the change starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def test_shipped_data_is_valid():
    project = load(DATA, REPORT)
    assert {"KAZ", "UZB", "KGZ", "TJK", "TKM"} <= set(project.countries)
    assert project.countries["TKM"].role == "context"
    assert len(project.risks.categories) >= 6


def test_every_kind_of_mistake_is_reported_with_its_location_in_one_run(project_copy: Path):
    countries = project_copy / "data" / "countries"
    # wrong type
    kgz = countries / "kgz.yaml"
    text = kgz.read_text(encoding="utf-8")
    m = re.search(r"^    2021: \{value: ([0-9.]+)", text[text.index("  internet_users:") :], re.M)
    assert m
    type_line = edit(kgz, f"2021: {{value: {m.group(1)}", "2021: {value: eighty")
    # unknown key (one mistake: not reported again as the missing key it misspells)
    key_line = edit(kgz, "capital:", "capitol:")
    # missing required key
    tkm = countries / "tkm.yaml"
    edit(tkm, "capital: ", "# capital: ")
    # dangling source id
    uzb = countries / "uzb.yaml"
    src_line = edit(uzb, "source: SEED_GNV_2024", "source: SEED_GNV_2042")
    # duplicate key
    kaz = countries / "kaz.yaml"
    dup_line = edit(kaz, "capital: Astana\n", "capital: Astana\ncapital: Nur-Sultan\n") + 1
    # YAML syntax error
    tjk = countries / "tjk.yaml"
    syn_line = edit(tjk, "role: focus\n", "role: focus\nhighlights: [unclosed\n") + 1

    found = problems_of(project_copy)
    text = "\n".join(found)
    assert re.search(
        rf"kgz\.yaml:{type_line}:\d+: indicators\.internet_users\.2021\.value: expected a number, got 'eighty'",
        text,
    )
    assert re.search(
        rf"kgz\.yaml:{key_line}:1: capitol: unknown key 'capitol'; did you mean 'capital'\?", text
    )
    assert not re.search(r"kgz\.yaml:1:1: missing required key 'capital'", text)
    assert re.search(r"tkm\.yaml:1:1: missing required key 'capital'", text)
    assert re.search(
        rf"uzb\.yaml:{src_line}:\d+: .*source: unknown source id 'SEED_GNV_2042'; did you mean 'SEED_GNV_2024'\?",
        text,
    )
    assert re.search(
        rf"kaz\.yaml:{dup_line}:1: capital: duplicate key \(first defined at line {dup_line - 1}\)", text
    )
    assert re.search(rf"tjk\.yaml:{syn_line + 1}:\d+: YAML syntax: ", text), text


def test_cli_check_exits_1_without_traceback_on_invalid_data(project_copy: Path):
    edit(project_copy / "data" / "countries" / "kaz.yaml", "capital: Astana", "capital: [Astana")
    result = run_cli("check", "--data", str(project_copy / "data"), "--report", str(project_copy / "report"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"kaz\.yaml:\d+:\d+: ", result.stderr)


def test_cli_check_exits_0_and_says_valid_on_shipped_data():
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "data valid" in result.stdout


def test_cli_usage_errors_exit_2():
    result = run_cli("build", "--paper", "a5")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert run_cli("no-such-command").returncode == 2


def test_value_outside_indicator_range_is_located(project_copy: Path):
    path = project_copy / "data" / "countries" / "kaz.yaml"
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^    (\d{4}): \{value: ([0-9.]+), source: OWID_ITU_INTERNET_2025", text, re.M)
    assert m
    line = edit(path, m.group(0), f"    {m.group(1)}: {{value: 120, source: OWID_ITU_INTERNET_2025")
    found = "\n".join(problems_of(project_copy))
    assert re.search(
        rf"kaz\.yaml:{line}:\d+: indicators\.internet_users\.{m.group(1)}\.value: expected a number between 0 and 100, got 120",
        found,
    )


def test_citation_of_an_unknown_source_in_prose_is_located(project_copy: Path):
    path = project_copy / "data" / "countries" / "tjk.yaml"
    edit(path, "profile: |\n", "profile: |\n  A claim with a bad citation [NO_SUCH_SOURCE].\n")
    found = "\n".join(problems_of(project_copy))
    assert "tjk.yaml" in found and "NO_SUCH_SOURCE" in found


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"a: &x [1]\nb: *x\n", "anchors (&name) are not allowed"),
        (b"a: 1\n\tb: 2\n", "YAML syntax"),
        (b"\xff\xfe not utf-8", "not valid UTF-8"),
        (b"", "file is empty"),
        (b"a: 1\na: 2\n", "duplicate key"),
        (b"!$", "YAML tags such as '!$' are not allowed"),
        (b"a: !!python/object/apply:os.system [ls]", "are not allowed"),
        (b"a: !!int nope", "'nope' cannot be read as int"),
        (b"a: !!bool maybe", "'maybe' cannot be read as bool"),
    ],
    ids=["alias", "tab", "not-utf8", "empty", "duplicate", "custom-tag", "python-tag", "bad-int", "bad-bool"],
)
def test_unsafe_or_broken_yaml_is_refused_with_a_location(raw: bytes, message: str):
    _, problems = yamlsource.parse(raw, "x.yaml")
    assert problems, raw
    assert message in str(problems[0])
    assert str(problems[0]).startswith("x.yaml:")


def test_a_key_with_a_tag_its_text_cannot_be_read_as_is_kept_as_that_text():
    located, problems = yamlsource.parse(b"!!bool maybe: 1\n!!int nope: 2\n", "x.yaml")
    assert not problems and located is not None
    assert located.value == {"maybe": 1, "nope": 2}


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    located, problems = yamlsource.parse("\n".join(lines).encode(), "laughs.yaml")
    assert located is None
    assert "not allowed" in str(problems[0])


def test_oversized_file_is_refused_with_a_clear_message():
    located, problems = yamlsource.parse(b"a: " + b"x" * (yamlsource.MAX_BYTES + 1), "big.yaml")
    assert located is None
    assert "the limit is" in str(problems[0])


def test_a_list_where_a_mapping_is_expected_is_reported(project_copy: Path):
    (project_copy / "data" / "countries" / "tkm.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    found = "\n".join(problems_of(project_copy))
    assert "tkm.yaml:1:1: expected a mapping of keys to values at the top, got a list" in found
