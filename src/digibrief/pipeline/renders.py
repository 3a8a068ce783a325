"""Whole rendered outputs kept by their key, so that a build that asks for a render it has done before
(an undo in watch, a variant built again, another output folder on the same chart cache) takes the
bytes instead of rendering them again.

A writer's output is a pure function of its key (the document, theme, options, versions, chart keys,
format and the package's code: build.plan_work). Each entry is one JSON line (the bytes' digest and
size, the render's warnings, pages, hint and passes) and the bytes; an entry that is not whole
(truncated, another file, a wrong digest) is a miss: it costs a render, never a byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from digibrief.pipeline.cache import DiskStore, digest

if TYPE_CHECKING:
    from digibrief.writers.contract import Rendered

KEEP = 12  # per format: an undo, a few variants and folders
MAX_BYTES = 48_000_000  # per format; the newest entry always stays


def store(cache: Path, fmt: str) -> DiskStore:
    """The rendered outputs of one format, in the chart cache beside the writer's own store."""
    return DiskStore(cache / "writers" / fmt / "outputs", keep=KEEP, max_bytes=MAX_BYTES, durable=False)


def entry_key(key: str) -> str:
    return f"output|{key}"


def pack(out: Rendered) -> bytes:
    head = {
        "sha256": digest(out.data),
        "size": len(out.data),
        "warnings": list(out.warnings),
        "pages": out.pages,
        "hint": out.hint,
        "passes": out.passes,
    }
    return json.dumps(head, sort_keys=True, ensure_ascii=True).encode() + b"\n" + out.data


def unpack(raw: bytes | None) -> Rendered | None:
    """The render an entry holds, or None when there is none or it is not whole."""
    from digibrief.writers.contract import Rendered

    if raw is None:
        return None
    line, newline, data = raw.partition(b"\n")
    try:
        head = json.loads(line)
    except ValueError:
        return None
    if not newline or not isinstance(head, dict):
        return None
    if head.get("size") != len(data) or head.get("sha256") != digest(data):
        return None
    warnings, pages, hint, passes = (head.get(k) for k in ("warnings", "pages", "hint", "passes"))
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        return None
    if not isinstance(pages, int) or not isinstance(passes, int) or not isinstance(hint, dict | None):
        return None
    return Rendered(data, warnings, pages, hint, passes)
