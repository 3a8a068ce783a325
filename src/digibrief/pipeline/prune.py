"""Remove the chart copies and cache entries that no recorded build of an output folder still uses.

Each build records in OUT/.cache/manifest.json, per variant, its outputs, the cache keys of its
charts and the names of its chart copies in OUT/charts/. A variant whose outputs are all gone is
forgotten. Every chart copy and cache entry that no remaining variant names is removed, so a
removed country's charts leave OUT/charts/ and the cache stops growing. A per-country folder's
subfolders (OUT/<iso3>/) are read too, since they share OUT/.cache/charts. Removing an entry
never breaks a build: at worst the chart is drawn again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digibrief.pipeline.cache import read_manifest, write_manifest

CACHE_ENTRY = re.compile(r"^[0-9a-f]{64}\.(svg|png)$")
CHART_COPY = (".svg", ".png")


@dataclass
class Pruned:
    removed: list[Path] = field(default_factory=list)
    freed: int = 0  # bytes

    def add(self, path: Path) -> None:
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            return
        self.removed.append(path)
        self.freed += size


def live_builds(out: Path, builds: dict[str, Any]) -> dict[str, Any]:
    """The recorded variants with at least one of their outputs still in out."""
    return {k: b for k, b in builds.items() if any((out / name).is_file() for name in b.get("outputs", []))}


def _manifest_folders(out: Path) -> list[Path]:
    return [out, *sorted(p.parent.parent for p in out.glob("*/.cache/manifest.json"))]


def prune(out: Path, *, forget: bool = False) -> Pruned:
    """Remove what no live variant of out (or of its per-country folders) uses; forget rewrites the
    manifests without the dead variants. Nothing is removed where no manifest could be read."""
    done = Pruned()
    keys: set[str] = set()
    read_any = False
    for folder in _manifest_folders(out):
        path = folder / ".cache" / "manifest.json"
        manifest = read_manifest(path)
        if "builds" not in manifest:
            continue
        read_any = True
        builds = live_builds(folder, manifest["builds"])
        if forget and builds != manifest["builds"]:
            write_manifest(path, {**manifest, "builds": builds})
        files = {name for b in builds.values() for name in b.get("files", [])}
        keys |= {key for b in builds.values() for key in b.get("charts", [])}
        charts = folder / "charts"
        if charts.is_dir():
            for p in sorted(charts.iterdir()):
                if p.is_file() and p.suffix in CHART_COPY and p.name not in files:
                    done.add(p)
    if read_any:
        for folder in _manifest_folders(out):
            cache = folder / ".cache" / "charts"
            if cache.is_dir():
                for p in sorted(cache.iterdir()):
                    if CACHE_ENTRY.match(p.name) and p.name.split(".")[0] not in keys:
                        done.add(p)
    for folder in (out, out / "charts", out / ".cache", out / ".cache" / "charts"):
        if folder.is_dir():  # staged files a killed build left behind
            for p in folder.glob(".*.tmp"):
                done.add(p)
    return done


def clean(out: Path) -> Pruned:
    """`digibrief clean`: forget variants whose outputs are gone, then prune, holding the build lock."""
    from digibrief.errors import UsageError, write_failure
    from digibrief.pipeline.lock import build_lock

    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; name the output folder a build wrote into")
    if not out.is_dir():
        raise UsageError(f"--out {out}: no such folder; nothing to clean")
    with build_lock(out):
        try:
            return prune(out, forget=True)
        except OSError as exc:
            raise write_failure(
                exc, out, "the files before it were removed, the outputs are untouched"
            ) from exc
