"""Local names in any ISO 15924 script, and a located warning where the brief's fonts lack a glyph."""

from __future__ import annotations

from .conftest import replace_in, run_cli

KAZ_NAME = "  - {lang: kk, script: Latn, name: Qazaqstan}\n"


def _check(project, *extra: str):
    return run_cli("check", "--data", str(project / "data"), "--report", str(project / "report"), *extra)


def _with_name(project, line: str) -> None:
    replace_in(project / "data" / "countries" / "kaz.yaml", KAZ_NAME, KAZ_NAME + line)


def test_a_local_name_in_armenian_or_georgian_script_passes_check(project_copy):
    _with_name(
        project_copy,
        "  - {lang: hy, script: Armn, name: Ղազախստան}\n  - {lang: ka, script: Geor, name: ყაზახეთი}\n",
    )
    result = _check(project_copy, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "glyph" not in result.stdout + result.stderr


def test_a_script_code_that_is_not_iso_15924_is_a_located_error(project_copy):
    _with_name(
        project_copy,
        "  - {lang: hy, script: Armenian, name: Ղազախստան}\n  - {lang: hy, script: Abcd, name: X}\n",
    )
    result = _check(project_copy)
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if "kaz.yaml" in ln]
    assert any(":7:" in ln and "script" in ln for ln in lines), result.stderr
    assert any(":8:" in ln and "'Abcd' is not an ISO 15924 script code" in ln for ln in lines), result.stderr


def test_a_local_name_the_fonts_cannot_draw_is_a_located_warning(project_copy):
    _with_name(project_copy, "  - {lang: zh, script: Hans, name: 哈萨克斯坦}\n")
    result = _check(project_copy)
    assert result.returncode == 0, result.stderr
    said = [ln for ln in (result.stdout + result.stderr).splitlines() if "glyph" in ln]
    assert len(said) == 1 and "kaz.yaml:7:" in said[0] and "local_names.2.name" in said[0], said
    assert "'哈' (U+54C8)" in said[0]
    assert _check(project_copy, "--strict").returncode == 3
