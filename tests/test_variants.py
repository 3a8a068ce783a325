"""Variants never replace the default outputs: each naming option given adds its value to the name
of every output it changes; and the charts and cache entries no build uses are removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from digibrief.pipeline.build import WRITERS, BuildOptions
from digibrief.pipeline.variants import output_name, suffixes

from .conftest import ROOT, file_states, replace_in, run_cli


def names(**options) -> dict[str, str]:
    """The brief's and the deck's file names (the data pack follows the brief's, tested below)."""
    opts = BuildOptions(**options)
    return {fmt: opts.filename(fmt) for fmt in WRITERS if fmt in ("pdf", "deck")}


def test_each_naming_option_names_only_the_outputs_it_changes():
    assert names() == {"pdf": "brief.pdf", "deck": "deck.pptx"}
    assert names(paper="letter") == {"pdf": "brief-letter.pdf", "deck": "deck.pptx"}
    assert names(template=Path("Corp Master 2.pptx")) == {
        "pdf": "brief.pdf",
        "deck": "deck-corp-master-2.pptx",
    }
    both = names(countries=("UZB", "KAZ"), paper="letter")
    assert both == {"pdf": "brief-kaz-uzb-letter.pdf", "deck": "deck-kaz-uzb.pptx"}
    assert names(countries=("KAZ",), one_country=True) == {"pdf": "brief.pdf", "deck": "deck.pptx"}
    assert names(deck_charts="picture") == {"pdf": "brief.pdf", "deck": "deck-pictures.pptx"}
    assert names(deck_charts="native") == names()
    assert names(countries=("KAZ",), template=Path("corp.pptx"), deck_charts="picture")["deck"] == (
        "deck-kaz-corp-pictures.pptx"
    )
    assert (
        output_name("brief-data.xlsx", "brief", suffixes(("countries",), ("KAZ",))) == "brief-kaz-data.xlsx"
    )


def test_the_readme_states_the_naming_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "brief-letter.pdf" in readme and "deck-kaz-uzb.pptx" in readme


def build(opts: BuildOptions, *args: str, shared_cache: bool = True):
    return run_cli(
        "build",
        *("--data", str(opts.data), "--report", str(opts.report), "--out", str(opts.out)),
        *args,
        "-q",
        timeout=300,
        shared_cache=shared_cache,
    )


def test_a_variant_build_leaves_the_default_outputs_untouched_and_up_to_date(shipped_copy):
    before = file_states(shipped_copy.out)
    done = build(shipped_copy, "--paper", "letter", "--countries", "KAZ,UZB", "--only", "pdf")
    assert done.returncode == 0, done.stderr
    assert (shipped_copy.out / "brief-kaz-uzb-letter.pdf").is_file()
    after = file_states(shipped_copy.out)
    assert {name: after[name] for name in before} == before
    again = run_cli(
        "build",
        *(
            "--data",
            str(shipped_copy.data),
            "--report",
            str(shipped_copy.report),
            "--out",
            str(shipped_copy.out),
        ),
    )
    assert again.returncode == 0 and "up to date" in again.stdout, again.stdout + again.stderr


def test_a_template_variant_is_named_after_the_template(shipped_copy, tmp_path: Path):
    from pptx import Presentation

    template = tmp_path / "Corp.pptx"
    Presentation().save(str(template))
    before = file_states(shipped_copy.out)
    done = build(shipped_copy, "--template", str(template), "--only", "deck")
    assert done.returncode == 0, done.stderr
    assert (shipped_copy.out / "deck-corp.pptx").is_file()
    assert file_states(shipped_copy.out)["deck.pptx"] == before["deck.pptx"]


def test_picture_charts_are_a_variant_so_the_next_build_keeps_the_native_deck(shipped_copy):
    from pptx import Presentation

    before = file_states(shipped_copy.out)
    done = build(shipped_copy, "--only", "deck", "--deck-charts", "picture")
    assert done.returncode == 0, done.stderr
    assert (shipped_copy.out / "deck-pictures.pptx").is_file()
    assert file_states(shipped_copy.out)["deck.pptx"] == before["deck.pptx"]
    again = build(shipped_copy)
    assert again.returncode == 0, again.stderr
    deck = Presentation(str(shipped_copy.out / "deck.pptx"))
    native = [
        s for slide in deck.slides for s in slide.shapes if getattr(s, "has_chart", False) and s.has_chart
    ]
    assert len(native) >= 8


# --- pruning -----------------------------------------------------------------------------------------


def own_cache(opts: BuildOptions) -> Path:
    """Give the copy a default cache (OUT/.cache/charts) holding every chart the session has drawn,
    as a folder that has seen many builds would."""
    cache = opts.out / ".cache" / "charts"
    shutil.copytree(opts.cache, cache, dirs_exist_ok=True)
    return cache


def recorded_keys(out: Path, entry: str | None = None) -> set[str]:
    """The chart keys the manifest records, for every build or for one (its variant|formats)."""
    builds = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))["builds"]
    return {key for k, b in builds.items() if entry in (None, k) for key in b["charts"]}


def stems(folder: Path) -> set[str]:
    return {p.name.split(".")[0] for p in folder.iterdir() if p.is_file()}


def test_charts_no_build_uses_leave_the_output_and_the_default_cache(shipped_copy):
    cache = own_cache(shipped_copy)
    assert (shipped_copy.out / "charts" / "kgz-internet.svg").is_file()
    replace_in(
        shipped_copy.report / "report.yaml",
        "  KGZ: [kgz_egdi_rank, kgz_internet]\n",
        "  KGZ: [kgz_egdi_rank]\n",
    )
    done = build(shipped_copy, shared_cache=False)
    assert done.returncode == 0, done.stderr
    assert not (shipped_copy.out / "charts" / "kgz-internet.svg").exists()
    assert stems(cache) == recorded_keys(shipped_copy.out)


def test_a_variant_keeps_its_charts_until_its_outputs_are_gone_then_clean_removes_them(shipped_copy):
    cache = own_cache(shipped_copy)
    assert build(shipped_copy, "--countries", "KAZ", "--only", "pdf", shared_cache=False).returncode == 0
    variant_keys = recorded_keys(shipped_copy.out, "kaz|pdf")
    kaz = shipped_copy.data / "countries" / "kaz.yaml"
    text = kaz.read_text(encoding="utf-8")
    old = text[text.index("  internet_users:") :].split("\n", 2)[1]  # its first value
    value = old.split("value: ")[1].split(",")[0]
    kaz.write_text(text.replace(old, old.replace(f"value: {value},", f"value: {float(value) - 0.5:g},"), 1))
    assert build(shipped_copy, shared_cache=False).returncode == 0
    assert variant_keys <= stems(cache)  # brief-kaz.pdf still needs them
    (shipped_copy.out / "brief-kaz.pdf").unlink()
    cleaned = run_cli("clean", "--out", str(shipped_copy.out))
    assert cleaned.returncode == 0 and "removed" in cleaned.stdout, cleaned.stderr
    assert stems(cache) == recorded_keys(shipped_copy.out)
    assert not (variant_keys - recorded_keys(shipped_copy.out)) & stems(cache)
    assert {"brief.pdf", "deck.pptx"} <= {p.name for p in shipped_copy.out.iterdir()}


def test_clean_refuses_a_missing_folder(tmp_path: Path):
    done = run_cli("clean", "--out", str(tmp_path / "nowhere"))
    assert done.returncode == 2 and "no such folder" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["notes.txt", "logo.svg"])
def test_prune_removes_only_chart_copies_no_build_names(shipped_copy, name: str):
    extra = shipped_copy.out / "charts" / name
    extra.write_text("<svg/>" if name.endswith(".svg") else "mine")
    run_cli("clean", "--out", str(shipped_copy.out))
    assert extra.exists() == (name == "notes.txt")
