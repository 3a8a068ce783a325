"""The checked-in JSON Schemas match the model, so editors validate what digibrief validates."""

from __future__ import annotations

import json

from digibrief.project.schema import SCHEMAS, schema_text

from .conftest import ROOT


def test_checked_in_schemas_are_current():
    for name, model in SCHEMAS.items():
        path = ROOT / "schemas" / f"{name}.schema.json"
        assert path.read_text(encoding="utf-8") == schema_text(model), (
            f"run `make schema` to refresh {path.name}"
        )


def test_country_schema_forbids_unknown_keys_and_requires_sources():
    schema = json.loads(schema_text(SCHEMAS["country"]))
    assert schema["additionalProperties"] is False
    point = schema["$defs"]["Point"]
    assert "source" in point["required"]
