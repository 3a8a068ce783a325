"""Fonts for the PDF writer: the theme's TrueType files, registered once per process by content, and a glyph check.

reportlab prints a missing character as an invisible .notdef box without complaint, so every string the
writer renders first goes through Glyphs: a character the font lacks is drawn in the fallback face
(DejaVu Sans) when that has it (Glyphs.markup), else it becomes a visible "□" (or "?") and a warning
names it. Text drawn straight on the canvas (running header and footer) has no fallback (Glyphs.clean). Characters beyond the Basic Multilingual Plane (emoji) count as missing
even when the font has them: reportlab's ToUnicode map has 16-bit codes, so they would print but copy
and search as a different character.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from digibrief.errors import RenderError
from digibrief.theme import FontFiles

REPLACEMENTS = ("\u25a1", "?")  # "□", else a question mark
_SPACES = frozenset("\t\n\r\f\v\u2028\u2029")

_lock = threading.Lock()
_registered: dict[tuple[str, ...], FontSet] = {}  # (family, the four files' sha256) -> names
_owner: dict[str, tuple[str, ...]] = {}  # registered font name -> the key that owns it
_files: dict[str, str] = {}  # registered font name -> the file that last held its bytes
_stamps: dict[str, tuple[tuple[int, ...], str]] = {}  # path -> (its stat when hashed, sha256)


@dataclass(frozen=True)
class FontSet:
    """reportlab names of one registered family; <b> and <i> in Paragraph markup map onto them."""

    family: str
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def name(self, bold: bool = False, italic: bool = False) -> str:
        if bold:
            return self.bold_italic if italic else self.bold
        return self.italic if italic else self.regular


def register(files: FontFiles) -> FontSet:
    """Register the four faces and their family, once per process and per content: a byte-identical copy
    of the files elsewhere gets the names registered first, a file edited in place gets new ones."""
    paths = tuple(
        str(Path(p).resolve()) for p in (files.regular, files.bold, files.italic, files.bold_italic)
    )
    with _lock:
        read: dict[str, bytes] = {}
        key = (files.family, *(_digest(path, read) for path in paths))
        fonts = _registered.get(key)
        if fonts is None:
            fonts = _register(files.family, key, paths, read)
        for name, path in zip(_names(fonts.family), paths, strict=True):
            _files[name] = path  # holds the bytes now: whoever reads a face by its path reads this one
        return fonts


def _register(family: str, key: tuple[str, ...], paths: tuple[str, ...], read: dict[str, bytes]) -> FontSet:
    base, n = family, 1
    while any(_taken(name, key) for name in _names(family)):
        n += 1
        family = f"{base} {n}"
    names = _names(family)
    for name, path in zip(names, paths, strict=True):
        if name not in _owner:
            data = read[path] if path in read else _read(path)
            try:  # parsed from the bytes hashed (reportlab keeps them), named by their path
                pdfmetrics.registerFont(TTFont(name, _Named(data, path)))
            except TTFError as exc:
                raise RenderError(f"font file {path} cannot be used for the PDF: {exc}") from exc
            _owner[name] = key
    fonts = FontSet(family, *names)
    map_family(fonts)
    _registered[key] = fonts
    return fonts


class _Named(io.BytesIO):
    """A font file's bytes under its path's name: reportlab takes a face's filename from the file's name."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name


def _digest(path: str, read: dict[str, bytes]) -> str:
    """sha256 of a font file, hashed again only when its stat changed (device, inode, size, modification
    and inode change times); the bytes it had to read are left in read, for a registration to parse."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise RenderError(f"font file {path} cannot be used for the PDF: {exc.strerror or exc}") from exc
    stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    kept = _stamps.get(path)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    read[path] = data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    _stamps[path] = (stamp, digest)
    return digest


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise RenderError(f"font file {path} cannot be used for the PDF: {exc.strerror or exc}") from exc


def face_file(name: str) -> str:
    """The font file that held a registered face's bytes when its family was last registered: svglib,
    which maps a face by parsing its file again, reads it there."""
    return _files[name]


def faces_digest(fonts: FontSet) -> str:
    """sha256 of the four font files behind a registered family: what a face's name stands for here,
    the same in every process (the name itself depends on what else this process registered)."""
    if fonts.regular not in _owner:  # a face reportlab has built in: its name is the same everywhere
        return fonts.regular
    h = hashlib.sha256()
    for digest in _owner[fonts.regular][1:]:
        h.update(bytes.fromhex(digest))
    return h.hexdigest()


def map_family(fonts: FontSet) -> None:
    """Point <b> and <i> in Paragraphs set in the regular face at the theme's bold and italic files.

    The family's name is also its regular face's name. Registering a TrueType face again under that
    name (as svglib does for fonts it maps) resets these mappings to the regular face, so whoever does
    so calls this again."""
    pdfmetrics.registerFontFamily(
        fonts.family, normal=fonts.regular, bold=fonts.bold, italic=fonts.italic, boldItalic=fonts.bold_italic
    )


def _names(family: str) -> tuple[str, str, str, str]:
    return (family, f"{family} Bold", f"{family} Italic", f"{family} Bold Italic")


def _taken(name: str, key: tuple[str, ...]) -> bool:
    """True when the name is in use for other files (by us or by anyone else in this process)."""
    if name in _owner:
        return _owner[name] != key
    return name in pdfmetrics.getRegisteredFontNames()


@dataclass
class Glyphs:
    """Replaces characters the fonts cannot draw and remembers one warning per character."""

    fonts: FontSet
    fallback: FontSet | None = None
    warnings: list[str] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set)
    _cmaps: dict[str, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for fonts in (self.fonts, self.fallback):
            if fonts is not None:
                for name in {fonts.regular, fonts.bold, fonts.italic, fonts.bold_italic}:
                    self._cmaps[name] = pdfmetrics.getFont(name).face.charToGlyph

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def clean(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """The text with whitespace controls as spaces and every glyph the face lacks replaced."""
        font = self.fonts.name(bold, italic)
        cmap = self._cmaps[font]
        if _drawable(cmap).issuperset(text):
            return text
        out = []
        for ch in text:
            code = ord(ch)
            if code <= 0xFFFF and cmap.get(code, 0):
                out.append(ch)
            elif ch in _SPACES:
                out.append(" ")
            elif _invisible(ch):
                self._warn(ch, font, "removed")
            else:
                rep = next((r for r in REPLACEMENTS if cmap.get(ord(r), 0)), "?")
                out.append(rep)
                self._warn(ch, font, f"shown as '{rep}'")
        return "".join(out)

    def markup(self, text: str, bold: bool = False, italic: bool = False) -> str:
        """The text as escaped Paragraph markup: what the face lacks and the fallback has is set in the
        fallback face; anything else is replaced as by clean()."""
        font = self.fonts.name(bold, italic)
        cmap = self._cmaps[font]
        if self.fallback is None or _drawable(cmap).issuperset(text):
            return escape(self.clean(text, bold, italic))
        spare = self.fallback.name(bold, italic)
        other = self._cmaps[spare]
        runs: list[tuple[str, bool]] = []  # (text, in the fallback face)
        for ch in text:
            code = ord(ch)
            if (code <= 0xFFFF and cmap.get(code, 0)) or ch in _SPACES:
                runs.append((self.clean(ch, bold, italic), False))
            elif code <= 0xFFFF and other.get(code, 0):
                runs.append((ch, True))
            elif _invisible(ch):
                self._warn(ch, font, "removed")
            else:
                rep = next((r for r in REPLACEMENTS if cmap.get(ord(r), 0) or other.get(ord(r), 0)), "?")
                runs.append((rep, not cmap.get(ord(rep), 0)))
                self._warn(ch, font, f"shown as '{rep}'")
        out: list[tuple[str, bool]] = []
        for ch, spared in runs:
            if spared and out and out[-1][1]:
                out[-1] = (out[-1][0] + ch, True)
            elif not spared and out and not out[-1][1]:
                out[-1] = (out[-1][0] + ch, False)
            else:
                out.append((ch, spared))
        return "".join(
            f"<font name={quoteattr(spare)}>{escape(t)}</font>" if spared else escape(t) for t, spared in out
        )

    def _warn(self, ch: str, font: str, action: str) -> None:
        code = ord(ch)
        if code in self._seen:
            return
        self._seen.add(code)
        name = unicodedata.name(ch, "unnamed character")
        if code > 0xFFFF:
            why = "is outside the Basic Multilingual Plane, which the PDF cannot map back to text"
        else:
            why = f"has no glyph in the font '{font}'"
        self.warnings.append(f"PDF: character U+{code:04X} {name} {why}; {action}")


_DRAWABLE: dict[int, tuple[dict[int, int], frozenset[str]]] = {}  # id(cmap) -> the cmap, what it draws


def _drawable(cmap: dict[int, int]) -> frozenset[str]:
    """The characters of the Basic Multilingual Plane a face has a glyph for: a text made of them only
    needs no replacing, which a set answers for the whole text at once."""
    kept = _DRAWABLE.get(id(cmap))
    if kept is None or kept[0] is not cmap:
        kept = (cmap, frozenset(chr(c) for c, glyph in cmap.items() if glyph and c <= 0xFFFF))
        with _lock:
            _DRAWABLE[id(cmap)] = kept
    return kept[1]


def _invisible(ch: str) -> bool:
    """Format and control characters, and variation selectors: nothing to draw, so they are dropped."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Cf", "Cc", "Cs")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )
