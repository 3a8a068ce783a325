"""JSON Schemas generated from the model, so editors can validate and complete the YAML."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from digibrief.project.model import (
    Country,
    IndicatorsFile,
    LabelsFile,
    ReportFile,
    RisksFile,
    SourcesFile,
    ThemeFile,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "sources": SourcesFile,
    "indicators": IndicatorsFile,
    "country": Country,
    "risks": RisksFile,
    "report": ReportFile,
    "theme": ThemeFile,
    "labels": LabelsFile,
}


def schema_text(model: type[BaseModel]) -> str:
    """The JSON Schema of model as stable text: sorted keys, so a regenerated file diffs cleanly."""
    return (
        json.dumps(model.model_json_schema(mode="validation"), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def write_schemas(out: Path) -> list[Path]:
    """Write <name>.schema.json for every kind of data file into out; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, model in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        path.write_text(schema_text(model), encoding="utf-8")
        written.append(path)
    return written
