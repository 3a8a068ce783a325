"""Each writer reads only its own options, resolved before any chart is drawn, on any start method."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from digibrief.errors import UsageError
from digibrief.pipeline.build import BuildOptions, build

from .conftest import DATA, REPORT, ROOT


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_paper_letter_writes_a_letter_brief_and_leaves_the_deck_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(BuildOptions(data=DATA, report=REPORT, out=out))
    deck, brief = out / "deck.pptx", out / "brief.pdf"
    deck_before = (_sha(deck), deck.stat().st_mtime_ns, deck.stat().st_ino)
    brief_before = _sha(brief)

    result = build(BuildOptions(data=DATA, report=REPORT, out=out, paper="letter"))

    letter = out / "brief-letter.pdf"
    assert letter in result.written and deck in result.unchanged
    assert (_sha(deck), deck.stat().st_mtime_ns, deck.stat().st_ino) == deck_before
    assert _sha(brief) == brief_before and _sha(letter) != brief_before


def _template_without_title_only(path: Path) -> Path:
    from pptx import Presentation

    prs = Presentation()
    for layout in prs.slide_layouts:
        if layout.name == "Title Only":
            layout.name = "Only a title"
    prs.save(str(path))
    return path


def test_a_template_missing_a_layout_fails_before_any_chart_is_drawn(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    template = _template_without_title_only(tmp_path / "thin.pptx")
    with pytest.raises(UsageError, match="no slide layout named 'Title Only'"):
        build(BuildOptions(data=DATA, report=REPORT, out=tmp_path / "out", cache=cache, template=template))
    assert not cache.exists() or not any(cache.iterdir())
    assert not (tmp_path / "out" / "deck.pptx").exists()


def test_an_unreadable_template_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.pptx"
    bad.write_text("not a zip")
    with pytest.raises(UsageError, match=r"notes\.pptx: cannot be read as a PowerPoint file"):
        build(
            BuildOptions(data=DATA, report=REPORT, out=tmp_path / "out", cache=tmp_path / "c", template=bad)
        )


SPAWN_BUILD = """
import multiprocessing, sys
multiprocessing.set_start_method("spawn")
from digibrief.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_spawn_method_build_gives_the_same_bytes_as_the_default(tmp_path: Path) -> None:
    env = {**os.environ, "DIGIBRIEF_WORKERS": "2"}
    digests = {}
    for method, argv in (
        ("default", [sys.executable, "-m", "digibrief"]),
        ("spawn", [sys.executable, "-c", SPAWN_BUILD]),
    ):
        out = tmp_path / method
        # separate chart caches, so the spawn build draws every chart in spawned workers
        cmd = [*argv, "build", "--out", str(out), "--cache", str(tmp_path / f"cache-{method}"), "-q"]
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        digests[method] = {p.name: _sha(p) for p in sorted(out.glob("*.*")) if p.is_file()}
    assert set(digests["spawn"]) == {"brief.pdf", "deck.pptx", "brief-data.xlsx"}
    assert digests["spawn"] == digests["default"]


def test_the_package_imports_without_fcntl() -> None:
    code = (
        "import sys; sys.modules['fcntl'] = None; import digibrief.pipeline.build, digibrief.cli; print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_deck_on_a_template_is_a_valid_package(tmp_path: Path) -> None:
    from pptx import Presentation

    template = tmp_path / "org.pptx"
    Presentation().save(str(template))
    out = tmp_path / "out"
    build(
        BuildOptions(data=DATA, report=REPORT, out=out, cache=tmp_path / "c", only="deck", template=template)
    )
    [deck] = out.glob("deck*.pptx")  # a deck on a template is a variant named after it
    assert deck.name == "deck-org.pptx"
    with zipfile.ZipFile(deck) as z:
        assert z.testzip() is None
