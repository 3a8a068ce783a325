"""Hostile and broken input: located errors for bad data, literal text for hostile text, safe files always.

Each test here is an entry of docs/robustness.md.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import time
import traceback
import zipfile
from pathlib import Path

import pytest

from digibrief.errors import EXIT_INTERRUPTED, EXIT_RENDER, InputError, RenderError
from digibrief.pipeline.build import BuildOptions, build
from digibrief.project.load import load

from .conftest import (
    ROOT,
    Lines,
    child_env,
    cli_argv,
    deck_text,
    file_states,
    replace_in,
    require_tool,
    run_cli,
    temp_files,
)

HOSTILE = [
    "AT&T",
    "a < b && c > d",
    '<img src="/etc/passwd"/>',
    '<a href="javascript:alert(1)">click</a>',
    "<font size=80 color=red>big</font>",
    "<b>unbalanced",
    "&amp; &#x41; &nbsp;",
    "e\u0301\u0301 combining",
    "Oʻzbekiston Gʻ Қазақстан Тоҷикистон",
]


def problems(root: Path) -> str:
    with pytest.raises(InputError) as info:
        load(root / "data", root / "report")
    return "\n".join(str(p) for p in info.value.problems)


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, chart_cache):
    """KGZ only, with every hostile string as a highlight and a key figure's label."""
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "report", root / "report")
    kgz = root / "data" / "countries" / "kgz.yaml"
    text = kgz.read_text(encoding="utf-8")
    items = "".join(f"  - text: {yaml_quote(h)}\n    sources: [SEED_GNV_2024]\n" for h in HOSTILE[:6])
    # the highlights list, up to the next top-level key
    text = re.sub(r"(?ms)^highlights:\n.*?(?=^\S)", "highlights:\n" + items, text)
    text = text.replace("capital: Bishkek", f"capital: {yaml_quote(' / '.join(HOSTILE[6:]) + ' 🚀')}")
    # and as the key figures' labels, which the deck shows on its tiles or says in its notes
    heads = iter(HOSTILE[:6])
    text = re.sub(
        r"(?m)^(  - (?:fact|indicator): .*)$",
        lambda m: f"{m.group(1)}\n    label: {yaml_quote(next(heads))}",
        text,
    )
    kgz.write_text(text, encoding="utf-8")
    opts = BuildOptions(
        data=root / "data",
        report=root / "report",
        out=root / "out",
        cache=chart_cache,
        countries=("KGZ",),
        one_country=True,  # a brief of KGZ alone, named brief.pdf and deck.pptx
    )
    result = build(opts)
    return opts, result


def embedded_flags(pdffonts_output: str) -> list[bool]:
    """The 'emb' column of pdffonts, sliced by the dashed rule under its header."""
    lines = pdffonts_output.splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:]
    spans, pos = [], 0
    for dashes in rule.split(" "):
        spans.append((pos, pos + len(dashes)))
        pos += len(dashes) + 1
    names = [header[a:b].strip() for a, b in spans]
    a, b = spans[names.index("emb")]
    return [row[a:b].strip() == "yes" for row in rows if row.strip()]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_hostile_text_appears_literally_in_the_pdf(hostile_build):
    opts, _ = hostile_build
    text = squash(pdf_text(opts.out / "brief.pdf"))
    for s in HOSTILE[:6]:
        assert squash(s) in text, s


def test_hostile_markup_loads_no_file_and_makes_no_javascript_link(hostile_build):
    opts, _ = hostile_build
    raw = (opts.out / "brief.pdf").read_bytes()
    assert b"javascript" not in raw.lower()
    from pypdf import PdfReader

    reader = PdfReader(opts.out / "brief.pdf")
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                assert str(action["/URI"]).startswith(("http://", "https://", "mailto:")), action["/URI"]


def test_hostile_text_appears_literally_in_the_deck(hostile_build):
    opts, _ = hostile_build
    joined = squash(deck_text(opts.out / "deck.pptx"))
    for s in HOSTILE[:6]:
        assert squash(s) in joined, s


def test_a_glyph_the_font_lacks_gets_a_visible_substitute_and_a_warning(hostile_build):
    _, result = hostile_build
    assert any("U+1F680" in w for w in result.warnings), result.warnings


def test_hostile_outputs_pass_real_clients(hostile_build, tmp_path, libreoffice):
    opts, _ = hostile_build
    qpdf = require_tool("qpdf")
    subprocess.run([qpdf, "--check", str(opts.out / "brief.pdf")], check=True, capture_output=True)
    pdffonts = require_tool("pdffonts")
    listing = subprocess.run(
        [pdffonts, str(opts.out / "brief.pdf")], check=True, capture_output=True, text=True
    )
    for line in listing.stdout.splitlines()[2:]:
        assert " yes " in line.split("Identity")[-1] or "yes" in line.split()[-5], line
    libreoffice.convert("pdf", [opts.out / "deck.pptx"], tmp_path).check_returncode()
    assert (tmp_path / "deck.pdf").stat().st_size > 1000
    assert zipfile.ZipFile(opts.out / "deck.pptx").testzip() is None


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("2022: {value: 79.7703", "2022: {value: .nan", "expected a finite number"),
        ("2022: {value: 79.7703", "2022: {value: .inf", "expected a finite number"),
        ("2022: {value: 79.7703", "2022: {value: 120", "expected a number between 0 and 100, got 120"),
        (
            "2024: {value: 78, source: UNDESA_EGDI_2024_CSV",
            "2024: {value: 250, source: UNDESA_EGDI_2024_CSV",
            "between 1 and 193",
        ),
        ("2022: {value: 79.7703", "-5: {value: 79.7703", "expected a number ≥ 1900"),
        ("2022: {value: 79.7703", "2099: {value: 79.7703", "after the report's edition year"),
        ("capital: Bishkek", "capital: ''", "empty or blank"),
        ("capital: Bishkek", "capital: '   '", "empty or blank"),
        ("capital: Bishkek", "capital: " + "x" * 400, "the limit is 300"),
        ("capital: Bishkek", 'capital: "Bish\\u0007kek"', "control character U+0007"),
    ],
    ids=[
        "nan",
        "inf",
        "percent-over-100",
        "rank-over-193",
        "negative-year",
        "future-year",
        "empty",
        "blank",
        "too-long",
        "control-char",
    ],
)
def test_bad_values_are_located_errors(project_copy: Path, old: str, new: str, expected: str):
    replace_in(project_copy / "data" / "countries" / "kgz.yaml", old, new)
    found = problems(project_copy)
    assert re.search(r"kgz\.yaml:\d+:\d+: ", found), found
    assert expected in found, found


def test_a_byte_order_mark_is_accepted(project_copy: Path):
    path = project_copy / "data" / "countries" / "kgz.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "KGZ" in load(project_copy / "data", project_copy / "report").countries


def test_a_50_mb_file_is_refused_quickly_with_the_limit(project_copy: Path):
    path = project_copy / "data" / "countries" / "kgz.yaml"
    with open(path, "ab") as fh:
        fh.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    found = problems(project_copy)
    assert time.perf_counter() - started < 5
    assert "kgz.yaml: file is 52,428,800 bytes; the limit is" in found


def test_a_font_path_that_leaves_the_project_is_refused(project_copy: Path):
    replace_in(
        project_copy / "report" / "theme.yaml",
        "regular: NotoSans-Regular.ttf",
        "regular: ../../etc/passwd.ttf",
    )
    assert "a plain .ttf file name (no folders)" in problems(project_copy)


def test_a_font_symlink_out_of_the_project_is_refused(project_copy: Path, tmp_path: Path, chart_cache: Path):
    outside = tmp_path / "outside.ttf"
    outside.write_bytes(b"not a font")
    (project_copy / "report" / "Evil.ttf").symlink_to(outside)
    replace_in(project_copy / "report" / "theme.yaml", "regular: NotoSans-Regular.ttf", "regular: Evil.ttf")
    with pytest.raises(InputError) as err:  # a located data error at the font's line in theme.yaml
        build(
            BuildOptions(
                data=project_copy / "data",
                report=project_copy / "report",
                out=tmp_path / "o",
                cache=chart_cache,
            )
        )
    [problem] = err.value.problems
    assert problem.file.endswith("theme.yaml") and problem.line > 0 and problem.path == "fonts.regular"
    assert "points outside" in problem.message


def test_an_output_folder_that_cannot_be_created_is_a_write_failure(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("build", "--out", str(blocker / "out"))
    assert result.returncode == 4 and "is a file, not a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_output_folder_is_created(tmp_path: Path):
    result = run_cli(
        "build", "--out", str(tmp_path / "a" / "b"), "--only", "pdf", "--countries", "TJK", "-q", timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a" / "b" / "brief-tjk.pdf").exists()


def edit_text_both_outputs_show(data: Path) -> None:
    """A change to a profile's opening: a successful build rewrites the brief and the deck (its notes open
    with it), and draws no chart."""
    replace_in(
        data / "countries" / "kgz.yaml",
        "Kyrgyzstan sits in the middle of the regional field",
        "Kyrgyzstan sits mid-field in the region",
    )


def _fd_path(fd: int) -> Path | None:
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return None


def test_disk_full_while_writing_leaves_previous_outputs_byte_identical(shipped_copy, monkeypatch):
    if _fd_path(0) is None:
        pytest.skip("needs /proc/self/fd to tell which file is being written")
    opts = shipped_copy
    before = file_states(opts.out)
    assert "Kyrgyzstan sits in the middle of the regional field" in deck_text(
        opts.out / "deck.pptx"
    )  # it shows
    edit_text_both_outputs_show(opts.data)
    charts_before = sorted(opts.cache.iterdir())
    real_fsync = os.fsync
    staged: list[Path] = []

    def failing_fsync(fd: int) -> None:
        path = _fd_path(fd)
        if (
            path is not None and path.parent == opts.out
        ):  # an output being staged, not a chart or the manifest
            staged.append(path)
            if len(staged) == 2:  # the first output is staged but not yet in place
                raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(RenderError, match="No space left on device") as info:
        build(opts)
    monkeypatch.undo()
    assert info.value.exit_code == EXIT_RENDER
    assert "the previous outputs are unchanged" in str(info.value)
    # it failed while staging the outputs, in the atomic multi-file write
    assert len(staged) == 2 and all(p.name.endswith(".tmp") for p in staged), staged
    frames = [f.name for f in traceback.extract_tb(info.value.__cause__.__traceback__)]
    assert "write_all_atomic" in frames, frames
    assert sorted(opts.cache.iterdir()) == charts_before  # no chart was drawn or written
    assert file_states(opts.out) == before  # nothing replaced
    assert not temp_files(opts.out)


# Ctrl-C stops a build as a user runs it, whose workers start importing the drawing libraries while it
# loads; SIGTERM, which the same handler takes, a build on one worker: the workers' imports, cut short
# by the interrupt, were half of each child's 2.2 s of CPU
@pytest.mark.parametrize(
    ("sig", "value", "env"),
    [(signal.SIGINT, "38.25", {}), (signal.SIGTERM, "38.75", {"DIGIBRIEF_WORKERS": "1"})],
    ids=["SIGINT", "SIGTERM"],
)
def test_interrupting_a_build_leaves_previous_outputs_byte_identical(shipped_copy, sig, value, env):
    opts = shipped_copy
    before = file_states(opts.out)
    replace_in(opts.data / "countries" / "tjk.yaml", "2022: {value: 36.0872", f"2022: {{value: {value}")
    argv = cli_argv(
        "build", *("--data", str(opts.data), "--report", str(opts.report), "--out", str(opts.out))
    )
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=child_env(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    out = Lines(proc)
    try:
        # the build has provably started once it has loaded the changed data; charts and writers follow
        out.wait_for("load and validate", timeout=60)
        out.stop(sig, timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        out.close()
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.returncode == EXIT_INTERRUPTED, out.text + err
    assert "interrupted" in err and "previous outputs are unchanged" in err, err
    assert "Traceback" not in err
    assert not any(line.startswith("wrote ") for line in out.seen), out.text
    assert file_states(opts.out) == before
    assert not temp_files(opts.out)


@pytest.mark.parametrize("text", ["שלום עולם", "دوشنبه"])  # Hebrew, Arabic
def test_right_to_left_text_is_a_located_error_not_printed_mirrored(project_copy, text):
    path = project_copy / "data" / "countries" / "kgz.yaml"
    replace_in(path, "capital: Bishkek", f"capital: {text}")
    found = problems(project_copy)
    assert "kgz.yaml:" in found and "capital: right-to-left text" in found and "cannot be set" in found
