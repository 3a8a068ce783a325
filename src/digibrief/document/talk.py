"""Talking points: the number a slide rests on, with its status, and the caveat a speaker owes.

The speaker notes' words, for the deck writer to set: built from the document's fields (a chart's series and their statuses, a panel's figures), never from
the brief's paragraphs or a chart's alt text, so the notes say what to say instead of repeating what
the page prints. Every sentence is a template of the labels table (speech.word), in the report's language.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from digibrief.document.numbers import fmt
from digibrief.document.types import ChartSpec, KeyFigure, Series, SeriesPoint, Text, plain
from digibrief.document.words import Speech

# the caveat each kind of number carries: its key in the labels table
UNIT_CAVEAT = {
    "rank": "talk_caveat_rank",
    "score": "talk_caveat_score",
    "percent": "talk_caveat_percent",
    "per100": "talk_caveat_per100",
}
KIND_CAVEAT = {
    "heatmap": "talk_caveat_heatmap",
    "timeline": "talk_caveat_timeline",
}


def chart_points(c: ChartSpec, speech: Speech) -> list[str]:
    """What to say over a chart: its number (in the report's number format) with its status, the
    change, and the caveat."""
    if c.kind == "heatmap":
        points = _heatmap(c, speech)
    elif c.kind == "timeline":
        points = _timeline(c, speech)
    else:
        points = _series(c, speech)
    caveat = KIND_CAVEAT.get(c.kind) or UNIT_CAVEAT.get(c.unit)
    return [*points, *([speech.word(caveat)] if caveat else [])]


def _show(c: ChartSpec, p: SeriesPoint, speech: Speech) -> str:
    return fmt(speech, p.value, c.unit, c.decimals)


def _valued(s: Series) -> list[SeriesPoint]:
    return [p for p in s.points if p.value is not None]


def _and(speech: Speech, words: list[str]) -> str:
    """'2019, 2020 and 2021' in the labels table's words."""
    if len(words) == 1:
        return words[0]
    return speech.word("list_and", first=", ".join(words[:-1]), last=words[-1])


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
            speech.word(
                "talk_give",
                name=s.label,
                value=_show(c, last, speech),
                year=last.year,
                status=speech.word("talk_status_" + last.status),
            )
        )
        if first is not last:
            out.append(speech.word("talk_change", value=_show(c, first, speech), year=first.year))
        if c.kind == "online_offline" and last.value is not None:
            out.append(speech.word("talk_offline", value=fmt(speech, 100 - last.value, "percent", 1)))
        flagged = sorted({p.year for p in pts if p.status != "verified"})
    else:
        latest = [(s, _valued(s)[-1]) for s in valued]
        ordered = sorted(latest, key=lambda sp: sp[1].value or 0.0, reverse=not c.invert)
        (top, tp), (bottom, bp) = ordered[0], ordered[-1]
        out.append(
            speech.word(
                "talk_give_two",
                top=top.label,
                top_value=_show(c, tp, speech),
                top_year=tp.year,
                bottom=bottom.label,
                bottom_value=_show(c, bp, speech),
                bottom_year=bp.year,
            )
        )
        statuses = {tp.status, bp.status}
        out.append(speech.word("talk_both_verified" if statuses == {"verified"} else "talk_one_not_verified"))
        flagged = sorted({p.year for s in valued for p in _valued(s) if p.status != "verified"})
    if flagged:
        out.append(speech.word("talk_flagged", years=_and(speech, [str(y) for y in flagged])))
    return out


def _heatmap(c: ChartSpec, speech: Speech) -> list[str]:
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
    out = [speech.word("talk_heatmap", country=c.rows[lead], n=counts[lead], level=word.lower())]
    if blank:
        out.append(speech.word("talk_blank", n=blank, total=total, country=c.rows[thinnest]))
    return out


def _timeline(c: ChartSpec, speech: Speech) -> list[str]:
    events = sorted(
        ((lane.label, e) for lane in c.lanes for e in lane.events), key=lambda t: (t[1].year, t[1].month or 0)
    )
    if not events:
        return []
    (who, first), (last_who, last) = events[0], events[-1]
    return [
        speech.word(
            "talk_timeline",
            n=len(events),
            lanes=len(c.lanes),
            first=who,
            first_year=first.year,
            last=last_who,
            last_year=last.year,
        )
    ]


def _said(items: Sequence[KeyFigure], speech: Speech) -> str:
    """Each figure with its period and status: 'Population, 20.6 million (2024); ...'."""
    said = [speech.word("talk_figure", label=k.label, value=k.fact.display) + _when(k, speech) for k in items]
    return functools.reduce(lambda head, tail: speech.word("talk_list", first=head, next=tail), said)


def figure_points(items: Sequence[KeyFigure], speech: Speech) -> list[str]:
    """What to say over a panel of key figures: each figure with its period and status, then the caveat."""
    if not items:
        return []
    out = [speech.word("talk_figures", figures=_said(items, speech))]
    statuses = {k.fact.status for k in items}
    if "reported" in statuses:
        out.append(speech.word("talk_reported"))
    if "unverified" in statuses:
        out.append(speech.word("talk_unverified"))
    return out


def also_said(items: Sequence[KeyFigure], speech: Speech) -> str:
    """The figures a slide has no room for, each with its period and status."""
    return speech.word("talk_also", figures=_said(items, speech))


def _when(k: KeyFigure, speech: Speech) -> str:
    """' (2021, reported)': a figure's period and, unless verified or already said, its status."""
    period = k.fact.period
    word = speech.word("status_" + k.fact.status)
    status = "" if k.fact.status == "verified" or word in period else word
    when = ", ".join(x for x in (period, status) if x)
    return f" ({when})" if when else ""


def text_points(text: Text, speech: Speech) -> str:
    """A slide's text as said aloud, then the status of any figure in it that is not verified."""
    said = " ".join(plain(text).split())
    flagged = [r.fact for r in text if r.fact is not None and r.fact.status != "verified"]
    said = said if not said or said[-1] in ".!?" else said + "."
    for fact in flagged:
        said += " " + speech.word(
            "talk_fact_status", figure=fact.display, status=speech.word("status_" + fact.status)
        )
    return said
