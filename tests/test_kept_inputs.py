"""A warm process (watch) keeps each input file's parse, validation and map by the digest of its bytes
(project/kept.py): a rebuild after a save parses only the file it changed, sees a change that keeps the
file's size and time, loads the project a fresh process loads, and still locates an invalid edit."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from typing import Any

import pytest

from digibrief.errors import InputError
from digibrief.pipeline import build as pipeline
from digibrief.pipeline.build import BuildOptions
from digibrief.project import kept, load, yamlsource
from digibrief.project.load import display_path
from tests.conftest import replace_in

VALUE = "2022: {value: 79.7703"


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    pipeline.forget_process_state()
    yield
    pipeline.forget_process_state()


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed from now on, one entry per parse."""
    parse = yamlsource.parse
    calls: list[str] = []

    def counted(raw: bytes, name: str, *rest: Any) -> Any:
        calls.append(name)
        return parse(raw, name, *rest)

    monkeypatch.setattr(yamlsource, "parse", counted)
    return calls


def _validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files validated from now on, one entry per validation."""
    validated = load._validated
    calls: list[str] = []

    def counted(file: Any, value: Any, model: Any) -> Any:
        calls.append(file.name)
        return validated(file, value, model)

    monkeypatch.setattr(load, "_validated", counted)
    return calls


def _kgz_2022(project: Any) -> float:
    return project.countries["KGZ"].indicators["internet_users"][2022].value


def test_a_warm_rebuild_after_a_save_parses_and_validates_only_the_saved_file(project_copy, monkeypatch):
    data, report = project_copy / "data", project_copy / "report"
    opts = BuildOptions(data=data, report=report, out=project_copy / "output", only="data")
    pipeline.keep_warm()
    pipeline.build(opts)  # the watch's first build: every file parsed once
    kgz = data / "countries" / "kgz.yaml"
    replace_in(kgz, VALUE, "2022: {value: 79.91")
    parses, validations = _parses(monkeypatch), _validations(monkeypatch)
    result = pipeline.build(opts)  # loads, composes, writes and reads the sentences for its summary
    assert parses == [display_path(kgz)]
    assert validations == [display_path(kgz)]
    assert result.changes == ["Kyrgyzstan: Internet users, 2022: 79.8% → 79.9%"]
    assert any("{KGZ internet_users 2022}" in r for r in result.rereads), result.rereads


def test_a_warm_load_gives_the_project_a_fresh_process_loads(project_copy):
    data, report = project_copy / "data", project_copy / "report"
    kept.keep()
    load.load(data, report)
    replace_in(data / "countries" / "kgz.yaml", VALUE, "2022: {value: 79.91")
    replace_in(report / "report.yaml", "Progress is uneven.", "Progress remains uneven. [Placeholder: why]")
    warm = load.load(data, report)
    kept.forget()
    cold = load.load(data, report)
    assert warm == cold
    assert _kgz_2022(warm) == 79.91
    assert any("placeholder still to replace" in str(w) for w in warm.warnings)


def test_a_save_that_keeps_the_size_and_time_of_the_file_is_still_read(project_copy, monkeypatch):
    data, report = project_copy / "data", project_copy / "report"
    kept.keep()
    kgz = data / "countries" / "kgz.yaml"
    before = kgz.stat()
    assert _kgz_2022(load.load(data, report)) == 79.7703
    replace_in(kgz, VALUE, "2022: {value: 79.7704")  # the same number of bytes
    os.utime(kgz, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = kgz.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    parses = _parses(monkeypatch)
    assert _kgz_2022(load.load(data, report)) == 79.7704
    assert parses == [display_path(kgz)]


def test_an_invalid_save_in_a_warm_process_is_located_every_time_until_it_is_fixed(project_copy):
    data, report = project_copy / "data", project_copy / "report"
    kept.keep()
    load.load(data, report)
    kgz = data / "countries" / "kgz.yaml"
    good = kgz.read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(good.splitlines(), 1) if VALUE in text)
    kgz.write_text(good.replace(VALUE, "2022: {value: eighty"), encoding="utf-8")
    with pytest.raises(InputError) as first:
        load.load(data, report)
    with pytest.raises(InputError) as again:  # its problems now come from what was kept
        load.load(data, report)
    assert [str(p) for p in again.value.problems] == [str(p) for p in first.value.problems]
    shown = [str(p) for p in first.value.problems]
    assert any(
        p.startswith(f"{display_path(kgz)}:{line}:") and "expected a number, got 'eighty'" in p for p in shown
    ), shown
    kgz.write_text(good, encoding="utf-8")
    assert _kgz_2022(load.load(data, report)) == 79.7703


def test_a_one_shot_process_keeps_nothing(project_copy, monkeypatch):
    data, report = project_copy / "data", project_copy / "report"
    load.load(data, report)
    parses = _parses(monkeypatch)
    load.load(data, report)
    assert len(parses) >= 10 and len(set(parses)) == len(parses)


def test_forgetting_the_process_state_drops_what_was_kept(project_copy, monkeypatch):
    data, report = project_copy / "data", project_copy / "report"
    pipeline.keep_warm()
    load.load(data, report)
    pipeline.forget_process_state()
    parses = _parses(monkeypatch)
    load.load(data, report)
    load.load(data, report)
    assert len(parses) == 2 * len(set(parses)) >= 20


def test_a_kept_kind_holds_at_most_its_limit_and_drops_the_oldest(monkeypatch):
    monkeypatch.setattr(kept, "LIMIT", 3)
    store: kept.Kept[int] = kept.Kept()
    kept.keep()
    for i in range(5):
        store.put(f"file{i}", kept.digest(b"%d" % i), i)
    assert len(store) == 3
    assert store.get("file0", kept.digest(b"0")) is None
    assert store.get("file4", kept.digest(b"4")) == 4
    assert store.get("file4", kept.digest(b"other bytes")) is None


def test_a_warm_build_writes_what_a_cold_one_writes_after_an_edit(project_copy):
    data, report = project_copy / "data", project_copy / "report"
    opts = BuildOptions(data=data, report=report, out=project_copy / "warm", only="data")
    pipeline.keep_warm()
    pipeline.build(opts)
    replace_in(data / "countries" / "kgz.yaml", VALUE, "2022: {value: 79.91")
    pipeline.build(opts)
    pipeline.forget_process_state()
    cold = dataclasses.replace(opts, out=project_copy / "cold")
    pipeline.build(cold)
    assert (opts.out / "brief-data.xlsx").read_bytes() == (cold.out / "brief-data.xlsx").read_bytes()
