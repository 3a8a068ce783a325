"""JSON Schemas generated from the model, so editors can validate and complete the YAML."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from digibrief.errors import RenderError, write_failure
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
    if out.exists() and not out.is_dir():
        raise RenderError(f"--out {out} is a file, not a folder; name a folder. Nothing was written")
    texts = {out / f"{name}.schema.json": schema_text(model) for name, model in SCHEMAS.items()}
    written: list[Path] = []
    path = out
    try:
        out.mkdir(parents=True, exist_ok=True)
        for path, text in texts.items():
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        done = f"{len(written)} of {len(texts)} schemas were written" if written else "nothing was written"
        raise write_failure(exc, path, done) from exc
    return written
