"""`build --per-country`: a brief and a deck per focus country, titled for it, regional comparisons
kept, one chart cache shared by all of them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import deck_text, run_cli


def test_per_country_writes_a_brief_and_deck_per_country_sharing_one_cache(
    project_copy: Path, chart_cache: Path
):
    out = project_copy / "briefs"
    shutil.copytree(chart_cache, out / ".cache" / "charts")  # as if drawn before: the test stays quick
    args = ("build", "--per-country", "--countries", "TJK,KAZ", "--out", str(out), "-q")
    done = run_cli(*args, cwd=project_copy, timeout=600, shared_cache=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["kaz", "tjk"]
    from pypdf import PdfReader

    for cid, name, other in (("kaz", "Kazakhstan", "Tajikistan"), ("tjk", "Tajikistan", "Kazakhstan")):
        reader = PdfReader(out / cid / "brief.pdf")
        assert reader.metadata.title == f"Digital Central Asia: {name}"
        titles = [o.title for o in reader.outline if not isinstance(o, list)]
        assert name in titles and other not in titles and "Regional overview" in titles
        assert f"Digital Central Asia: {name}" in deck_text(out / cid / "deck.pptx")
        assert (out / cid / "brief-data.xlsx").is_file()
        assert f"<title>Digital Central Asia: {name}</title>" in (out / cid / "brief.html").read_text("utf-8")

    # one cache for both, holding exactly what their builds use
    assert not any((out / cid / ".cache" / "charts").exists() for cid in ("kaz", "tjk"))
    keys = set()
    for cid in ("kaz", "tjk"):
        manifest = json.loads((out / cid / ".cache" / "manifest.json").read_text(encoding="utf-8"))
        keys |= {key for b in manifest["builds"].values() for key in b["charts"]}
    assert {p.name.split(".")[0] for p in (out / ".cache" / "charts").iterdir() if p.is_file()} == keys

    again = run_cli(*args, cwd=project_copy, timeout=300, shared_cache=False)
    assert again.returncode == 0 and again.stdout.count("up to date") == 2, again.stdout


def test_per_country_refuses_a_country_not_in_the_report(project_copy: Path):
    done = run_cli("build", "--per-country", "--countries", "TKM", cwd=project_copy)
    assert done.returncode == 2 and "TKM not among the report's countries" in done.stderr
    assert not (project_copy / "output").exists()
