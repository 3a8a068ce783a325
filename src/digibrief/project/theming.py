"""Turns the validated theme file into the plain Theme that the charts and writers use, fonts found on disk."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from digibrief.errors import UsageError
from digibrief.project.model import ThemeFile
from digibrief.theme import DEFAULT_SIZES, FontFiles, Theme


def bundled_font_dir() -> Path | None:
    """matplotlib's bundled DejaVu fonts, found without importing matplotlib (it is slow)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def _find_font(name: str, report_dir: Path) -> Path:
    """A font in report/ (never through a link out of it), else matplotlib's bundled copy."""
    root = report_dir.resolve()
    for path in (report_dir / name, report_dir / "fonts" / name):
        if path.is_file():
            if not path.resolve().is_relative_to(root):
                raise UsageError(f"font file {path} points outside {report_dir}; refusing to read it")
            return path
    bundled = bundled_font_dir()
    if bundled is not None and (bundled / name).is_file():
        return bundled / name
    raise UsageError(f"font file '{name}' not found in {report_dir} or in matplotlib's bundled fonts")


FONT_KEYS = ("regular", "bold", "italic", "bold_italic")


def font_problems(spec: ThemeFile, report_dir: Path) -> list[tuple[str, str]]:
    """(key, what is wrong) for each font of the theme that cannot be used, for check to locate."""
    found = []
    for key in FONT_KEYS:
        try:
            _find_font(getattr(spec.fonts, key), report_dir)
        except UsageError as err:
            found.append((key, str(err)))
    return found


FALLBACK = FontFiles(
    "DejaVu Sans",
    Path("DejaVuSans.ttf"),
    Path("DejaVuSans-Bold.ttf"),
    Path("DejaVuSans-Oblique.ttf"),
    Path("DejaVuSans-BoldOblique.ttf"),
)


def _fallback(family: str) -> FontFiles | None:
    """matplotlib's bundled DejaVu Sans, which draws what the theme's font lacks (none for DejaVu itself)."""
    bundled = bundled_font_dir()
    if family == FALLBACK.family or bundled is None:
        return None
    faces = [bundled / p for p in (FALLBACK.regular, FALLBACK.bold, FALLBACK.italic, FALLBACK.bold_italic)]
    if not all(p.is_file() for p in faces):
        return None
    return FontFiles(FALLBACK.family, *faces)


def make_theme(spec: ThemeFile, report_dir: Path) -> Theme:
    """The Theme spec describes; raise UsageError for a font file that is missing or outside report_dir."""
    f = spec.fonts
    fonts = FontFiles(
        family=f.family,
        regular=_find_font(f.regular, report_dir),
        bold=_find_font(f.bold, report_dir),
        italic=_find_font(f.italic, report_dir),
        bold_italic=_find_font(f.bold_italic, report_dir),
    )
    return Theme(
        palette=tuple(spec.palette),
        focus=spec.focus,
        peer=spec.peer,
        ink=spec.ink,
        muted=spec.muted,
        accent=spec.accent,
        rule=spec.rule,
        risk_levels=tuple(spec.risk_levels),
        fonts=fonts,
        sizes={**DEFAULT_SIZES, **spec.sizes},
        fallback=_fallback(f.family),
        slide_titles=_slide_titles(spec),
    )


def _slide_titles(spec: ThemeFile) -> tuple[str, str, str]:
    """The deck's title colour, font and alignment the theme sets ("" for each it leaves to the template)."""
    t = spec.slide_titles
    return (t.colour or "", t.font or "", {"left": "l", "center": "c", "right": "r"}.get(t.align or "", ""))
