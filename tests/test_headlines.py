"""Chart headlines: a finding per chart, written with data references, checked like any data text."""

from __future__ import annotations

import re

import pytest

from digibrief.document.compose import compose
from digibrief.document.types import plain
from digibrief.project.load import load

from .conftest import DATA, REPORT, run_cli, with_each_country_chart


@pytest.fixture(scope="module")
def doc():
    return compose(load(DATA, REPORT))


def test_every_chart_of_the_shipped_brief_has_a_headline_with_its_numbers_read_from_the_data(doc):
    for f in doc.figures():
        text = plain(f.headline)
        assert text.strip(), f"{f.chart.id} has no headline"
        assert "{" not in text, f"{f.chart.id}: a reference was not resolved: {text}"
    facts = [r.fact for f in doc.figures() for r in f.headline if r.fact is not None]
    assert len(facts) >= 10, "headlines carry their figures as data references"


def test_a_chart_drawn_for_each_country_takes_that_country_s_headline(project_copy):
    with_each_country_chart(project_copy)
    doc = compose(load(project_copy / "data", project_copy / "report"))
    peers = {f.chart.id: plain(f.headline) for f in doc.figures() if f.chart.id.endswith("-peer-egdi")}
    assert len(peers) == 4
    for chart_id, text in peers.items():
        country = {"kaz": "Kazakhstan", "uzb": "Uzbekistan", "kgz": "Kyrgyzstan", "tjk": "Tajikistan"}[
            chart_id[:3]
        ]
        assert text.startswith(country), text


def test_a_broken_reference_in_a_headline_is_a_located_error(project_copy):
    report = project_copy / "report" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "headline:" in line and "{KAZ egdi_rank 20" in line)
    lines[at] = re.sub(r"\{KAZ egdi_rank \d{4}\}", "{KAZ egdi_rank 2031}", lines[at], count=1)
    broken = "".join(lines)
    assert "2031" in broken
    report.write_text(broken, encoding="utf-8")
    result = run_cli("check", "--data", str(project_copy / "data"), "--report", str(project_copy / "report"))
    assert result.returncode == 1, result.stderr
    assert "report.yaml:" in result.stderr and "charts.kaz_egdi_rank.headline" in result.stderr
    assert "Traceback" not in result.stderr
