"""Bar charts: peer_bar (one bar per country, best first) and online_offline (a 100% column per year).

Each bar carries its value as text; a hollow bar marks a figure that is reported or unverified.
"""

from __future__ import annotations

from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from digibrief.document.numbers import fmt
from digibrief.document.types import ChartSpec, SeriesPoint
from digibrief.document.words import word

from .base import Ctx, Frame, known, latest, no_data, value_text, year_runs
from .colours import WHITE, readable, text_on

Row = tuple[str, SeriesPoint | None, bool]  # label, latest point, emphasis

# --- peer_bar ------------------------------------------------------------------------------------


def draw_peer_bar(ctx: Ctx, spec: ChartSpec) -> None:
    """Each country's latest value as a horizontal bar, best first, countries without one last."""
    t = ctx.theme
    focus_any = any(s.emphasis for s in spec.series)
    rows: list[Row] = [(s.label, latest(s), s.emphasis) for s in spec.series]
    have = [r for r in rows if r[1] is not None]
    missing = [r for r in rows if r[1] is None]
    lower_is_better = spec.invert or spec.unit == "rank"

    def best_first(row: Row) -> float:
        value = row[1].value if row[1] is not None else None
        assert value is not None  # latest() returns only points with a value
        return value if lower_is_better else -value

    have.sort(key=best_first)
    rows = have + missing
    years = {r[1].year for r in have if r[1] is not None}
    show_year = len(years) > 1

    def label(p: SeriesPoint | None) -> str:
        if p is None:
            return word("not_available")
        text = value_text(spec, p.value)
        return f"{text} ({p.year})" if show_year else text

    name_w = max((ctx.width(r[0], ctx.font(r[2])) for r in rows), default=0.3)
    val_w = max((ctx.width(label(r[1]), ctx.font(r[2])) for r in rows), default=0.3)
    gap = ctx.inch(ctx.pt * 0.5)
    n = max(len(rows), 1)
    row_h = ctx.em * 2.3
    frame = Frame(
        ctx.notes(spec), left=name_w + gap + 0.04, right=val_w + gap + 0.06, top=0.06, above_notes=0.06
    )
    ax = ctx.axes(frame, plot_h=n * row_h)
    ax.spines["bottom"].set_visible(False)
    ax.set_xticks([])

    values = [r[1].value for r in have if r[1] is not None and r[1].value is not None]
    xmax = max(values, default=1.0)
    if spec.value_range is not None and spec.value_range[1] >= xmax:
        xmax = spec.value_range[1]
    xmin = min(0.0, *values) if values else 0.0
    ax.set_xlim(xmin, xmax if xmax > xmin else xmin + 1)
    ax.set_ylim(n - 0.5, -0.5)
    ax.axvline(0, color=t.muted, lw=0.8, zorder=3)

    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    for tick, (_, _, emph) in zip(ax.get_yticklabels(), rows, strict=True):
        tick.set_fontproperties(ctx.font(emph))
        tick.set_color(t.ink if emph or not focus_any else t.muted)
    ax.tick_params(axis="y", pad=gap * 72)

    bar_h = 0.62
    after = offset_copy(ax.transData, fig=ctx.fig, x=ctx.pt * 0.4, y=0, units="points")
    for i, (_, p, emph) in enumerate(rows):
        colour = t.focus if emph or not focus_any else t.peer
        if p is None or p.value is None:
            ctx.text(ax, 0, i, word("not_available"), va="center", ha="left", color=t.muted, transform=after)
            continue
        hollow = p.status != "verified"
        ax.add_patch(
            Rectangle(
                (0, i - bar_h / 2),
                p.value,
                bar_h,
                facecolor=WHITE if hollow else colour,
                edgecolor=colour,
                lw=1.0 if hollow else 0,
                zorder=2,
            )
        )
        ctx.text(
            ax,
            p.value,
            i,
            label(p),
            va="center",
            ha="left",
            bold=emph,
            transform=after,
            color=readable(colour) if emph else t.ink,
        )


# --- online_offline ------------------------------------------------------------------------------


def draw_online_offline(ctx: Ctx, spec: ChartSpec) -> None:
    """The online share of each year as a column on a 100% offline one, both parts labelled."""
    t = ctx.theme
    s = next((x for x in spec.series if x.key == "online"), spec.series[0] if spec.series else None)
    points = sorted(s.points, key=lambda p: p.year) if s else []
    have = known(points)
    missing = [p.year for p in points if p.value is None]
    online_c, offline_c = t.focus, t.rule
    extra = [word("no_data_left_out", years=year_runs(missing))] if missing else []
    if not have:
        extra = [word("no_data") + "."]

    tick_prop = ctx.font()
    words = (word("online"), word("offline"))
    label_w = max(ctx.width(w, ctx.font(True)) for w in words)
    gap = ctx.inch(ctx.pt * 0.5)
    head = ctx.line_height(tick_prop) + ctx.inch(ctx.pt * 0.5)  # room for labels above a bar
    frame = Frame(
        ctx.notes(spec, extra), left=0.08, right=label_w + gap + 0.06, top=0.04, x_labels=ctx.tick_band
    )
    ax = ctx.axes(frame)
    axes_h = ax.bbox.height / ctx.fig.dpi
    # room above the bars only if some offline share is too thin to hold its own label
    thin = any((100 - (p.value or 0)) / 100 * (axes_h - head) < head for p in have)
    top = 100 * (1 + head / max(axes_h - head, 0.1)) if thin else 100.0
    ax.set_ylim(0, top)
    ax.set_yticks([])
    years = [p.year for p in have]
    x0, x1 = (min(years), max(years)) if years else (0, 1)
    ax.set_xlim(x0 - 0.6, x1 + 0.6)
    ax.set_xticks(years, [str(y) for y in years], fontproperties=tick_prop)
    if len(years) > 1:
        per_year = ax.bbox.width / ctx.fig.dpi / (x1 - x0 + 1.2)
        if per_year < ctx.width("2020", tick_prop) * 1.25:
            step = 2 if per_year * 2 >= ctx.width("2020", tick_prop) * 1.25 else 5
            shown = [y for y in years if (y - x0) % step == 0 or y == x1]
            ax.set_xticks(shown, [str(y) for y in shown], fontproperties=tick_prop)
    if not have:
        no_data(ctx, ax)
        return

    width = 0.72
    per_unit_x = ax.bbox.width / ctx.fig.dpi / (x1 - x0 + 1.2)  # inches per year
    per_unit_y = ax.bbox.height / ctx.fig.dpi / top  # inches per percentage point
    bar_w = width * per_unit_x
    line_h = ctx.line_height(tick_prop)

    def fitting(v: float) -> tuple[str, float]:
        """The longest form of the value that fits in the bar, and its rotation."""
        for text in (fmt(v, "percent", spec.decimals), f"{v:.{spec.decimals}f}", f"{v:.0f}"):
            if ctx.width(text, tick_prop) <= bar_w - ctx.inch(2):
                return text, 0
        return f"{v:.0f}", 90

    for p in have:
        v = max(0.0, min(100.0, p.value or 0.0))
        hollow = p.status != "verified"
        ax.bar(
            p.year,
            v,
            width=width,
            color=WHITE if hollow else online_c,
            edgecolor=online_c,
            lw=1.0 if hollow else 0,
            zorder=2,
        )
        ax.bar(p.year, 100 - v, bottom=v, width=width, color=offline_c, lw=0, zorder=2)
        for part, lo, hi, fill in (("on", 0, v, online_c), ("off", v, 100, offline_c)):
            value = hi - lo
            text, rot = fitting(value)
            need = (ctx.width(text, tick_prop) if rot else line_h) + ctx.inch(3)
            if (hi - lo) * per_unit_y >= need:
                y, va = (lo + hi) / 2, "center"
                colour = text_on(WHITE if (hollow and part == "on") else fill, t.ink)
            elif part == "on":  # too thin: write it just above, on the offline part
                y, va = hi + ctx.inch(1.5) / per_unit_y, "bottom"
                colour = readable(online_c, offline_c)
            else:  # too thin: above the bar
                y, va = 100 + ctx.inch(1.5) / per_unit_y, "bottom"
                colour = t.muted
            ctx.text(
                ax,
                p.year,
                y,
                text,
                ha="center",
                va=va,
                color=colour,
                rotation=rot,
                zorder=4,
                rotation_mode="anchor" if rot == 0 else "default",
            )

    last = max(have, key=lambda p: p.year)
    v = max(0.0, min(100.0, last.value or 0.0))
    xl = last.year + width / 2 + gap / per_unit_x
    ctx.text(ax, xl, v / 2, word("online"), bold=True, color=readable(online_c), va="center")
    ctx.text(ax, xl, (v + 100) / 2, word("offline"), bold=True, color=t.muted, va="center")
