"""`check` predicts `build`: a warning the build gives about the data or report, check gives too, at its
line, so `check --strict` and `build --strict` exit alike."""

from __future__ import annotations

import re

from .conftest import replace_in, run_cli, with_each_country_chart


def test_a_per_country_chart_without_a_headline_for_one_country_fails_both_stricts_alike(project_copy):
    replace_in(
        with_each_country_chart(project_copy),
        '      KGZ: "Kyrgyzstan ranks {KGZ egdi_score 2024 position} in the region, ahead of Tajikistan"\n',
        "",
    )
    checked = run_cli("check", "--strict", cwd=project_copy)
    built = run_cli("build", "--strict", "--only", "deck", cwd=project_copy, timeout=300)
    assert checked.returncode == built.returncode == 3, checked.stderr + built.stdout + built.stderr
    located = r"report/report\.yaml:\d+:\d+: charts\.peer_egdi\.headline: no headline for KGZ"
    assert re.search(located, checked.stderr), checked.stderr
    assert re.search(located, built.stdout), built.stdout
    assert not (project_copy / "output" / "deck.pptx").exists()


def test_the_shipped_project_checks_clean_under_strict():
    checked = run_cli("check", "--strict")
    assert checked.returncode == 0 and not checked.stderr, checked.stderr
