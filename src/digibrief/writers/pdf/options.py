"""The PDF writer's options: only what changes the brief's bytes, so other choices never re-render it."""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.writers.contract import Choices, Paper


@dataclass(frozen=True)
class PdfOptions:
    paper: Paper = "a4"


def resolve(choices: Choices) -> PdfOptions:
    return PdfOptions(paper=choices.paper)
