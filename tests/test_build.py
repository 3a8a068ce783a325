"""The build pipeline as a user meets it: incremental, atomic, reproducible, locked, watchable."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digibrief.errors import BuildLocked, InputError, RenderError
from digibrief.pipeline.build import BuildOptions, build
from digibrief.pipeline.lock import build_lock

from .conftest import ROOT, run_cli


def outputs(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.is_file()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, BuildOptions]:
    """One full build of a copy of the shipped project, shared by the tests that only read it."""
    import shutil

    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "report", root / "report")
    opts = BuildOptions(data=root / "data", report=root / "report", out=root / "output")
    result = build(opts)
    assert {p.name for p in result.written} == {"brief.pdf", "deck.pptx"}
    return root, opts


def test_second_build_is_up_to_date_and_rewrites_nothing(built):
    _, opts = built
    before = {p: (digest(p), p.stat().st_mtime_ns) for p in outputs(opts.out)}
    result = build(opts)
    assert result.up_to_date and not result.written
    assert before == {p: (digest(p), p.stat().st_mtime_ns) for p in outputs(opts.out)}


def test_up_to_date_does_not_import_heavy_libraries(built):
    _, opts = built
    code = (
        "import sys; from pathlib import Path; from digibrief.pipeline.build import BuildOptions, build; "
        f"r = build(BuildOptions(data=Path({str(opts.data)!r}), report=Path({str(opts.report)!r}), "
        f"out=Path({str(opts.out)!r}))); assert r.up_to_date; "
        "heavy = [m for m in ('matplotlib', 'reportlab', 'pptx', 'pydantic') if m in sys.modules]; "
        "print(heavy); assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_editing_one_country_redraws_only_the_charts_that_read_it(tmp_path, project_copy):
    opts = BuildOptions(data=project_copy / "data", report=project_copy / "report", out=tmp_path / "out")
    first = build(opts)
    assert first.charts_drawn > 0 and first.charts_cached == 0
    path = opts.data / "countries" / "tjk.yaml"
    text = path.read_text(encoding="utf-8")
    assert "2022: {value: 36.0872" in text
    path.write_text(text.replace("2022: {value: 36.0872", "2022: {value: 36.5"), encoding="utf-8")
    second = build(opts)
    # TJK's internet users feed: the regional trend (print + slide), KGZ's trend (reads all), TJK online/offline,
    # and TKM's peer bar (latest values of all countries); EGDI charts and the heatmap come from cache.
    assert 0 < second.charts_drawn < first.charts_drawn
    assert second.charts_cached >= first.charts_drawn - second.charts_drawn
    assert "Tajikistan: Internet users, 2022: 36.1% → 36.5%" in second.changes, second.changes


def test_a_comment_only_edit_rewrites_no_output(tmp_path, project_copy):
    opts = BuildOptions(data=project_copy / "data", report=project_copy / "report", out=tmp_path / "out")
    build(opts)
    before = {p.name: p.stat().st_mtime_ns for p in outputs(opts.out)}
    path = opts.data / "countries" / "kaz.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    result = build(opts)
    assert not result.written and result.charts_drawn == 0
    assert before == {p.name: p.stat().st_mtime_ns for p in outputs(opts.out)}


def test_invalid_data_leaves_previous_outputs_byte_identical(built, tmp_path):
    import shutil

    _, opts = built
    data = tmp_path / "data"
    shutil.copytree(opts.data, data)
    before = {p.name: digest(p) for p in outputs(opts.out)}
    path = data / "countries" / "kaz.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("capital: Astana", "capital: [Astana"), encoding="utf-8"
    )
    with pytest.raises(InputError):
        build(BuildOptions(data=data, report=opts.report, out=opts.out))
    assert before == {p.name: digest(p) for p in outputs(opts.out)}


def test_an_exception_in_a_writer_leaves_previous_outputs_byte_identical(built, monkeypatch):
    _, opts = built
    before = {p.name: digest(p) for p in outputs(opts.out)}
    import digibrief.writers.pptx.deck as deck

    def boom(*args, **kwargs):
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(deck, "render", boom)
    with pytest.raises(RenderError, match="deck writer failed: ZeroDivisionError"):
        build(BuildOptions(data=opts.data, report=opts.report, out=opts.out, force=True))
    assert before == {p.name: digest(p) for p in outputs(opts.out)}
    assert not list(opts.out.glob(".*.tmp"))


def test_a_second_concurrent_build_is_refused_with_a_clear_message(tmp_path):
    out = tmp_path / "out"
    with build_lock(out), pytest.raises(BuildLocked, match="another build"):
        build(BuildOptions(out=out, data=ROOT / "data", report=ROOT / "report"))


def test_builds_are_byte_identical_across_timezones(tmp_path):
    outs = []
    for tz in ("UTC", "Asia/Almaty"):
        out = tmp_path / tz.replace("/", "-")
        result = run_cli("build", "--out", str(out), "-q", env={"TZ": tz}, timeout=300)
        assert result.returncode == 0, result.stderr
        outs.append(out)
    for name in ("brief.pdf", "deck.pptx"):
        assert digest(outs[0] / name) == digest(outs[1] / name), name


def test_only_countries_and_paper_options(tmp_path):
    out = tmp_path / "out"
    result = run_cli(
        "build",
        "--out",
        str(out),
        "--only",
        "pdf",
        "--countries",
        "KAZ,UZB",
        "--paper",
        "letter",
        "-q",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "brief.pdf").exists() and not (out / "deck.pptx").exists()
    from pypdf import PdfReader

    reader = PdfReader(out / "brief.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Uzbekistan" in text
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Kazakhstan" in titles and "Uzbekistan" in titles
    assert "Kyrgyzstan" not in titles and "Tajikistan" not in titles
    bad = run_cli("build", "--out", str(out), "--countries", "XXX")
    assert bad.returncode == 2 and "XXX" in bad.stderr


def test_watch_rebuilds_after_an_edit_and_survives_invalid_data(project_copy, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "digibrief",
            "watch",
            "--data",
            str(project_copy / "data"),
            "--report",
            str(project_copy / "report"),
            "--out",
            str(out),
            "--only",
            "pdf",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []

    def wait_for(needle: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line:
                lines.append(line)
                if needle in line:
                    return
            else:
                time.sleep(0.05)
        raise AssertionError(f"{needle!r} not seen; output so far:\n{''.join(lines)}")

    try:
        wait_for("watching")
        path = project_copy / "data" / "countries" / "kaz.yaml"
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("capital: Astana", "capital: [Astana"), encoding="utf-8")
        wait_for("build failed")
        assert any("kaz.yaml:" in line for line in lines)
        path.write_text(good.replace("2022: {value: 92.2969", "2022: {value: 92.3"), encoding="utf-8")
        wait_for("built in")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    assert "Traceback" not in "".join(lines)
