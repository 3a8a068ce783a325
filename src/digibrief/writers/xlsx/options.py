"""The data pack's options: none of the user's choices (paper, template) change its bytes."""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.writers.contract import Choices


@dataclass(frozen=True)
class PackOptions:
    pass


def resolve(choices: Choices) -> PackOptions:
    return PackOptions()
