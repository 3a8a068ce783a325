"""Property: arbitrary text in the data either shows up literally in the PDF and the deck, or is a
located validation error — never a traceback, never a hang."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from digibrief.document import markup
from digibrief.document.compose import compose
from digibrief.document.types import plain
from digibrief.errors import InputError
from digibrief.project.load import load
from digibrief.project.rules import RTL
from digibrief.syntax import cited_ids
from digibrief.writers.pdf import brief as render_pdf
from digibrief.writers.pdf.options import PdfOptions
from digibrief.writers.pptx import deck as render_pptx
from digibrief.writers.pptx.options import DeckOptions

from .conftest import deck_text, pdf_text, require_tool

LONG = os.environ.get("DIGIBRIEF_FUZZ") == "long"
PROFILE = settings(
    max_examples=200 if LONG else 8,
    derandomize=not LONG,
    deadline=None,
    # in make test a failure is reported as found; make fuzz also shrinks it to a minimal example
    phases=list(Phase) if LONG else [Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Latin, Latin Extended, Cyrillic, Greek, Hebrew, Arabic (refused by check), punctuation, symbols, markup;
# plus a few characters the font lacks (emoji, CJK) which must be replaced visibly and warned about
ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Zs"),
    max_codepoint=0x2FFF,
) | st.sampled_from([*"<>&\"'*[]()#;/\\", "\U0001f680", "\u4e2d"])
TEXT = st.text(ALPHABET, min_size=1, max_size=80)
FIELDS = ["capital", "highlight", "milestone", "figure"]


@pytest.fixture(scope="module")
def base(shipped_project, shipped_theme, chart_images):
    """The shipped project and theme (loaded once per session) and the images of Kyrgyzstan's brief
    and deck (each chart drawn once per session, shared with the writer tests)."""
    doc = compose(shipped_project, ["KGZ"])
    requests = render_pdf.image_requests(doc) + render_pptx.image_requests(doc)
    return shipped_project, shipped_theme, chart_images(requests, shipped_theme, doc.speech)


@pytest.fixture(scope="module")
def deck_store(tmp_path_factory):
    """The deck's slides kept from one example to the next, on disk for the other core: an example
    draws only the slides its text changed (one or none), and its deck has the bytes of a whole
    render (tests/test_slide_cache.py): 0.7 s of CPU for the eight examples' decks instead of 1.8 s."""
    from digibrief.pipeline.cache import DiskStore

    return DiskStore(tmp_path_factory.mktemp("deck-store"), durable=False)


def _with(project, field: str, text: str):
    """The project with text put into one field of Kyrgyzstan, validated as the loader would."""
    from digibrief.project.model import Country

    kgz = project.countries["KGZ"].model_dump()
    if field == "capital":
        kgz["capital"] = text
    elif field == "highlight":
        kgz["highlights"][0]["text"] = text
    elif field == "figure":
        kgz["key_figures"][0]["label"] = text
    else:
        kgz["milestones"][0]["title"] = text
    country = Country.model_validate(kgz)
    return project.model_copy(update={"countries": {**project.countries, "KGZ": country}})


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _pdf_text(data: bytes) -> str:
    """The PDF's text in content-stream order, as poppler reads it (pdftotext -raw): a tenth of the
    CPU of pypdf's extraction, for a new PDF in every example. Where poppler is not installed (CI
    requires it), pypdf's text, so that the property is still checked."""
    if shutil.which("pdftotext") is None and os.environ.get("DIGIBRIEF_REQUIRE_TOOLS") != "1":
        return pdf_text(data, sep="")
    return subprocess.run(
        [require_tool("pdftotext"), "-raw", "-enc", "UTF-8", "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


@pytest.mark.fuzz
@PROFILE
@given(field=st.sampled_from(FIELDS), text=TEXT)
def test_any_text_renders_literally_or_is_a_located_error(
    base, second_core, pdf_store, deck_store, keeping, field: str, text: str
):
    project, theme, images = base
    from pydantic import ValidationError

    try:
        changed = _with(project, field, text)
    except ValidationError:
        return  # the loader reports these with file:line:col (see test_fuzz_load.py)
    if cited_ids(text):
        return  # a citation of an unknown source: a located error in load (crossref)
    if any(unicodedata.bidirectional(ch) in RTL for ch in text):
        return  # right-to-left text: a located error in load (rules.text_is_left_to_right)
    doc = compose(changed, ["KGZ"])
    shown = {
        "capital": unicodedata.normalize("NFC", text.strip()),
        "highlight": plain(markup.parse(text.strip(), lambda ids: (1,))),
        "milestone": unicodedata.normalize("NFC", text.strip()),
        "figure": unicodedata.normalize("NFC", text.strip()),
    }[field]
    deck_job = second_core.submit(render_pptx.render, doc, images, theme, DeckOptions(), deck_store)
    # charts parsed once (pdf_store); every paragraph but the changed one laid out as in the last
    # example (keeping: the brief's memos, as a watch keeps them; the bytes of a fresh render)
    pdf = render_pdf.render(doc, images, theme, PdfOptions(), store=pdf_store)
    deck = deck_job.result()
    # characters the font lacks are replaced by a visible substitute and named in a warning
    warned = " ".join(pdf.warnings)
    pieces = re.split(
        "|".join(re.escape(ch) for ch in set(shown) if f"U+{ord(ch):04X}" in warned) or "$^", shown
    )
    pdf_text = _squash(_pdf_text(pdf.data))
    for piece in pieces:
        assert _squash(piece) in pdf_text, (field, shown, piece)
    if (
        field == "figure"
    ):  # the deck says each key figure's label (highlights, capital, milestones stay in the PDF)
        assert _squash(shown) in _squash(deck_text(deck.data)), (field, shown)


def test_a_hostile_capital_is_a_located_error_when_it_holds_a_control_character(project_copy):
    path = project_copy / "data" / "countries" / "kgz.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("capital: Bishkek", 'capital: "a\\u0000b"'), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load(project_copy / "data", project_copy / "report")
    assert any(p.line and "kgz.yaml" in p.file for p in info.value.problems)
