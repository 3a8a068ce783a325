"""Slide colours by role: the theme's on the built-in design, the template theme's on a template.

A template's colours are read from its master: the scheme (dk1, lt1, dk2, lt2), the colour map and
the background, so that a dark master gets light text. Countries keep the theme's palette, the one the
brief's charts use: a country has one colour in the brief and the deck, whatever the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from digibrief.theme import Ground, Theme, contrast, hex_colour, luminance, mix

WHITE = "#FFFFFF"
BLACK = "#000000"


def blend(colour: str, towards: str, t: float) -> str:
    return hex_colour(mix(colour, towards, t))


def legible(colour: str, background: str, ratio: float = 4.5) -> str:
    """colour, moved towards black or white (whichever the background is not) until text in it reads."""
    target = BLACK if luminance(background) > 0.18 else WHITE
    t = 0.0
    out = colour
    while contrast(out, background) < ratio and t < 1.0:
        t += 0.05
        out = blend(colour, target, t)
    return out


def on(fill: str) -> str:
    """Black or white text, whichever reads better on fill."""
    return WHITE if contrast(WHITE, fill) >= contrast(BLACK, fill) else BLACK


@dataclass(frozen=True)
class Colours:
    background: str
    ink: str  # text
    muted: str  # secondary text: kickers, subtitles, sources, axes
    focus: str  # the country in focus, key figures, accents
    accent: str
    peer: str  # other countries, in grey
    rule: str  # gridlines and hairlines
    panel: str  # key-figure tiles
    band: str  # alternate table rows
    series: tuple[str, ...]  # countries' own colours when no country is in focus
    risk: tuple[str, ...]  # risk levels 0..3
    dark: bool  # light text on a dark background

    @property
    def focus_text(self) -> str:
        """The focus colour as text can use it on the background (big numbers, labels)."""
        return legible(self.focus, self.background, 3.0)

    @classmethod
    def of_theme(cls, theme: Theme) -> Colours:
        """The built-in design: white slides in the brief's own colours."""
        return cls(
            background=WHITE,
            ink=theme.ink,
            muted=theme.muted,
            focus=theme.focus,
            accent=theme.accent,
            peer=theme.peer,
            rule=theme.rule,
            panel=blend(WHITE, theme.rule, 0.35),
            band=blend(WHITE, theme.rule, 0.25),
            series=tuple(theme.palette),
            risk=tuple(theme.risk_levels),
            dark=False,
        )

    @classmethod
    def of_scheme(cls, scheme: dict[str, str], background: str, theme: Theme) -> Colours:
        """A template's colours: scheme slots (dk1, lt1, dk2, lt2) and the resolved background."""
        dark = luminance(background) < 0.18
        g = ground(scheme, background)
        ink = g.ink
        return cls(
            background=background,
            ink=ink,
            muted=g.muted,
            focus=seen(theme.focus, background, ink),
            accent=seen(theme.accent, background, ink),
            peer=g.peer,
            rule=g.rule,
            panel=blend(background, ink, 0.07),
            band=blend(background, ink, 0.05),
            series=tuple(seen(c, background, ink) for c in theme.palette),
            risk=tuple(theme.risk_levels),
            dark=dark,
        )


def ground(scheme: dict[str, str], background: str) -> Ground:
    """Text and rule colours on a template's background: the scheme colour that contrasts most."""
    candidates = [
        c for c in (scheme.get("dk1"), scheme.get("lt1"), scheme.get("dk2"), scheme.get("lt2")) if c
    ]
    ink = max(candidates, key=lambda c: contrast(c, background)) if candidates else on(background)
    if contrast(ink, background) < 4.5:
        ink = on(background)
    return Ground(
        paper=background,
        ink=ink,
        muted=blend(ink, background, 0.32),
        rule=blend(ink, background, 0.82),
        peer=blend(ink, background, 0.62),
    )


def seen(colour: str, background: str, ink: str) -> str:
    """A country's colour from the theme, the brief's own; only one that would vanish on the slide
    (black on navy, under 1.5:1) is drawn in the text colour instead, as black text is."""
    return colour if contrast(colour, background) >= VISIBLE else ink


VISIBLE = 1.5  # the least contrast of a line or bar with the slide behind it
