"""Colours, fonts and sizes shared by the charts and both writers: plain data, no renderer or pydantic."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_SIZES = {
    "body": 10.0,
    "small": 7.5,
    "h1": 20.0,
    "h2": 13.0,
    "h3": 10.5,
    "cover_title": 30.0,
    "chart_print": 8.0,
    "chart_slide": 14.0,
    # the deck's type scale: fixed steps, never shrunk to fit (what does not fit goes to the notes)
    "slide_title": 28.0,
    "slide_body": 20.0,
    "slide_lead": 24.0,  # list slides such as the key takeaways
    "slide_subtitle": 18.0,  # a chart's unit and period, the kicker above a title
    "slide_label": 14.0,  # chart labels and axes at slide size
    "slide_source": 12.0,  # source lines and chart notes
    "slide_footer": 10.0,
    "slide_figure": 40.0,  # key-figure values
    "slide_cover": 40.0,
    "slide_backup": 16.0,  # text on backup slides (methodology), read up close rather than presented
    "slide_table": 14.0,  # tables and references on backup slides
    "slide_matrix": 16.0,  # the risk matrix's cells (slide_label on a narrow slide before it is ever split)
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
    fallback: FontFiles | None = None  # draws the characters the theme's font lacks (DejaVu Sans)
    # slide titles on a template deck: colour ('#rrggbb'), font family, align (l, c, r); "" keeps the
    # template's own title style
    slide_titles: tuple[str, str, str] = ("", "", "")
    paper: str = "#FFFFFF"  # what charts are drawn on: white, or a template slide's background

    def size(self, name: str) -> float:
        return self.sizes.get(name, DEFAULT_SIZES[name])

    def fingerprint_parts(self) -> dict[str, object]:
        """What the theme contributes to cache keys: values plus the font files' identity (name and size,
        not the folder: a copy of the project elsewhere draws the same charts)."""
        faces = [(k, p) for k, p in vars(self.fonts).items() if isinstance(p, Path)]
        if self.fallback is not None:
            faces += [(f"fallback_{k}", p) for k, p in vars(self.fallback).items() if isinstance(p, Path)]
        fonts = {k: (p.name, p.stat().st_size) for k, p in faces}
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
            **({"slide_titles": self.slide_titles} if any(self.slide_titles) else {}),
            **({"paper": self.paper} if self.paper != "#FFFFFF" else {}),
        }


@dataclass(frozen=True)
class Ground:
    """A slide's background and the colours of text and rules on it: a picture chart on a template's
    slide is drawn on them, so it shows the slide through instead of a white box."""

    paper: str
    ink: str
    muted: str
    rule: str
    peer: str

    def on(self, theme: Theme) -> Theme:
        """The theme with this background and these text and rule colours; countries keep theirs, but
        one that would vanish on the background (black on navy, under 1.5:1) takes the text colour, as
        the deck's native charts do."""
        palette = tuple(c if contrast(c, self.paper) >= 1.5 else self.ink for c in theme.palette)
        return replace(
            theme,
            paper=self.paper,
            ink=self.ink,
            muted=self.muted,
            rule=self.rule,
            peer=self.peer,
            palette=palette,
        )


RGB = tuple[float, float, float]  # each channel 0..1


def rgb(colour: str) -> RGB:
    """'#1f77b4' -> (0.122, 0.467, 0.706)."""
    h = colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def mix(colour: str, towards: str, t: float) -> RGB:
    """colour moved a fraction t of the way towards another colour (0 = colour, 1 = towards)."""
    a, b = rgb(colour), rgb(towards)
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def hex_colour(value: RGB) -> str:
    """(0.122, 0.467, 0.706) -> '#1F77B4'."""
    return "#" + "".join(f"{round(v * 255):02X}" for v in value)


def luminance(colour: str | RGB) -> float:
    """WCAG relative luminance of an sRGB colour ('#rrggbb' or channels 0..1)."""

    def lin(u: float) -> float:
        return u / 12.92 if u <= 0.04045 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(u) for u in (rgb(colour) if isinstance(colour, str) else colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str | RGB, b: str | RGB) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
