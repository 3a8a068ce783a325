"""Editions: a snapshot per published edition, what changed since the last one, and the sentences to re-read."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from digibrief.document.changes import compare, lines, section
from digibrief.document.types import Paragraph, Table, plain
from digibrief.document.words import ENGLISH
from digibrief.pipeline.editions import since_last_build, since_previous
from digibrief.project.editions import (
    CountryRecord,
    Dated,
    Edition,
    FactValue,
    IndicatorName,
    SourceName,
    Value,
    dump,
    read_snapshot,
    snapshot,
    snapshot_path,
)
from digibrief.project.load import load

from .conftest import DATA, REPORT, replace_in, require_tool, run_cli

OLD_LINE = "2022: {value: 79.7703"
NEW_LINE = "2022: {value: 81.3"
EDITION = 'edition: "2026-11-29"'
LATER = 'edition: "2027-05-31"'


def refer_to_internet_use(data: Path) -> int:
    """Put two sentences that read data at the top of Kyrgyzstan's profile; return the first one's line."""
    path = data / "countries" / "kgz.yaml"
    replace_in(
        path,
        "profile: |\n",
        "profile: |\n"
        "  Internet use kept rising, to {KGZ internet_users 2022}.\n"
        "  Kazakhstan's stood at {KAZ internet_users 2022}.\n",
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index("  Internet use kept rising, to {KGZ internet_users 2022}.") + 1


def record_then_change(root: Path) -> Path:
    """Record the copy's edition, then change Kyrgyzstan's 2022 internet use; return the snapshot."""
    done = run_cli("edition", "snapshot", "--data", str(root / "data"), "--report", str(root / "report"))
    assert done.returncode == 0, done.stderr
    path = root / "data" / "editions" / "2026-11-29.yaml"
    assert path.is_file()
    replace_in(root / "data" / "countries" / "kgz.yaml", OLD_LINE, NEW_LINE)
    return path


# --- the snapshot -----------------------------------------------------------------------------------


def test_the_shipped_data_includes_the_snapshot_of_the_shipped_edition():
    project = load(DATA, REPORT)
    path = snapshot_path(DATA, project.report.edition)
    assert path.is_file(), f"run `digibrief edition snapshot` to record {path.name}"
    assert read_snapshot(path) == snapshot(project), (
        f"{path} no longer matches the data: run `digibrief edition snapshot` if this edition is being revised"
    )


def test_a_snapshot_reads_back_as_written_with_one_line_per_figure():
    project = load(DATA, REPORT)
    edition = snapshot(project)
    text = dump(edition)
    assert "2022: {value: 79.7703, source: OWID_ITU_INTERNET_2025}" in text
    assert "status: verified" not in text  # the default is left out
    assert Edition.model_validate(yaml.safe_load(text)) == edition


def test_a_snapshot_named_after_another_edition_is_a_located_error(tmp_path):
    from digibrief.errors import InputError

    folder = tmp_path / "editions"
    folder.mkdir()
    (folder / "2025-01-01.yaml").write_text('edition: "2026-11-29"\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_snapshot(folder / "2025-01-01.yaml")
    assert "2025-01-01.yaml:1:" in str(err.value.problems[0])
    assert "must be named 2026-11-29.yaml" in str(err.value.problems[0])


def test_edition_snapshot_writes_the_file_named_after_the_edition_and_replaces_it_only_when_forced(
    project_copy,
):
    data, report = project_copy / "data", project_copy / "report"
    path = data / "editions" / "2026-11-29.yaml"
    shipped = path.read_bytes()
    shutil.rmtree(data / "editions")
    args = ("edition", "snapshot", "--data", str(data), "--report", str(report))
    done = run_cli(*args)
    assert done.returncode == 0 and done.stdout.startswith("wrote ") and "2026-11-29.yaml" in done.stdout
    assert path.read_bytes() == shipped  # the same data gives the same bytes
    assert run_cli(*args).stdout.endswith("already matches the data\n")
    replace_in(data / "countries" / "kgz.yaml", OLD_LINE, NEW_LINE)
    kept = run_cli(*args)  # the published record is kept, and the differences are printed
    assert kept.returncode == 2 and "Traceback" not in kept.stderr
    assert "  Kyrgyzstan: Internet users, 2022: 79.8% \u2192 81.3%" in kept.stderr
    assert "--force" in kept.stderr and path.read_bytes() == shipped
    done = run_cli(*args, "--force")
    assert done.returncode == 0 and "it differed from the data in:" in done.stdout
    assert "  Kyrgyzstan: Internet users, 2022: 79.8% \u2192 81.3%" in done.stdout
    assert path.read_bytes() != shipped
    listed = run_cli("edition", "list", "--data", str(data), "--report", str(report)).stdout
    assert "2026-11-29.yaml  (this edition)" in listed


def test_no_page_while_no_older_edition_was_recorded():
    project = load(DATA, REPORT)
    assert since_previous(project, DATA) is None


# --- comparing ----------------------------------------------------------------------------------------


def _edition(date: str, **countries: CountryRecord) -> Edition:
    return Edition(
        edition=date,
        indicators={
            "internet_users": IndicatorName(name="Internet users", unit="percent", decimals=1),
            "egdi_rank": IndicatorName(name="EGDI world rank", unit="rank", decimals=0),
        },
        sources={
            "ITU": SourceName(publisher="ITU", title="Internet use"),
            "UN": SourceName(publisher="UN DESA", title="E-Government Survey"),
        },
        risk_categories={"surveillance": "Surveillance"},
        risk_levels={0: "None found", 1: "Low", 2: "Moderate", 3: "High"},
        countries=countries,
    )


def _country(name: str, internet: dict[int, Value], risks: dict[str, int] | None = None) -> CountryRecord:
    return CountryRecord(
        name=name,
        role="focus",
        population=Dated(value=6_500_000, year=2021, source="UN"),
        indicators={"internet_users": internet},
        risks=risks or {},
    )


def test_compare_lists_changed_new_and_removed_values_statuses_risks_and_countries():
    old = _edition(
        "2025-11",
        KGZ=_country(
            "Kyrgyzstan",
            {
                2021: Value(value=74.6, source="ITU"),
                2022: Value(value=79.7703, source="ITU", status="reported"),
            },
            {"surveillance": 1},
        ),
        TKM=_country("Turkmenistan", {2017: Value(value=21.3, source="ITU")}),
    )
    new = _edition(
        "2026-11",
        KGZ=_country(
            "Kyrgyzstan",
            {2022: Value(value=81.3, source="ITU"), 2023: Value(value=83.0, source="ITU")},
            {"surveillance": 2},
        ),
        AFG=_country("Afghanistan", {2022: Value(value=18.0, source="ITU")}),
    )
    text = lines(compare(old, new, ENGLISH))
    assert text[0] == "What changed since November 2025 (edition 2025-11 \u2192 2026-11)"
    assert "  Kyrgyzstan: Internet users, 2021: removed (was 74.6%) (source: ITU, Internet use)" in text
    assert (
        "  Kyrgyzstan: Internet users, 2022: 79.8% (reported) \u2192 81.3% (source: ITU, Internet use)"
        in text
    )
    assert "  Kyrgyzstan: Internet users, 2023: new, 83.0% (source: ITU, Internet use)" in text
    assert "  Kyrgyzstan: Surveillance risk: 1 Low \u2192 2 Moderate" in text
    assert "  Afghanistan: added to the data" in text
    assert "  Turkmenistan: no longer in the data" in text
    assert len(text) == 7  # the heading and the six changes: nothing unchanged is listed


def test_a_change_the_display_policy_would_hide_is_shown_with_more_digits():
    old = _edition("2025", KGZ=_country("Kyrgyzstan", {2022: Value(value=79.7703, source="ITU")}))
    new = _edition("2026", KGZ=_country("Kyrgyzstan", {2022: Value(value=79.81, source="ITU")}))
    (change,) = compare(old, new, ENGLISH).items
    assert (change.before, change.after) == ("79.77%", "79.81%")
    assert (change.exact_before, change.exact_after) == ("79.7703", "79.81")


def test_a_status_or_source_change_alone_is_listed_as_such():
    old = _edition(
        "2025", KGZ=_country("Kyrgyzstan", {2022: Value(value=80.0, source="ITU", status="unverified")})
    )
    same_value = _edition("2026", KGZ=_country("Kyrgyzstan", {2022: Value(value=80.0, source="ITU")}))
    other_source = _edition(
        "2026", KGZ=_country("Kyrgyzstan", {2022: Value(value=80.0, source="UN", status="unverified")})
    )
    (status,) = compare(old, same_value, ENGLISH).items
    assert status.kind == "status" and (status.before, status.after) == ("80.0% (unverified)", "80.0%")
    (source,) = compare(old, other_source, ENGLISH).items
    assert source.kind == "source"
    assert (
        source.source_before == "ITU, Internet use" and source.source_after == "UN DESA, E-Government Survey"
    )


def test_the_section_is_ordinary_blocks_a_deck_shows_as_a_condensed_table():
    old = _edition("2025-11-29", KGZ=_country("Kyrgyzstan", {2022: Value(value=79.7703, source="ITU")}))
    new = _edition("2026-11-29", KGZ=_country("Kyrgyzstan", {2022: Value(value=81.3, source="ITU")}))
    s = section(compare(old, new, ENGLISH))
    assert s.title == "What changed since November 2025"
    assert s.backup  # the deck shows it behind the talk
    lead, table = s.blocks
    assert (
        isinstance(lead, Paragraph)
        and plain(lead.text) == "Since the edition of November 2025, 1 value changed."
    )
    assert isinstance(table, Table) and table.on_slide == "condensed"
    assert [plain(c) for c in table.rows[0]] == [
        "Kyrgyzstan",
        "Internet users, 2022",
        "79.8%",
        "81.3%",
        "ITU, Internet use",
    ]
    unchanged = section(compare(old, old, ENGLISH))
    assert [plain(b.text) for b in unchanged.blocks if isinstance(b, Paragraph)] == [
        "No figure, status, risk level or country has changed since the edition of November 2025."
    ]


# --- the command line and the brief -------------------------------------------------------------------


def test_diff_lists_a_changed_value_with_old_and_new_and_only_the_sentences_that_read_it(project_copy):
    line = refer_to_internet_use(project_copy / "data")
    snapshot_file = record_then_change(project_copy)
    done = run_cli("diff", str(snapshot_file), str(project_copy / "data"))
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0] == "What changed since November 2026 (edition 2026-11-29 \u2192 2026-11-29)"
    changed = [x for x in out if x.startswith("  Kyrgyzstan: Internet users, 2022:")]
    assert changed and changed[0].startswith(
        "  Kyrgyzstan: Internet users, 2022: 79.8% \u2192 81.3% (source: "
    )
    rereads = out[out.index("Sentences to re-read (a figure they refer to changed):") + 1 :]
    assert any(
        x.endswith(f"kgz.yaml:{line}: Internet use kept rising, to {{KGZ internet_users 2022}}.")
        for x in rereads
    )
    assert not any("{KAZ internet_users 2022}" in x for x in rereads)  # its figure did not change
    for x in rereads:  # nothing else: every sentence listed reads internet use
        assert "internet_users" in x, x


def test_diff_as_csv_gives_exact_values_and_the_sentences(project_copy):
    refer_to_internet_use(project_copy / "data")
    snapshot_file = record_then_change(project_copy)
    done = run_cli("diff", str(snapshot_file), str(project_copy), "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    (row,) = [r for r in rows if r["figure"] == "Internet users, 2022"]
    assert (row["change"], row["country"], row["before"], row["after"]) == (
        "changed",
        "KGZ",
        "79.7703",
        "81.3",
    )
    assert any(r["change"] == "re-read" and r["file"].endswith("kgz.yaml") for r in rows)


def test_diff_of_a_folder_that_is_no_edition_is_a_usage_error(tmp_path):
    done = run_cli("diff", str(tmp_path), str(DATA))
    assert done.returncode == 2
    assert "expected an edition snapshot" in done.stderr and "Traceback" not in done.stderr


def test_the_change_summary_lists_values_by_display_policy_and_the_sentences_to_reread(project_copy):
    data, report = project_copy / "data", project_copy / "report"
    line = refer_to_internet_use(data)
    recorded = since_last_build(None, load(data, report), data, report).record
    replace_in(data / "countries" / "kgz.yaml", OLD_LINE, NEW_LINE)
    summary = since_last_build(recorded, load(data, report), data, report)
    assert summary.changes == ["Kyrgyzstan: Internet users, 2022: 79.8% \u2192 81.3%"]
    assert any(
        r.endswith(f"kgz.yaml:{line}: Internet use kept rising, to {{KGZ internet_users 2022}}.")
        for r in summary.rereads
    )
    assert not any("{KAZ" in r for r in summary.rereads)


def test_a_new_edition_brief_has_a_what_changed_page_with_old_and_new(project_copy, tmp_path):
    record_then_change(project_copy)
    replace_in(project_copy / "report" / "report.yaml", EDITION, LATER)
    out = tmp_path / "out"
    done = run_cli(
        "build",
        *("--data", str(project_copy / "data"), "--report", str(project_copy / "report")),
        *("--out", str(out), "--only", "pdf", "-q"),
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = subprocess.run(  # poppler reads the pages (pypdf took 0.8 s of CPU for them)
        [require_tool("pdftotext"), str(out / "brief.pdf"), "-"], capture_output=True, check=True
    ).stdout.decode()
    pages = [" ".join(p.split()) for p in text.split("\f")]
    found = [p for p in pages if "What changed since November 2026" in p and "Internet users, 2022" in p]
    assert found, "no 'What changed since' page listing the changed value"
    assert "79.8%" in found[0] and "81.3%" in found[0] and "Kyrgyzstan" in found[0]


def test_check_reports_a_broken_snapshot_of_the_previous_edition(project_copy):
    replace_in(project_copy / "report" / "report.yaml", EDITION, LATER)
    snapshot_file = project_copy / "data" / "editions" / "2026-11-29.yaml"
    replace_in(snapshot_file, "2022: {value: 79.7703,", "2022: {value: many,")
    done = run_cli("check", "--data", str(project_copy / "data"), "--report", str(project_copy / "report"))
    assert done.returncode == 1
    assert "2026-11-29.yaml:" in done.stderr and "expected a number, got 'many'" in done.stderr


def test_large_counts_that_round_alike_show_every_digit_never_an_exponent():
    def tunduk(value: float) -> CountryRecord:
        c = _country("Kyrgyzstan", {})
        fact = FactValue(
            label="Data transactions", value=value, unit="count", decimals=0, year=2021, source="UN"
        )
        return c.model_copy(update={"facts": {"tunduk": fact}})

    (change,) = compare(
        _edition("2025", KGZ=tunduk(165_000_000)), _edition("2026", KGZ=tunduk(165_040_000)), ENGLISH
    ).items
    assert (change.before, change.after) == ("165,000,000 (2021)", "165,040,000 (2021)")


def test_a_sentence_is_located_at_the_line_where_it_starts(tmp_path):
    from digibrief.project.texts import sentences_in

    path = tmp_path / "kgz.yaml"
    path.write_text(
        "id: KGZ\n"
        "profile: >-\n"
        "  Access has widened. ITU puts internet use\n"
        "  at {KGZ internet_users 2022}, up from\n"
        "  {KGZ internet_users 2010}. No figure here.\n"
        "highlights:\n"
        '  - text: "Tunduk handled {KGZ tunduk_transactions}."\n',
        encoding="utf-8",
    )
    found = [(s.line, s.text, len(s.refs)) for s in sentences_in(path)]
    assert found == [
        (3, "ITU puts internet use at {KGZ internet_users 2022}, up from {KGZ internet_users 2010}.", 2),
        (7, "Tunduk handled {KGZ tunduk_transactions}.", 1),
    ]


def test_diff_compares_two_snapshots_without_their_data(project_copy):
    data, report = project_copy / "data", project_copy / "report"
    old = record_then_change(project_copy)
    replace_in(report / "report.yaml", EDITION, LATER)
    assert run_cli("edition", "snapshot", "--data", str(data), "--report", str(report)).returncode == 0
    new = data / "editions" / "2027-05-31.yaml"
    listed = run_cli("edition", "list", "--data", str(data), "--report", str(report)).stdout
    assert "2026-11-29.yaml  (the brief of 2027-05-31 lists what changed since it)" in listed
    assert "2027-05-31.yaml  (this edition)" in listed
    shutil.rmtree(project_copy / "data" / "countries")  # a snapshot stands on its own
    done = run_cli("diff", str(old), str(new))
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[0]
        == "What changed since November 2026 (edition 2026-11-29 \u2192 2027-05-31)"
    )
    assert any(
        x.startswith("  Kyrgyzstan: Internet users, 2022: 79.8% \u2192 81.3%")
        for x in done.stdout.splitlines()
    )
    assert "re-read" not in done.stdout  # a snapshot holds figures, not sentences
