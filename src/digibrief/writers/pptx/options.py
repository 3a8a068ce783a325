"""The deck writer's options: the template's bytes, read and checked when the build starts, and whether
charts are native (editable) or pictures.

A template that cannot be read, or lacks a layout or placeholder the deck needs, is a usage error
before any chart is drawn; one whose placeholders cannot hold text is invalid input, located. python-pptx is imported only when a template is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from digibrief.errors import InputError, UsageError
from digibrief.theme import Ground
from digibrief.writers.contract import Choices

ChartMode = Literal["native", "picture"]
CHART_MODES: tuple[ChartMode, ...] = get_args(ChartMode)


@dataclass(frozen=True)
class Template:
    name: str  # the file's name, for messages
    data: bytes
    ground: Ground | None = None  # its slides' background and text colours, when not white


@dataclass(frozen=True)
class DeckOptions:
    template: Template | None = None
    charts: ChartMode = "native"  # native: editable PowerPoint charts; picture: today's PNGs


def resolve(choices: Choices) -> DeckOptions:
    if choices.deck_charts not in CHART_MODES:
        raise UsageError(f"--deck-charts: expected native or picture, got {choices.deck_charts!r}")
    template = read_template(choices.template) if choices.template is not None else None
    return DeckOptions(template, choices.deck_charts)


def read_template(path: Path) -> Template:
    """The template's bytes, after checking that the deck can be built on it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"template not found: {path}") from None
    except OSError as exc:
        raise UsageError(f"template {path}: cannot be read ({exc.strerror or exc})") from None
    from digibrief.writers.pptx.package import from_template, template_ground
    from digibrief.writers.pptx.placeholders import placeholder_problems

    prs, layouts, *_ = from_template(data, path.name)
    problems = placeholder_problems(prs, layouts, str(path))
    if problems:  # invalid input, like data check refuses (exit 1), located in the template's parts
        raise InputError(problems)
    return Template(path.name, data, template_ground(prs, layouts["content"]))
