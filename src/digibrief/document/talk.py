"""Talking points: the number a slide rests on, with its status, and the caveat a speaker owes.

The speaker notes' words, for the deck writer to set: built from the document's fields (a chart's series and their statuses, a panel's figures), never from
the brief's paragraphs or a chart's alt text, so the notes say what to say instead of repeating what
the page prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from digibrief.document.numbers import fmt
from digibrief.document.types import ChartSpec, KeyFigure, Series, SeriesPoint, Text, plain
from digibrief.document.words import Speech

# how to say a figure's status aloud
STATUS_SAID = {
    "verified": "from the publisher's own data",
    "reported": "reported by a single source and not cross-checked, so call it reported",
    "unverified": "unverified, so say that it could not be confirmed",
}
# the caveat each kind of number carries
UNIT_CAVEAT = {
    "rank": "A rank is a place among the countries an edition covers, and that number changes; give the total.",
    "score": "Compare scores within one edition only: the survey changes its method between editions.",
    "percent": "ITU revises past years, so these are its current estimates, not the figures first published.",
    "per100": "Subscriptions count lines, not people, and ITU revises past years.",
}
KIND_CAVEAT = {
    "heatmap": "A cell without a rating means the sources used are silent, not that the risk is absent.",
    "timeline": "The dates mark launches as reported; they say nothing about how many people use a service.",
}


def chart_points(c: ChartSpec, speech: Speech) -> list[str]:
    """What to say over a chart: its number (in the report's number format) with its status, the
    change, and the caveat."""
    if c.kind == "heatmap":
        points = _heatmap(c)
    elif c.kind == "timeline":
        points = _timeline(c)
    else:
        points = _series(c, speech)
    caveat = KIND_CAVEAT.get(c.kind) or UNIT_CAVEAT.get(c.unit)
    return [*points, *([caveat] if caveat else [])]


def _show(c: ChartSpec, p: SeriesPoint, speech: Speech) -> str:
    return fmt(speech, p.value, c.unit, c.decimals)


def _valued(s: Series) -> list[SeriesPoint]:
    return [p for p in s.points if p.value is not None]


def _series(c: ChartSpec, speech: Speech) -> list[str]:
    valued = [s for s in c.series if _valued(s)]
    if not valued:
        return []
    focus = [s for s in valued if s.emphasis] or (valued if len(valued) == 1 else [])
    out: list[str] = []
    if focus:
        s = focus[0]
        pts = _valued(s)
        first, last = pts[0], pts[-1]
        out.append(
            f"The number to give: {s.label} at {_show(c, last, speech)} in {last.year}, "
            f"{STATUS_SAID[last.status]}."
        )
        if first is not last:
            out.append(f"For the change, set it against {_show(c, first, speech)} in {first.year}.")
        if c.kind == "online_offline" and last.value is not None:
            out.append(
                f"Put the other way, {fmt(speech, 100 - last.value, 'percent', 1)} were still offline."
            )
        flagged = sorted({p.year for p in pts if p.status != "verified"})
    else:
        latest = [(s, _valued(s)[-1]) for s in valued]
        ordered = sorted(latest, key=lambda sp: sp[1].value or 0.0, reverse=not c.invert)
        (top, tp), (bottom, bp) = ordered[0], ordered[-1]
        out.append(
            f"The numbers to give: {top.label} is ahead at {_show(c, tp, speech)} ({tp.year}), "
            f"{bottom.label} behind at {_show(c, bp, speech)} ({bp.year})."
        )
        statuses = {tp.status, bp.status}
        out.append(
            "Both come from the publisher's own data."
            if statuses == {"verified"}
            else "One of them is not from the publisher's own data: say which when you quote it."
        )
        flagged = sorted({p.year for s in valued for p in _valued(s) if p.status != "verified"})
    if flagged:
        years = " and ".join(
            [", ".join(str(y) for y in flagged[:-1]), str(flagged[-1])]
            if len(flagged) > 1
            else [str(flagged[0])]
        )
        out.append(f"Caveat: the values for {years} rest on a single report or could not be confirmed.")
    return out


def _heatmap(c: ChartSpec) -> list[str]:
    rated = [v for row in c.cells for v in row if v is not None]
    if not rated or not c.rows:
        return []
    top = max(rated)
    counts = [sum(1 for v in row if v == top) for row in c.cells]
    lead = max(range(len(c.rows)), key=lambda i: counts[i])
    word = c.level_labels[top] if top < len(c.level_labels) else str(top)
    blank = sum(1 for row in c.cells for v in row if v is None)
    total = sum(len(row) for row in c.cells)
    thinnest = max(range(len(c.rows)), key=lambda i: sum(1 for v in c.cells[i] if v is None))
    out = [
        f"The number to give: {c.rows[lead]} has {counts[lead]} risks rated at the top level, {word.lower()}."
    ]
    if blank:
        out.append(f"{blank} of the {total} cells are not assessed, most of them for {c.rows[thinnest]}.")
    return out


def _timeline(c: ChartSpec) -> list[str]:
    events = sorted(
        ((lane.label, e) for lane in c.lanes for e in lane.events), key=lambda t: (t[1].year, t[1].month or 0)
    )
    if not events:
        return []
    (who, first), (last_who, last) = events[0], events[-1]
    return [
        f"The numbers to give: {len(events)} milestones across {len(c.lanes)} countries, "
        f"from {who} in {first.year} to {last_who} in {last.year}."
    ]


def figure_points(items: Sequence[KeyFigure]) -> list[str]:
    """What to say over a panel of key figures: each figure with its period and status, then the caveat."""
    if not items:
        return []
    said = "; ".join(f"{k.label}, {k.fact.display}{_when(k)}" for k in items)
    out = [f"The figures to give, with their status: {said}."]
    statuses = {k.fact.status for k in items}
    if "reported" in statuses:
        out.append("Say 'reported' for those so marked: each rests on a single source, not cross-checked.")
    if "unverified" in statuses:
        out.append("An unverified figure could not be confirmed; say so if you use it.")
    return out


def also_said(items: Sequence[KeyFigure]) -> str:
    """The figures a slide has no room for, each with its period and status."""
    return "Also worth saying: " + "; ".join(f"{k.label}, {k.fact.display}{_when(k)}" for k in items) + "."


def _when(k: KeyFigure) -> str:
    """' (2021, reported)': a figure's period and, unless verified or already said, its status."""
    period = k.fact.period
    status = "" if k.fact.status == "verified" or k.fact.status in period else k.fact.status
    when = ", ".join(x for x in (period, status) if x)
    return f" ({when})" if when else ""


def text_points(text: Text) -> str:
    """A slide's text as said aloud, then the status of any figure in it that is not verified."""
    said = " ".join(plain(text).split())
    flagged = [r.fact for r in text if r.fact is not None and r.fact.status != "verified"]
    said = said if not said or said[-1] in ".!?" else said + "."
    for fact in flagged:
        said += f" {fact.display} is {fact.status}."
    return said
