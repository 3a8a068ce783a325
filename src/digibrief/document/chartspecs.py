"""Chart definitions in report/ plus the data → self-contained ChartSpecs with source line and alt text."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from itertools import pairwise

from digibrief.document.maplayout import bordering, overlaps, region_frame, within
from digibrief.document.numbers import fmt, ordinal
from digibrief.document.types import ChartSpec, Event, Lane, MapLabel, MapShape, Series, SeriesPoint
from digibrief.document.words import Speech
from digibrief.project.model import ChartDef, Country, GeoMap, Indicator, Project

# the last surroundings found (SpecBuilder._surroundings), by the region's countries, with the map they
# came from: held, so that its identity is never another map's; a map is frozen, so the same map
# gives the same surroundings
_AROUND: dict[tuple[str, ...], tuple[GeoMap, tuple[tuple[MapShape, ...], tuple[MapLabel, ...]]]] = {}

MAX_BARS = 12  # bars in a per-country comparison; more countries show the nearest in rank


def ordered_countries(project: Project) -> list[Country]:
    """Focus countries in report order, then the others (context) by name."""
    order = {cid: i for i, cid in enumerate(project.report.countries)}
    return sorted(project.countries.values(), key=lambda c: (order.get(c.id, len(order)), c.name))


def country_colours(project: Project) -> dict[str, int]:
    """Each focus country's palette index, decided once for the edition from the report's order, so
    that a country has one colour in every chart of both outputs; context countries have none."""
    focus = [c.id for c in ordered_countries(project) if c.role == "focus"]
    return {cid: i for i, cid in enumerate(focus)}


def source_line(project: Project, speech: Speech, source_ids: Iterable[str]) -> str:
    """'Source: UN DESA (2016, 2018); ITU via World Bank (2025).' — publishers with their dates, in speech."""
    by_publisher: dict[str, list[str]] = {}
    for sid in dict.fromkeys(source_ids):
        src = project.sources[sid]
        years = by_publisher.setdefault(short_publisher(src.publisher), [])
        if src.date[:4] not in years:
            years.append(src.date[:4])
    if not by_publisher:
        return ""
    parts = [f"{pub} ({', '.join(sorted(years))})" for pub, years in by_publisher.items()]
    return speech.word("sources_line" if len(parts) > 1 else "source_line", sources="; ".join(parts))


def short_publisher(publisher: str) -> str:
    """'UN DESA (data); UNU-EGOV (CSV compilation)' -> 'UN DESA': the name a source line needs."""
    return re.split(r"\s*[(;]", publisher, maxsplit=1)[0].strip() or publisher


def dashed(text: str) -> str:
    """Ranges of numbers with the one dash titles and subtitles use: '2016-2024' -> '2016\u20132024'."""
    return re.sub(r"(?<=\d)\s*[-\u2012\u2013\u2014]\s*(?=\d)", "\u2013", text)


def says_years(title: str, years: list[int]) -> bool:
    """Whether a title already gives the period (its first and last year), so a subtitle need not."""
    found = set(re.findall(r"(?<!\d)(\d{4})(?!\d)", title))
    return {str(min(years)), str(max(years))} <= found


def _span(years: list[int]) -> str:
    return str(years[0]) if len(set(years)) == 1 else f"{min(years)}\u2013{max(years)}"


def _latest(series: Series) -> SeriesPoint | None:
    known = [p for p in series.points if p.value is not None]
    return known[-1] if known else None


class SpecBuilder:
    """Builds ChartSpecs for one project in speech's words and number format; cite() is told every
    source a chart draws on. A brief of some countries (scope) emphasises them in regional charts."""

    def __init__(
        self,
        project: Project,
        speech: Speech,
        cite: Callable[[list[str]], tuple[int, ...]],
        scope: tuple[str, ...] = (),
    ):
        self.p = project
        self.speech = speech
        self.cite = cite
        self.scope = frozenset(scope)
        self.last_year = int(project.report.edition[:4])
        self.colours = country_colours(project)
        self.kinds: dict[str, Callable[[str, ChartDef, str | None], tuple[ChartSpec, list[str]]]] = {
            "index_by_year": self._index_by_year,
            "trend": self._trend,
            "peer_bar": self._peer_bar,
            "rank_path": self._rank_path,
            "online_offline": self._online_offline,
            "timeline": self._timeline,
            "heatmap": self._heatmap,
            "locator_map": self._locator_map,
        }

    def build(
        self, chart_id: str, d: ChartDef, country: str | None = None
    ) -> tuple[ChartSpec, tuple[int, ...]]:
        country = country or d.country
        spec_id = (f"{country.lower()}-" if country and d.country is None else "") + chart_id.replace(
            "_", "-"
        )
        spec, sources = self.kinds[d.kind](spec_id, d, country)
        return spec, self.cite(sorted(set(sources), key=list(self.p.sources).index))

    # --- helpers ---------------------------------------------------------------------------------

    def _indicator(self, d: ChartDef) -> Indicator:
        assert d.indicator is not None
        return self.p.indicators[d.indicator]

    def _emphasised(self, cid: str, focus: str | None) -> bool:
        """Whether a country's series stands out: the one a country's chart is about, or in a
        regional chart of a scoped brief, each of the brief's countries."""
        return cid == focus if focus else cid in self.scope

    def _series(
        self, d: ChartDef, years: list[int], focus: str | None, countries: list[Country] | None = None
    ) -> tuple[list[Series], list[str]]:
        ind_id = d.indicator or ""
        out, sources = [], []
        for c in countries if countries is not None else ordered_countries(self.p):
            data = c.indicators.get(ind_id, {})
            if not data:
                continue
            points = []
            for y in years:
                pt = data.get(y)
                points.append(SeriesPoint(y, pt.value if pt else None, pt.status if pt else "verified"))
                if pt:
                    sources.append(pt.source)
            out.append(
                Series(
                    c.id,
                    c.name,
                    tuple(points),
                    emphasis=self._emphasised(c.id, focus),
                    colour=self.colours.get(c.id),
                )
            )
        return out, sources

    def _years(self, d: ChartDef) -> list[int]:
        if d.years:
            return sorted(d.years)
        ind_id = d.indicator or ""
        seen = {y for c in self.p.countries.values() for y in c.indicators.get(ind_id, {})}
        lo = d.from_year or (min(seen) if seen else self.last_year)
        hi = d.to_year or (max(seen) if seen else self.last_year)
        return list(range(lo, hi + 1))

    def _subtitle(self, ind: Indicator, years: list[int], title: str = "") -> str:
        """Unit and period, with the one dash of ranges; the period left out when the title says it."""
        unit = self.speech.word("rank_best", unit=ind.unit_label) if ind.unit == "rank" else ind.unit_label
        return dashed(f"{unit}, {_span(years)}" if years and not says_years(title, years) else unit)

    def _base(
        self,
        spec_id: str,
        d: ChartDef,
        ind: Indicator,
        years: list[int],
        series: list[Series],
        alt: str,
        **kw: object,
    ) -> ChartSpec:
        focus = next((s.key for s in series if s.emphasis), None)
        return ChartSpec(
            id=spec_id,
            kind=d.kind,
            title=dashed(d.title),
            subtitle=self._subtitle(ind, years, d.headline_for(focus) or d.title),
            source_line="",
            alt=alt,
            unit=ind.unit,
            unit_label=ind.unit_label,
            decimals=ind.decimals,
            value_range=(ind.range[0], ind.range[1]),
            invert=ind.unit == "rank",
            series=tuple(series),
            **kw,  # type: ignore[arg-type]
        )

    def _with_source(self, spec: ChartSpec, sources: list[str]) -> ChartSpec:
        return replace(
            spec,
            source_line=source_line(
                self.p, self.speech, sorted(set(sources), key=list(self.p.sources).index)
            ),
        )

    def _v(self, ind: Indicator, value: float | None) -> str:
        return fmt(self.speech, value, ind.unit, ind.decimals)

    # --- kinds -----------------------------------------------------------------------------------

    def _index_by_year(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        ind, years = self._indicator(d), self._years(d)
        series, sources = self._series(d, years, country)
        alt = self.speech.word(
            "alt_index", indicator=ind.name, n=len(series), years=self._and([str(y) for y in years])
        )
        alt += self._extremes(ind, series)
        return self._with_source(self._base(spec_id, d, ind, years, series, alt), sources), sources

    def _trend(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        ind, years = self._indicator(d), self._years(d)
        series, sources = self._series(d, years, country)
        alt = self.speech.word(
            "alt_trend", indicator=ind.name.lower(), unit=ind.unit_label, n=len(series), years=_span(years)
        )
        if country:
            alt += self._focus_change(ind, series, country)
        alt += self._extremes(ind, series)
        return self._with_source(self._base(spec_id, d, ind, years, series, alt), sources), sources

    def _peer_bar(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        ind = self._indicator(d)
        series_out, sources, years = [], [], []
        for c in ordered_countries(self.p):
            data = c.indicators.get(d.indicator or "", {})
            candidates = {y: pt for y, pt in data.items() if d.year is None or y == d.year}
            if not candidates:
                series_out.append(
                    Series(
                        c.id,
                        c.name,
                        (SeriesPoint(d.year or self.last_year, None),),
                        emphasis=self._emphasised(c.id, country),
                        colour=self.colours.get(c.id),
                    )
                )
                continue
            y = max(candidates)
            pt = candidates[y]
            years.append(y)
            sources.append(pt.source)
            series_out.append(
                Series(
                    c.id,
                    c.name,
                    (SeriesPoint(y, pt.value, pt.status),),
                    emphasis=self._emphasised(c.id, country),
                    colour=self.colours.get(c.id),
                )
            )
        known = [s for s in series_out if s.points[0].value is not None]
        known.sort(key=lambda s: s.points[0].value or 0, reverse=ind.higher_is_better)
        alt = self.speech.word(
            "alt_bar",
            indicator=ind.name.lower(),
            unit=ind.unit_label,
            years=_span(years) if years else self.speech.word("alt_no_years"),
        )
        if country and any(s.key == country for s in known):
            pos = [s.key for s in known].index(country) + 1
            me = known[pos - 1]
            alt += " " + self.speech.word(
                "alt_bar_place",
                country=me.label,
                place=ordinal(self.speech, pos),
                n=len(known),
                value=self._v(ind, me.points[0].value),
                year=me.points[0].year,
            )
        if known:
            alt += " " + self.speech.word(
                "alt_bar_ends",
                best=known[0].label,
                best_value=self._v(ind, known[0].points[0].value),
                lowest=known[-1].label,
                lowest_value=self._v(ind, known[-1].points[0].value),
            )
        note: tuple[str, ...] = ()
        if len(series_out) > MAX_BARS:
            # a per-country chart stays one size however many countries the data holds
            at = next((i for i, s in enumerate(known) if s.key == country), 0)
            start = max(0, min(at - MAX_BARS // 2, len(known) - MAX_BARS))
            keep = {s.key for s in known[start : start + MAX_BARS]}
            series_out = [s for s in series_out if s.key in keep]
            sources = [pt for s in series_out for pt in self._point_sources(s, d)]
            years = [s.points[0].year for s in series_out]
            note = (self.speech.word("bars_nearest", shown=len(keep), n=len(known)),)
        spec = self._base(spec_id, d, ind, sorted(set(years)) or [self.last_year], series_out, alt)
        spec = replace(spec, notes=spec.notes + note)
        return self._with_source(spec, sources), sources

    def _point_sources(self, s: Series, d: ChartDef) -> list[str]:
        point = s.points[0]
        pt = self.p.countries[s.key].indicators.get(d.indicator or "", {}).get(point.year)
        return [pt.source] if pt is not None and point.value is not None else []

    def _rank_path(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        ind = self._indicator(d)
        c = self.p.countries[country] if country else None
        data = c.indicators.get(d.indicator or "", {}) if c else {}
        years = sorted(data)
        series, sources = self._series(d, self._cadence_years(d, years), country, [c] if c else [])
        if c and years:
            first, last = data[years[0]], data[years[-1]]
            best_year = (
                min(years, key=lambda y: data[y].value)
                if ind.unit == "rank"
                else max(years, key=lambda y: data[y].value)
            )
            best = (
                self.speech.word("alt_path_best_last")
                if best_year == years[-1]
                else self.speech.word(
                    "alt_path_best", value=self._v(ind, data[best_year].value), year=best_year
                )
            )
            alt = self.speech.word(
                "alt_path",
                country=c.name,
                indicator=ind.name,
                first=self._v(ind, first.value),
                first_year=years[0],
                last=self._v(ind, last.value),
                last_year=years[-1],
                best=best,
            )
            if any(data[y].status != "verified" for y in years):
                odd = [str(y) for y in years if data[y].status != "verified"]
                alt += " " + self.speech.word("alt_flagged_years", years=self._and(odd))
        else:
            alt = self.speech.word("alt_no_data", indicator=ind.name)
        return self._with_source(self._base(spec_id, d, ind, years, series, alt), sources), sources

    def _cadence_years(self, d: ChartDef, years: list[int]) -> list[int]:
        """The years from first to last at the indicator's publication step (the smallest step
        between two years that any country has), so that a year without a value is a point
        without one: a gap in the line, never a line bridging it."""
        if len(years) < 2:
            return years
        steps = [
            b - a
            for c in self.p.countries.values()
            for a, b in pairwise(sorted(c.indicators.get(d.indicator or "", {})))
        ]
        step = max(min(steps), 1)
        return sorted(set(range(years[0], years[-1] + 1, step)) | set(years))

    def _online_offline(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        ind = self._indicator(d)
        c = self.p.countries[country] if country else None
        data = c.indicators.get(d.indicator or "", {}) if c else {}
        years = [
            y
            for y in sorted(data)
            if (d.from_year is None or y >= d.from_year) and (d.to_year is None or y <= d.to_year)
        ]
        series, sources = self._series(d, years, country, [c] if c else [])
        if c and years:
            a, b = data[years[0]], data[years[-1]]
            alt = self.speech.word(
                "alt_online",
                country=c.name,
                years=_span(years),
                first=fmt(self.speech, a.value, "percent", 1),
                first_year=years[0],
                last=fmt(self.speech, b.value, "percent", 1),
                last_year=years[-1],
                offline=fmt(self.speech, 100 - b.value, "percent", 1),
            )
        else:
            alt = self.speech.word("alt_online_none")
        return self._with_source(self._base(spec_id, d, ind, years, series, alt), sources), sources

    def _timeline(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        lanes, sources, years = [], [], []
        for c in ordered_countries(self.p):
            if (country and c.id != country) or not c.milestones:
                continue
            events = sorted(c.milestones, key=lambda m: (m.year, m.month or 0))
            lanes.append(
                Lane(
                    c.name,
                    tuple(Event(m.year, m.month, m.title) for m in events),
                    emphasis=not country and c.id in self.scope,
                )
            )
            sources += [m.source for m in events]
            years += [m.year for m in events]
        n = sum(len(lane.events) for lane in lanes)
        if years:
            first = min(
                ((lane.label, e) for lane in lanes for e in lane.events),
                key=lambda t: (t[1].year, t[1].month or 0),
            )
            alt = self.speech.word(
                "alt_timeline",
                n=n,
                lanes=len(lanes),
                years=f"{min(years)}\u2013{max(years)}",
                country=first[0],
                event=first[1].label,
                year=first[1].year,
            )
        else:
            alt = self.speech.word("alt_timeline_none", n=n, lanes=len(lanes))
        spec = ChartSpec(
            id=spec_id,
            kind="timeline",
            title=dashed(d.title),
            subtitle=self.speech.word(
                "timeline_subtitle", years=_span(years) if years else self.speech.word("none")
            ),
            source_line="",
            alt=alt,
            lanes=tuple(lanes),
        )
        return self._with_source(spec, sources), sources

    def _heatmap(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        risks = self.p.risks
        assert risks is not None  # the loader refuses a risk matrix without data/risks.yaml
        rows, cells, sources, stand_out = [], [], [], []
        cats = list(risks.categories)
        for c in ordered_countries(self.p):
            row = risks.assessments.get(c.id)
            if row is None:
                continue
            rows.append(c.name)
            stand_out.append(self._emphasised(c.id, country))
            cells.append(tuple(row[k].level if k in row else None for k in cats))
            sources += [s for a in row.values() for s in a.sources]
        labels = tuple(f"{lvl} {risks.levels.get(lvl, '')}".strip() for lvl in range(4))
        lowest, highest = labels[0], labels[-1]
        flat = [(r, cats[j], v) for r, row in zip(rows, cells, strict=True) for j, v in enumerate(row)]
        high = [
            self.speech.word("alt_heatmap_cell", country=r, category=risks.categories[k].name.lower())
            for r, k, v in flat
            if v == 3
        ]
        missing = sum(1 for *_, v in flat if v is None)
        alt = self.speech.word(
            "alt_heatmap", rows=len(rows), columns=len(cats), lowest=lowest, highest=highest
        )
        if high:
            shown = high[:5] + ([self.speech.word("alt_more", n=len(high) - 5)] if len(high) > 5 else [])
            alt += " " + self.speech.word(
                "alt_heatmap_top", level=risks.levels.get(3, highest).lower(), cells=self._and(shown)
            )
        if missing:
            alt += " " + self.speech.word(
                "alt_heatmap_missing", n=missing, not_assessed=risks.not_assessed.lower()
            )
        spec = ChartSpec(
            id=spec_id,
            kind="heatmap",
            title=dashed(d.title),
            subtitle=self.speech.word("heatmap_subtitle", lowest=lowest, highest=highest),
            source_line="",
            alt=alt,
            rows=tuple(rows),
            columns=tuple(risks.categories[k].name for k in cats),
            cells=tuple(cells),
            level_labels=labels,
            level_missing=risks.not_assessed,
            row_emphasis=tuple(stand_out) if any(stand_out) else (),
        )
        return self._with_source(spec, sources), sources

    def _locator_map(self, spec_id: str, d: ChartDef, country: str | None) -> tuple[ChartSpec, list[str]]:
        spec = self.locator(spec_id, d.title, country)
        sources = [self.p.geo.source] if self.p.geo is not None else []
        return self._with_source(spec, sources), sources

    def locator(self, spec_id: str, title: str, country: str | None = None) -> ChartSpec:
        """The region on a map: focus countries in their colours (or country alone in its colour),
        context countries outlined, neighbours in light grey; names as direct labels, all from the
        boundaries and the countries' files; the alt text in the labels table's words."""
        geo = self.p.geo
        region = ordered_countries(self.p)
        if geo is None:
            return ChartSpec(spec_id, "locator_map", dashed(title), "", "", title)
        by_id = {s.id: s for s in geo.shapes}
        shapes = [
            MapShape(
                c.id,
                c.name,
                by_id[c.id].rings,
                "focus" if c.role == "focus" else "context",
                self.colours.get(c.id),
                emphasis=c.id == country if country else c.id in self.scope,
            )
            for c in region
            if c.id in by_id
        ]
        around, waters = self._surroundings
        shapes += around  # the neighbours the map can show
        return ChartSpec(
            id=spec_id,
            kind="locator_map",
            title=dashed(title),
            subtitle="",
            source_line="",
            alt=self._locator_alt(shapes, waters, country),
            shapes=tuple(shapes),
            frame=geo.frame,
            waters=waters,
        )

    @functools.cached_property
    def _surroundings(self) -> tuple[tuple[MapShape, ...], tuple[MapLabel, ...]]:
        """The neighbours and waters in the frame of every locator map of the project: the same for
        the cover's map and each country's, so found once (and once per map in a warm process, which
        keeps the map while its file is unchanged: project/geo.py)."""
        geo = self.p.geo
        assert geo is not None
        region = ordered_countries(self.p)
        ids = tuple(c.id for c in region)
        if (known := _AROUND.get(ids)) is not None and known[0] is geo:
            return known[1]
        mine = set(ids)
        by_id = {s.id: s for s in geo.shapes}
        outlines = [MapShape(c.id, c.name, by_id[c.id].rings, "focus") for c in region if c.id in by_id]
        frame = region_frame(outlines, geo.frame)
        around = [MapShape(s.id, s.name, s.rings, "neighbour") for s in geo.shapes if s.id not in mine]
        waters = tuple(MapLabel(w.name, w.at) for w in geo.waters if within(w.at, frame))
        found = tuple(s for s in around if overlaps(s, frame)), waters
        _AROUND.clear()  # one region and map at a time: a watch's earlier maps are garbage
        _AROUND[ids] = (geo, found)
        return found

    def _locator_alt(self, shapes: list[MapShape], waters: tuple[MapLabel, ...], country: str | None) -> str:
        """What the map shows, in the labels table's words: the region's name, its countries by role,
        and the neighbours and waters around it, as the boundaries name them."""
        region = self.speech.word("locator_title")
        if country and country in self.p.countries:
            return self.speech.word("map_alt_country", region=region, country=self.p.countries[country].name)
        mine = [s for s in shapes if s.role != "neighbour"]
        focus = [s.label for s in mine if s.role == "focus"]
        context = [s.label for s in mine if s.role == "context"]
        stand_out = [s.label for s in mine if s.emphasis]  # a brief of some countries colours only them
        if len(stand_out) == 1:
            return self.speech.word("map_alt_country", region=region, country=stand_out[0])
        if stand_out:
            alt = self.speech.word("map_alt", region=region, focus=self._and(stand_out))
        elif focus and context:
            alt = self.speech.word(
                "map_alt_context", region=region, focus=self._and(focus), context=self._and(context)
            )
        elif focus or context:
            alt = self.speech.word("map_alt", region=region, focus=self._and(focus or context))
        else:
            alt = self.speech.word("map_alt_region", region=region)
        touches = bordering(mine)
        around = [s.label for s in shapes if s.role == "neighbour" and touches(s)]
        around += [w.text for w in waters]
        if around:
            alt += " " + self.speech.word("map_alt_around", names=self._and(around))
        return alt

    def _and(self, names: list[str]) -> str:
        """Names as a list in the labels table's words: 'A, B and C'."""
        if len(names) == 1:
            return names[0]
        return self.speech.word("list_and", first=", ".join(names[:-1]), last=names[-1])

    def locator_map(self, country: str | None = None) -> tuple[ChartSpec, tuple[int, ...]]:
        """The locator map for the cover (no country) or a country's first page, with its citation."""
        spec_id = f"{country.lower()}-locator-map" if country else "locator-map"
        name = self.p.countries[country].name if country else ""
        spec = self.locator(spec_id, name or self.speech.word("locator_title"), country)
        sources = [self.p.geo.source] if self.p.geo is not None else []
        return self._with_source(spec, sources), self.cite(sources)

    # --- alt-text findings -------------------------------------------------------------------------

    def _extremes(self, ind: Indicator, series: list[Series]) -> str:
        latest = [(s, p) for s in series if (p := _latest(s)) is not None]
        if not latest:
            return " " + self.speech.word("alt_no_values")
        better = (lambda sp: sp[1].value) if ind.higher_is_better else (lambda sp: -sp[1].value)
        top = max(latest, key=better)
        low = min(latest, key=better)
        return " " + self.speech.word(
            "alt_extremes_rank" if ind.unit == "rank" else "alt_extremes",
            top=top[0].label,
            top_value=self._v(ind, top[1].value),
            top_year=top[1].year,
            low=low[0].label,
            low_value=self._v(ind, low[1].value),
            low_year=low[1].year,
        )

    def _focus_change(self, ind: Indicator, series: list[Series], country: str) -> str:
        for s in series:
            if s.key == country:
                known = [p for p in s.points if p.value is not None]
                if len(known) >= 2:
                    return " " + self.speech.word(
                        "alt_focus_change",
                        country=s.label,
                        first=self._v(ind, known[0].value),
                        first_year=known[0].year,
                        last=self._v(ind, known[-1].value),
                        last_year=known[-1].year,
                    )
        return ""
