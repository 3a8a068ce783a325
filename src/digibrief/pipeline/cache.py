"""Content fingerprints and the small versioned manifest that makes rebuilds incremental.

Like Sphinx's .buildinfo: hashes of what went into each output, so that a rebuild redraws only the
charts whose inputs changed and rewrites only the outputs whose document changed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any, NoReturn

from digibrief.project import kept

MANIFEST_VERSION = 2  # 2: one record per variant ("builds"), for naming and pruning


_SCALARS = (str, int, float, bool, type(None))


def _plain(obj: Any) -> Any:
    if isinstance(obj, _SCALARS):  # most of a document: checked first, since keys hash whole documents
        return obj
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _plain(_json_default(obj))
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):  # e.g. a template: its hash stands for its content
        return {"sha256": digest(obj)}
    if hasattr(obj, "model_dump"):
        return _plain(obj.model_dump(mode="json"))
    return obj


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _digested_fields(cls: type) -> tuple[str, ...]:
    """The fields of cls that a key holds as their digest (metadata {"fingerprint": "digest"}): large,
    deeply immutable values, such as a map's outlines, that many keys of a build and every build of a
    warm process share."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("fingerprint") == "digest")


# a digested field's digest, by the identity of its value, which the entry holds (so the identity is
# never another object's): a map's outlines are hashed once per process, not once per key and build
_DIGESTS: dict[int, tuple[Any, str]] = {}
_DIGESTS_LIMIT = 1024


def _digest_of(value: Any) -> dict[str, str]:
    """What a key holds for a digested field's value: its fingerprint, the same in any process. Only a
    tuple (immutable, as the field's marker promises of its contents) is remembered by identity."""
    if not isinstance(value, tuple):
        return {"sha256": fingerprint(value)}
    found = _DIGESTS.get(id(value))
    if found is None or found[0] is not value:
        found = (value, fingerprint(value))
        if len(_DIGESTS) >= _DIGESTS_LIMIT:
            _DIGESTS.pop(next(iter(_DIGESTS)), None)
        _DIGESTS[id(value)] = found
    return {"sha256": found[1]}


@functools.cache
def _dataclass_fields(cls: type) -> frozenset[str] | None:
    """The field names of a dataclass cls (None: cls is no dataclass), as a set."""
    return frozenset(_field_names(cls)) if dataclasses.is_dataclass(cls) else None


def _json_default(obj: Any) -> Any:
    """What json cannot write itself, one level down (json's C encoder walks the rest)."""
    cls: type = type(obj)
    if (names := _dataclass_fields(cls)) is not None:
        digested = _digested_fields(cls)
        own = getattr(obj, "__dict__", None)
        if not digested and own is not None and own.keys() == names:  # its fields, and nothing else
            return own
        plain = {name: getattr(obj, name) for name in _field_names(cls)}
        for name in digested:
            plain[name] = _digest_of(plain[name])
        return plain
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):
        return {"sha256": digest(obj)}
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    return str(obj)


def fingerprint(*parts: Any) -> str:
    """sha256 over canonical JSON of parts (dataclasses as dicts, sorted keys, list order kept).

    json's C encoder walks the parts and asks _json_default only about what it cannot write (a whole
    document's key in a tenth of the time); a dict whose keys json cannot sort is made plain first."""
    try:
        text = json.dumps(
            parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
        )
    except TypeError:
        text = json.dumps(
            _plain(parts), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


# every kind of file a build reads under data/ and report/: data, report, labels (.yml is refused,
# located), theme fonts and the map's boundaries; tests/test_inputs.py checks a build reads no other
INPUT_SUFFIXES = (".yaml", ".yml", ".ttf", ".geojson")


def is_input_file(path: str | Path) -> bool:
    """A file a build reads, as opposed to an editor's swap, backup or lock file beside it."""
    name = Path(path).name
    return not name.startswith((".", "#", "~")) and name.lower().endswith(INPUT_SUFFIXES)


def tree_fingerprint(*folders: Path) -> str:
    """Hash of every input file's relative path and bytes under folders (the no-op fast path)."""
    h = hashlib.sha256()
    for folder in folders:
        h.update(str(folder.resolve()).encode())
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and is_input_file(p)):
            h.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
            h.update(_input_digest(path))
    return h.hexdigest()


# an input file's digest in a warm process, by its path and its stat when it was read (project/kept.py)
_INPUT_DIGESTS: kept.Kept[bytes] = kept.Kept()
SETTLED_NS = 2_000_000_000  # a file last changed this long before it was read is settled


def _input_digest(path: Path) -> bytes:
    """The sha256 of path's bytes; a warm process reads again only a file whose stat changed since it
    was read, or that was not settled then: changed within SETTLED_NS of the read, a write in the same
    tick of the file system's clock could leave its stat as it was (git's "racy" files). Its inode
    change time, which no one can set back, is part of the stat."""
    st = path.stat()
    stat = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}".encode()
    if (known := _INPUT_DIGESTS.get(str(path), stat)) is not None:
        return known
    read_at = time.time_ns()
    found = hashlib.sha256(path.read_bytes()).digest()
    if max(st.st_mtime_ns, st.st_ctime_ns) < read_at - SETTLED_NS:
        _INPUT_DIGESTS.put(str(path), stat, found)
    return found


def read_manifest(path: Path) -> dict[str, Any]:
    """The last build's manifest; anything unreadable or of another version means 'build everything'."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    return data


_PNG_START, _PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


def whole_image(data: bytes, fmt: str) -> bool:
    """Whether a cached chart is a whole image of its format: a complete PNG, or an SVG document from
    its XML declaration to its closing tag. Junk, a truncated write or another file is not."""
    if fmt == "png":
        return data.startswith(_PNG_START) and data.endswith(_PNG_END)
    if fmt == "svg":
        return data.lstrip().startswith(b"<?xml") and data.rstrip().endswith(b"</svg>")
    return False


def read_cached(path: Path, fmt: str) -> bytes | None:
    """A cached chart's bytes, or None when it is missing or unreadable; an unreadable entry is
    removed, so that the build draws the chart again."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        data = b""
    if whole_image(data, fmt):
        return data
    path.unlink(missing_ok=True)
    return None


def _reraise_at(exc: OSError, target: Path | None) -> NoReturn:
    """Raise exc as a failure to write target rather than its staging file: messages name the file users know."""
    if target is not None and (exc.filename is None or str(exc.filename).endswith(".tmp")):
        raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
    raise exc


def write_atomic(path: Path, data: bytes) -> None:
    """Write data next to path and move it into place only when complete."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _reraise_at(exc, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_all_atomic(files: dict[Path, bytes]) -> None:
    """Stage every file next to its target, then move them all into place.

    A failure while staging (disk full, permissions) removes the staged files and leaves every
    target as it was; renames within one folder cannot run out of space.
    """
    staged: list[tuple[Path, Path]] = []
    target: Path | None = None
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            staged.append((tmp, target))
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        _reraise_at(exc, target)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """The manifest as JSON, one top-level entry a line, each written by json's C encoder (an indented
    manifest takes json's pure-Python one: five times the time, on every build)."""
    manifest = {"version": MANIFEST_VERSION, **{k: v for k, v in manifest.items() if k != "version"}}
    lines = (
        f" {json.dumps(key, ensure_ascii=False)}: {json.dumps(value, sort_keys=True, ensure_ascii=False)}"
        for key, value in sorted(manifest.items())
    )
    write_atomic(path, ("{\n" + ",\n".join(lines) + "\n}\n").encode())


class DiskStore:
    """A writer's Store (writers/contract.py) in a folder: one file per key, written atomically, the
    least recently used removed beyond `keep` files or `max_bytes` in all (the newest always stays).
    The files are pickles a writer trusts, so the folder is to be trusted like the project's code (it
    is inside the chart cache, trusted the same way). durable=False skips the fsync: for entries whose
    reader checks them whole (a digest), so that a torn write costs a miss, never a byte."""

    def __init__(self, folder: Path, keep: int = 256, max_bytes: int | None = None, durable: bool = True):
        self.folder, self.keep, self.max_bytes, self.durable = folder, keep, max_bytes, durable

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.bin"

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # recently used: kept by the trim below
        except OSError:
            return None
        return data

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def put(self, key: str, data: bytes) -> None:
        try:
            if self.durable:
                write_atomic(self._path(key), data)
            else:
                write_fast(self._path(key), data)
            self._trim()
        except OSError:
            pass  # a full or read-only cache costs time next build, never this build

    def _trim(self) -> None:
        entries = [(p, p.stat()) for p in self.folder.glob("*.bin")]
        entries.sort(key=lambda e: e[1].st_mtime, reverse=True)
        total = 0
        for i, (path, stat) in enumerate(entries):
            total += stat.st_size
            over = self.max_bytes is not None and total > self.max_bytes
            if i >= self.keep or (i > 0 and over):
                path.unlink(missing_ok=True)


def write_fast(path: Path, data: bytes) -> None:
    """Write data next to path and move it into place when complete, without waiting for the disk
    (4 ms a file here): for a cache entry whose reader checks it whole, so that a write a crash tore
    costs a miss, never a byte."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
