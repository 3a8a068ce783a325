"""A chart the PDF writer parsed is kept in the store under the code that parsed it: after an update of
the writer, a store filled by the earlier version (a user's output folder, or the suite's chart cache
started from `make brief`'s) is parsed again rather than read."""

from __future__ import annotations

import shutil
from pathlib import Path

from digibrief.writers.contract import sources
from digibrief.writers.pdf import images


def test_the_store_key_names_the_writer_s_sources(tmp_path: Path) -> None:
    here = Path(images.__file__).parent
    key = images._stored(("svg digest", 400.0, "faces"))
    assert key.endswith("|" + sources(here))
    copy = tmp_path / "pdf"
    shutil.copytree(here, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert sources(copy) == sources(here)
    (copy / "images.py").write_text((here / "images.py").read_text(encoding="utf-8") + "\n# edited\n")
    assert sources(copy) != sources(here)
    (copy / "new.py").write_text("", encoding="utf-8")  # a module added changes it too
    (copy / "images.py").write_text((here / "images.py").read_text(encoding="utf-8"), encoding="utf-8")
    assert sources(copy) != sources(here)
