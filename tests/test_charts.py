"""Charts: every kind renders to SVG and PNG, reproducibly, with readable, non-overlapping text.

The specs below use realistic values (UN EGDI scores, ITU internet users) so that the label
placement is tested on the crowding that real data produces.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from functools import cache
from itertools import combinations
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from digibrief.charts import MEDIA, Medium, contact_sheet, draw, render
from digibrief.document.types import ChartSpec, Event, Lane, Series, SeriesPoint
from digibrief.project.model import ThemeFile
from digibrief.project.theming import make_theme
from digibrief.theme import Theme
from digibrief.vocabulary import print_medium

PRINT, PRINT_TALL = MEDIA["print"], MEDIA["print_tall"]
SLIDE_WIDE, SLIDE_HALF = MEDIA["slide_wide"], MEDIA["slide_half"]


def medium_for(kind: str, medium: Medium) -> Medium:
    """The medium a writer asks for: its tall print box for the kinds that need height."""
    return MEDIA[print_medium(kind)] if medium is PRINT else medium


ROOT = Path(__file__).resolve().parents[1]
NAMES = {
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
    "AZE": "Azerbaijan",
}


@cache
def theme() -> Theme:
    data = yaml.safe_load((ROOT / "report" / "theme.yaml").read_text(encoding="utf-8"))
    return make_theme(ThemeFile.model_validate(data), ROOT / "report")


def series(key: str, years: list[int], values: list[float | None], **kw) -> Series:
    status = kw.pop("status", {})
    points = tuple(SeriesPoint(y, v, status.get(y, "verified")) for y, v in zip(years, values, strict=True))
    return Series(key, NAMES.get(key, key), points, **kw)


# --- realistic specs -----------------------------------------------------------------------------

EGDI_YEARS = [2016, 2018, 2022, 2024]
EGDI = {
    "KAZ": [0.72499, 0.7597, 0.8628, 0.90093],
    "UZB": [0.54335, 0.6207, 0.7265, 0.7999],
    "KGZ": [0.49686, 0.5835, 0.6977, 0.7316],
    "TJK": [0.33663, 0.422, 0.5039, 0.56055],
    "TKM": [0.33369, 0.3652, 0.4808, 0.47569],
}
NET_YEARS = list(range(2010, 2024))
NET = {
    "KAZ": [31.6, 50.6, 53.3, 63.3, 66.0, 70.8, 76.8, 76.4, 78.9, 81.9, 85.9, 90.9, 90.9, 92.8785],
    "UZB": [15.9, 18.6, 23.6, 26.8, 35.5, 42.8, 46.8, 52.3, 55.2, 70.4, 71.1, 76.6, 83.2, 88.9],
    "KGZ": [16.3, 17.5, 19.8, 23.4, 28.3, 30.2, 34.5, 38.0, 38.2, 50.4, 72.1, 77.9, 78.2, 86.0],
    "TJK": [11.6, 13.0, 14.5, 16.0, 17.5, 19.0, 20.5, 22.0, None, None, 31.0, 33.5, 36.0872, None],
    "TKM": [3.0, 5.0, 7.2, 9.6, 12.2, 15.0, 18.0, 21.251, None, None, None, None, None, None],
}
AZE_NET = [46.0, 50.0, 54.2, 58.7, 61.0, 67.0, 78.2, 79.8, 79.0, 81.1, 84.6, 86.0, 88.0, 89.3]


def egdi_spec(focus: str | None = None, extra: bool = False) -> ChartSpec:
    rows = [series(k, EGDI_YEARS, v, emphasis=k == focus) for k, v in EGDI.items()]
    if extra:  # one more country and one missing value
        rows.append(series("AZE", EGDI_YEARS, [0.7012, 0.7100, None, 0.7860]))
        rows[2] = series("KGZ", EGDI_YEARS, [0.49686, None, 0.6977, 0.7316])
    return ChartSpec(
        id="overview-egdi-score" + ("-extra" if extra else ""),
        kind="index_by_year",
        title="E-government development keeps rising across the region",
        subtitle="E-Government Development Index, score 0-1, UN survey years 2016-2024",
        source_line="Source: UN DESA, E-Government Survey (2016, 2018, 2022, 2024).",
        alt="EGDI scores for five countries.",
        unit="score",
        unit_label="score 0-1",
        decimals=2,
        value_range=(0.0, 1.0),
        series=tuple(rows),
    )


def trend_spec(focus: str | None = None, extra: bool = False, status: bool = False) -> ChartSpec:
    rows = [series(k, NET_YEARS, v, emphasis=k == focus) for k, v in NET.items()]
    if extra:
        rows.append(series("AZE", NET_YEARS, [*AZE_NET[:5], None, *AZE_NET[6:]]))
    if status:
        rows[0] = series("KAZ", NET_YEARS, NET["KAZ"], status={2023: "reported"}, emphasis=focus == "KAZ")
    return ChartSpec(
        id="overview-internet-users" + ("-extra" if extra else ""),
        kind="trend",
        title="Internet use has more than doubled since 2010",
        subtitle="Individuals using the internet, % of population, 2010-2023",
        source_line="Source: ITU via World Bank (2025).",
        alt="Internet users.",
        unit="percent",
        unit_label="% of population",
        decimals=1,
        value_range=(0.0, 100.0),
        series=tuple(rows),
    )


def rank_spec(extra: bool = False) -> ChartSpec:
    years = [2014, 2016, 2018, 2020, 2022, 2024]
    rows = [series("KAZ", years, [28, 33, 39, 29, 28, 24], emphasis=True, status={2024: "unverified"})]
    if extra:
        rows.append(series("UZB", years, [100, 80, 81, 87, None, 38]))
        rows.append(series("AZE", years, [68, 56, 70, 70, 63, 45]))
    return ChartSpec(
        id="kaz-egdi-rank" + ("-extra" if extra else ""),
        kind="rank_path",
        title="Kazakhstan stays in the top 40",
        subtitle="EGDI rank of 193 UN member states (1 = best), 2014-2024",
        source_line="Source: UN DESA, E-Government Survey (2014-2024).",
        alt="Rank path.",
        unit="rank",
        unit_label="rank of 193",
        decimals=0,
        value_range=(1.0, 193.0),
        invert=True,
        series=tuple(rows),
    )


def peer_spec(extra: bool = False, percent: bool = False) -> ChartSpec:
    if percent:
        rows = [
            series(k, [2023 if v[-1] is not None else 2022], [v[-1] or v[-2]], emphasis=k == "UZB")
            for k, v in NET.items()
            if k != "TKM"
        ]
        rows.append(series("TKM", [2017], [21.251], status={2017: "reported"}))
        return ChartSpec(
            id="uzb-peer-internet",
            kind="peer_bar",
            title="Uzbekistan is second in the region for internet use",
            subtitle="Individuals using the internet, % of population, latest year",
            source_line="Source: ITU via World Bank (2025).",
            alt="Peer bars.",
            unit="percent",
            unit_label="% of population",
            decimals=1,
            value_range=(0.0, 100.0),
            series=tuple(rows),
            notes=("Hollow bar: figure reported by a single source, not verified.",),
        )
    rows = [series(k, [2024], [v[-1]], emphasis=k == "KAZ") for k, v in EGDI.items()]
    if extra:
        rows.append(series("AZE", [2024], [0.7860]))
        rows[4] = series("TKM", [2024], [None])
    return ChartSpec(
        id="kaz-peer-egdi" + ("-extra" if extra else ""),
        kind="peer_bar",
        title="Kazakhstan leads its neighbours",
        subtitle="E-Government Development Index, score 0-1, 2024",
        source_line="Source: UN DESA, E-Government Survey (2024).",
        alt="Peer bars.",
        unit="score",
        unit_label="score 0-1",
        decimals=2,
        value_range=(0.0, 1.0),
        series=tuple(rows),
    )


def online_spec(extra: bool = False) -> ChartSpec:
    values: list[float | None] = list(NET["TJK"])
    status = {}
    if extra:
        values[3] = None
        status = {2022: "reported"}
    return ChartSpec(
        id="tjk-online-offline" + ("-extra" if extra else ""),
        kind="online_offline",
        title="Almost two in three Tajiks are still offline",
        subtitle="Share of the population using the internet, %, 2010-2022",
        source_line="Source: ITU via World Bank (2025).",
        alt="Online and offline.",
        unit="percent",
        unit_label="% of population",
        decimals=1,
        value_range=(0.0, 100.0),
        series=(series("TJK", NET_YEARS, values, status=status),),
    )


LANES = {
    "Kazakhstan": [
        (2013, 1, "Information Kazakhstan 2020 programme starts"),
        (2017, 12, "Digital Kazakhstan programme adopted"),
        (2018, 6, "eGov mobile app launched"),
        (2021, 1, "Digital documents service in eGov"),
        (2023, 3, "Concept for digital transformation 2023-2029 approved"),
    ],
    "Uzbekistan": [
        (2018, 11, "Ministry for ICT development reorganised"),
        (2019, 7, "Law on personal data adopted"),
        (2020, 10, "Digital Uzbekistan 2030 strategy approved"),
        (2021, 4, "Data localisation rule in force"),
        (2023, None, "IT Park residency regime extended"),
    ],
    "Kyrgyzstan": [
        (2017, 3, "Taza Koom programme announced"),
        (2019, 2, "Digital Transformation Concept 2019-2023 adopted"),
        (2020, 12, "Tunduk data exchange connects ministries"),
        (2024, 1, "Digital Code adopted"),
    ],
    "Tajikistan": [
        (2019, 12, "Concept of the digital economy adopted"),
        (2022, None, "Unified e-government portal launched"),
    ],
    "Turkmenistan": [
        (2018, 11, "Concept of the digital economy 2019-2025 adopted"),
        (2021, 6, "State e-services portal expanded"),
    ],
}


def timeline_spec(extra: bool = False, crowded: bool = False) -> ChartSpec:
    lanes = [Lane(k, tuple(Event(*e) for e in v)) for k, v in LANES.items()]
    if extra:
        lanes.append(Lane("Azerbaijan", (Event(2021, 2, "Ministry of Digital Development and Transport"),)))
    if crowded:
        many = tuple(Event(2020, m, f"Milestone number {m} of a busy reform year") for m in range(1, 9))
        lanes[0] = Lane("Kazakhstan", lanes[0].events + many)
    return ChartSpec(
        id="overview-milestones" + ("-extra" if extra else "") + ("-crowded" if crowded else ""),
        kind="timeline",
        title="Digital strategies arrived within a decade",
        subtitle="Dated milestones by country, 2013-2024",
        source_line="Sources: government portals (2013-2024).",
        alt="Timeline.",
        lanes=tuple(lanes),
    )


RISK_COLUMNS = (
    "Surveillance and data protection",
    "Internet shutdowns",
    "Cybersecurity capacity",
    "Digital divide",
    "Vendor lock-in and debt",
    "Platform regulation",
)
RISK_CELLS = {
    "Kazakhstan": (2, 2, 1, 1, 1, 2),
    "Uzbekistan": (2, 1, 2, 2, 2, 1),
    "Kyrgyzstan": (2, 1, 2, 2, 2, 1),
    "Tajikistan": (3, 3, 3, 3, 2, None),
    "Turkmenistan": (3, 3, None, 3, 2, 3),
}


def heatmap_spec(extra: bool = False) -> ChartSpec:
    cells = dict(RISK_CELLS)
    if extra:
        cells["Azerbaijan"] = (2, 1, 1, 0, None, 2)
    return ChartSpec(
        id="risk-matrix" + ("-extra" if extra else ""),
        kind="heatmap",
        title="Surveillance is the most widespread risk",
        subtitle="Editorial rating from 0 (none found) to 3 (high), by risk category",
        source_line="Sources: Freedom House (2024); ITU (2024); editorial assessment.",
        alt="Risk matrix.",
        rows=tuple(cells),
        columns=RISK_COLUMNS,
        cells=tuple(cells.values()),
        level_labels=("0 None found", "1 Low", "2 Medium", "3 High"),
    )


def all_specs() -> list[ChartSpec]:
    return [
        egdi_spec(),
        trend_spec(),
        timeline_spec(),
        heatmap_spec(),
        peer_spec(),
        rank_spec(),
        online_spec(),
    ]


def variants() -> list[ChartSpec]:
    return [
        egdi_spec(extra=True),
        egdi_spec(focus="UZB", extra=True),
        trend_spec(extra=True),
        trend_spec(focus="KAZ", extra=True, status=True),
        timeline_spec(extra=True),
        heatmap_spec(extra=True),
        peer_spec(extra=True),
        peer_spec(percent=True),
        rank_spec(extra=True),
        online_spec(extra=True),
    ]


KINDS = ["index_by_year", "trend", "timeline", "heatmap", "peer_bar", "rank_path", "online_offline"]


# --- helpers -------------------------------------------------------------------------------------


def text_boxes(fig):
    """Window extents of every visible, non-empty text after a draw. The figure is laid out as a draw
    lays it out (ticks, labels, text layouts) but not rasterized: the extents are the same, and the
    pixels were a third of what these tests cost."""
    from matplotlib.text import Text

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            out.append((t.get_text(), t.get_window_extent(renderer)))
    return out


def assert_text_clean(fig) -> None:
    boxes = text_boxes(fig)
    assert boxes, "no text drawn"
    frame = fig.bbox
    for text, box in boxes:
        assert box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5, f"{text!r} clipped: {box}"
        assert box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5, f"{text!r} clipped: {box}"
    for (ta, a), (tb, b) in combinations(boxes, 2):
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        assert not (w > 0.5 and h > 0.5), f"{ta!r} overlaps {tb!r}"


def spec_of(kind: str) -> ChartSpec:
    return next(s for s in all_specs() if s.kind == kind)


def variant_of(kind: str) -> ChartSpec:
    return next(s for s in variants() if s.kind == kind)


@cache
def drawn(spec: ChartSpec, medium: Medium):  # type: ignore[no-untyped-def]
    """The chart's figure, drawn once per session for the tests that only look at it."""
    return draw(spec, theme(), medium)


@cache
def rendered(spec: ChartSpec, medium: Medium, fmt: str) -> bytes:
    """The chart's bytes, rendered once per session for the tests that only read them."""
    return render(spec, theme(), medium, fmt)  # type: ignore[arg-type]


# --- every kind ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def svglib_sizes(tmp_path_factory) -> dict[str, tuple[float, float]]:
    """Every kind's SVG read back by svglib, in a separate process: svglib registers the fonts an
    SVG names process-wide, which must not leak into the PDF writer's tests."""
    import json

    folder = tmp_path_factory.mktemp("svg")
    for kind in KINDS:
        (folder / f"{kind}.svg").write_bytes(rendered(spec_of(kind), medium_for(kind, PRINT), "svg"))
    script = (
        "import json, sys; from pathlib import Path; from svglib.svglib import svg2rlg\n"
        "out = {}\n"
        "for p in sorted(Path(sys.argv[1]).glob('*.svg')):\n"
        "    d = svg2rlg(str(p)); out[p.stem] = None if d is None else (d.width, d.height)\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)], capture_output=True, text=True, check=True
    )
    return {k: tuple(v) if v else None for k, v in json.loads(done.stdout).items()}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_svg_that_svglib_imports_at_the_medium_width(kind, svglib_sizes):
    medium = medium_for(kind, PRINT)
    svg = rendered(spec_of(kind), medium, "svg")
    assert svg.startswith(b"<?xml")
    assert b"<text" in svg and b"font-family: 'DejaVu Sans'" in svg  # text stays text, in the theme's font
    size = svglib_sizes[kind]
    assert size is not None
    assert size[0] == pytest.approx(medium.width_in * 72, abs=0.5)
    assert size[1] <= medium.height_in * 72 + 0.5


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_png_at_the_medium_dpi(kind):
    from PIL import Image

    png = rendered(spec_of(kind), SLIDE_WIDE, "png")
    img = Image.open(io.BytesIO(png))
    assert img.size[0] == round(SLIDE_WIDE.width_in * SLIDE_WIDE.dpi)
    assert img.size[1] <= round(SLIDE_WIDE.height_in * SLIDE_WIDE.dpi)
    assert SLIDE_WIDE.dpi >= 200


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_with_one_more_country_and_a_missing_value(kind):
    spec = variant_of(kind)
    for medium in (medium_for(kind, PRINT), SLIDE_HALF):
        assert rendered(spec, medium, "png")[:8] == b"\x89PNG\r\n\x1a\n"
        assert_text_clean(drawn(spec, medium))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_gives_identical_bytes_twice(kind):
    spec = variant_of(kind)  # each compares a second, fresh draw with the session's first
    assert rendered(spec, PRINT, "svg") == render(spec, theme(), PRINT, "svg")
    assert rendered(spec, SLIDE_HALF, "png") == render(spec, theme(), SLIDE_HALF, "png")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("medium", [PRINT, SLIDE_WIDE, SLIDE_HALF], ids=["print", "wide", "half"])
def test_every_kind_has_no_overlapping_or_clipped_text(kind, medium):
    assert_text_clean(drawn(spec_of(kind), medium_for(kind, medium)))


@pytest.fixture(scope="module")
def child(tmp_path_factory) -> tuple[Path, list[str]]:
    """One fresh process for the tests where the process is the point, with another hash seed and
    without MPLCONFIGDIR (XDG_CACHE_HOME in a new folder): it imports digibrief.charts, says whether
    matplotlib came with it, draws a trend SVG and a timeline PNG (their specs and the theme made here
    and handed over pickled, so that it imports no test code), then prints matplotlib's config folder
    and the sha256 of the two images. (XDG_CACHE_HOME, its lines)"""
    code = (
        "import hashlib, os, pickle, sys; import digibrief.charts as c\n"
        "print('matplotlib' in sys.modules)\n"
        "trend, timeline, theme = pickle.load(sys.stdin.buffer)\n"
        "drawn = c.render(trend, theme, c.MEDIA['print'], 'svg')\n"
        "drawn += c.render(timeline, theme, c.MEDIA['slide_half'], 'png')\n"
        "print(os.environ['MPLCONFIGDIR'])\n"
        "print(hashlib.sha256(drawn).hexdigest())\n"
    )
    cache = tmp_path_factory.mktemp("xdg-cache")
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env.update(XDG_CACHE_HOME=str(cache), PYTHONHASHSEED="12345", PYTHONPATH=str(ROOT / "src"))
    specs = pickle.dumps((trend_spec(extra=True), timeline_spec(), theme()))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, input=specs, capture_output=True, check=True
    ).stdout
    return cache, out.decode().splitlines()


def test_output_is_identical_in_another_process_with_another_hash_seed(child):
    import hashlib

    _, lines = child
    here = rendered(trend_spec(extra=True), PRINT, "svg")  # drawn in this process (once per session)
    here += rendered(timeline_spec(), SLIDE_HALF, "png")
    assert lines[2] == hashlib.sha256(here).hexdigest()


def test_svg_and_png_carry_no_date_or_software_name():
    svg = rendered(spec_of("trend"), PRINT, "svg")
    assert b"<dc:date>" not in svg and b"<dc:creator>" not in svg
    png = render(spec_of("trend"), theme(), PRINT, "png")
    assert not any(chunk in png for chunk in (b"tEXt", b"iTXt", b"zTXt", b"tIME"))


def test_the_image_does_not_repeat_title_subtitle_or_source():
    for spec in all_specs():
        texts = {t for t, _ in text_boxes(drawn(spec, medium_for(spec.kind, PRINT)))}
        assert not {spec.title, spec.subtitle, spec.source_line} & texts


def test_chart_text_uses_the_theme_font_size_for_the_medium():
    fig = drawn(spec_of("trend"), PRINT)
    sizes = {round(t.get_fontsize(), 2) for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))}
    assert theme().size("chart_print") in sizes
    fig = drawn(spec_of("trend"), SLIDE_WIDE)
    sizes = {round(t.get_fontsize(), 2) for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))}
    assert theme().size("chart_slide") in sizes
    big = draw(spec_of("trend"), theme(), replace(PRINT, font_pt=9.0))
    assert 9.0 in {round(t.get_fontsize(), 2) for t in big.texts + big.axes[0].texts}


def test_media_match_the_writers_names_and_tall_kinds_get_the_tall_print_box():
    assert all(MEDIA[name].name == name for name in ("print", "print_tall", "slide_wide", "slide_half"))
    assert print_medium("timeline") == print_medium("heatmap") == "print_tall"
    assert print_medium("trend") == "print"
    assert PRINT_TALL.width_in == PRINT.width_in and PRINT_TALL.height_in > PRINT.height_in


@pytest.mark.parametrize("kind", KINDS)
def test_no_chart_is_taller_than_its_medium(kind):
    for medium in (medium_for(kind, PRINT), SLIDE_WIDE, SLIDE_HALF):
        fig = drawn(variant_of(kind), medium)
        w, h = fig.get_size_inches()
        assert w == pytest.approx(medium.width_in) and h <= medium.height_in + 1e-9


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format"):
        render(spec_of("trend"), theme(), PRINT, "gif")  # type: ignore[arg-type]


# --- line charts ---------------------------------------------------------------------------------


def labels(fig) -> list[str]:
    return [t for t, _ in text_boxes(fig)]


def test_index_by_year_puts_ticks_at_the_real_survey_years():
    fig = drawn(egdi_spec(), PRINT)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2016", "2018", "2022", "2024"]
    assert list(ax.get_xticks()) == EGDI_YEARS  # uneven gaps kept: 2018 -> 2022


def test_index_by_year_labels_each_country_at_the_right_with_its_latest_score():
    texts = labels(drawn(egdi_spec(), PRINT))
    for name, value in [("Kazakhstan", "0.90"), ("Uzbekistan", "0.80"), ("Turkmenistan", "0.48")]:
        assert f"{name} {value}" in texts


def test_trend_labels_latest_value_of_each_country():
    texts = labels(drawn(trend_spec(), PRINT))
    assert "Kazakhstan 92.9%" in texts
    assert "Tajikistan 36.1% (2022)" in texts  # 2023 missing: the label names the year
    assert "Turkmenistan 21.3% (2017)" in texts


def test_trend_draws_missing_values_as_gaps_not_zeros():
    fig = drawn(trend_spec(), PRINT)
    ax = fig.axes[0]
    ys = [line.get_ydata() for line in ax.lines if len(line.get_xdata()) == len(NET_YEARS)]
    tjk = next(y for y in ys if y[0] == pytest.approx(11.6))
    assert all(v != v for v in tjk[8:10])  # NaN, never 0
    assert 0 not in [v for y in ys for v in y]


def test_trend_spreads_close_labels_and_draws_leaders():
    fig = drawn(trend_spec(extra=True), PRINT)
    boxes = dict(text_boxes(fig))
    uzb, aze = boxes["Uzbekistan 88.9%"], boxes["Azerbaijan 89.3%"]
    assert uzb.y1 <= aze.y0 or aze.y1 <= uzb.y0
    thin = [ln for ln in fig.axes[0].lines if ln.get_linewidth() == 0.5]
    assert thin, "no leader line for a moved label"


def test_emphasis_draws_focus_in_colour_and_peers_in_grey():
    from matplotlib.colors import to_hex

    fig = draw(trend_spec(focus="KAZ"), theme(), PRINT)
    colours = {to_hex(ln.get_color()) for ln in fig.axes[0].lines if ln.get_linestyle() == "-"}
    assert theme().focus.lower() in colours and theme().peer.lower() in colours
    assert not set(p.lower() for p in theme().palette[1:]) & colours


def test_without_emphasis_series_differ_by_colour_and_marker():
    from matplotlib.colors import to_hex

    fig = drawn(egdi_spec(), PRINT)
    markers = [ln for ln in fig.axes[0].lines if ln.get_linestyle() in ("None", "none", " ", "")]
    styles = {(to_hex(ln.get_color()), ln.get_marker()) for ln in markers}
    assert len({m for _, m in styles}) == len(EGDI)
    assert len(styles) == len(EGDI)


def test_unverified_points_get_hollow_markers_and_a_note():
    fig = draw(trend_spec(focus="KAZ", status=True), theme(), PRINT)
    hollow = [ln for ln in fig.axes[0].lines if ln.get_markerfacecolor() in ("#FFFFFF", "white")]
    assert hollow and list(hollow[0].get_xdata()) == [2023]
    assert any(t.startswith("Hollow markers") for t in labels(fig))


def test_spec_notes_come_first_and_the_open_marker_note_is_never_lost():
    spec = replace(trend_spec(status=True), notes=("Figures for 2023 are preliminary.",))
    boxes = dict(text_boxes(draw(spec, theme(), PRINT)))
    hollow = [t for t in boxes if t.startswith("Hollow markers")]
    assert len(hollow) == 1, "the open-marker note once, whatever notes the spec brings"
    assert boxes["Figures for 2023 are preliminary."].y0 > boxes[hollow[0]].y0, "the spec's note above it"


def test_empty_series_and_empty_charts_still_render():
    empty = series("AZE", NET_YEARS, [None] * len(NET_YEARS))
    spec = replace(trend_spec(), series=(*trend_spec().series, empty))
    assert "No data for Azerbaijan." in labels(draw(spec, theme(), PRINT))
    for kind in KINDS:
        bare = replace(spec_of(kind), series=(), lanes=(), rows=(), columns=(), cells=())
        assert render(bare, theme(), PRINT, "svg")
        assert render(bare, theme(), SLIDE_HALF, "png")


def test_rank_path_inverts_the_axis_and_labels_each_rank():
    fig = drawn(rank_spec(), PRINT)
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    assert lo > hi  # 1 at the top
    texts = labels(fig)
    for rank in ("28th", "33rd", "39th", "29th", "24th"):
        assert rank in texts
    assert any(t.startswith("Hollow markers") for t in texts)


# --- bars ----------------------------------------------------------------------------------------


def test_peer_bar_sorts_best_first_and_highlights_the_focus():
    from matplotlib.colors import to_hex

    fig = drawn(peer_spec(), PRINT)
    ax = fig.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Tajikistan", "Turkmenistan"]
    fills = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert fills.count(theme().focus.lower()) == 1
    assert "0.90" in labels(fig)


def test_peer_bar_puts_ranks_best_first_and_missing_last_as_na():
    rank = replace(
        peer_spec(extra=True),
        unit="rank",
        invert=True,
        decimals=0,
        value_range=(1.0, 193.0),
        series=(
            series("KAZ", [2024], [24]),
            series("UZB", [2024], [38]),
            series("TKM", [2024], [None]),
            series("KGZ", [2024], [81]),
        ),
    )
    fig = draw(rank, theme(), PRINT)
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert names == ["Kazakhstan", "Uzbekistan", "Kyrgyzstan", "Turkmenistan"]
    texts = labels(fig)
    assert "24th" in texts and "n/a" in texts


def test_peer_bar_names_the_year_when_years_differ():
    texts = labels(draw(peer_spec(percent=True), theme(), PRINT))
    assert "21.3% (2017)" in texts and "92.9% (2023)" in texts


def test_online_offline_stacks_to_100_and_skips_missing_years_with_a_note():
    fig = drawn(online_spec(), PRINT)
    ax = fig.axes[0]
    tops = {}
    for p in ax.patches:
        x = round(p.get_x() + p.get_width() / 2)
        tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    assert set(tops) == {y for y, v in zip(NET_YEARS, NET["TJK"], strict=True) if v is not None}
    assert all(v == pytest.approx(100) for v in tops.values())
    texts = labels(fig)
    assert any("2018\u20132019 and 2023" in t for t in texts)
    assert any(t.startswith("Online ") for t in texts) and any(t.startswith("Offline ") for t in texts), (
        "the last column's parts are named, with their shares"
    )


# --- timeline and heatmap ------------------------------------------------------------------------


def test_timeline_places_events_at_year_and_month():
    fig = drawn(timeline_spec(), PRINT_TALL)
    ax = fig.axes[0]
    dots = [ln.get_xdata()[0] for ln in ax.lines if ln.get_marker() == "o"]
    assert 2017 + 11.5 / 12 in dots  # December 2017
    assert 2023.5 in dots  # year only: middle of the year


def test_timeline_wraps_long_labels_and_grows_within_the_medium():
    fig = drawn(timeline_spec(extra=True), PRINT_TALL)
    assert any("\n" in t for t in labels(fig))
    assert fig.get_size_inches()[1] <= PRINT_TALL.height_in
    small = draw(replace(timeline_spec(), lanes=timeline_spec().lanes[3:]), theme(), PRINT_TALL)
    assert small.get_size_inches()[1] < PRINT_TALL.height_in  # fewer lanes, shorter figure


@pytest.mark.parametrize("medium", [PRINT_TALL, SLIDE_HALF], ids=["print", "half"])
def test_crowded_timeline_still_fits_without_overlaps(medium):
    fig = draw(timeline_spec(crowded=True), theme(), medium)
    assert fig.get_size_inches()[1] <= medium.height_in
    assert_text_clean(fig)


def test_heatmap_writes_level_labels_with_contrasting_text_and_na_cells():
    from digibrief.charts.colours import contrast

    fig = drawn(heatmap_spec(), PRINT_TALL)
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_text() in ("3 High", "2 Medium", "1 Low", "n/a")]
    assert {t.get_text() for t in texts} == {"3 High", "2 Medium", "1 Low", "n/a"}
    fill = {lbl: theme().risk_levels[int(lbl[0])] for lbl in ("1 Low", "2 Medium", "3 High")}
    for t in texts:
        if t.get_text() != "n/a":
            assert contrast(t.get_color(), fill[t.get_text()]) >= 4.5
    assert sum(t.get_text() == "n/a" for t in texts) == 2


def test_heatmap_wraps_long_column_names_onto_two_lines():
    texts = labels(drawn(heatmap_spec(), PRINT_TALL))
    assert "Surveillance and\ndata protection" in texts or any(
        t.startswith("Surveillance") and t.count("\n") == 1 for t in texts
    )


# --- contact sheet -------------------------------------------------------------------------------


def test_contact_sheet_is_one_png_with_every_chart_labelled(tmp_path):
    from PIL import Image

    png = contact_sheet(all_specs()[:3], theme())
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size[0] > PRINT.width_in * 100
    assert png == contact_sheet(all_specs()[:3], theme())


def test_medium_is_frozen_and_keeps_its_defaults():
    assert Medium("print", 6.7, 3.3) == PRINT and PRINT.dpi == 220 and PRINT.font_pt is None
    with pytest.raises(AttributeError):
        PRINT.dpi = 100  # type: ignore[misc]


# --- set-up and robustness -----------------------------------------------------------------------


def test_import_is_lazy_and_matplotlib_gets_a_writable_config_dir(child):
    cache, lines = child
    assert lines[0] == "False", "matplotlib imported at import time"
    assert lines[1] == str(cache / "digibrief" / "matplotlib")
    assert (cache / "digibrief" / "matplotlib").is_dir()


@settings(max_examples=12, deadline=None, derandomize=True)
@given(
    gaps=st.lists(st.lists(st.booleans(), min_size=14, max_size=14), min_size=5, max_size=5),
    focus=st.sampled_from([None, "KAZ", "TJK"]),
)
def test_trend_labels_never_overlap_whatever_is_missing(gaps, focus):
    rows = []
    for (key, values), missing in zip(NET.items(), gaps, strict=True):
        vals = [None if m else v for v, m in zip(values, missing, strict=True)]
        rows.append(series(key, NET_YEARS, vals, emphasis=key == focus))
    spec = replace(trend_spec(), series=tuple(rows))
    assert_text_clean(draw(spec, theme(), PRINT))
