"""Colours, fonts and sizes shared by the charts and both writers (no renderer imported here)."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .model import ThemeFile

DEFAULT_SIZES = {
    "body": 9.5,
    "small": 7.5,
    "h1": 20.0,
    "h2": 13.0,
    "h3": 10.5,
    "cover_title": 30.0,
    "chart_print": 7.5,
    "chart_slide": 13.0,
    "slide_title": 28.0,
    "slide_body": 18.0,
}


@dataclass(frozen=True)
class FontFiles:
    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Theme:
    palette: tuple[str, ...]
    focus: str
    peer: str
    ink: str
    muted: str
    accent: str
    rule: str
    risk_levels: tuple[str, ...]
    fonts: FontFiles
    sizes: dict[str, float]

    def size(self, name: str) -> float:
        return self.sizes.get(name, DEFAULT_SIZES[name])

    def fingerprint_parts(self) -> dict[str, object]:
        """What the theme contributes to cache keys: values plus the font files' identity."""
        fonts = {k: (str(p), p.stat().st_size) for k, p in vars(self.fonts).items() if isinstance(p, Path)}
        return {
            "colours": [
                self.palette,
                self.focus,
                self.peer,
                self.ink,
                self.muted,
                self.accent,
                self.rule,
                self.risk_levels,
            ],
            "fonts": fonts,
            "family": self.fonts.family,
            "sizes": sorted(self.sizes.items()),
        }


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


def make_theme(spec: ThemeFile, report_dir: Path) -> Theme:
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
    )
