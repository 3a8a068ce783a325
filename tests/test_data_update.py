"""A data update reaches every mention: prose, tables, notes, native chart data and the disagreement note.

The scenario of issue 11: change Kyrgyzstan's 2022 internet-users value, rebuild, and find the new value
everywhere the brief and the deck mention it and the old one nowhere; a figure typed by hand into a
narrative is a located warning that --strict turns into exit 3.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from digibrief.pipeline.build import build

from .conftest import deck_text, pdf_text, replace_in, run_cli

OLD, NEW = "79.7703", "83.4127"  # Kyrgyzstan, internet users, 2022 (ITU)
OLD_SHOWN, NEW_SHOWN = "79.8%", "83.4%"


def _pdf_text(path: Path) -> str:
    """The brief's text, as pypdf extracts it (once per PDF and session: conftest.pdf_text)."""
    return pdf_text(path)


def _chart_values(deck: Path) -> str:
    """Every number cached in the deck's native charts (c:v of every series point)."""
    with zipfile.ZipFile(deck) as z:
        charts = [n for n in z.namelist() if re.match(r"ppt/charts/chart\d+\.xml$", n)]
        return " ".join(re.findall(r"<c:v>([^<]*)</c:v>", " ".join(z.read(n).decode() for n in charts)))


@pytest.fixture(scope="module")
def updated(shipped: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The shipped project rebuilt after one value changed in data/countries/kgz.yaml."""
    import dataclasses
    import shutil

    root = tmp_path_factory.mktemp("update") / "project"
    shutil.copytree(shipped.data.parent, root, symlinks=True)
    opts = dataclasses.replace(shipped, data=root / "data", report=root / "report", out=root / "output")
    replace_in(opts.data / "countries" / "kgz.yaml", f"2022: {{value: {OLD}", f"2022: {{value: {NEW}")
    result = build(opts)
    assert opts.out / "brief.pdf" in result.written and opts.out / "deck.pptx" in result.written
    return opts


def test_the_shipped_brief_and_deck_mention_the_value_before_the_update(shipped: Any) -> None:
    text = _pdf_text(shipped.out / "brief.pdf")
    assert OLD_SHOWN in text and NEW_SHOWN not in text
    assert OLD_SHOWN in deck_text(shipped.out / "deck.pptx")


def test_an_updated_value_reaches_every_mention_in_the_brief_and_the_old_one_appears_nowhere(
    updated: Any,
) -> None:
    text = _pdf_text(updated.out / "brief.pdf")
    assert OLD_SHOWN not in text and OLD not in text and "79.77" not in text
    # the profile prose, the chart headline, the comparison table and the disagreement note all read it
    assert text.count(NEW_SHOWN) >= 4, text.count(NEW_SHOWN)


def test_an_updated_value_reaches_the_deck_text_notes_and_native_chart_data(updated: Any) -> None:
    deck = updated.out / "deck.pptx"
    text = deck_text(deck)  # shapes, table cells and speaker notes
    assert OLD_SHOWN not in text and "79.77" not in text
    assert NEW_SHOWN in text
    values = _chart_values(deck)
    assert NEW in values.split() or float(NEW) in [float(v) for v in values.split() if _is_number(v)]
    assert OLD not in values.split()


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def test_the_disagreement_note_follows_the_data(updated: Any) -> None:
    text = " ".join(_pdf_text(updated.out / "brief.pdf").split())
    # the disagreement is stated once, in the methodology's table, which the country's note points to
    note = re.search(r"Kyrgyzstan: Internet users, 2023 GNV: 78% \(2023\).{0,80}?\(2022\)", text)
    assert note, "the Kyrgyzstan disagreement is missing from the table of disagreements"
    assert NEW_SHOWN in note.group(0) and OLD_SHOWN not in note.group(0)


def test_a_figure_typed_into_a_narrative_is_a_located_warning_and_exit_3_under_strict(tmp_path: Path) -> None:
    import shutil

    from .conftest import DATA, REPORT

    shutil.copytree(DATA, tmp_path / "data")
    shutil.copytree(REPORT, tmp_path / "report")
    kgz = tmp_path / "data" / "countries" / "kgz.yaml"
    text = kgz.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("profile:")) + 1
    replace_in(kgz, "profile: |\n  ", "profile: |\n  Internet use stood at 79.8% in 2022. ")
    common = ("--data", str(tmp_path / "data"), "--report", str(tmp_path / "report"))
    ok = run_cli("check", *common)
    assert ok.returncode == 0, ok.stderr
    warning = re.search(r"kgz\.yaml:(\d+):(\d+): profile: warning: figure '79\.8%'[^\n]*", ok.stderr)
    assert warning, ok.stderr
    assert int(warning.group(1)) == line - 1 or int(warning.group(1)) == line  # the profile's first line
    assert "{KGZ internet_users 2022}" in warning.group(0)  # it names the reference that binds it
    strict = run_cli("check", "--strict", *common)
    assert strict.returncode == 3, strict.stderr
    assert "Traceback" not in strict.stderr
    built = run_cli("build", "--strict", *common, "--out", str(tmp_path / "out"))
    assert built.returncode == 3, built.stderr
    assert not (tmp_path / "out" / "brief.pdf").exists()


def test_the_shipped_data_gives_no_warning() -> None:
    done = run_cli("check", "--strict")
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr


def test_pdftotext_reads_the_updated_value_too(updated: Any) -> None:
    from .conftest import require_tool

    pdftotext = require_tool("pdftotext")
    out = subprocess.run(
        [pdftotext, "-q", str(updated.out / "brief.pdf"), "-"], capture_output=True, check=True
    )
    text = out.stdout.decode("utf-8", "replace")
    assert NEW_SHOWN in text and OLD_SHOWN not in text


def test_the_data_pack_holds_the_updated_value(updated: Any) -> None:
    pack = next(updated.out.glob("*-data.xlsx"))
    with zipfile.ZipFile(io.BytesIO(pack.read_bytes())) as z:
        sheets = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert NEW in sheets and OLD not in sheets
