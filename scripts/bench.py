#!/usr/bin/env python3
"""`make bench`: time and peak memory of digibrief's main paths, each the median of several runs.

Every measurement runs in a fresh process (as a user would run it); peak RSS comes from wait4().
Synthetic data sets of 4, 16 and 64 countries are generated from the shipped data into a temporary
folder (not committed). Results are printed as a table with each time as a ratio to the import floor.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def median_of(n: int, make_cmd, before=None) -> tuple[float, float]:
    times, peaks = [], []
    for i in range(n):
        if before:
            before(i)
        t, m = run(make_cmd())
        times.append(t)
        peaks.append(m)
    return statistics.median(times), max(peaks)


def build_cmd(data: Path, report: Path, out: Path, *extra: str) -> list[str]:
    return [
        PY,
        "-m",
        "digibrief",
        "build",
        "--data",
        str(data),
        "--report",
        str(report),
        "--out",
        str(out),
        "-q",
        *extra,
    ]


def country_codes():
    for a, b, c in itertools.product(string.ascii_uppercase, repeat=3):
        yield a + b + c


def synthetic(n: int, folder: Path) -> tuple[Path, Path]:
    """A data set of n focus countries cloned from the shipped four, values nudged so charts differ."""
    data, report = folder / f"data{n}", folder / f"report{n}"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "report", report)
    originals = sorted((ROOT / "data" / "countries").glob("*.yaml"))
    focus = [p for p in originals if "role: focus" in p.read_text(encoding="utf-8")]
    for p in (data / "countries").glob("*.yaml"):
        if p.name in {f.name for f in focus}:
            p.unlink()
    risks = (ROOT / "data" / "risks.yaml").read_text(encoding="utf-8")
    block = re.search(r"(?ms)^  KAZ:\n(.*?)(?=^  [A-Z]{3}:|\Z)", risks)
    assert block
    codes = [c for c in country_codes() if c not in {"KAZ", "UZB", "KGZ", "TJK", "TKM"}][:n]
    rows = []
    for i, code in enumerate(codes):
        text = focus[i % len(focus)].read_text(encoding="utf-8")
        src_id = re.search(r"^id: ([A-Z]{3})", text, re.M).group(1)  # type: ignore[union-attr]
        text = re.sub(r"^id: [A-Z]{3}", f"id: {code}", text, count=1, flags=re.M)
        text = re.sub(r"^name: .*", f"name: Country {code}", text, count=1, flags=re.M)
        text = re.sub(
            r"(value: )(\d+\.\d+)",
            lambda m, i=i: (
                f"{m.group(1)}{float(m.group(2)) * (0.97 + 0.0005 * i):.4f}"
                if float(m.group(2)) < 90
                else m.group(0)
            ),
            text,
        )
        (data / "countries" / f"{code.lower()}.yaml").write_text(text, encoding="utf-8")
        rows.append(f"  {code}:\n" + block.group(1))
        del src_id
    risks = re.sub(r"(?ms)^  (KAZ|UZB|KGZ|TJK):\n.*?(?=^  [A-Z]{3}:|\Z)", "", risks)
    risks = risks.rstrip("\n") + "\n" + "".join(rows)
    (data / "risks.yaml").write_text(risks, encoding="utf-8")
    rep = (report / "report.yaml").read_text(encoding="utf-8")
    rep = re.sub(r"^countries: \[.*\]", "countries: [" + ", ".join(codes) + "]", rep, count=1, flags=re.M)
    rep = re.sub(r"(?ms)^country_charts:.*?(?=^methodology:)", "country_charts: {}\n\n", rep)
    (report / "report.yaml").write_text(rep, encoding="utf-8")
    return data, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per fast measurement (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs per cold build (default 3)")
    args = parser.parse_args()
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="digibrief-bench-") as tmp:
        tmpdir = Path(tmp)
        run([PY, "-m", "digibrief", "check"])  # warm the OS file cache and matplotlib's font cache
        rows.append(
            (
                "import floor",
                *median_of(
                    args.runs, lambda: [PY, "-c", "import matplotlib.pyplot, reportlab.platypus, pptx"]
                ),
            )
        )
        data, report = ROOT / "data", ROOT / "report"
        counter = itertools.count()

        def fresh_out() -> Path:
            return tmpdir / f"out{next(counter)}"

        outs: list[Path] = []
        rows.append(
            (
                "cold build (shipped)",
                *median_of(
                    args.cold_runs,
                    lambda: build_cmd(data, report, outs[-1]),
                    before=lambda i: outs.append(fresh_out()),
                ),
            )
        )
        warm = outs[-1]
        rows.append(("no-op rebuild", *median_of(args.runs, lambda: build_cmd(data, report, warm))))

        edit_data = tmpdir / "edit-data"
        shutil.copytree(data, edit_data)
        edit_out = tmpdir / "edit-out"
        run(build_cmd(edit_data, report, edit_out))
        kgz = edit_data / "countries" / "kgz.yaml"
        original = kgz.read_text(encoding="utf-8")

        def edit(i: int) -> None:
            kgz.write_text(
                original.replace("2022: {value: 79.7703", f"2022: {{value: {79.7 + 0.01 * (i + 1):.2f}"),
                encoding="utf-8",
            )

        rows.append(
            (
                "rebuild after 1 edit",
                *median_of(args.cold_runs, lambda: build_cmd(edit_data, report, edit_out), before=edit),
            )
        )
        for n in (4, 16, 64):
            sdata, sreport = synthetic(n, tmpdir)
            souts: list[Path] = []
            rows.append(
                (
                    f"cold build, {n} countries",
                    *median_of(
                        args.cold_runs if n < 64 else max(1, args.cold_runs - 1),
                        lambda sd=sdata, sr=sreport, so=souts: build_cmd(sd, sr, so[-1]),
                        before=lambda i, so=souts: so.append(fresh_out()),
                    ),
                )
            )
    floor = rows[0][1]
    print(
        f"digibrief benchmark — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.machine()}"
    )
    print(f"{'measurement':<28}{'median s':>10}{'× floor':>9}{'peak RSS MB':>13}")
    for name, t, mem in rows:
        print(f"{name:<28}{t:>10.2f}{t / floor:>9.2f}{mem:>13.0f}")
    by = {name: t for name, t, _ in rows}
    print()
    print(
        "goals: cold ≤ 2× floor: {:.2f}×; no-op ≤ 0.25 s: {:.2f} s; edit ≤ 0.6× cold: {:.2f}×; "
        "64 ≤ 10× 4-country: {:.2f}×; peak RSS ≤ 400 MB: {:.0f} MB".format(
            by["cold build (shipped)"] / floor,
            by["no-op rebuild"],
            by["rebuild after 1 edit"] / by["cold build (shipped)"],
            by["cold build, 64 countries"] / by["cold build, 4 countries"],
            max(m for *_, m in rows),
        )
    )


if __name__ == "__main__":
    main()
