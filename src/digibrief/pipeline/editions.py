"""Editions in the pipeline: record a snapshot, find the one an edition follows, and compare any two sides.

A side of a comparison is an edition snapshot (data/editions/<date>.yaml), a data folder with its
report folder beside it, or a project folder holding data/ and report/. The change summary is
worded in English (its sentences are not in labels.yaml), so its figures are shown in ENGLISH too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from digibrief.document.changes import Changes, Reread, compare, line, rereads, section
from digibrief.document.types import Document, Section
from digibrief.document.words import ENGLISH
from digibrief.errors import UsageError, write_failure
from digibrief.pipeline.cache import write_atomic
from digibrief.project.editions import (
    Edition,
    dump,
    previous_snapshot,
    read_snapshot,
    snapshot,
    snapshot_files,
    snapshot_path,
)
from digibrief.project.load import display_path, load
from digibrief.project.model import Project
from digibrief.project.texts import Sentence, sentences


@dataclass(frozen=True)
class Side:
    """One side of a comparison: its edition, and its sentences when it is data rather than a snapshot."""

    edition: Edition
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Recorded:
    """What `edition snapshot` did: the snapshot's path, how it differed from one already there, and
    whether it was written (a differing snapshot is replaced only when forced)."""

    path: Path
    differences: Changes | None
    written: bool


def record(data_dir: Path, report_dir: Path, force: bool = False) -> Recorded:
    """Write the snapshot of the current edition, unless one that differs is there and force is off."""
    project = load(data_dir, report_dir)
    path = snapshot_path(data_dir, project.report.edition)
    current = snapshot(project)
    before = read_snapshot(path) if path.is_file() else None
    differences = compare(before, current, ENGLISH) if before is not None else None
    if differences is not None and (not differences.items or not force):
        return Recorded(path, differences, written=False)
    try:
        write_atomic(path, dump(current).encode("utf-8"))
    except OSError as exc:
        raise write_failure(exc, path) from exc
    return Recorded(path, differences, written=True)


def listing(data_dir: Path, report_dir: Path) -> list[str]:
    """The recorded editions, oldest first, marking the one the current edition's brief compares with."""
    project = load(data_dir, report_dir)
    edition = project.report.edition
    previous = previous_snapshot(data_dir, edition)
    out = []
    for path in snapshot_files(data_dir):
        mark = ""
        if path == previous:
            mark = f"  (the brief of {edition} lists what changed since it)"
        elif path.stem == edition:
            mark = "  (this edition)"
        out.append(f"{display_path(path)}{mark}")
    if not any(path.stem == edition for path in snapshot_files(data_dir)):
        out.append(
            f"no snapshot of this edition ({edition}) yet: run `digibrief edition snapshot` when it is published"
        )
    return out


def since_previous(project: Project, data_dir: Path) -> Section | None:
    """The "What changed since" section, in the report's words, when an older edition's snapshot exists."""
    path = previous_snapshot(data_dir, project.report.edition)
    if path is None:
        return None
    from digibrief.document.compose import speech_of

    return section(compare(read_snapshot(path), snapshot(project), speech_of(project)))


def with_section(doc: Document, extra: Section | None) -> Document:
    """doc with extra as its last section (the brief's last page, the deck's last slides)."""
    if extra is None:
        return doc
    return replace(doc, sections=(*doc.sections, extra))


def side(path: Path) -> Side:
    """A snapshot file, a data folder (its report folder beside it) or a project folder, as one side."""
    if path.is_file():
        return Side(read_snapshot(path))
    if (path / "data").is_dir() and (path / "report").is_dir():
        data, report = path / "data", path / "report"
    elif (path / "countries").is_dir() and (path.parent / "report").is_dir():
        data, report = path, path.parent / "report"
    elif path.is_dir():
        raise UsageError(
            f"{path}: expected an edition snapshot (.yaml), a data folder with a report folder beside it, "
            "or a folder holding data/ and report/"
        )
    else:
        raise UsageError(f"{path}: no such file or folder")
    return Side(snapshot(load(data, report)), tuple(sentences(data, report)))


def diff(old: Path, new: Path) -> tuple[Changes, list[Reread]]:
    """What changed from old to new, and the sentences of new whose referenced figures changed."""
    a, b = side(old), side(new)
    changes = compare(a.edition, b.edition, ENGLISH)
    found = rereads(a.edition, b.edition, ((s.file, s.line, s.text, s.refs) for s in b.sentences))
    return changes, found


@dataclass(frozen=True)
class SinceLastBuild:
    """The build's change summary: what changed since the last build, and the sentences to re-read."""

    record: dict[str, Any]  # this build's snapshot, for the manifest
    changes: list[str]
    rereads: list[str]


# the snapshot the last build of this process recorded, with the record it made of it: the next
# build finds that record in the manifest, and a snapshot reads back from its record as it was
_RECORDED: list[tuple[dict[str, Any], Edition]] = []


def since_last_build(
    recorded: Any, project: Project, data_dir: Path, report_dir: Path, limit: int = 8
) -> SinceLastBuild:
    """Compare the snapshot the last build recorded (None or unreadable: nothing to say) with the data."""
    now = snapshot(project)
    record = now.model_dump(mode="json")
    last = _RECORDED[0] if _RECORDED else None
    if recorded and last is not None and recorded == last[0]:  # what this process recorded last
        before: Edition | None = last[1]
    else:
        try:
            before = Edition.model_validate_json(json.dumps(recorded)) if recorded else None
        except ValueError:  # a manifest from an older digibrief
            before = None
    _RECORDED[:] = [(record, now)]
    if before is None:
        return SinceLastBuild(record, [], [])
    changes = [line(c, sources=False) for c in compare(before, now, ENGLISH).items]
    if len(changes) > limit:
        changes = [*changes[:limit], f"… and {len(changes) - limit} more changes"]
    found = rereads(before, now, ((s.file, s.line, s.text, s.refs) for s in sentences(data_dir, report_dir)))
    return SinceLastBuild(record, changes, [f"{r.file}:{r.line}: {r.text}" for r in found])
