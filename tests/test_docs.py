"""Hygiene: every command is documented in the README and has --help text with an example."""

from __future__ import annotations

import pytest

from digibrief.cli import COMMANDS, parser

from .conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_in_the_readme_and_has_help_with_an_example(command: str):
    assert f"digibrief {command}" in README
    sub = parser()._subparsers._group_actions[0].choices[command]  # type: ignore[union-attr]
    assert "Example: digibrief" in (sub.description or "")


def test_top_level_help_lists_every_command_with_an_example():
    text = parser().format_help()
    for command in COMMANDS:
        assert f"example: digibrief {command}" in text


def test_readme_quick_start_is_exactly_the_two_make_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = quick.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make brief", "make test"]


def test_help_and_check_do_not_import_rendering_libraries():
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io; from digibrief.cli import main; "
        "out = io.StringIO(); ctx = contextlib.redirect_stdout(out); ctx.__enter__(); main(['check']); ctx.__exit__(None, None, None); "
        "heavy = [m for m in ('matplotlib', 'reportlab', 'pptx') if m in sys.modules]; assert not heavy, heavy"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert run_cli("--help").returncode == 0
