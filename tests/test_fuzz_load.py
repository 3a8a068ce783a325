"""Property: whatever a data file holds, loading gives a valid project or located problems — nothing else."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digibrief.errors import InputError
from digibrief.project.load import load

from .conftest import DATA, REPORT

LONG = os.environ.get("DIGIBRIEF_FUZZ") == "long"
# make test: a fixed seed and few examples; make fuzz (DIGIBRIEF_FUZZ=long): many, with random seeds
PROFILE_SETTINGS = settings(
    max_examples=400 if LONG else 25,
    derandomize=not LONG,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

KGZ = yaml.safe_load((DATA / "countries" / "kgz.yaml").read_text(encoding="utf-8"))


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] or [path]
    return [path]


LEAVES = _leaves(KGZ)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.sampled_from(["", "   ", "\t", "eighty", "1e400", "NaN", "-1", "2999", "<b>", "&amp;", "Oʻzbekiston"]),
)


def _set(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    doc[head] = _set(doc[head], tuple(rest), value)
    return doc


@pytest.fixture(scope="module")
def workdir():
    root = Path(tempfile.mkdtemp(prefix="digibrief-fuzz-"))
    shutil.copytree(DATA, root / "data")
    shutil.copytree(REPORT, root / "report")
    yield root
    shutil.rmtree(root)


@pytest.mark.fuzz
@PROFILE_SETTINGS
@given(path=st.sampled_from(LEAVES), value=values)
def test_any_value_in_any_field_gives_a_project_or_located_problems(workdir: Path, path: tuple, value: Any):
    import copy

    doc = _set(copy.deepcopy(KGZ), path, value)
    target = workdir / "data" / "countries" / "kgz.yaml"
    target.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        project = load(workdir / "data", workdir / "report")
    except InputError as err:
        assert err.problems
        for p in err.problems:
            assert p.file.endswith(".yaml") and p.message, p
        return
    kgz = project.countries["KGZ"]
    for series in kgz.indicators.values():
        assert all(math.isfinite(pt.value) for pt in series.values())


@pytest.mark.fuzz
@PROFILE_SETTINGS
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_arbitrary_bytes_as_a_country_file_never_crash(workdir: Path, raw: bytes):
    target = workdir / "data" / "countries" / "kgz.yaml"
    target.write_bytes(raw)
    try:
        load(workdir / "data", workdir / "report")
    except InputError as err:
        assert all(p.file for p in err.problems)
