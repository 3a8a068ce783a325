"""docs/sections.md describes every section kind of report.yaml, each with an example that validates."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import yaml

from digibrief.project.model import SectionDef, SectionKind

DOC = (Path(__file__).parents[1] / "docs" / "sections.md").read_text(encoding="utf-8")


def test_every_section_kind_has_a_heading_and_an_example_that_validates() -> None:
    parts = dict(re.findall(r"^## `(\w+)`\n(.*?)(?=^## |\Z)", DOC, re.M | re.S))
    assert sorted(parts) == sorted(get_args(SectionKind))
    for kind, text in parts.items():
        examples = re.findall(r"```yaml\n(.*?)```", text, re.S)
        assert examples, kind
        sections = yaml.safe_load(examples[0].split("\n\n")[0])
        assert [SectionDef.model_validate(s).kind for s in sections] == [kind]


def test_every_field_of_a_section_is_in_the_table() -> None:
    table = DOC.split("\n\n", 2)[2]
    for field in SectionDef.model_fields:
        assert f"| `{field}` |" in table, field
