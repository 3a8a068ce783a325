"""Tables on backup slides: cell text measured at the table size, columns sized to their content, pages
cut between rows (never a smaller font)."""

from __future__ import annotations

import math

from digibrief.document.types import Run, Table, Text
from digibrief.writers.pptx.layout import PT_PER_IN, Box, Style, TableEl
from digibrief.writers.pptx.palette import on
from digibrief.writers.pptx.text import SLACK, Metrics, Para, Span, clean

INSET = (0.08 * PT_PER_IN, 0.045 * PT_PER_IN, 0.08 * PT_PER_IN, 0.045 * PT_PER_IN)

Page = tuple[TableEl, list[tuple[Text, ...]]]  # the drawn page and the document rows it shows


def condense(cell: Text) -> Text:
    """A cell that starts with a bold headline followed by detail keeps only the headline."""
    runs = [r for r in cell if not r.cite]
    if len(runs) > 1 and runs[0].bold and not all(r.bold for r in runs):
        return (Run(runs[0].text, bold=True),)
    return tuple(runs)


def spans(cell: Text) -> tuple[Span, ...]:
    return tuple(Span(clean(r.text), r.bold, r.italic) for r in cell if not r.cite and r.text)


class Tables:
    def __init__(self, m: Metrics, st: Style):
        self.m = m
        self.st = st

    def pages(self, t: Table, box: Box, condensed: bool) -> list[Page] | None:
        """The table cut into slide-sized pages at the table size.

        None when the header or a row does not fit the box without cutting words.
        """
        if not t.columns or not t.rows:
            return None
        rows = [tuple(spans(condense(c) if condensed else c) for c in row) for row in t.rows]
        head = [(Span(clean(c), bold=True),) for c in t.columns]
        size = self.st.table
        widths = self._widths(head, rows, t.widths, box.w, size)
        cut = self._cut(head, rows, widths, box.h, size)
        if cut is None:
            return None
        c = self.st.c
        out = []
        for page in cut:
            cells, heights = self._cells(head, [rows[i] for i in page], widths, size, condensed)
            box_ = Box(box.x, box.y, box.w, sum(heights))
            el = TableEl(
                box_, widths, tuple(heights), cells, INSET, c.focus, c.band, "Table", body_fill=c.background
            )
            out.append((el, [t.rows[i] for i in page]))
        return out

    def _widths(self, head, rows, rel, total: float, size: float) -> tuple[float, ...]:
        """Columns as wide as their longest line needs when the table allows, else shared by weight."""
        n = len(head)
        pad = INSET[0] + INSET[2]
        hs = self._head_size(size)
        natural = [
            max(
                [max((self._w(w, hs, True) for w in s.text.split()), default=0.0) for s in head[j]]
                + [sum(self._w(s.text, size, s.bold) for s in row[j]) for row in rows if j < len(row)]
            )
            / SLACK
            + pad
            + 2
            for j in range(n)
        ]
        if sum(natural) <= total:
            return tuple(w * total / sum(natural) for w in natural)
        weights = list(rel) if len(rel) == n else [1.0] * n
        # the least a column takes: its longest word, so that no word is cut (what the rows' wrap needs)
        least = [
            max(
                [self._w(w, hs, True) for s in head[j] for w in s.text.split()]
                + [
                    self._w(w, size, s.bold)
                    for row in rows
                    if j < len(row)
                    for s in row[j]
                    for w in s.text.split()
                ]
                + [0.0]
            )
            / SLACK
            + pad
            + 1
            for j in range(n)
        ]
        if sum(least) > total:  # no width keeps every word whole: the caller finds it does not fit
            least = [0.0] * n
        widths = [0.0] * n
        free, open_ = total, set(range(n))
        while open_:  # columns that need less than their share keep their natural width, and none
            share = {j: free * weights[j] / sum(weights[k] for k in open_) for j in open_}  # below its least
            fixed = {j: natural[j] for j in open_ if natural[j] <= share[j]}
            fixed |= {j: least[j] for j in open_ if least[j] > share[j]}
            if not fixed:
                for j in open_:
                    widths[j] = share[j]
                break
            for j, w in fixed.items():
                widths[j] = w
                free -= w
            open_ -= set(fixed)
        return tuple(widths)

    def _w(self, text: str, size: float, bold: bool) -> float:
        return self.m.width(text, size, bold)

    def _head_size(self, size: float) -> float:
        return size

    def _cut(self, head, rows, widths, height, size) -> list[list[int]] | None:
        """Row indices per page, balanced across the fewest pages; None if a row cannot fit."""
        header = tuple((Para(h, self._head_size(size), on(self.st.c.focus)),) for h in head)
        if not self._words_fit(header, widths):
            return None
        top = self._row_height(header, widths)
        hs = []
        for row in rows:
            cells = tuple((Para(c, size, self.st.ink),) for c in row)
            if not self._words_fit(cells, widths):
                return None
            hs.append(self._row_height(cells, widths))
        if any(top + h > height for h in hs):
            return None
        pages = _greedy(hs, height - top, len(hs))
        cap = math.ceil(len(hs) / len(pages))
        balanced = _greedy(hs, height - top, cap)
        return balanced if len(balanced) == len(pages) else pages

    def _cells(self, head, rows, widths, size, condensed):
        """Cell paragraphs and row heights for one page; a group name repeated down column 1 is blanked."""
        cells = [tuple((Para(h, self._head_size(size), on(self.st.c.focus)),) for h in head)]
        heights = [self._row_height(cells[0], widths)]
        prev = None
        for row in rows:
            out = []
            for j, sp in enumerate(row):
                if condensed and j == 0:
                    name = "".join(s.text for s in sp)
                    sp = () if name == prev else sp
                    prev = name
                out.append((Para(sp, size, self.st.ink),))
            cells.append(tuple(out))
            heights.append(self._row_height(cells[-1], widths))
        return tuple(cells), heights

    def _words_fit(self, cells, widths) -> bool:
        pad = INSET[0] + INSET[2]
        return all(self.m.words_fit(p, w - pad) for c, w in zip(cells, widths, strict=False) for p in c)

    def _row_height(self, cells, widths) -> float:
        pad = INSET[0] + INSET[2]
        h = max(self.m.height(c, w - pad) for c, w in zip(cells, widths, strict=False))
        return h + INSET[1] + INSET[3] + 1.5


def _greedy(heights: list[float], room: float, cap: int) -> list[list[int]]:
    pages: list[list[int]] = [[]]
    used = 0.0
    for i, h in enumerate(heights):
        if pages[-1] and (used + h > room or len(pages[-1]) >= cap):
            pages.append([])
            used = 0.0
        pages[-1].append(i)
        used += h
    return pages
