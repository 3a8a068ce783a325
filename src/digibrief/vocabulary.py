"""Words every layer shares, defined once: chart kinds, statuses, image media and the link rule.

The project model, the document, the charts and both writers import these; nothing here imports
another digibrief module or a third-party library, so any layer may depend on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args
from urllib.parse import urlsplit

# --- chart kinds and statuses ----------------------------------------------------------------------

ChartKind = Literal[
    "index_by_year", "trend", "timeline", "heatmap", "peer_bar", "rank_path", "online_offline"
]
CHART_KINDS: tuple[ChartKind, ...] = get_args(ChartKind)

Status = Literal["verified", "reported", "unverified"]
STATUSES: tuple[Status, ...] = get_args(Status)

HOLLOW_NOTE = "Hollow markers: reported by a single source or unverified; see Methodology."

# --- image media -------------------------------------------------------------------------------------

MediumName = Literal["print", "print_tall", "slide_wide", "slide_half"]
TALL_KINDS: frozenset[str] = frozenset({"timeline", "heatmap"})


@dataclass(frozen=True)
class Medium:
    """The box a chart image must fit; some kinds return a shorter figure, never a taller one."""

    name: MediumName
    width_in: float
    height_in: float
    font_pt: float | None = None  # None = the theme's chart_print or chart_slide size
    dpi: int = 220  # PNG only

    @property
    def aspect(self) -> float:
        """Height over width."""
        return self.height_in / self.width_in

    @property
    def for_print(self) -> bool:
        return self.name.startswith("print")


MEDIA: dict[MediumName, Medium] = {
    "print": Medium("print", 6.7, 3.3),  # the full text width of an A4 or Letter page
    "print_tall": Medium("print_tall", 6.7, 4.4),  # timeline and heatmap in print
    "slide_wide": Medium("slide_wide", 12.3, 5.2),
    "slide_half": Medium("slide_half", 7.4, 5.0),
}


def print_medium(kind: str) -> MediumName:
    """The print medium of a chart kind: the kinds that need height get the taller box."""
    return "print_tall" if kind in TALL_KINDS else "print"


# --- links -------------------------------------------------------------------------------------------

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\`]")


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http, https or mailto link without spaces or quotes, else None."""
    if not url or UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES or (scheme != "mailto" and not parts.netloc):
        return None
    return url
