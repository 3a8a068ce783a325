"""A new user's mistakes, from the command line: a clear message, the documented exit code, no
traceback, and the outputs of the last good build left as they were."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digibrief.cli import EPILOG
from digibrief.pipeline.build import BuildOptions, build

from .conftest import DATA, REPORT, ROOT, child_env, run_cli


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.parts
    }


def no_traceback(result: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in result.stderr + result.stdout


@pytest.fixture(scope="module")
def good(tmp_path_factory, chart_cache) -> tuple[Path, Path]:
    """A project copy built once (the brief only): (project folder, chart cache) for the tests to copy.
    The cache is the session's, so its charts are drawn once a run."""
    root = tmp_path_factory.mktemp("good")
    shutil.copytree(DATA, root / "data")
    shutil.copytree(REPORT, root / "report")
    cache = chart_cache
    opts = BuildOptions(
        data=root / "data", report=root / "report", out=root / "output", cache=cache, only="pdf"
    )
    build(opts)
    return root, cache


@pytest.fixture
def project(good: tuple[Path, Path], tmp_path: Path) -> Path:
    """A writable copy of the good project with its outputs, up to date as built."""
    root, _ = good
    for name in ("data", "report", "output"):
        shutil.copytree(root / name, tmp_path / name)
    return tmp_path


def cli(project: Path, *args: str, cache: Path | None = None, **kw) -> subprocess.CompletedProcess[str]:
    """`digibrief ARGS --only pdf` run in the project folder, with the shared chart cache."""
    extra = ["--cache", str(cache)] if cache else []
    return run_cli(*args, "--only", "pdf", *extra, cwd=project, **kw)


@pytest.fixture
def read_only() -> Iterator:
    """Make folders read-only for the command under test; as root, run it without the capability
    that lets root write anywhere, so the permissions hold as they do for any other user."""
    changed: list[tuple[Path, int]] = []

    def run(folders: list[Path], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        prefix: list[str] = []
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root and setpriv is not installed")
            prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]
        for folder in folders:
            for path in [folder, *folder.rglob("*")]:
                changed.append((path, path.stat().st_mode))
                path.chmod(path.stat().st_mode & ~0o222)
        return subprocess.run(
            [*prefix, sys.executable, "-m", "digibrief", *args],
            cwd=cwd,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )

    yield run
    for path, mode in reversed(changed):
        path.chmod(mode)


# --- where the outputs go ----------------------------------------------------------------------------


def test_a_read_only_cache_is_a_write_failure_even_when_nothing_changed(project, good, read_only):
    before = digests(project / "output")
    result = read_only([project / "output" / ".cache"], "build", "--only", "pdf", cwd=project)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "build lock" in result.stderr and "read-only" in result.stderr
    assert no_traceback(result)
    assert digests(project / "output") == before


def test_a_read_only_output_folder_is_a_write_failure_that_keeps_the_last_outputs(project, read_only):
    before = digests(project / "output")
    result = read_only([project / "output"], "build", "--only", "pdf", "--force", cwd=project)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "output folder output is not writable" in result.stderr and no_traceback(result)
    assert digests(project / "output") == before


def test_out_naming_a_file_is_a_write_failure(project):
    (project / "notes.txt").write_text("mine\n")
    result = cli(project, "build", "--out", "notes.txt")
    assert result.returncode == 4
    assert "--out notes.txt is a file, not a folder" in result.stderr and no_traceback(result)
    inside = cli(project, "build", "--out", "notes.txt/out")
    assert inside.returncode == 4 and "notes.txt is a file, not a folder" in inside.stderr
    assert (project / "notes.txt").read_text() == "mine\n"


def test_run_from_another_folder_names_the_folder_and_creates_nothing(tmp_path):
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 1 and no_traceback(result)
    assert f"looked in {tmp_path.resolve() / 'data'}" in result.stderr
    assert "--data DIR" in result.stderr and "--report DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_build_exits_130_and_keeps_the_last_outputs(project):
    before = digests(project / "output")
    proc = subprocess.Popen(
        [sys.executable, "-m", "digibrief", "build", "--force", "--only", "pdf"],
        cwd=project,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)  # --force redraws every chart: seconds of work to interrupt
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert digests(project / "output") == before


def test_the_readme_and_help_list_every_exit_status():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| status | meaning |", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^\| (\d+) \|", table, re.M) == ["0", "1", "2", "3", "4", "130"]
    assert "130 interrupted" in EPILOG


# --- watch -------------------------------------------------------------------------------------------


class Watch:
    """`digibrief watch` in the background, its output read line by line: of the data pack, which draws
    no chart, so the watch imports no drawing library and starts no worker (0.8 s of CPU less than the
    brief's)."""

    def __init__(self, project: Path, cache: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "digibrief", "watch", "--only", "data", "--cache", str(cache)],
            cwd=project,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        assert self.proc.stdout is not None
        os.set_blocking(self.proc.stdout.fileno(), False)

    def wait_for(self, needle: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line:
                self.lines.append(line)
                if needle in line:
                    return
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        raise AssertionError(f"{needle!r} not seen; output so far:\n{''.join(self.lines)}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def test_watch_ignores_editors_temporary_files_and_stops_at_the_first_sigterm(project, good):
    countries = project / "data" / "countries"
    watch = Watch(project, good[1])
    try:
        watch.wait_for("watching")  # from now on every save is seen
        for name in (".kaz.yaml.swp", "kaz.yaml~", "4913", "#kaz.yaml#", ".#kaz.yaml", "kaz.yaml.tmp"):
            (countries / name).write_text("scratch\n")
        kaz = countries / "kaz.yaml"
        kaz.write_text(kaz.read_text(encoding="utf-8") + "# checked\n", encoding="utf-8")
        watch.wait_for("changed:")  # a scratch file seen would be named here, or on a line of its own
        watch.wait_for("built in")  # the build reads no swap, backup or lock file either
        watch.proc.send_signal(signal.SIGTERM)
        assert watch.proc.wait(timeout=15) == 0
        watch.wait_for("stopped watching", timeout=5)
    finally:
        watch.stop()
    changed = [line for line in watch.lines if line.startswith("changed:")]
    assert changed == ["changed: kaz.yaml\n"], watch.lines
    assert "Traceback" not in "".join(watch.lines)


# --- --strict ----------------------------------------------------------------------------------------


def test_strict_prints_each_warning_once_and_keeps_the_last_outputs(project, good):
    kgz = project / "data" / "countries" / "kgz.yaml"
    kgz.write_text(kgz.read_text(encoding="utf-8").replace("capital: Bishkek", "capital: Bishkek 漢"))
    before = digests(project / "output")
    result = cli(project, "build", "--strict", cache=good[1], timeout=300)
    assert result.returncode == 3, result.stdout + result.stderr
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "U+6F22" in line]
    assert len(warnings) == 1, warnings
    assert "nothing was written" in result.stdout and no_traceback(result)
    assert digests(project / "output") == before


# --- data mistakes the checks used to let through ----------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refused(project: Path, expected: str) -> str:
    """Build the broken project over the last good outputs; return the problem line."""
    before = digests(project / "output")
    result = cli(project, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    assert no_traceback(result) and digests(project / "output") == before
    lines = [line for line in result.stderr.splitlines() if expected in line]
    assert lines, result.stderr
    return lines[0]


def test_a_country_listed_twice_is_refused_with_its_location(project):
    edit(project / "report" / "report.yaml", "countries: [KAZ, UZB,", "countries: [KAZ, KAZ, UZB,")
    line = refused(project, "listed twice")
    assert re.match(r"report/report\.yaml:\d+:\d+: countries\.1: 'KAZ' is listed twice", line), line


def test_a_country_file_named_yml_is_refused_not_skipped(project):
    countries = project / "data" / "countries"
    (countries / "kgz.yaml").rename(countries / "kgz.yml")
    line = refused(project, "kgz.yml")
    assert "rename it to kgz.yaml" in line


def test_a_focus_country_missing_from_the_report_is_refused(project):
    edit(project / "report" / "report.yaml", "countries: [KAZ, UZB, KGZ, TJK]", "countries: [KAZ, UZB, TJK]")
    edit(project / "report" / "report.yaml", "  KGZ: [kgz_egdi_rank, kgz_internet]\n", "")
    line = refused(project, "not listed under countries:")
    assert re.match(r"data/countries/kgz\.yaml:\d+:\d+: role: KGZ is a focus country", line), line


def test_a_focus_country_missing_from_the_risks_is_refused(project):
    risks = project / "data" / "risks.yaml"
    text = risks.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^  KGZ:\n.*?(?=^  TJK:)", "", text)
    risks.write_text(text, encoding="utf-8")
    line = refused(project, "no row for KGZ")
    assert re.match(r"data/risks\.yaml:\d+:\d+: assessments: no row for KGZ", line), line


def test_a_country_file_copied_with_only_id_and_name_changed_is_refused(project):
    countries = project / "data" / "countries"
    text = (countries / "kgz.yaml").read_text(encoding="utf-8")
    text = text.replace("id: KGZ", "id: MNG").replace("name: Kyrgyzstan", "name: Mongolia")
    (countries / "mng.yaml").write_text(text.replace("role: focus", "role: context"), encoding="utf-8")
    line = refused(project, "copied")
    assert line.startswith("data/countries/mng.yaml:"), line
    assert "the same as in kgz.yaml (Kyrgyzstan); was this file copied from kgz.yaml?" in line
    assert line.endswith("Rewrite them for Mongolia")
