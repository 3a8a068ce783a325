"""Every chart kind drawn from the shipped data, and from a variant with one more country and a gap."""

from __future__ import annotations

from functools import cache

import pytest

from digibrief import charts
from digibrief.document.compose import compose
from digibrief.project.load import load
from digibrief.project.theming import make_theme
from digibrief.vocabulary import print_medium
from digibrief.writers.contract import ImageRequest

from .conftest import DATA, REPORT


@cache
def project():
    return load(DATA, REPORT)


@cache
def variant():
    """Azerbaijan added as a context country (copied from Kyrgyzstan) and Kazakhstan's 2022 EGDI score
    removed: every comparison must show the newcomer and a gap, never a zero."""
    p = project()
    aze = p.countries["KGZ"].model_copy(update={"id": "AZE", "name": "Azerbaijan", "role": "context"})
    kaz = p.countries["KAZ"]
    egdi = {y: pt for y, pt in kaz.indicators["egdi_score"].items() if y != 2022}
    internet = dict(kaz.indicators["internet_users"])
    internet.pop(2015)
    kaz = kaz.model_copy(
        update={"indicators": {**kaz.indicators, "egdi_score": egdi, "internet_users": internet}}
    )
    assessments = {**p.risks.assessments, "AZE": p.risks.assessments["KGZ"]}
    risks = p.risks.model_copy(update={"assessments": assessments})
    return p.model_copy(update={"countries": {**p.countries, "KAZ": kaz, "AZE": aze}, "risks": risks})


@cache
def document(which: str):
    return compose(project() if which == "shipped" else variant())


@cache
def figures(which: str):
    return {f.chart.kind: f for f in document(which).figures()}


@cache
def theme():
    return make_theme(project().theme, REPORT)


KINDS = ["index_by_year", "trend", "timeline", "heatmap", "peer_bar", "rank_path", "online_offline"]


def first_draws(chart_images, spec, *media: tuple[str, str]) -> list[bytes]:  # type: ignore[no-untyped-def]
    """The session's one draw of the chart in each (medium, format), as a build draws it (conftest's
    chart_images: kept in the session's chart cache, so the shipped build's own draws are read back)."""
    requests = [ImageRequest(spec, medium, fmt) for medium, fmt in media]  # type: ignore[arg-type]
    images = chart_images(requests, theme(), document("shipped").speech)
    return [images[r.key] for r in requests]


@pytest.mark.parametrize("which", ["shipped", "variant"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_draws_from_data_with_alt_text_source_line_and_stable_bytes(kind, which, chart_images):
    fig = figures(which)[kind]
    spec = fig.chart
    assert spec.alt.endswith(".") and len(spec.alt) > 40
    assert spec.source_line.startswith(("Source: ", "Sources: "))
    assert fig.cite
    # each draw of the session (the build's, or the first here) against a fresh one
    svg, png = first_draws(chart_images, spec, (print_medium(kind), "svg"), ("slide_wide", "png"))
    assert svg.startswith(b"<?xml") and png.startswith(b"\x89PNG")
    assert svg == charts.render(spec, theme(), charts.MEDIA[print_medium(kind)], "svg")
    assert png == charts.render(spec, theme(), charts.MEDIA["slide_wide"], "png")


def test_the_variant_shows_the_new_country_and_a_gap_not_a_zero(chart_images):
    trend = figures("variant")["trend"].chart
    assert "AZE" in {s.key for s in trend.series}
    kaz = next(s for s in trend.series if s.key == "KAZ")
    assert {p.year: p.value for p in kaz.points}[2015] is None
    index = figures("variant")["index_by_year"].chart
    kaz = next(s for s in index.series if s.key == "KAZ")
    assert {p.year: p.value for p in kaz.points}[2022] is None
    heat = figures("variant")["heatmap"].chart
    assert "Azerbaijan" in heat.rows
    (svg,) = first_draws(chart_images, trend, ("print", "svg"))
    assert b"Azerbaijan" in svg


def test_alt_text_states_the_extremes_with_years():
    alt = figures("shipped")["index_by_year"].chart.alt
    assert "highest Kazakhstan 0.901 (2024)" in alt and "lowest Turkmenistan 0.476 (2024)" in alt
