"""A rebuild through every incremental path (the chart cache, the brief's layout hint and parsed charts,
the deck's slide cache, a warm process as `watch` keeps it) writes the bytes of a full build in a fresh
folder: after a value, a sentence and a chart headline are edited with a country added, and after that
country is removed again."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digibrief.pipeline.build import BuildOptions, build
from digibrief.pipeline.pool import WORKERS_ENV, keep_workers, release_workers
from tests.conftest import replace_in

# a warm process's kept workers, as a watch has them
pytestmark = pytest.mark.usefixtures("workers_as_shipped")

OUTPUTS = ("brief.pdf", "deck.pptx", "brief-data.xlsx", "brief.html")


def _add_country(data: Path, report: Path, code: str, like: str) -> None:
    """A focus country cloned from another (its own code, name, data references and values)."""
    text = (data / "countries" / f"{like.lower()}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^id: [A-Z]{3}", f"id: {code}", text, count=1, flags=re.M)
    text = re.sub(r"^name: .*", f"name: Country {code}", text, count=1, flags=re.M)
    text = re.sub(r"(population: \{value: )(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", text)
    text = re.sub(r"(value: )(\d+\.\d+)", lambda m: f"{m.group(1)}{float(m.group(2)) * 0.97:.4f}", text)
    (data / "countries" / f"{code.lower()}.yaml").write_text(
        text.replace("{" + like + " ", "{" + code + " "), encoding="utf-8"
    )
    risks = (data / "risks.yaml").read_text(encoding="utf-8")
    block = re.search(rf"(?ms)^  {like}:\n(.*?)(?=^  [A-Z]{{3}}:|\Z)", risks)
    assert block
    rows = f"  {code}:\n" + block.group(1).replace("{" + like + " ", "{" + code + " ")
    (data / "risks.yaml").write_text(risks.rstrip("\n") + "\n" + rows, encoding="utf-8")
    replace_in(
        report / "report.yaml", "countries: [KAZ, UZB, KGZ, TJK]", f"countries: [KAZ, UZB, KGZ, TJK, {code}]"
    )


def _rebuilt(opts: BuildOptions) -> dict[str, bytes]:
    """Build opts incrementally, in this process kept warm as a watch keeps it (the brief's charts parsed
    where they are drawn, the deck's word widths kept from the last build, the workers kept from build
    to build: see the test). Every output is rendered: the outputs a build keeps whole by their key
    (test_kept_outputs.py) are removed from its cache."""
    from digibrief.pipeline import build as pipeline

    for kept in opts.chart_cache.glob("writers/*/outputs"):
        shutil.rmtree(kept)
    pipeline.keep_warm()
    try:
        build(opts)
    finally:
        pipeline._WARM.clear()  # the other tests build as one-shot processes do
    return {name: (opts.out / name).read_bytes() for name in OUTPUTS}


def _full(opts: BuildOptions, folder: Path) -> dict[str, bytes]:
    """The same input built whole into a fresh folder, on the session's charts but with none of the
    writers' stores (parsed charts, slides), which live in the chart cache; in this process alone
    (test_cold_builds.py compares one worker with two)."""
    cache = folder / ".cache" / "charts"
    shutil.copytree(opts.chart_cache, cache, ignore=shutil.ignore_patterns("writers"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv(WORKERS_ENV, "1")
        build(dataclasses.replace(opts, out=folder, cache=cache))
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def _differ(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return [name for name in OUTPUTS if a[name] != b[name]]


@pytest.fixture
def kept_workers() -> Iterator[None]:
    """One pool of workers for every incremental build, as a watch keeps it (pipeline/watch.py)."""
    keep_workers()
    try:
        yield
    finally:
        release_workers()


def test_every_incremental_path_writes_the_bytes_of_a_full_build(
    shipped_copy: Any, tmp_path: Path, kept_workers: None
):
    own = tmp_path / "cache"  # the session's, whose kept outputs _rebuilt removes: a copy of it
    shutil.copytree(shipped_copy.cache, own, ignore=shutil.ignore_patterns("outputs"))
    shipped_copy = dataclasses.replace(shipped_copy, cache=own)
    data, report = shipped_copy.data, shipped_copy.report
    assert any((shipped_copy.chart_cache / "writers" / "deck").glob("*.bin")), "no slides were kept"
    replace_in(data / "countries" / "kgz.yaml", "2022: {value: 79.7703", "2022: {value: 79.91")
    replace_in(report / "report.yaml", "Progress is uneven.", "Progress remains uneven.")
    replace_in(report / "report.yaml", "Turkmenistan lowest", "Turkmenistan the lowest")
    edited = _full(shipped_copy, tmp_path / "edited")
    assert _differ(_rebuilt(shipped_copy), edited) == []
    risks = (data / "risks.yaml").read_text(encoding="utf-8")
    _add_country(data, report, "AAB", "KGZ")
    assert _differ(_rebuilt(shipped_copy), _full(shipped_copy, tmp_path / "added")) == []
    replace_in(report / "report.yaml", ", AAB]", "]")
    (data / "countries" / "aab.yaml").unlink()
    (data / "risks.yaml").write_text(risks, encoding="utf-8")
    assert _differ(_rebuilt(shipped_copy), edited) == []
