"""Bar charts: peer_bar (one bar per country, best first) and online_offline (a 100% column per year).

Each bar carries its value as text; a hollow bar marks a figure that is reported or unverified.
"""

from __future__ import annotations

from matplotlib.patches import Rectangle
from matplotlib.transforms import offset_copy

from digibrief.document.chartlayout import layout
from digibrief.document.types import ChartSpec

from .base import ChartDrawing, Frame, no_data
from .colours import readable, text_on

# --- peer_bar ------------------------------------------------------------------------------------


def draw_peer_bar(ctx: ChartDrawing, spec: ChartSpec) -> None:
    """Each country's latest value as a horizontal bar, best first, countries without one last."""
    t = ctx.theme
    lay = layout(spec, ctx.speech)
    rows = lay.series
    focus_any = any(r.emphasis for r in rows)

    name_w = max((ctx.width(r.name, ctx.font(r.emphasis)) for r in rows), default=0.3)
    val_w = max((ctx.width(r.labels[0].text, ctx.font(r.emphasis)) for r in rows), default=0.3)
    gap = ctx.inch(ctx.pt * 0.5)
    n = max(len(rows), 1)
    row_h = ctx.em * 2.3
    frame = Frame(
        ctx.notes(lay.notes), left=name_w + gap + 0.04, right=val_w + gap + 0.06, top=0.06, above_notes=0.06
    )
    ax = ctx.axes(frame, plot_h=n * row_h)
    ax.spines["bottom"].set_visible(False)
    ax.set_xticks([])
    ax.set_xlim(lay.axis.lo, lay.axis.hi)
    ax.set_ylim(n - 0.5, -0.5)
    ax.axvline(0, color=t.muted, lw=0.8, zorder=3)

    ax.set_yticks(range(len(rows)), [r.name for r in rows])
    for tick, r in zip(ax.get_yticklabels(), rows, strict=True):
        tick.set_fontproperties(ctx.font(r.emphasis))
        tick.set_color(t.ink if r.emphasis or not focus_any else t.muted)
    ax.tick_params(axis="y", pad=gap * 72)

    bar_h = 0.62
    after = offset_copy(ax.transData, fig=ctx.fig, x=ctx.pt * 0.4, y=0, units="points")
    for i, r in enumerate(rows):
        colour = t.focus if r.emphasis or not focus_any else t.peer
        mark, text = r.marks[0], r.labels[0].text
        if mark.value is None:
            ctx.text(ax, 0, i, text, va="center", ha="left", color=t.muted, transform=after)
            continue
        ax.add_patch(
            Rectangle(
                (0, i - bar_h / 2),
                mark.value,
                bar_h,
                facecolor=t.paper if mark.open else colour,
                edgecolor=colour,
                lw=1.0 if mark.open else 0,
                zorder=2,
            )
        )
        ctx.text(
            ax,
            mark.value,
            i,
            text,
            va="center",
            ha="left",
            bold=r.emphasis,
            transform=after,
            color=readable(colour, t.paper) if r.emphasis else t.ink,
        )


# --- online_offline ------------------------------------------------------------------------------


def draw_online_offline(ctx: ChartDrawing, spec: ChartSpec) -> None:
    """The online share of each year as a column on a 100% offline one, both parts labelled; the last
    column's parts are named beside it instead of a legend."""
    t = ctx.theme
    lay = layout(spec, ctx.speech)
    online_c, offline_c = t.focus, t.rule
    years = [int(y) for y in lay.categories]
    on, off = lay.series  # the online part and the offline part
    have = [k for k, m in enumerate(on.marks) if m.value is not None]

    tick_prop = ctx.font()
    label_w = max((ctx.width(s.end, ctx.font(s.emphasis)) for s in lay.series), default=0.0)
    gap = ctx.inch(ctx.pt * 0.5)
    head = ctx.line_height(tick_prop) + ctx.inch(ctx.pt * 0.5)  # room for labels above a bar
    frame = Frame(
        ctx.notes(lay.notes), left=0.08, right=label_w + gap + 0.06, top=0.04, x_labels=ctx.tick_band
    )
    ax = ctx.axes(frame)
    if lay.empty:
        ax.set_yticks([])
        ax.set_xticks([])
        no_data(ctx, ax)
        return
    axes_h = ax.bbox.height / ctx.fig.dpi
    # room above the bars only if some offline share is too thin to hold its own label
    thin = any((100 - (on.marks[k].value or 0)) / 100 * (axes_h - head) < head for k in have)
    top = 100 * (1 + head / max(axes_h - head, 0.1)) if thin else 100.0
    ax.set_ylim(0, top)
    ax.set_yticks([])
    shown = [years[k] for k in have]
    x0, x1 = years[0], years[-1]
    ax.set_xlim(x0 - 0.6, x1 + 0.6)
    ax.set_xticks(shown, [str(y) for y in shown], fontproperties=tick_prop)
    if len(shown) > 1:
        per_year = ax.bbox.width / ctx.fig.dpi / (x1 - x0 + 1.2)
        if per_year < ctx.width("2020", tick_prop) * 1.25:
            step = 2 if per_year * 2 >= ctx.width("2020", tick_prop) * 1.25 else 5
            shown = [y for y in shown if (y - x0) % step == 0 or y == x1]
            ax.set_xticks(shown, [str(y) for y in shown], fontproperties=tick_prop)

    width = 0.72
    per_unit_x = ax.bbox.width / ctx.fig.dpi / (x1 - x0 + 1.2)  # inches per year
    per_unit_y = ax.bbox.height / ctx.fig.dpi / top  # inches per percentage point
    bar_w = width * per_unit_x
    line_h = ctx.line_height(tick_prop)
    texts = {(part.key, lb.at): lb.text for part in lay.series for lb in part.labels}

    for k in have:
        v = on.marks[k].value or 0.0
        hollow = on.marks[k].open
        year = years[k]
        ax.bar(
            year,
            v,
            width=width,
            color=t.paper if hollow else online_c,
            edgecolor=online_c,
            lw=1.0 if hollow else 0,
            zorder=2,
        )
        ax.bar(year, 100 - v, bottom=v, width=width, color=offline_c, lw=0, zorder=2)
        for part, lo, hi, fill in ((on, 0, v, online_c), (off, v, 100, offline_c)):
            text = texts.get((part.key, k))
            if text is None:  # the last column: its parts are named beside it
                continue
            rot = 0 if ctx.width(text, tick_prop) <= bar_w - ctx.inch(2) else 90
            need = (ctx.width(text, tick_prop) if rot else line_h) + ctx.inch(3)
            if (hi - lo) * per_unit_y >= need:
                y, va = (lo + hi) / 2, "center"
                colour = text_on(t.paper if (hollow and part is on) else fill, t.ink)
            elif part is on:  # too thin: write it just above, on the offline part
                y, va = hi + ctx.inch(1.5) / per_unit_y, "bottom"
                colour = readable(online_c, offline_c)
            else:  # too thin: above the bar
                y, va = 100 + ctx.inch(1.5) / per_unit_y, "bottom"
                colour = t.muted
            ctx.text(
                ax,
                year,
                y,
                text,
                ha="center",
                va=va,
                color=colour,
                rotation=rot,
                zorder=4,
                rotation_mode="anchor" if rot == 0 else "default",
            )

    last = years[on.last]
    v = on.marks[on.last].value or 0.0
    xl = last + width / 2 + gap / per_unit_x
    ctx.text(ax, xl, v / 2, on.end, bold=True, color=readable(online_c, t.paper), va="center")
    ctx.text(ax, xl, (v + 100) / 2, off.end, bold=True, color=t.muted, va="center")
