"""Colour contrast for chart text: WCAG luminance, the readable shade of a colour, ink or white on a fill.

Colour maths shared with the writers (rgb, mix, hex_colour) lives in digibrief.theme; these are the
checks only the charts make, because only they set text on coloured bars, cells and lines.
"""

from __future__ import annotations

from matplotlib.colors import to_hex, to_rgb

WHITE = "#FFFFFF"

Colour = str | tuple[float, float, float]


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def lin(u: float) -> float:
        return u / 12.92 if u <= 0.04045 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(u) for u in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: Colour, background: Colour = WHITE, ratio: float = 4.5) -> str:
    """The colour, or the least darker shade of it, that small text can be read in on background.

    The shade scales the channels rather than calling theme.mix towards black: the two differ in
    the last bit, which rounds one channel value differently and would change chart bytes.
    """
    r, g, b = to_rgb(colour)
    k = 1.0
    while k > 0 and contrast((r * k, g * k, b * k), background) < ratio:
        k -= 0.02
    k = max(k, 0.0)
    return to_hex((r * k, g * k, b * k))


def text_on(fill: Colour, ink: Colour) -> str:
    """Ink or white, whichever contrasts more with the fill."""
    return to_hex(ink) if contrast(fill, ink) >= contrast(fill, WHITE) else WHITE
