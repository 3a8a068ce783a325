#!/usr/bin/env python3
"""CPU of drawing every shipped chart, cold: what the four reference builds draw, each once, in a fresh
process.

First it builds the default, picture-deck, Letter and Kazakhstan variants into a temporary folder (one
worker, an empty chart cache) and records each chart the builds draw with its bytes; then, in a fresh
process, it draws them all again, prints the CPU (import included, as a cold build pays it) and checks
that every image comes out byte for byte as the builds drew it.

    .venv/bin/python scripts/chart_cpu.py            # record, then time
    .venv/bin/python scripts/chart_cpu.py --by-kind  # with the CPU of each kind and format
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VARIANTS = {
    "default": [],
    "picture": ["--deck-charts", "picture"],
    "letter": ["--paper", "letter", "--only", "pdf"],
    "kaz": ["--countries", "KAZ"],
}


def record(out: Path) -> None:
    """Build every variant in this process and pickle each distinct chart drawn, with its bytes."""
    os.environ["DIGIBRIEF_WORKERS"] = "1"
    from digibrief import charts
    from digibrief.cli import main

    drawn: dict[bytes, tuple[tuple[Any, ...], bytes]] = {}
    render = charts.render

    def recording(*args: Any) -> bytes:
        data = render(*args)
        drawn.setdefault(pickle.dumps(args), (args, data))
        return data

    charts.render = recording  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in VARIANTS.items():
            if main(["build", "-q", "--out", f"{tmp}/{name}", "--cache", f"{tmp}/cache-{name}", *extra]):
                raise SystemExit(f"the {name} build failed")
    out.write_bytes(pickle.dumps(list(drawn.values())))


def draw(recorded: Path, by_kind: bool) -> None:
    """Draw every recorded chart here (a fresh process); print the CPU and any image that differs."""
    started = time.process_time()
    from digibrief import charts

    cpu: dict[tuple[str, str], float] = {}
    differ = 0
    entries = pickle.loads(recorded.read_bytes())
    for args, data in entries:
        before = time.process_time()
        again = charts.render(*args)
        key = (args[0].kind, args[3])
        cpu[key] = cpu.get(key, 0.0) + time.process_time() - before
        if again != data:
            differ += 1
            print(f"differs: {args[0].id} {args[2].name} {args[3]}", file=sys.stderr)
    if by_kind:
        for (kind, fmt), seconds in sorted(cpu.items(), key=lambda kv: -kv[1]):
            print(f"  {kind:<15} {fmt}  {seconds:5.2f} s")
    total = time.process_time() - started
    print(f"{len(entries)} charts drawn cold in {total:.2f} s of CPU; {differ} differ from the builds'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--by-kind", action="store_true", help="the CPU of each kind and format")
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--draw", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.record:
        record(args.record)
    elif args.draw:
        draw(args.draw, args.by_kind)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            recorded = Path(tmp) / "charts.pickle"
            here = [sys.executable, __file__]
            subprocess.run([*here, "--record", str(recorded)], check=True)
            subprocess.run(
                [*here, "--draw", str(recorded), *(["--by-kind"] if args.by_kind else [])], check=True
            )


if __name__ == "__main__":
    main()
