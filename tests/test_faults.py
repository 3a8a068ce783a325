"""Every command meets the faults a user can cause - a read-only folder, an output path that is a file,
a full disk, an interrupt - with one line naming the path and the cause, the README's exit code and no
traceback. Each runs as a user without root's right to write anywhere: in this process, with that
right dropped while the command runs (as_a_user), or, where a signal is the point, in a child process
started without it."""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, REPORT, child_env, cli_argv, run_cli

WRITE_FAILURE, USAGE, INTERRUPTED = 4, 2, 130
SNAPSHOT = Path("data/editions/2026-11-29.yaml")
# the capabilities that let root read and write past a file's permissions (linux/capability.h)
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
_CAPABILITY_VERSION_3 = 0x20080522


def _unprivileged() -> list[str]:
    """The prefix that runs a command as an ordinary user would: as root, without CAP_DAC_OVERRIDE."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is not installed")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


@contextmanager
def as_a_user() -> Iterator[None]:
    """This thread as an ordinary user would be: as root, without CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH in its effective capabilities (capset(2); they stay permitted, so they come
    back afterwards). Nothing to drop for a user who is not root."""
    if os.geteuid() != 0:
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = _CapHeader(_CAPABILITY_VERSION_3, 0), (_CapData * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    before = data[0].effective
    data[0].effective = before & ~((1 << CAP_DAC_OVERRIDE) | (1 << CAP_DAC_READ_SEARCH))
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")
    try:
        yield
    finally:
        data[0].effective = before
        if libc.capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset: root's rights could not be given back")


@contextmanager
def full_disk() -> Iterator[None]:
    """Any file grows to at most 4 kB, as on a full disk (Python ignores SIGXFSZ); the soft limit
    alone, so that it can be lifted again."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def run(
    project: Path, *args: str, full: bool = False, stdout: Any = None
) -> subprocess.CompletedProcess[str]:
    """The command in this process, as a user without root's rights (and on a full disk if full)."""
    with as_a_user(), full_disk() if full else nullcontext():
        return run_cli(*args, cwd=project, stdout=stdout)


def clean_failure(result: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """Exit code as documented, one message line naming what it must, no traceback."""
    said = result.stderr
    assert result.returncode == code, f"exit {result.returncode}: {said}"
    assert "Traceback" not in said and "Error:" not in said.replace("error:", ""), said
    errors = [line for line in said.splitlines() if line.startswith("digibrief: error:")]
    assert len(errors) == 1, said
    for word in words:
        assert word in errors[0], errors[0]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the shipped project, with an old output folder; permissions restored afterwards."""
    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPORT, tmp_path / "report")
    (tmp_path / "output" / ".cache").mkdir(parents=True)
    (tmp_path / "output" / "brief.pdf").write_bytes(b"%PDF last good")
    (tmp_path / "notes.txt").write_text("mine\n")
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o700)


def read_only(*folders: Path) -> None:
    """Make folders read-only, and prove that a user (as the commands run) really cannot write there."""
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
    with as_a_user(), pytest.raises(PermissionError):
        (folders[0] / "probe").touch()


def test_a_user_cannot_write_into_a_read_only_folder_and_root_can_again_afterwards(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    read_only(folder)
    if os.geteuid() == 0:  # root's rights are back once the command is done
        (folder / "root's").touch()
        assert (folder / "root's").exists()


def digests(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- read-only folders ---------------------------------------------------------------------------


READ_ONLY = {
    "schema": (["schema", "--out", "ro/schemas"], "ro", "ro/schemas"),
    "preview": (["preview", "--only", "data"], "output", "output"),
    "edition": (["edition", "snapshot"], "data/editions", "data/editions/2026-11-29.yaml"),
    "import": (
        [
            "import",
            "one.csv",
            "--indicator",
            "internet_users",
            "--source",
            "OWID_ITU_INTERNET_2025",
            "--write",
        ],
        "data/countries",
        "data/countries/kgz.yaml",
    ),
    "new": (["new", "country", "MNG", "--name", "Mongolia"], "data/countries", "data/countries/mng.yaml"),
    "clean": (["clean", "--out", "output"], "output", "output/.cache/build.lock"),
}


@pytest.mark.parametrize("command", sorted(READ_ONLY))
def test_a_read_only_folder_is_a_write_failure_named_by_path(project, command):
    args, folder, named = READ_ONLY[command]
    (project / "ro").mkdir()
    (project / "one.csv").write_text("country,year,value\nKGZ,2024,83.5\n")
    if command == "edition":
        (project / SNAPSHOT).unlink()  # so that there is something to write
    read_only(project / folder)
    before = digests(project / folder)
    result = run(project, *args)
    clean_failure(result, WRITE_FAILURE, named)
    assert "permission denied" in result.stderr
    assert digests(project / folder) == before


def test_diff_and_list_read_a_read_only_project(project):
    read_only(project / "data", project / "report")
    for args in (["diff", str(SNAPSHOT), "data"], ["edition", "list"]):
        result = run(project, *args)
        assert result.returncode == 0 and not result.stderr, result.stderr


def test_watch_into_a_read_only_folder_reports_the_failure_and_stops_cleanly_on_ctrl_c(project):
    read_only(project / "output")
    proc = subprocess.Popen(
        [*_unprivileged(), *cli_argv("watch", "--only", "data")],
        cwd=project,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 120
    seen = ""
    while "watching" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.readline()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "output folder output is not writable" in err and "Traceback" not in err


# --- an output path that is a file -----------------------------------------------------------------


IS_A_FILE = {
    "schema": (["schema", "--out", "notes.txt"], WRITE_FAILURE, "--out notes.txt is a file"),
    "schema-inside": (["schema", "--out", "notes.txt/s"], WRITE_FAILURE, "notes.txt is a file"),
    "preview": (["preview", "--out", "notes.txt"], WRITE_FAILURE, "--out notes.txt is a file"),
    "clean": (["clean", "--out", "notes.txt"], USAGE, "--out notes.txt is a file, not a folder"),
    "build-cache": (["build", "--only", "pdf", "--cache", "notes.txt"], USAGE, "--cache notes.txt"),
    "edition": (["edition", "snapshot", "--force"], WRITE_FAILURE, "data/editions"),
}


@pytest.mark.parametrize("case", sorted(IS_A_FILE))
def test_an_output_path_that_is_a_file_is_named_with_what_is_wrong(project, case):
    args, code, words = IS_A_FILE[case]
    if case == "edition":
        shutil.rmtree(project / "data" / "editions")
        (project / "data" / "editions").write_text("not a folder\n")
    result = run(project, *args)
    clean_failure(result, code, words)
    assert (project / "notes.txt").read_text() == "mine\n"


# --- a full disk -----------------------------------------------------------------------------------


FULL_DISK = {
    "schema": (["schema", "--out", "schemas2"], "schemas2/"),
    "build": (["build", "--only", "data"], "output/brief-data.xlsx"),
    "edition": (["edition", "snapshot"], "data/editions/2026-11-29.yaml"),
    "new": (["new", "country", "MNG", "--name", "Mongolia"], "report/report.yaml"),
}


@pytest.mark.parametrize("command", sorted(FULL_DISK))
def test_a_full_disk_is_a_write_failure_that_names_the_file(project, command):
    args, named = FULL_DISK[command]
    if command == "edition":
        (project / SNAPSHOT).unlink()
    before = [digests(project / name) for name in ("data", "report")]
    result = run(project, *args, full=True)
    clean_failure(result, WRITE_FAILURE, named, "full")
    assert [digests(project / name) for name in ("data", "report")] == before
    assert (project / "output" / "brief.pdf").read_bytes() == b"%PDF last good"
    assert not list(project.rglob("*.tmp"))


def test_a_full_disk_under_standard_output_is_one_line_not_a_traceback(project):
    with open("/dev/full", "w") as full:
        result = run(project, "diff", str(SNAPSHOT), "data", stdout=full)
    clean_failure(result, WRITE_FAILURE, "standard output")


# --- an interrupt ----------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["edition", "list"], ["schema", "--out", "s"], ["check"]])
def test_ctrl_c_at_any_moment_exits_130_or_finishes_without_a_traceback(project, args):
    # from 0.3 s on: a signal in Python's own start-up, before any of digibrief runs, is Python's to report
    for delay in (0.3, 0.6, 1.0):
        proc = subprocess.Popen(
            [*_unprivileged(), *cli_argv(*args)],
            cwd=project,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        # a shell shows a death by SIGINT as 130 too: Python ends that way when the signal comes as it exits
        assert proc.returncode in (0, INTERRUPTED, -signal.SIGINT), (delay, err)
        assert "Traceback" not in err, (delay, err)
        if proc.returncode != 0:
            assert "interrupted" in err


def test_an_interrupt_during_an_import_is_held_until_the_import_is_done(tmp_path, monkeypatch):
    # pydantic-core panics (exit 1) or prints an ignored traceback when Ctrl-C lands in its Rust code,
    # which runs while digibrief's models are imported: the CLI holds an interrupt back until then
    from digibrief import cli

    (tmp_path / "slow_import.py").write_text(
        "import os, signal, time\n"
        "os.kill(os.getpid(), signal.SIGINT)\n"
        "time.sleep(0.2)  # the interrupt is pending here, inside the import\n"
        "DONE = True\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)}
    try:
        cli._stop_gracefully("check")
        with pytest.raises(KeyboardInterrupt):
            import slow_import  # noqa: F401

            time.sleep(2)  # the interrupt comes HELD seconds after the import, here
        assert sys.modules["slow_import"].DONE
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        sys.modules.pop("slow_import", None)
