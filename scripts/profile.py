#!/usr/bin/env python3
"""`make profile`: where the time of a cold build and of a watch edit goes, as markdown for the README.

Two views of each. The steps: the wall time of each pipeline step as `build -v` (and watch) reports
it, with the workers on. The libraries: CPU time by the library that spent it, from cProfile over the
same work done in one process (DIGIBRIEF_WORKERS=1), so that every chart and both writers are in one
profile. Imports are counted where they happen (the library imported), and C functions under the
library whose Python code called them.
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
EDIT = ("2022: {value: 79.7703", "2022: {value: 79.8103")
OVERLAP = "sum (not the wall time: the deck renders beside the charts and the brief, and in a warm watch the brief beside its charts)"
STEP = re.compile(r"^  (\S.*?)\s{2,}(\d+\.\d+) s")

WARM_EDIT = """
import cProfile, sys
from pathlib import Path
from digibrief.pipeline.build import BuildOptions, build, keep_warm
data, out, kgz, old, new, prof = sys.argv[1:7]
opts = BuildOptions(data=Path(data), out=Path(out))
keep_warm()
build(opts)  # the watch's first build: imports, fonts, parsed charts, word widths now in memory
path = Path(kgz)
path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
cProfile.run("build(opts)", prof)
"""


def library(filename: str) -> str:
    """The library a profiled function belongs to."""
    if "site-packages/" in filename:
        name = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        return {"_rl_accel.py": "reportlab", "PIL": "Pillow", "pptx": "python-pptx"}.get(
            name, name.split(".")[0]
        )
    if "/digibrief/" in filename:
        parts = filename.split("/digibrief/", 1)[1].split("/")
        return "digibrief." + parts[0].removesuffix(".py") if len(parts) > 1 else "digibrief"
    if filename.startswith("<frozen importlib") or filename == "~":
        return "Python (imports, builtins)"
    return "Python standard library"


def by_library(profile: Path) -> list[tuple[str, float]]:
    """CPU seconds by library: each function's own time, C functions counted with their caller."""
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    total: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, callers) in stats.items():
        if filename == "~" and callers:  # a C function: charge it to whoever called it, by share
            spent = sum(c[2] for c in callers.values()) or 1.0
            for (cfile, _, _), c in callers.items():
                total[library(cfile)] += tottime * c[2] / spent
        else:
            total[library(filename)] += tottime
    return sorted(total.items(), key=lambda kv: -kv[1])


def steps(output: str) -> list[tuple[str, float]]:
    return [(m.group(1), float(m.group(2))) for line in output.splitlines() if (m := STEP.match(line))]


def table(
    title: str, rows: list[tuple[str, float]], unit: str, top: int = 12, total_label: str = "total"
) -> str:
    total = sum(v for _, v in rows)
    out = [f"| {title} | {unit} | share |", "|---|---:|---:|"]
    shown = rows[:top]
    out += [f"| {name} | {v:.2f} | {v / total:.0%} |" for name, v in shown]
    if len(rows) > top:
        rest = sum(v for _, v in rows[top:])
        out.append(f"| everything else | {rest:.2f} | {rest / total:.0%} |")
    out.append(f"| **{total_label}** | **{total:.2f}** | |")
    return "\n".join(out)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    env = {**os.environ}
    with tempfile.TemporaryDirectory(prefix="digibrief-profile-") as tmp:
        t = Path(tmp)
        build = [PY, "-m", "digibrief", "build", "--out"]
        cold = subprocess.run(
            [*build, str(t / "cold"), "-v"], cwd=ROOT, capture_output=True, text=True, env=env
        )
        started = time.perf_counter()
        serial = {**env, "DIGIBRIEF_WORKERS": "1"}
        subprocess.run(
            [
                PY,
                "-m",
                "cProfile",
                "-o",
                str(t / "cold.prof"),
                "-m",
                "digibrief",
                "build",
                "--out",
                str(t / "c1"),
            ],
            cwd=ROOT,
            env=serial,
            check=True,
            capture_output=True,
        )
        serial_wall = time.perf_counter() - started
        data = t / "data"
        shutil.copytree(ROOT / "data", data)
        kgz = data / "countries" / "kgz.yaml"
        subprocess.run(
            [PY, "-c", WARM_EDIT, str(data), str(t / "w"), str(kgz), *EDIT, str(t / "edit.prof")],
            cwd=ROOT,
            env=serial,
            check=True,
            capture_output=True,
        )
        kgz.write_text(kgz.read_text(encoding="utf-8").replace(EDIT[1], EDIT[0]), encoding="utf-8")
        watch = subprocess.Popen(
            [PY, "-m", "digibrief", "watch", "--data", str(data), "--out", str(t / "watch")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        assert watch.stdout is not None
        lines: list[str] = []
        watching = False
        for line in watch.stdout:
            if line.startswith("watching"):  # the first build is done: now save an edit
                watching = True
                time.sleep(0.5)
                kgz.write_text(kgz.read_text(encoding="utf-8").replace(*EDIT), encoding="utf-8")
                continue
            if watching:
                lines.append(line)
                if line.startswith("built in"):
                    break
        watch.terminate()
        watch.wait(timeout=30)
        print("Cold build of the shipped brief, deck and data pack (`build -v`, workers on):\n")
        print(table("step (wall)", steps(cold.stdout + cold.stderr), "s", total_label=OVERLAP))
        print(f"\nThe same build in one process under cProfile ({serial_wall:.1f} s with the profiler):\n")
        print(table("library (CPU)", by_library(t / "cold.prof"), "s"))
        print("\nA watch edit (one value in kgz.yaml; the watch's own step lines, workers on):\n")
        print(table("step (wall)", steps("".join(lines)), "s", total_label=OVERLAP))
        print("\nThe same edit rebuilt in a warm process, in one process under cProfile:\n")
        print(table("library (CPU)", by_library(t / "edit.prof"), "s"))


if __name__ == "__main__":
    main()
