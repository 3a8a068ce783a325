"""What a brief of some of the report's countries keeps: its takeaways, points and remarks.

A brief is scoped when it shows fewer focus countries than the report lists (`--countries`,
`build --per-country`). Text tagged with countries is shown only in a brief that shows them all;
an untagged takeaway is about the region and stays in the regional brief; an untagged point or
methodology paragraph is about the region as a whole and stays in every brief.
"""

from __future__ import annotations

from collections.abc import Sequence

from digibrief.project.model import Claim, ReportFile, SectionDef, Tagged


def is_scoped(report: ReportFile, focus: Sequence[str]) -> bool:
    """Whether a brief of the focus countries leaves out one of the report's countries."""
    return set(report.countries) - set(focus) != set()


def shows(countries: Sequence[str], focus: Sequence[str]) -> bool:
    """Whether a brief of the focus countries shows every one of countries."""
    return set(countries) <= set(focus)


def text_of(claim: Claim) -> str:
    return claim.text if isinstance(claim, Tagged) else claim


MOST = 5  # a scoped brief's takeaways: one list slide of the deck


def takeaways(report: ReportFile, focus: Sequence[str]) -> list[str]:
    """The takeaways of a brief of the focus countries: the report's own in the regional brief; in a
    scoped one, at most MOST: those tagged only with its countries, then the countries' own, taken in
    turn (each one's first, then each one's second, in report order)."""
    if not is_scoped(report, focus):
        return [text_of(t) for t in report.takeaways]
    tagged = [t.text for t in report.takeaways if isinstance(t, Tagged) and shows(t.countries, focus)]
    lists = [report.country_takeaways.get(c, []) for c in report.countries if c in focus]
    own = [texts[i] for i in range(max(map(len, lists), default=0)) for texts in lists if i < len(texts)]
    return list(dict.fromkeys([*tagged, *own]))[:MOST]


def points(report: ReportFile, section: SectionDef, focus: Sequence[str]) -> list[str]:
    """The points of a section that a brief of the focus countries shows: in a scoped brief its
    countries' own first; then the untagged ones (about the region as a whole) and those tagged only
    with its countries."""
    own = (
        [t for c in report.countries if c in focus for t in section.country_points.get(c, [])]
        if is_scoped(report, focus)
        else []
    )
    shared = [text_of(p) for p in section.points if not isinstance(p, Tagged) or shows(p.countries, focus)]
    return list(dict.fromkeys([*own, *shared]))
