"""The theme's colours survive grayscale printing and colour-vision deficiency.

Lightness is CIELAB L* computed here from sRGB (D65), so the check does not trust any library.

Threshold: every pair of the first four palette colours (the colours of up to four focus countries)
differs by at least 11 L*; a fifth to eighth focus country is told apart by hue and marker. A just-noticeable difference
is about 1-2 L* for large patches, but thin chart lines and small markers need several times that
to be told apart; 11 L* is about one step of a 9-step grey ramp from the ink (L* 16) to the rule
(L* 87). It is also the most okabe_ito allows: no four of its colours that are visible on white
reach 12 (the best, blue/orange/black/green, reaches 11.7; test below).
"""

from __future__ import annotations

from itertools import combinations, pairwise
from pathlib import Path

import matplotlib
import pytest
import yaml
from matplotlib.colors import to_hex, to_rgb

from digibrief.project.model import ThemeFile
from digibrief.project.theming import make_theme

ROOT = Path(__file__).resolve().parents[1]
MIN_DELTA_L = 11.0
MIN_FOCUS_PEER = 20.0


def theme():
    data = yaml.safe_load((ROOT / "report" / "theme.yaml").read_text(encoding="utf-8"))
    return make_theme(ThemeFile.model_validate(data), ROOT / "report")


def luminance(colour: str) -> float:
    """Relative luminance Y (0-1) of an sRGB colour."""

    def linear(u: float) -> float:
        return u / 12.92 if u <= 0.04045 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(u) for u in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness(colour: str) -> float:
    """CIELAB L* (0 black - 100 white) of an sRGB colour."""
    y = luminance(colour)
    f = y ** (1 / 3) if y > (6 / 29) ** 3 else y / (3 * (6 / 29) ** 2) + 4 / 29
    return 116 * f - 16


def contrast_on_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


def okabe_ito() -> list[str]:
    return [to_hex(c) for c in matplotlib.color_sequences["okabe_ito"]]


def min_delta(colours) -> float:
    return min(abs(lightness(a) - lightness(b)) for a, b in combinations(colours, 2))


def test_lightness_matches_known_values():
    assert lightness("#FFFFFF") == pytest.approx(100, abs=0.01)
    assert lightness("#000000") == pytest.approx(0, abs=0.01)
    assert lightness("#777777") == pytest.approx(50.03, abs=0.05)
    assert lightness("#0072B2") == pytest.approx(46.0, abs=0.2)


def test_palette_colours_come_from_okabe_ito():
    allowed = set(okabe_ito())
    palette = [c.lower() for c in theme().palette]
    assert len(palette) == len(set(palette)) >= 4
    assert set(palette[:7]) <= allowed


def test_eight_focus_countries_get_eight_distinct_colour_blind_safe_colours():
    palette = [c.lower() for c in theme().palette]
    assert len(palette) == len(set(palette)) == 8
    usable = [c for c in okabe_ito() if contrast_on_white(c) >= 2.0]
    assert set(palette[:7]) == set(usable)  # every okabe_ito colour visible on white
    assert palette[7] == "#882255"  # Paul Tol's colour-blind-safe wine (muted scheme)


def test_palette_colours_differ_in_grayscale_lightness():
    palette = theme().palette[:4]
    assert min_delta(palette) >= MIN_DELTA_L, [round(lightness(c), 1) for c in palette]


def test_palette_neighbours_differ_even_more():
    """Series 1, 2, 3 ... are often drawn next to each other: each step is a big jump."""
    palette = theme().palette[:4]
    steps = [abs(lightness(a) - lightness(b)) for a, b in pairwise(palette)]
    assert min(steps) >= 2 * MIN_DELTA_L


def test_palette_colours_are_visible_on_white():
    """Thin lines need some contrast with the page; this is what rules out okabe_ito's yellow."""
    for colour in theme().palette:
        assert contrast_on_white(colour) >= 2.0, colour
    assert contrast_on_white("#F0E442") < 2.0


def test_no_other_okabe_ito_choice_of_the_same_size_separates_lightness_better():
    palette = theme().palette[:4]
    usable = [c for c in okabe_ito() if contrast_on_white(c) >= 2.0]
    best = max(min_delta(subset) for subset in combinations(usable, len(palette)))
    assert min_delta(palette) == pytest.approx(best)
    assert best < 12  # why the threshold is 11, not 12


def test_focus_and_peer_differ_by_at_least_20_lstar():
    t = theme()
    assert abs(lightness(t.focus) - lightness(t.peer)) >= MIN_FOCUS_PEER


def test_risk_levels_get_darker_with_each_level():
    levels = [lightness(c) for c in theme().risk_levels]
    steps = [a - b for a, b in pairwise(levels)]
    assert all(step >= 8 for step in steps), [round(v, 1) for v in levels]


def test_label_colours_derived_from_the_palette_are_readable_as_text():
    from digibrief.charts.colours import contrast, readable

    t = theme()
    for colour in (*t.palette, t.focus):
        shade = readable(colour)
        assert contrast(shade, "#FFFFFF") >= 4.5
        assert abs(lightness(shade) - lightness(colour)) < 25  # still recognisably the same hue
    assert contrast(t.muted, "#FFFFFF") >= 4.5 and contrast(t.ink, "#FFFFFF") >= 4.5
