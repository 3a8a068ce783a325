"""`digibrief init`: a new brief on any region that builds at once, placeholders that check lists, and
nothing of the first edition in its outputs."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from .conftest import deck_text, replace_in, require_tool, run_cli

CAUCASUS = ("--title", "Digital South Caucasus", "--countries", "ARM,AZE,GEO", "--context", "TUR")
FIRST_EDITION = ("Central Asia", "Kazakhstan", "Uzbekistan", "Kyrgyz", "Tajikistan", "Turkmenistan", "GNV")


def import_owid(indicator: str = "internet_users", *more: str) -> tuple[str, ...]:
    """`digibrief import` of owid.csv into indicator, citing the OWID source."""
    return ("import", "owid.csv", "--indicator", indicator, "--source", "OWID_ITU_INTERNET_2025", *more)


IMPORT_OWID = import_owid("internet_users", "--write")

OWID = """Entity,Code,Year,Individuals using the Internet (% of population)
Armenia,ARM,2021,78.6
Armenia,ARM,2022,80.1
Georgia,GEO,2022,79.0
World,OWID_WRL,2022,63.1
"""


def init(parent: Path, name: str = "caucasus", *options: str) -> Any:
    return run_cli("init", name, *(options or CAUCASUS), cwd=parent)


@pytest.fixture(scope="module")
def caucasus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The South Caucasus brief as `init` writes it, built once."""
    parent = tmp_path_factory.mktemp("init")
    done = init(parent)
    assert done.returncode == 0, done.stderr
    built = run_cli("build", cwd=parent / "caucasus")
    assert built.returncode == 0, built.stderr
    return parent / "caucasus"


def outputs_text(project: Path) -> dict[str, str]:
    """Every word of the brief, the deck, the web page and the data pack."""
    pdftotext = require_tool("pdftotext")
    out = project / "output"
    brief = subprocess.run(
        [pdftotext, str(out / "brief.pdf"), "-"], capture_output=True, text=True, check=True
    )
    with zipfile.ZipFile(out / "brief-data.xlsx") as pack:
        cells = pack.read("xl/sharedStrings.xml").decode("utf-8")
    return {
        "brief.pdf": brief.stdout,
        "deck.pptx": deck_text(out / "deck.pptx"),
        "brief.html": (out / "brief.html").read_text(encoding="utf-8"),
        "brief-data.xlsx": cells,
    }


def test_init_writes_a_project_that_builds_a_brief_and_a_deck_naming_its_countries(caucasus: Path) -> None:
    assert sorted(p.name for p in caucasus.iterdir()) == [".gitignore", "data", "output", "report"]
    assert sorted(p.name for p in (caucasus / "report").iterdir()) == [
        "labels.yaml",
        "report.yaml",
        "theme.yaml",
    ]
    assert not (caucasus / "data" / "geo").exists()  # the map comes with digibrief
    texts = outputs_text(caucasus)
    for name in ("brief.pdf", "deck.pptx"):
        for country in ("Armenia", "Azerbaijan", "Georgia"):
            assert country in texts[name], (name, country)


def test_an_initialised_brief_has_no_word_of_the_first_edition(caucasus: Path) -> None:
    from digibrief.project.geo import WORLD

    map_names = WORLD.read_text(encoding="utf-8")
    for name, text in outputs_text(caucasus).items():
        for word in FIRST_EDITION:
            assert word not in text, (name, word)
        if "Caspian" not in map_names:
            assert "Caspian" not in text, name


def test_the_countries_names_come_from_cldr_with_a_source_entry(caucasus: Path) -> None:
    sources = (caucasus / "data" / "sources.yaml").read_text(encoding="utf-8")
    assert "CLDR_TERRITORY_NAMES:" in sources and "https://cldr.unicode.org/" in sources
    assert 'name: "Türkiye"' in (caucasus / "data" / "countries" / "tur.yaml").read_text(encoding="utf-8")
    assert "role: context" in (caucasus / "data" / "countries" / "tur.yaml").read_text(encoding="utf-8")


def test_the_shipped_indicator_catalogue_is_the_projects_own(caucasus: Path) -> None:
    import yaml

    shipped = yaml.safe_load((Path(__file__).parents[1] / "data" / "indicators.yaml").read_text())[
        "indicators"
    ]
    written = yaml.safe_load((caucasus / "data" / "indicators.yaml").read_text())["indicators"]
    assert written and all(written[i] == shipped[i] for i in written)
    sources = yaml.safe_load((caucasus / "data" / "sources.yaml").read_text())["sources"]
    assert {ind["source"] for ind in written.values()} <= set(sources)


def test_check_lists_every_placeholder_located_and_strict_exits_3_until_none_remain(caucasus: Path) -> None:
    checked = run_cli("check", cwd=caucasus)
    assert checked.returncode == 0, checked.stderr
    located = re.findall(r"^(\S+):(\d+):(\d+): \S+: placeholder still to replace", checked.stderr, re.M)
    files = {f for f, _, _ in located}
    assert {"report/report.yaml", "data/countries/arm.yaml", "data/countries/tur.yaml"} <= files
    for file, line, _ in located:  # at the text, or at the | of a block whose first line holds it
        lines = (caucasus / file).read_text(encoding="utf-8").splitlines()[int(line) - 1 : int(line) + 1]
        assert "[Placeholder" in lines[0] or (" |" in lines[0] and "[Placeholder" in lines[1]), lines
    total = sum(
        line.count("[Placeholder:")
        for text in _yaml_texts(caucasus)
        for line in text.splitlines()
        if not line.lstrip().startswith("#")
    )
    assert len(located) == total
    assert run_cli("check", "--strict", cwd=caucasus).returncode == 3
    # each focus country's own brief has its takeaway to write: a placeholder, not a missing takeaway
    assert "would have no takeaways" not in checked.stderr
    for code in ("ARM", "AZE", "GEO"):
        assert re.search(
            rf"^report/report.yaml:\d+:\d+: country_takeaways\.{code}\.0: placeholder", checked.stderr, re.M
        )


def _yaml_texts(project: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(project.rglob("*.yaml")) if "output" not in p.parts]


def test_a_brief_whose_placeholders_are_all_replaced_passes_check_strict(tmp_path: Path) -> None:
    init(tmp_path, "one", "--title", "Digital Armenia", "--countries", "ARM")
    project = tmp_path / "one"
    for path in sorted(project.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\[Placeholder: ([^\]]*)\]", r"Written: \1", text)  # a highlight then needs a source
        path.write_text(text.replace("sources: []", "sources: [OWID_ITU_INTERNET_2025]"), encoding="utf-8")
    (project / "owid.csv").write_text(OWID, encoding="utf-8")
    run_cli(*IMPORT_OWID, cwd=project)
    arm = project / "data" / "countries" / "arm.yaml"
    replace_in(
        arm,
        "key_figures: []",
        "key_figures: [{indicator: internet_users}, {indicator: internet_users, year: 2021}]",
    )
    replace_in(
        arm,
        "# population: {value: PEOPLE, year: YEAR, source: SOURCE_ID}",
        "population: {value: 2, year: 2022, source: OWID_ITU_INTERNET_2025}",
    )
    checked = run_cli("check", "--strict", cwd=project)
    assert checked.returncode == 0, checked.stderr


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "caucasus").mkdir()
    (tmp_path / "caucasus" / "notes.txt").write_text("mine", encoding="utf-8")
    done = init(tmp_path)
    assert done.returncode == 2
    assert "caucasus is not empty" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in (tmp_path / "caucasus").iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (("--title", "T", "--countries", "ARM,XXQ"), "XXQ: not a country"),
        (("--title", "T", "--countries", "AR"), "'AR' is not a country code"),
        (("--title", "T", "--countries", "ARM", "--context", "ARM"), "ARM is also under --countries"),
        (("--title", "T", "--countries", "ARM", "--language", "xx"), "unknown language 'xx'"),
        (("--title", " ", "--countries", "ARM"), "--title"),
    ],
)
def test_init_refuses_what_it_cannot_name_as_a_usage_error(
    tmp_path: Path, options: tuple[str, ...], said: str
) -> None:
    done = init(tmp_path, "new", *options)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert not (tmp_path / "new").exists()


def test_init_names_the_countries_in_the_briefs_language(tmp_path: Path) -> None:
    done = init(tmp_path, "fr", "--title", "Caucase du Sud", "--countries", "GEO", "--language", "fr")
    assert done.returncode == 0, done.stderr
    assert 'name: "Géorgie"' in (tmp_path / "fr" / "data" / "countries" / "geo.yaml").read_text(
        encoding="utf-8"
    )
    assert "language: fr" in (tmp_path / "fr" / "report" / "report.yaml").read_text(encoding="utf-8")


def test_an_owid_download_imported_into_a_fresh_project_writes_its_values(tmp_path: Path) -> None:
    init(tmp_path)
    project = tmp_path / "caucasus"
    (project / "owid.csv").write_text(OWID, encoding="utf-8")
    done = run_cli(*IMPORT_OWID, cwd=project)
    assert done.returncode == 0, done.stderr
    arm = (project / "data" / "countries" / "arm.yaml").read_text(encoding="utf-8")
    assert "2021: {value: 78.6, source: OWID_ITU_INTERNET_2025}" in arm
    assert "2022: {value: 80.1, source: OWID_ITU_INTERNET_2025}" in arm
    assert (
        "2022: {value: 79, source: OWID_ITU_INTERNET_2025}"
        in (project / "data" / "countries" / "geo.yaml").read_text()
    )
    assert run_cli("check", cwd=project).returncode == 0


def test_import_needs_only_the_indicator_the_source_and_the_country_files_it_writes_into(
    tmp_path: Path,
) -> None:
    init(tmp_path)
    project = tmp_path / "caucasus"
    replace_in(project / "report" / "report.yaml", "title: Overview", 'title: "TODO: a title"')
    (project / "data" / "countries" / "aze.yaml").write_text("id: AZE\nname: [unfinished\n", encoding="utf-8")
    assert run_cli("check", cwd=project).returncode == 1  # the project is not valid as a whole
    (project / "owid.csv").write_text(OWID, encoding="utf-8")
    done = run_cli(*IMPORT_OWID, cwd=project)
    assert done.returncode == 0, done.stderr
    assert (
        "2022: {value: 80.1, source: OWID_ITU_INTERNET_2025}"
        in (project / "data" / "countries" / "arm.yaml").read_text()
    )


def test_import_into_an_incomplete_project_still_refuses_an_unknown_indicator(tmp_path: Path) -> None:
    init(tmp_path)
    project = tmp_path / "caucasus"
    replace_in(project / "report" / "report.yaml", "title: Overview", 'title: "TODO: a title"')
    (project / "owid.csv").write_text(OWID, encoding="utf-8")
    done = run_cli(*import_owid("internet_userz"), cwd=project)
    assert done.returncode == 2 and "did you mean 'internet_users'?" in done.stderr, done.stderr


# --- optional parts: a brief without risks ------------------------------------------------------------


def test_a_brief_without_risks_yaml_or_a_risks_section_builds_and_prints_no_rating_method(
    caucasus: Path,
) -> None:
    from digibrief.vocabulary import WORDS

    assert not (caucasus / "data" / "risks.yaml").exists()
    texts = outputs_text(caucasus)
    for name in ("brief.pdf", "deck.pptx", "brief.html"):
        assert "Methodology and sources" in texts[name], name
        assert WORDS["method_caption"] not in texts[name], name


def test_the_rating_method_is_printed_only_in_a_brief_with_a_risks_section(shipped_project: Any) -> None:
    from digibrief.document.compose import compose
    from digibrief.document.types import Table
    from digibrief.vocabulary import WORDS

    def captions(project: Any) -> list[str]:
        doc = compose(project)
        return [b.caption for s in doc.sections for b in s.blocks if isinstance(b, Table)]

    assert WORDS["method_caption"] in captions(shipped_project)
    report = shipped_project.report
    without = report.model_copy(update={"sections": [s for s in report.sections if s.kind != "risks"]})
    assert WORDS["method_caption"] not in captions(shipped_project.model_copy(update={"report": without}))


def test_a_risks_section_without_risks_yaml_is_a_located_error(tmp_path: Path) -> None:
    init(tmp_path)
    project = tmp_path / "caucasus"
    replace_in(
        project / "report" / "report.yaml",
        "  - kind: outlook\n",
        "  - kind: risks\n    title: Risks\n  - kind: outlook\n",
    )
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 1
    line = (project / "report" / "report.yaml").read_text(encoding="utf-8").splitlines().index(
        "  - kind: risks"
    ) + 1
    assert (
        f"report/report.yaml:{line}:11: sections.5.kind: a risks section needs data/risks.yaml"
        in checked.stderr
    )


def test_new_country_in_an_initialised_project_needs_no_risks_yaml(tmp_path: Path) -> None:
    init(tmp_path)
    project = tmp_path / "caucasus"
    done = run_cli("new", "country", "MDA", "--name", "Moldova", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "countries: [ARM, AZE, GEO, MDA]" in (project / "report" / "report.yaml").read_text(
        encoding="utf-8"
    )
    assert not (project / "data" / "risks.yaml").exists()


def test_a_country_scaffolded_with_todos_can_take_its_first_values_by_import(project_copy: Path) -> None:
    done = run_cli("new", "country", "MNG", "--name", "Mongolia", cwd=project_copy)
    assert done.returncode == 0, done.stderr
    assert run_cli("check", cwd=project_copy).returncode == 1  # its TODOs are refused
    (project_copy / "mng.csv").write_text("country,year,value\nMNG,2022,83.0\n", encoding="utf-8")
    args = (
        "import",
        "mng.csv",
        "--indicator",
        "internet_users",
        "--source",
        "OWID_ITU_INTERNET_2025",
        "--write",
    )
    imported = run_cli(*args, cwd=project_copy)
    assert imported.returncode == 0, imported.stderr
    mng = (project_copy / "data" / "countries" / "mng.yaml").read_text(encoding="utf-8")
    assert "2022: {value: 83, source: OWID_ITU_INTERNET_2025}" in mng


def test_import_into_an_indicator_still_to_fill_in_names_its_placeholders(tmp_path: Path) -> None:
    init(tmp_path)
    project = tmp_path / "caucasus"
    run_cli(
        "new", "indicator", "mobile_broadband", "--name", "Mobile broadband", "--unit", "per100", cwd=project
    )
    (project / "owid.csv").write_text(OWID, encoding="utf-8")
    done = run_cli(*import_owid("mobile_broadband"), cwd=project)
    assert done.returncode == 1
    assert re.search(
        r"^data/indicators\.yaml:\d+:5: indicators\.mobile_broadband: not ready to import into: "
        r"range\.0: fill in this placeholder",
        done.stderr,
        re.M,
    ), done.stderr
