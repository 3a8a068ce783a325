"""The build pipeline as a user meets it: incremental, atomic, reproducible, locked, watchable."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from digibrief.errors import EXIT_RENDER, BuildLocked, InputError, RenderError
from digibrief.pipeline.build import BuildOptions, build
from digibrief.pipeline.cache import whole_image
from digibrief.pipeline.lock import build_lock

from .conftest import (
    ROOT,
    Lines,
    child_env,
    cli_argv,
    file_states,
    replace_in,
    run_cli,
    temp_files,
)


def outputs(out: Path) -> list[Path]:
    return [p for p in out.iterdir() if p.is_file()]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_build_is_up_to_date_and_rewrites_nothing(shipped):
    before = {p: (digest(p), p.stat().st_mtime_ns) for p in outputs(shipped.out)}
    result = build(shipped)
    assert result.up_to_date and not result.written
    assert before == {p: (digest(p), p.stat().st_mtime_ns) for p in outputs(shipped.out)}


def test_up_to_date_does_not_import_heavy_libraries(shipped):
    code = (
        "import sys; from pathlib import Path; from digibrief.pipeline.build import BuildOptions, build; "
        f"r = build(BuildOptions(data=Path({str(shipped.data)!r}), report=Path({str(shipped.report)!r}), "
        f"out=Path({str(shipped.out)!r}))); assert r.up_to_date; "
        "heavy = [m for m in ('matplotlib', 'reportlab', 'pptx', 'pydantic') if m in sys.modules]; "
        "print(heavy); assert not heavy, heavy"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_editing_one_country_redraws_only_the_charts_that_read_it(shipped_copy):
    opts = shipped_copy
    settled = build(opts)  # the copy's folders moved: every chart is still in the shared cache
    total = settled.charts_drawn + settled.charts_cached
    assert settled.charts_drawn == 0 and total > 0
    replace_in(opts.data / "countries" / "tjk.yaml", "2022: {value: 36.0872", "2022: {value: 36.5")
    second = build(opts)
    # TJK's internet users feed: the regional trend (print + slide), KGZ's trend (reads all), TJK online/offline,
    # and TKM's peer bar (latest values of all countries); EGDI charts and the heatmap come from cache.
    assert 0 < second.charts_drawn < total
    assert second.charts_drawn + second.charts_cached == total
    assert {p.name for p in second.written} == {"brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html"}
    assert "Tajikistan: Internet users, 2022: 36.1% → 36.5%" in second.changes, second.changes


def test_a_comment_only_edit_rewrites_no_output(shipped_copy):
    opts = shipped_copy
    build(opts)  # settle the copy (its folders moved)
    before = {p.name: p.stat().st_mtime_ns for p in outputs(opts.out)}
    path = opts.data / "countries" / "kaz.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    result = build(opts)
    assert not result.up_to_date  # the input did change: the build looked, and found nothing to redo
    assert not result.written and result.charts_drawn == 0
    assert before == {p.name: p.stat().st_mtime_ns for p in outputs(opts.out)}


def edit_a_value_both_outputs_show(data: Path, new: str) -> None:
    """A change that a successful build would write into both outputs (and into some charts)."""
    replace_in(data / "countries" / "tjk.yaml", "2022: {value: 36.0872", f"2022: {{value: {new}")


def test_invalid_data_leaves_previous_outputs_byte_identical(shipped_copy):
    opts = shipped_copy
    before = file_states(opts.out)
    edit_a_value_both_outputs_show(opts.data, "37.25")
    replace_in(opts.data / "countries" / "kaz.yaml", "capital: Astana", "capital: [Astana")
    with pytest.raises(InputError) as info:
        build(opts)
    assert any("kaz.yaml" in p.file and p.line for p in info.value.problems), info.value.problems
    assert file_states(opts.out) == before
    assert not temp_files(opts.out)


def test_an_exception_in_a_writer_leaves_previous_outputs_byte_identical(shipped_copy, monkeypatch):
    opts = shipped_copy
    before = file_states(opts.out)
    edit_a_value_both_outputs_show(opts.data, "37.5")
    import digibrief.writers.pptx.deck as deck

    def boom(*args, **kwargs):
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(deck, "render", boom)
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "1")  # every writer in this process, where the patch is
    with pytest.raises(RenderError, match="deck writer failed: ZeroDivisionError") as info:
        build(opts)
    assert info.value.exit_code == EXIT_RENDER
    # the PDF rendered fine, with the new value; it must not have been written on its own
    assert file_states(opts.out) == before
    assert not temp_files(opts.out)


def test_a_chart_that_fails_to_draw_is_a_render_error_naming_it(shipped_copy, tmp_path, monkeypatch):
    import dataclasses

    from digibrief import charts

    def boom(*args, **kwargs):
        raise ValueError("injected")

    monkeypatch.setattr(charts, "render", boom)
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "1")  # drawn in this process, where the patch is
    opts = dataclasses.replace(shipped_copy, cache=tmp_path / "empty-cache")  # every chart to draw
    before = file_states(opts.out)
    with pytest.raises(
        RenderError, match=r"chart '[a-z0-9-]+' \(\w+\) could not be drawn: ValueError"
    ) as info:
        build(dataclasses.replace(opts, force=True))
    assert info.value.exit_code == EXIT_RENDER
    assert file_states(opts.out) == before


def test_a_chart_unreadable_after_drawing_fails_the_build_naming_it(shipped_copy, tmp_path, monkeypatch):
    import dataclasses

    from digibrief import charts

    monkeypatch.setattr(charts, "render", lambda *args, **kwargs: b"\x89PNG\r\n\x1a\ntruncated")
    monkeypatch.setenv("DIGIBRIEF_WORKERS", "1")  # drawn in this process, where the patch is
    opts = dataclasses.replace(shipped_copy, cache=tmp_path / "empty-cache", force=True)
    before = file_states(opts.out)
    with pytest.raises(
        RenderError, match=r"chart '[a-z0-9-]+' \(\w+\) could not be read after drawing"
    ) as info:
        build(opts)
    assert info.value.exit_code == EXIT_RENDER
    assert file_states(opts.out) == before
    assert not [p for p in (tmp_path / "empty-cache").glob("*") if p.is_file()], (
        "nothing unreadable is cached"
    )


@pytest.mark.usefixtures("shipped")  # its build fills the session's chart cache
def test_junk_over_the_chart_cache_is_dropped_and_the_charts_redrawn(project_copy, tmp_path, chart_cache):
    cache = tmp_path / "cache"  # the session's charts (and parsed charts), so the first build draws none
    shutil.copytree(chart_cache, cache)
    args = ("build", "-q", "--cache", str(cache))
    first = run_cli(*args, cwd=project_copy, shared_cache=False, timeout=300)
    assert first.returncode == 0, first.stderr
    entries = used_entries(project_copy / "output", cache)
    assert entries  # every chart this build uses, from the cache
    for k, path in enumerate(entries):  # junk, a truncated image and an empty file
        path.write_bytes([b"junk", path.read_bytes()[:100], b""][k % 3])
    edit_a_value_both_outputs_show(project_copy / "data", "36.7")
    second = run_cli(*args, cwd=project_copy, shared_cache=False, timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"{len(entries)} chart(s) redrawn" in second.stdout + second.stderr
    now = used_entries(project_copy / "output", cache)
    assert all(whole_image(p.read_bytes(), p.suffix[1:]) for p in now), "the second build's are whole"


def used_entries(out: Path, cache: Path) -> list[Path]:
    """The cache files of the charts the output folder's builds use (each recorded key has its file)."""
    builds = json.loads((out / ".cache" / "manifest.json").read_text("utf-8"))["builds"]
    used = {key for b in builds.values() for key in b["charts"]}
    found = sorted(p for p in cache.iterdir() if p.is_file() and p.name.split(".")[0] in used)
    assert len(found) == len(used)
    return found


def test_cache_keys_hold_the_real_library_versions_and_the_drawing_code(tmp_path):
    import importlib.metadata
    import shutil

    from digibrief.pipeline.build import LIBRARIES, _drawing_code, _versions

    versions = _versions()
    for name in LIBRARIES:
        assert versions[name] == importlib.metadata.version(name), name
    package = Path(__import__("digibrief").__file__).parent
    assert versions["drawing"] == _drawing_code(package)
    copy = tmp_path / "digibrief"
    shutil.copytree(package / "charts", copy / "charts")
    (copy / "document").mkdir()
    shutil.copy(package / "document" / "chartlayout.py", copy / "document")
    assert _drawing_code(copy) == versions["drawing"]
    with (copy / "charts" / "bars.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# a change to the drawing code\n")
    assert _drawing_code(copy) != versions["drawing"], "changing charts/ draws every chart again"


def test_a_second_concurrent_build_is_refused_with_a_clear_message(tmp_path):
    out = tmp_path / "out"
    with build_lock(out), pytest.raises(BuildLocked, match="another build"):
        build(BuildOptions(out=out, data=ROOT / "data", report=ROOT / "report"))


def test_builds_are_byte_identical_across_timezones(shipped, tmp_path):
    # the shared build ran in this process under TZ=UTC; build the same project again, from the command
    # line, under another zone
    out = tmp_path / "almaty"
    result = run_cli(
        "build",
        *("--data", str(shipped.data), "--report", str(shipped.report), "--out", str(out)),
        "-q",
        env={"TZ": "Asia/Almaty"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in ("brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html"):
        assert digest(shipped.out / name) == digest(out / name), name


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
    brief = out / "brief-kaz-uzb-letter.pdf"  # a variant is named after its options
    assert brief.exists() and not list(out.glob("deck*"))
    from pypdf import PdfReader

    reader = PdfReader(brief)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Uzbekistan" in text
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert "Kazakhstan" in titles and "Uzbekistan" in titles
    assert "Kyrgyzstan" not in titles and "Tajikistan" not in titles
    bad = run_cli("build", "--out", str(out), "--countries", "XXX")
    assert bad.returncode == 2 and "XXX" in bad.stderr


def test_watch_rebuilds_after_an_edit_and_survives_invalid_data(shipped_copy):
    opts = shipped_copy
    argv = cli_argv(
        "watch",
        *("--data", str(opts.data), "--report", str(opts.report), "--out", str(opts.out)),
        *("--only", "data"),
    )
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    out = Lines(proc)
    path = opts.data / "countries" / "kaz.yaml"
    good = path.read_text(encoding="utf-8")

    def save(text: str, expect: str, timeout: float) -> None:
        """Save the file and wait for the watch to say expect (it watches once it says "watching")."""
        path.write_text(text, encoding="utf-8")
        out.wait_for("changed: kaz.yaml", timeout=30)
        out.wait_for(expect, timeout)

    try:
        out.wait_for("watching", timeout=60)
        assert "capital: Astana" in good and "2022: {value: 92.2969" in good
        save(good.replace("capital: Astana", "capital: [Astana"), "build failed", timeout=60)
        assert any("kaz.yaml:" in line for line in out.seen), out.text
        save(good.replace("2022: {value: 92.2969", "2022: {value: 92.3"), "built in", timeout=120)
        assert proc.poll() is None, out.text  # still watching
        code = out.stop(signal.SIGINT, timeout=30)
    finally:
        out.end()
    out.assert_stopped_watching(code)
