"""The manifest is written one top-level entry a line and reads back as it was written."""

from __future__ import annotations

import json
from pathlib import Path

from digibrief.pipeline.cache import MANIFEST_VERSION, read_manifest, write_manifest


def test_a_manifest_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    manifest = {
        "outputs": {"brief.pdf": {"key": "a" * 64, "sha256": "b" * 64, "hint": {"pages": [1, 2.5, None]}}},
        "builds": {"|pdf": {"inputs": "c" * 64, "outputs": ["brief.pdf"], "charts": [], "files": []}},
        "edition": {"countries": {"KGZ": {"name": "Кыргызстан", "values": {"2022": 79.7703}}}},
    }
    write_manifest(path, manifest)
    assert read_manifest(path) == {"version": MANIFEST_VERSION, **manifest}
    text = path.read_text(encoding="utf-8")
    assert "Кыргызстан" in text  # as written, not escaped
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    assert [json.loads("{" + line.rstrip(",") + "}") for line in lines[1:-1]] == [
        {k: v} for k, v in sorted({"version": MANIFEST_VERSION, **manifest}.items())
    ]


def test_a_manifest_keeps_its_own_version(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    write_manifest(path, {"version": 0, "builds": {}})
    assert read_manifest(path) == {"version": MANIFEST_VERSION, "builds": {}}
