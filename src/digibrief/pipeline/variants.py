"""How a build names its outputs, so that a variant never replaces the default brief or deck.

The rule: each of --countries, --paper, --template and --deck-charts picture that is given adds its
value to the name of every output it changes, in that order. `--countries UZB,KAZ` writes brief-kaz-uzb.pdf,
deck-kaz-uzb.pptx and brief-kaz-uzb-data.xlsx; `--paper letter` writes brief-letter.pdf (the deck
and the data pack do not depend on the paper); `--template corp.pptx` writes deck-corp.pptx. A
build without them writes brief.pdf, deck.pptx and brief-data.xlsx. A brief of one country in its
own folder (`build --per-country`) is named without the country: the folder names it.
`--deck-charts picture` writes deck-pictures.pptx; native charts, the default, add nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

NAMING_OPTIONS = ("countries", "paper", "template", "deck_charts")


def slug(text: str) -> str:
    """A file-name-safe form of text: lower case letters and digits joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def suffixes(
    named_by: Sequence[str],
    countries: Sequence[str] | None = None,
    paper: str | None = None,
    template: Path | None = None,
    deck_charts: str | None = None,
) -> list[str]:
    """The parts an output's name gets from the options that change it, in the order of NAMING_OPTIONS."""
    given = {
        "countries": "-".join(sorted(c.lower() for c in countries)) if countries else None,
        "paper": paper,
        "template": slug(template.stem) if template else None,
        "deck_charts": "pictures" if deck_charts == "picture" else None,
    }
    return [given[o] for o in NAMING_OPTIONS if o in named_by and given[o]]  # type: ignore[misc]


def output_name(default: str, stem: str, parts: Sequence[str]) -> str:
    """default ("brief-data.xlsx") with parts inserted after stem ("brief"): brief-kaz-uzb-data.xlsx."""
    if not parts:
        return default
    assert default.startswith(stem), (default, stem)
    return "-".join([stem, *parts]) + default[len(stem) :]


def variant(
    countries: Sequence[str] | None, paper: str | None, template: Path | None, deck_charts: str | None = None
) -> str:
    """The name of a build's variant in the manifest: its naming options, or 'default'."""
    return "-".join(suffixes(NAMING_OPTIONS, countries, paper, template, deck_charts)) or "default"
