"""Colour contrast for chart text: WCAG luminance, the readable shade of a colour, ink or white on a fill.

Colour maths shared with the writers (rgb, mix, hex_colour, luminance, contrast) lives in
digibrief.theme; these apply it to any colour matplotlib understands, and choose text colours, because
only the charts set text on coloured bars, cells and lines.
"""

from __future__ import annotations

from matplotlib.colors import to_hex, to_rgb

from digibrief import theme

WHITE = "#FFFFFF"

Colour = str | tuple[float, float, float]


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of any colour matplotlib understands."""
    return theme.luminance(to_rgb(colour))


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    return theme.contrast(to_rgb(a), to_rgb(b))


def readable(colour: Colour, background: Colour = WHITE, ratio: float = 4.5) -> str:
    """The colour, or the least darker shade of it (lighter on a dark background), that small text can
    be read in on background.

    The shade scales the channels rather than calling theme.mix towards black: the two differ in
    the last bit, which rounds one channel value differently and would change chart bytes.
    """
    if luminance(background) < 0.18:  # a dark slide: towards white
        t = 0.0
        out = to_hex(colour)
        while t < 1.0 and contrast(out, background) < ratio:
            t += 0.02
            out = theme.hex_colour(theme.mix(to_hex(colour), WHITE, t)).lower()
        return out
    r, g, b = to_rgb(colour)
    k = 1.0
    while k > 0 and contrast((r * k, g * k, b * k), background) < ratio:
        k -= 0.02
    k = max(k, 0.0)
    return to_hex((r * k, g * k, b * k))


def text_on(fill: Colour, ink: Colour) -> str:
    """Ink or white, whichever contrasts more with the fill."""
    return to_hex(ink) if contrast(fill, ink) >= contrast(fill, WHITE) else WHITE
