"""Turns the validated theme file into the plain Theme that the charts and writers use, fonts found on disk."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import posixpath
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

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

_PART = 4 * 1024 * 1024  # the most a template's theme part may hold (a real one is ~10 kB)
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def template_palette(spec: ThemeFile, report_dir: Path) -> tuple[str, ...]:
    """The accent colours (accent1..accent6, '#RRGGBB') of the first slide master's theme of the
    template palette_from names: the countries' colours in both outputs; UsageError if unusable."""
    name = spec.palette_from or ""
    path = report_dir / name
    if not path.is_file():
        raise UsageError(f"template '{name}' not found in {report_dir}")
    if not path.resolve().is_relative_to(report_dir.resolve()):
        raise UsageError(f"template {path} points outside {report_dir}; refusing to read it")
    try:
        with zipfile.ZipFile(path) as z:
            rels = _xml(z, "ppt/slideMasters/_rels/slideMaster1.xml.rels")
            target = next(
                (r.get("Target", "") for r in rels.iter(_REL) if r.get("Type", "").endswith("/theme")), ""
            )
            theme = _xml(z, posixpath.normpath(posixpath.join("ppt/slideMasters", target)))
    except (OSError, zipfile.BadZipFile, KeyError, ElementTree.ParseError) as e:
        raise UsageError(f"template {name}: its colour theme cannot be read ({e})") from None
    scheme = theme.find(f".//{_A}clrScheme")
    out = []
    for i in range(1, 7):
        slot = scheme.find(f"{_A}accent{i}") if scheme is not None else None
        colour = next(iter(slot), None) if slot is not None else None
        value = (
            None
            if colour is None
            else colour.get("val")
            if colour.tag == f"{_A}srgbClr"
            else colour.get("lastClr")
        )
        if value and len(value) == 6:
            out.append("#" + value.upper())
    if len(out) < 2:
        raise UsageError(f"template {name}: its theme has {len(out)} accent colour(s); the palette needs two")
    return tuple(out)


def _xml(z: zipfile.ZipFile, member: str) -> ElementTree.Element:
    if z.getinfo(member).file_size > _PART:
        raise OSError(f"{member} is larger than {_PART // 1024 // 1024} MB")
    return ElementTree.fromstring(z.read(member))


def palette_problems(spec: ThemeFile, report_dir: Path) -> list[str]:
    """What is wrong with the template palette_from names, for check to locate (none without one)."""
    if spec.palette_from is None:
        return []
    try:
        template_palette(spec, report_dir)
    except UsageError as err:
        return [str(err)]
    return []


def font_problems(spec: ThemeFile, report_dir: Path) -> list[tuple[str, str]]:
    """(key, what is wrong) for each font of the theme that cannot be used, for check to locate."""
    found = []
    for key in FONT_KEYS:
        try:
            _find_font(getattr(spec.fonts, key), report_dir)
        except UsageError as err:
            found.append((key, str(err)))
    return found


def glyph_check(spec: ThemeFile, report_dir: Path) -> Callable[[str], str]:
    """A check that gives the characters of a text that neither the theme's regular face nor its
    fallback can draw, each once, in order ("" when the fonts cannot be found: font_problems reports
    that); the faces are found and read once for every text checked."""
    try:
        faces = [_find_font(spec.fonts.regular, report_dir)]
    except UsageError:
        return lambda text: ""
    fallback = _fallback(spec.fonts.family)
    if fallback is not None:
        faces.append(fallback.regular)
    covered = [_codepoints(f) for f in faces]

    def lacking(text: str) -> str:
        out = dict.fromkeys(c for c in text if not c.isspace() and not any(ord(c) in cov for cov in covered))
        return "".join(out)

    return lacking


def _codepoints(path: Path) -> frozenset[int]:
    """The characters a TrueType file has glyphs for (an unreadable file: none), found once per
    content in this process: a copy of the project elsewhere (or its fonts) is read and hashed but
    not parsed again, and a file edited in place is parsed again. A file whose stat is unchanged
    (a warm load's) is not even read."""
    try:
        st = path.stat()
        stamp = (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        found = _BY_STAMP.get(stamp)
        if found is not None:
            return found
        raw = path.read_bytes()
    except OSError:
        return frozenset()
    key = hashlib.sha256(raw).digest()
    found = _CODEPOINTS.get(key)
    if found is None:
        found = _CODEPOINTS[key] = _cmap(raw)
    _BY_STAMP[stamp] = found
    _bound(_CODEPOINTS)
    _bound(_BY_STAMP)
    return found


def _bound(kept: dict[Any, frozenset[int]]) -> None:
    """Drop the oldest entries past 16 (a few themes' faces, each in a few folders)."""
    while len(kept) > 16:
        del kept[next(iter(kept))]


# by the sha256 of the file's bytes, and by the file's path and stat when it was read
_CODEPOINTS: dict[bytes, frozenset[int]] = {}
_BY_STAMP: dict[tuple[object, ...], frozenset[int]] = {}


def _cmap(raw: bytes) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(io.BytesIO(raw), lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, TTLibError):
        return frozenset()


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
        palette=tuple(spec.palette) if spec.palette is not None else template_palette(spec, report_dir),
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
