#!/usr/bin/env python3
"""CPU of rendering the shipped deck in-process: cold (as a new process renders it, the writer's memos
forgotten, no store) and warm (a store filled by a render of the shipped deck, then the deck with its
first chart's headline changed rendered from it, as a watch does after an edit).

First it builds the shipped project (default and picture deck) into a temporary folder and records what
each deck render was given; then it renders them again here, many times, prints the CPU per render
(`time.process_time()`, import excluded) and checks that each cold deck comes out byte for byte as the
build wrote it.

    .venv/bin/python scripts/deck_cpu.py            # record, then time (5 rounds)
    .venv/bin/python scripts/deck_cpu.py --rounds 9
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

VARIANTS = {"default": [], "picture": ["--deck-charts", "picture"]}


def record(out: Path) -> None:
    """Build each variant in this process and pickle each deck render's arguments with its bytes."""
    os.environ["DIGIBRIEF_WORKERS"] = "1"
    from digibrief.cli import main
    from digibrief.writers.pptx import deck

    given: list[tuple[str, tuple[Any, ...], bytes]] = []
    render = deck.render
    name = ""

    def recording(doc: Any, images: Any, theme: Any, options: Any, store: Any = None) -> Any:
        done = render(doc, images, theme, options, store)
        given.append((name, (doc, dict(images), theme, options), done.data))
        return done

    deck.render = recording  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in VARIANTS.items():
            argv = ["build", "-q", "--only", "deck", "--out", f"{tmp}/{name}", "--cache", f"{tmp}/c-{name}"]
            if main([*argv, *extra]):
                raise SystemExit(f"the {name} build failed")
    out.write_bytes(pickle.dumps(given))


class Store:
    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.kept.get(key)

    def has(self, key: str) -> bool:
        return key in self.kept

    def put(self, key: str, data: bytes) -> None:
        self.kept[key] = data


def edited(doc: Any) -> Any:
    """doc with its first chart's headline changed (what a watch renders after an edit)."""
    from digibrief.document.types import Figure, Run

    first = doc.figures()[0].chart.id

    def block(b: Any) -> Any:
        if isinstance(b, Figure) and b.chart.id == first:
            return dataclasses.replace(b, headline=(Run("Kazakhstan led every survey"),))
        return b

    sections = tuple(dataclasses.replace(s, blocks=tuple(block(b) for b in s.blocks)) for s in doc.sections)
    return dataclasses.replace(doc, sections=sections)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--recorded", type=Path, help="a file record() wrote (made in a temp folder if absent)")
    args = ap.parse_args()
    recorded = args.recorded or Path(tempfile.gettempdir()) / "deck_cpu.pickle"
    if not recorded.exists():
        record(recorded)
    given = pickle.loads(recorded.read_bytes())
    from digibrief.writers.pptx import deck

    cold: dict[str, list[float]] = {n: [] for n, *_ in given}
    warm: list[float] = []
    for _ in range(args.rounds):
        for name, (doc, images, theme, options), data in given:
            deck.forget()
            t = time.process_time()
            out = deck.render(doc, images, theme, options).data
            cold[name].append(time.process_time() - t)
            if out != data:
                raise SystemExit(f"the {name} deck differs from the build's")
        doc, images, theme, options = given[0][1]
        deck.forget()
        store = Store()
        deck.render(doc, images, theme, options, store)
        change = edited(doc)
        t = time.process_time()
        deck.render(change, images, theme, options, store)
        warm.append(time.process_time() - t)
    for name, ts in cold.items():
        print(
            f"cold {name:8s} min {min(ts) * 1000:7.1f} ms  median {sorted(ts)[len(ts) // 2] * 1000:7.1f} ms"
        )
    print(
        f"warm edit     min {min(warm) * 1000:7.1f} ms  median {sorted(warm)[len(warm) // 2] * 1000:7.1f} ms"
    )


if __name__ == "__main__":
    main()
