"""Each writer reads only its own options, resolved before any chart is drawn, on any start method."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from digibrief.errors import UsageError
from digibrief.pipeline.build import BuildOptions, build

from .conftest import DATA, REPORT


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_paper_letter_writes_a_letter_brief_and_leaves_the_deck_untouched(shipped_copy: Any) -> None:
    out = shipped_copy.out  # a built A4 brief and its deck
    deck, brief = out / "deck.pptx", out / "brief.pdf"
    deck_before = (_sha(deck), deck.stat().st_mtime_ns, deck.stat().st_ino)
    brief_before = _sha(brief)

    result = build(dataclasses.replace(shipped_copy, paper="letter"))

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


def test_the_package_imports_without_fcntl() -> None:
    # every module of the package, imported in a child where `import fcntl` fails as on Windows
    code = (
        "import importlib, pkgutil, sys; sys.modules['fcntl'] = None; import digibrief\n"
        "names = [m.name for m in pkgutil.walk_packages(digibrief.__path__, 'digibrief.')]\n"
        "names = [n for n in names if n != 'digibrief.__main__']\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 80  # the whole package, not one entry point


def test_a_deck_on_a_template_is_a_valid_package(tmp_path: Path, chart_cache: Path) -> None:
    from pptx import Presentation

    template = tmp_path / "org.pptx"
    Presentation().save(str(template))
    out = tmp_path / "out"
    build(BuildOptions(data=DATA, report=REPORT, out=out, cache=chart_cache, only="deck", template=template))
    [deck] = out.glob("deck*.pptx")  # a deck on a template is a variant named after it
    assert deck.name == "deck-org.pptx"
    with zipfile.ZipFile(deck) as z:
        assert z.testzip() is None
