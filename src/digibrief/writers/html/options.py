"""The web page's options: none of the user's choices (paper, template) change its bytes."""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.writers.contract import Choices


@dataclass(frozen=True)
class HtmlOptions:
    pass


def resolve(choices: Choices) -> HtmlOptions:
    return HtmlOptions()
