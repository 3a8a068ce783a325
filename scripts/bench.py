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
import queue
import re
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
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
    """A data set of n focus countries: the shipped four and n - 4 clones of them (new codes and names,
    values nudged so that charts differ). The shipped countries stay, since the report's prose refers
    to them by code."""
    data, report = folder / f"data{n}", folder / f"report{n}"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "report", report)
    originals = sorted((ROOT / "data" / "countries").glob("*.yaml"))
    focus = [p for p in originals if "role: focus" in p.read_text(encoding="utf-8")]
    shipped = [re.search(r"^id: ([A-Z]{3})", p.read_text(encoding="utf-8"), re.M).group(1) for p in focus]  # type: ignore[union-attr]
    risks = (ROOT / "data" / "risks.yaml").read_text(encoding="utf-8")
    codes = [c for c in country_codes() if c not in {"KAZ", "UZB", "KGZ", "TJK", "TKM"}][
        : max(0, n - len(focus))
    ]
    rows = []
    for i, code in enumerate(codes):
        text = focus[i % len(focus)].read_text(encoding="utf-8")
        src_id = re.search(r"^id: ([A-Z]{3})", text, re.M).group(1)  # type: ignore[union-attr]
        text = re.sub(r"^id: [A-Z]{3}", f"id: {code}", text, count=1, flags=re.M)
        text = re.sub(r"^name: .*", f"name: Country {code}", text, count=1, flags=re.M)
        text = text.replace("{" + src_id + " ", "{" + code + " ")  # its own data references read itself
        text = re.sub(
            r"(population: \{value: )(\d+)", lambda m, i=i: f"{m.group(1)}{int(m.group(2)) + i + 1}", text
        )
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
        block = re.search(rf"(?ms)^  {src_id}:\n(.*?)(?=^  [A-Z]{{3}}:|\Z)", risks)
        assert block
        rows.append(f"  {code}:\n" + block.group(1).replace("{" + src_id + " ", "{" + code + " "))
    risks = risks.rstrip("\n") + "\n" + "".join(rows)
    (data / "risks.yaml").write_text(risks, encoding="utf-8")
    rep = (report / "report.yaml").read_text(encoding="utf-8")
    rep = re.sub(
        r"^countries: \[.*\]", "countries: [" + ", ".join([*shipped, *codes]) + "]", rep, count=1, flags=re.M
    )
    (report / "report.yaml").write_text(rep, encoding="utf-8")
    return data, report


GOALS = (
    # (row, goal text, test on the measured values)
    ("cold build / import floor", "≤ 2.5×", lambda v: v <= 2.5),
    ("one-value edit rebuild / cold build", "≤ 0.35×", lambda v: v <= 0.35),
    ("watch: save → brief and deck rewritten / cold build", "≤ 0.15×", lambda v: v <= 0.15),
    ("no-op rebuild", "≤ 0.15 s, no heavy import", lambda v: v <= 0.15),
    ("64 countries / 4 countries, cold", "≤ 8×", lambda v: v <= 8),
    ("peak RSS, 64 countries", "≤ 250 MB", lambda v: v <= 250),
    ("--per-country for 64 countries / one 64-country build", "≤ 3×", lambda v: v <= 3),
)
HEAVY = ("matplotlib", "reportlab", "pptx", "pydantic", "svglib", "PIL")


def heavy_imports(cmd: list[str]) -> list[str]:
    """The heavy libraries a command imports (python -X importtime)."""
    done = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], cwd=ROOT, capture_output=True, text=True)
    names = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    return sorted(n for n in names if n in HEAVY)


def watch_times(data: Path, report: Path, out: Path, edits: int) -> tuple[list[float], list[float]]:
    """Seconds from a saved edit to the brief and the deck both replaced on disk (a new file in each
    place: outputs are moved into place whole), and to the watch saying every output was, in a warm
    process."""
    proc = subprocess.Popen(
        [PY, "-m", "digibrief", "watch", "--data", str(data), "--report", str(report), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    kgz = data / "countries" / "kgz.yaml"
    original = kgz.read_text(encoding="utf-8")

    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or ()], daemon=True)
    reader.start()  # select() on the pipe would miss lines already read into the text buffer

    def wait_for(prefix: str, limit: float = 180.0) -> str:
        deadline = time.monotonic() + limit
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                break
            if line.startswith(prefix):
                return line
        proc.kill()
        raise SystemExit(f"watch: no line starting {prefix!r} within {limit:.0f} s")

    first: list[float] = []
    times: list[float] = []
    outputs = (out / "brief.pdf", out / "deck.pptx")
    try:
        wait_for("watching")
        for i in range(edits):
            time.sleep(0.5)  # let the watcher settle between saves
            files = [os.stat(p).st_ino for p in outputs]
            started = time.perf_counter()
            kgz.write_text(
                original.replace("2022: {value: 79.7703", f"2022: {{value: {79.5 + 0.01 * (i + 1):.2f}"),
                encoding="utf-8",
            )
            while any(os.stat(p).st_ino == ino for p, ino in zip(outputs, files, strict=True)):
                if time.perf_counter() - started > 180:
                    raise SystemExit("watch: the brief and the deck were not rewritten within 180 s")
                time.sleep(0.001)
            first.append(time.perf_counter() - started)
            wait_for("built in")
            times.append(time.perf_counter() - started)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        kgz.write_text(original, encoding="utf-8")
    return first, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per fast measurement (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="runs per cold build (default 3)")
    parser.add_argument("--write-readme", action="store_true", help="replace the README's performance table")
    parser.add_argument(
        "--edit-loop",
        action="store_true",
        help="only the rows of the edit loop (import floor, cold build, no-op, one edit, watch), not the "
        "synthetic data sets: a few minutes instead of ten",
    )
    args = parser.parse_args()
    if args.edit_loop and args.write_readme:
        parser.error("--write-readme needs every row: run without --edit-loop")
    rows: dict[str, tuple[float, float]] = {}
    heavy: list[str] = []
    with tempfile.TemporaryDirectory(prefix="digibrief-bench-") as tmp:
        tmpdir = Path(tmp)
        run([PY, "-m", "digibrief", "check"])  # warm the OS file cache and matplotlib's font cache
        floor_cmd = [PY, "-c", "import matplotlib.pyplot, reportlab.platypus, pptx"]
        rows["import floor"] = median_of(args.runs, lambda: floor_cmd)
        data, report = ROOT / "data", ROOT / "report"
        counter = itertools.count()

        def fresh_out() -> Path:
            return tmpdir / f"out{next(counter)}"

        outs: list[Path] = []
        rows["cold build (shipped)"] = median_of(
            args.cold_runs,
            lambda: build_cmd(data, report, outs[-1]),
            before=lambda i: outs.append(fresh_out()),
        )
        warm = outs[-1]
        rows["no-op rebuild"] = median_of(args.runs, lambda: build_cmd(data, report, warm))
        heavy = heavy_imports(build_cmd(data, report, warm))

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

        rows["rebuild after 1 edit"] = median_of(
            args.cold_runs, lambda: build_cmd(edit_data, report, edit_out), before=edit
        )
        kgz.write_text(original, encoding="utf-8")
        first, watched = watch_times(edit_data, report, tmpdir / "watch-out", args.runs)
        rows["watch: save → brief and deck rewritten"] = (statistics.median(first), 0.0)
        rows["watch: save → every output rewritten"] = (statistics.median(watched), 0.0)

        for n in () if args.edit_loop else (4, 16, 64):
            sdata, sreport = synthetic(n, tmpdir)
            souts: list[Path] = []
            rows[f"cold build, {n} countries"] = median_of(
                args.cold_runs if n < 64 else max(1, args.cold_runs - 1),
                lambda sd=sdata, sr=sreport, so=souts: build_cmd(sd, sr, so[-1]),
                before=lambda i, so=souts: so.append(fresh_out()),
            )
            if (
                n == 64
                and "--per-country"
                in subprocess.run(
                    [PY, "-m", "digibrief", "build", "--help"], cwd=ROOT, capture_output=True, text=True
                ).stdout
            ):
                pouts: list[Path] = []
                rows["--per-country, 64 countries"] = median_of(
                    1,
                    lambda sd=sdata, sr=sreport, po=pouts: build_cmd(sd, sr, po[-1], "--per-country"),
                    before=lambda i, po=pouts: po.append(fresh_out()),
                )
    report_text = render(rows, heavy)
    print(report_text)
    if args.write_readme:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        block = f"<!-- bench:start -->\n{report_text}\n<!-- bench:end -->"
        if "<!-- bench:start -->" not in text:
            raise SystemExit("README.md has no <!-- bench:start --> ... <!-- bench:end --> block")
        text = re.sub(r"(?s)<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text)
        readme.write_text(text, encoding="utf-8")
        print("README.md performance table updated")


def machine() -> str:
    """The processor's name (Linux), else the platform's word for it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def render(rows: dict[str, tuple[float, float]], heavy: list[str]) -> str:
    """Markdown: the measurements, then every goal with its measured figure, met or not."""
    floor = rows["import floor"][0]
    lines = [
        f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}: {machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.machine()}; medians of several runs, each in a "
        "fresh process (the watch row: one warm process).",
        "",
        "| measurement | median | × import floor | peak RSS |",
        "|---|---:|---:|---:|",
    ]
    for name, (t, mem) in rows.items():
        lines.append(f"| {name} | {t:.2f} s | {t / floor:.2f} | {f'{mem:.0f} MB' if mem else '–'} |")
    cold = rows["cold build (shipped)"][0]
    measured = {
        "cold build / import floor": (cold / floor, f"{cold / floor:.2f}×"),
        "one-value edit rebuild / cold build": (
            rows["rebuild after 1 edit"][0] / cold,
            f"{rows['rebuild after 1 edit'][0] / cold:.2f}×",
        ),
        "watch: save → brief and deck rewritten / cold build": (
            rows["watch: save → brief and deck rewritten"][0] / cold,
            f"{rows['watch: save → brief and deck rewritten'][0] / cold:.2f}×",
        ),
        "no-op rebuild": (
            rows["no-op rebuild"][0] if not heavy else float("inf"),
            f"{rows['no-op rebuild'][0]:.2f} s"
            + (f", imports {', '.join(heavy)}" if heavy else ", no heavy import"),
        ),
    }
    if "cold build, 64 countries" in rows:
        many, few = rows["cold build, 64 countries"], rows["cold build, 4 countries"]
        measured["64 countries / 4 countries, cold"] = (many[0] / few[0], f"{many[0] / few[0]:.2f}×")
        measured["peak RSS, 64 countries"] = (many[1], f"{many[1]:.0f} MB")
    if "--per-country, 64 countries" in rows:
        ratio = rows["--per-country, 64 countries"][0] / rows["cold build, 64 countries"][0]
        measured["--per-country for 64 countries / one 64-country build"] = (ratio, f"{ratio:.2f}×")
    lines += ["", "| goal | target | measured | status |", "|---|---|---:|---|"]
    for name, target, ok in GOALS:
        if name not in measured:
            lines.append(f"| {name} | {target} | – | not measured |")
            continue
        value, shown = measured[name]
        lines.append(f"| {name} | {target} | {shown} | {'met' if ok(value) else '**not met**'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
