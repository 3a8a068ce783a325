"""The heatmap: countries by risk categories, each cell coloured by its level and labelled in words.

Labels and column heads shrink, wrap and at last hyphenate to fit their cells, so the grid keeps
the medium's width whatever the number of categories; an unassessed cell is hatched and says n/a.
"""

from __future__ import annotations

from matplotlib.collections import LineCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from digibrief.document.chartlayout import layout
from digibrief.document.types import ChartSpec

from .base import ChartDrawing, Frame
from .colours import text_on


def hatch_segments(
    j: float, i: float, cw: float, ch: float, step: float, inset: float
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """45-degree hatch lines for cell (column j, row i) of cw x ch inches, in data coordinates."""
    out = []
    w, h = cw - 2 * inset, ch - 2 * inset
    c = -h
    while c < w:
        s0, s1 = max(0.0, -c), min(h, w - c)
        if s1 > s0:
            (xa, ya), (xb, yb) = (c + s0, s0), (c + s1, s1)
            out.append(
                (
                    (j + (inset + xa) / cw, i + 1 - (inset + ya) / ch),
                    (j + (inset + xb) / cw, i + 1 - (inset + yb) / ch),
                )
            )
        c += step
    return out


def draw_heatmap(ctx: ChartDrawing, spec: ChartSpec) -> None:
    """One row per country and one column per category; the cells fill the medium's width."""
    t = ctx.theme
    rows, cols = list(spec.rows), list(spec.columns)
    n, m = len(rows), len(cols)
    notes = ctx.notes(layout(spec, ctx.speech).notes)
    if not n or not m:
        ctx.set_height(1.0 + notes.height)
        ctx.draw_notes(notes)
        ctx.inch_text(ctx.W / 2, ctx.fig.get_size_inches()[1] / 2, ctx.speech.word("no_data"), ha="center")
        return

    def level(i: int, j: int) -> int | None:
        row = spec.cells[i] if i < len(spec.cells) else ()
        v = row[j] if j < len(row) else None
        return None if v is None else max(0, min(len(t.risk_levels) - 1, int(v)))

    def level_text(v: int) -> str:
        return spec.level_labels[v] if v < len(spec.level_labels) else str(v)

    gap = ctx.inch(ctx.pt * 0.6)
    prop = ctx.font()
    left = max(ctx.width(r, prop) for r in rows) + gap + 0.04
    right = 0.04
    cell_w = (ctx.W - left - right) / m
    room = cell_w - ctx.inch(ctx.pt * 0.45)  # text width a cell (or its column head) can take
    floor = 6.0 if ctx.pt < 10 else 8.5  # smallest type for heads and cell labels, points
    scales = [sc for sc in (1.0, 0.92, 0.85, 0.78, 0.72, 0.66) if sc == 1.0 or ctx.pt * sc >= floor]

    def fit(texts: list[str], most_lines: int) -> tuple[FontProperties, list[str]] | None:
        """The largest type at which every text wraps into at most most_lines lines."""
        for scale in scales:
            prop = ctx.font(size=ctx.pt * scale)
            out = [ctx.wrap(t, prop, room) for t in texts]
            if all(o.count("\n") < most_lines and ctx.width(o, prop) <= room for o in out):
                return prop, out
        return None

    def hyphenated(texts: list[str]) -> tuple[FontProperties, list[str]]:
        prop = ctx.font(size=ctx.pt * scales[-1])
        return prop, [ctx.wrap(t, prop, room, hyphenate=True) for t in texts]

    # column heads: two lines at the largest type that allows it, else three; a word is split
    # with a hyphen only if it cannot fit even at the smallest type
    head_prop, heads = fit(cols, 2) or fit(cols, 3) or hyphenated(cols)
    head_h = max(ctx.measure(h, head_prop)[1] for h in heads)

    # cell labels: one line if a smaller type allows it, else two, else hyphenated
    used = sorted(v for v in {level(i, j) for i in range(n) for j in range(m)} if v is not None)
    # the word for an unassessed cell comes from the same table as the level words, and fits alike
    labels = [level_text(v) for v in used] + [spec.level_missing or ctx.speech.word("not_available")]
    cell_prop, cell_texts = fit(labels, 1) or fit(labels, 2) or hyphenated(labels)
    texts: dict[int | None, str] = dict(zip([*used, None], cell_texts, strict=True))
    text_h = max([ctx.measure(s, cell_prop)[1] for s in texts.values()] + [ctx.line_height(prop)])
    cell_h = max(ctx.em * 2.5, text_h + ctx.em * 0.9)
    frame = Frame(notes, left=left, right=right, top=head_h + gap + 0.04, above_notes=0.06)
    if frame.top + frame.bottom + n * cell_h > ctx.H:
        cell_h = max((ctx.H - frame.top - frame.bottom) / n, text_h + ctx.em * 0.3)
    ax = ctx.axes(frame, plot_h=n * cell_h)
    ax.set_xlim(0, m)
    ax.set_ylim(n, 0)
    ax.set_axis_off()

    sep = 1.6 if ctx.pt < 10 else 2.5  # white gutter between cells, points
    hatch: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for i in range(n):
        for j in range(m):
            v = level(i, j)
            fill = t.paper if v is None else t.risk_levels[v]
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=fill, edgecolor=t.paper, lw=sep, zorder=1))
            if v is None:
                hatch += hatch_segments(j, i, cell_w, cell_h, ctx.inch(ctx.pt * 0.55), ctx.inch(sep * 0.75))
                ctx.text(
                    ax,
                    j + 0.5,
                    i + 0.5,
                    texts[None],
                    ha="center",
                    va="center" if "\n" in texts[None] else "center_baseline",
                    multialignment="center",
                    color=t.muted,
                    zorder=4,
                    size=cell_prop.get_size_in_points(),
                    bbox={"boxstyle": "square,pad=0.25", "fc": t.paper, "ec": "none"},
                )
            else:
                ctx.text(
                    ax,
                    j + 0.5,
                    i + 0.5,
                    texts[v],
                    ha="center",
                    va="center" if "\n" in texts[v] else "center_baseline",
                    zorder=4,
                    color=text_on(fill, t.ink),
                    multialignment="center",
                    size=cell_prop.get_size_in_points(),
                )
    if hatch:
        ax.add_collection(LineCollection(hatch, colors=t.rule, linewidths=0.7, zorder=2))

    row_tr = offset_copy(ax.transData, fig=ctx.fig, x=-gap * 72, y=0, units="points")
    stand_out = spec.row_emphasis if len(spec.row_emphasis) == n else (False,) * n
    for i, r in enumerate(rows):
        if not any(stand_out):
            ctx.text(ax, 0, i + 0.5, r, ha="right", va="center", transform=row_tr)
            continue
        # the rows of the countries the brief is about: named in bold and framed in ink
        colour = t.ink if stand_out[i] else t.muted
        ctx.text(
            ax, 0, i + 0.5, r, ha="right", va="center", transform=row_tr, bold=stand_out[i], color=colour
        )
        if stand_out[i]:
            ax.add_patch(Rectangle((0, i), m, 1, fill=False, edgecolor=t.ink, lw=1.4, zorder=5))
    head_tr = offset_copy(ax.transData, fig=ctx.fig, x=0, y=gap * 72 * 0.6, units="points")
    for j, h in enumerate(heads):
        ctx.text(
            ax,
            j + 0.5,
            0,
            h,
            ha="center",
            va="bottom",
            transform=head_tr,
            color=t.ink,
            size=head_prop.get_size_in_points(),
            multialignment="center",
        )
