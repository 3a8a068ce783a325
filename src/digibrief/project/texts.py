"""Every sentence of data/ and report/ that refers to data, with the file and line where it is written.

The editor re-reads these when a figure they refer to changes: a number updates itself, the words
around it ("rose", "leads") do not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from digibrief.project import yamlsource
from digibrief.project.load import display_path
from digibrief.syntax import REFERENCE, Ref, ref_of

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Sentence:
    file: str
    line: int
    text: str  # as written, its whitespace made single spaces
    refs: tuple[Ref, ...]


def text_files(data_dir: Path, report_dir: Path) -> list[Path]:
    """The files whose text may refer to data (edition snapshots and the theme hold none)."""
    names = [data_dir / n for n in ("sources.yaml", "indicators.yaml", "risks.yaml")]
    countries = data_dir / "countries"
    names += sorted(countries.glob("*.yaml")) if countries.is_dir() else []
    names.append(report_dir / "report.yaml")
    return [p for p in names if p.is_file()]


def _as_written(text: str) -> re.Pattern[str]:
    """text as it may stand in the file: a folded or plain scalar may break a line at any space."""
    return re.compile(r"\s+".join(re.escape(part) for part in text.split()))


# a file's sentences, by the name it is shown under, with the digest of the bytes they were read from
_KEPT: dict[str, tuple[bytes, tuple[Sentence, ...]]] = {}


def sentences_in(path: Path) -> list[Sentence]:
    """The sentences of one YAML file that hold a data reference, in file order. They are kept by the
    file's bytes: a build's change summary reads every file after each save of a watch, and most of
    them have not changed (0.2 s for the shipped files)."""
    name = display_path(path)
    try:
        digest = hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return _read(path, name)
    kept = _KEPT.get(name)
    if kept is not None and kept[0] == digest:
        return list(kept[1])
    found = _read(path, name)
    _KEPT[name] = (digest, tuple(found))
    return found


def forget() -> None:
    """Keep no file's sentences, as in a new process."""
    _KEPT.clear()


def _read(path: Path, name: str) -> list[Sentence]:
    located, _ = yamlsource.read(path, name)
    if located is None:
        return []
    raw = path.read_text(encoding="utf-8-sig", errors="replace")
    starts = [0] + [m.end() for m in re.finditer("\n", raw)]
    out = []
    for keypath, value in located.texts():
        if "{" not in value:
            continue
        line = located.values.get(keypath, (1, 1))[0]
        offset = starts[min(line, len(starts)) - 1]
        for sentence in _SENTENCE_END.split(value):
            matches = list(REFERENCE.finditer(sentence))
            if not matches:
                continue
            # where the sentence starts; failing that (an escape in a quoted string), its first reference
            found = _as_written(sentence[: matches[0].end()]).search(raw, offset) or _as_written(
                matches[0].group(0)
            ).search(raw, offset)
            if found:
                offset = found.end()
                line = raw.count("\n", 0, found.start()) + 1
            out.append(Sentence(name, line, " ".join(sentence.split()), tuple(ref_of(m) for m in matches)))
    return out


def sentences(data_dir: Path, report_dir: Path) -> list[Sentence]:
    """Every sentence in data_dir and report_dir that refers to data."""
    return [s for path in text_files(data_dir, report_dir) for s in sentences_in(path)]
