"""The only reader of data/ and report/: YAML in, a validated Project out, every problem located.

It gathers every problem before raising, so one run of `digibrief check` lists them all: YAML
errors, pydantic's errors retold in the words of someone editing the file, then the cross-file
rules of rules.py.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from digibrief.errors import InputError, Problem
from digibrief.project import kept, yamlsource
from digibrief.project.figures import figure_warnings
from digibrief.project.files import PLACEHOLDER, PROSE_PLACEHOLDER, YamlFile, closest, is_placeholder
from digibrief.project.folders import missing_folders
from digibrief.project.geo import GEO_FOLDER, WORLD_SOURCES, load_geo, map_file, stray_files
from digibrief.project.model import (
    Country,
    IndicatorsFile,
    LabelsFile,
    Project,
    ReportFile,
    RisksFile,
    SourcesFile,
    ThemeFile,
)
from digibrief.project.rules import (
    Inputs,
    charts_without_values,
    check_references,
    countries_without_takeaways,
    focus_countries_without_figures,
    missing_headlines,
    prose_fields,
    risks_needed,
)
from digibrief.project.theming import font_problems, glyph_check, palette_problems
from digibrief.project.yamlsource import KeyPath

MAX_COUNTRY_FILES = 500

M = TypeVar("M", bound=BaseModel)


def display_path(path: Path) -> str:
    """Path as the user will recognise it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def _read(path: Path, problems: list[Problem]) -> YamlFile:
    """Read one YAML file, adding any problem with reading or parsing it to problems."""
    name = display_path(path)
    located, found = yamlsource.read(path, name)
    problems.extend(found)
    return YamlFile(name, located, problems)


# each file's validation in a warm process, by its name and model, with the digest of its bytes: the
# model and the problems recorded depend on nothing else (project/kept.py)
_VALIDATED: kept.Kept[tuple[BaseModel | None, tuple[Problem, ...]]] = kept.Kept()


def _validate(file: YamlFile, model: type[M]) -> M | None:
    """The file's content as model, or None after recording each validation error, located.

    A file with placeholders left by `digibrief new` is reported at each placeholder and counts as
    not valid, so the cross-file rules do not repeat its "TODO" source ids as unknown.
    """
    if file.located is None:
        return None
    key, version = (file.name, model), file.located.digest
    if (found := _VALIDATED.get(key, version)) is not None:
        file.problems.extend(found[1])
        return cast(M | None, found[0])
    before = len(file.problems)
    validated = _validated(file, file.located.value, model)
    _VALIDATED.put(key, version, (validated, tuple(file.problems[before:])))
    return validated


def _validated(file: YamlFile, value: Any, model: type[M]) -> M | None:
    """_validate's work: value, the file's content, as model, each validation error recorded."""
    if not isinstance(value, dict):
        file.problem((), f"expected a mapping of keys to values at the top, got {_kind(value)}")
        return None
    holes = list(_placeholders(file, value))
    for path, text in holes:
        file.problem(path, f"fill in this placeholder: {_kind(text)}")
    try:
        validated = model.model_validate(value)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if not any(_clean_loc(e)[: len(path)] == path for path, _ in holes)]
        misspelt = _misspelt_keys(model, errors)
        for error in errors:
            if not (error["type"] == "missing" and _clean_loc(error) in misspelt):
                _report(file, model, error)
        return None
    return None if holes else validated


def _placeholders(file: YamlFile, value: Any) -> Iterator[tuple[KeyPath, str]]:
    """Every "TODO: ..." text under value (the file's content), with its key path."""
    located = file.located
    texts = located.texts() if located is not None and value is located.value else yamlsource.strings(value)
    return ((at, text) for at, text in texts if PLACEHOLDER in text and is_placeholder(text))


def _misspelt_keys(model: type[BaseModel], errors: list[ErrorDetails]) -> set[tuple[Any, ...]]:
    """The required keys that an unknown key beside them misspells: one mistake, reported once, at the
    unknown key ("did you mean ...?"), not again as a missing key."""
    found = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = _clean_loc(error)
            hint = closest(str(loc[-1]), _fields_at(model, loc[:-1]))
            if hint:
                found.add((*loc[:-1], hint))
    return found


def _clean_loc(error: ErrorDetails) -> tuple[Any, ...]:
    """A pydantic error's location as a key path, without pydantic's own validator steps."""
    return tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith(("function-", "[key]"))))


def _report(file: YamlFile, model: type[BaseModel], error: ErrorDetails) -> None:
    """Record one pydantic error as a problem at its key path, in the user's words."""
    loc = _clean_loc(error)
    kind = error["type"]
    if "[key]" in error["loc"]:
        file.problem(loc, _describe(error, key=True), key=True)
    elif kind == "missing":
        file.problem(loc[:-1], f"missing required key '{loc[-1]}'")
    elif kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = closest(str(loc[-1]), allowed)
        expected = f"did you mean '{hint}'?" if hint else "expected one of: " + ", ".join(allowed)
        file.problem(loc, f"unknown key '{loc[-1]}'; {expected}", key=True)
    else:
        file.problem(loc, _describe(error))


def _kind(value: Any) -> str:
    """A YAML value as a message shows it: its kind, or a short repr."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    return repr(value)


_PATTERNS = {
    r"^[A-Za-z][A-Za-z0-9_]{0,79}$": "an id (a letter, then letters, digits or _)",
    r"^[A-Z]{3}$": "a country id of three capital letters (ISO 3166 alpha-3)",
    r"^[a-z]{2,3}$": "a language code such as 'kk' or 'ru'",
    r"^#[0-9A-Fa-f]{6}$": "a colour such as '#1f77b4'",
    r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}\.(ttf|TTF)$": "a plain .ttf file name (no folders)",
}


def _describe(error: ErrorDetails, key: bool = False) -> str:
    """What a pydantic error means, in the words of someone editing the YAML."""
    kind, ctx, got = error["type"], error.get("ctx") or {}, _kind(error.get("input"))
    what = "key" if key else "value"
    if kind in ("float_type", "float_parsing", "int_parsing"):
        return f"expected a number, got {got}"
    if kind == "int_type" or kind == "int_from_float":
        return f"expected a whole number, got {got}"
    if kind == "string_type":
        return f"expected text, got {got}"
    if kind == "bool_type":
        return f"expected true or false, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping (key: value), got {_kind(error.get('input'))}"
    if kind == "list_type":
        return f"expected a list, got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        wanted = _PATTERNS.get(pattern)
        if wanted is None and pattern.startswith(r"^\d{4}"):
            wanted = 'a date written "YYYY", "YYYY-MM" or "YYYY-MM-DD" (quoted)'
        return f"expected {wanted or 'text matching ' + pattern} as {what}, got {got}"
    if kind in ("greater_than_equal", "greater_than"):
        sign = "≥" if kind.endswith("equal") else ">"
        return f"expected a number {sign} {ctx.get('ge', ctx.get('gt'))}, got {got}"
    if kind in ("less_than_equal", "less_than"):
        sign = "≤" if kind.endswith("equal") else "<"
        return f"expected a number {sign} {ctx.get('le', ctx.get('lt'))}, got {got}"
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length')}"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s), got {ctx.get('actual_length')}"
    if kind == "value_error":
        return str(ctx.get("error") or error["msg"]).removeprefix("Value error, ")
    if kind == "none_required" or kind == "none_type":
        return f"expected nothing here, got {got}"
    return f"{error['msg']}, got {got}"


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types a field annotation may hold (Annotated and unions opened)."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _unwrap(arg)]
    return [tp]


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the model found by following loc from model (for 'did you mean')."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for tp in current:
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                field = tp.model_fields.get(str(part))
                if field is not None:
                    nxt.extend(_unwrap(field.annotation))
            elif typing.get_origin(tp) is list:
                nxt.extend(_unwrap(typing.get_args(tp)[0]))
            elif typing.get_origin(tp) is dict:
                nxt.extend(_unwrap(typing.get_args(tp)[1]))
        current = nxt
    for tp in current:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return list(tp.model_fields)
    return []


def _misnamed_country_files(folder: Path) -> list[Problem]:
    """A country file the loader would skip because its name does not end in exactly '.yaml'."""
    if not folder.is_dir():
        return []
    problems = []
    for path in sorted(folder.iterdir()):
        hidden = path.name.startswith((".", "#"))  # an editor's lock or backup file
        if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml" and not hidden:
            problems.append(
                Problem(
                    display_path(path),
                    0,
                    0,
                    "",
                    f"country files must end in '.yaml', so this one is skipped; rename it to {path.stem}.yaml",
                )
            )
    return problems


def _glyph_warnings(
    countries: dict[str, tuple[Country, YamlFile]], theme: ThemeFile, report_dir: Path
) -> list[Problem]:
    """A warning at each local name with characters the brief's fonts cannot draw."""
    found = []
    lacking = glyph_check(theme, report_dir)
    for country, f in countries.values():
        for i, ln in enumerate(country.local_names):
            if missing := lacking(ln.name):
                shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                found.append(
                    f.at(
                        ("local_names", i, "name"),
                        f"the brief's fonts have no glyph for {shown}{more} ({ln.script}); they would "
                        "print as '?': set theme.yaml's fonts to a face that covers them",
                    )
                )
    return found


def load(data_dir: Path, report_dir: Path) -> Project:
    """Read and validate data_dir and report_dir; raise InputError with every problem found."""
    problems = missing_folders(data_dir, report_dir)
    if problems:
        raise InputError(problems)

    sources_f = _read(data_dir / "sources.yaml", problems)
    indicators_f = _read(data_dir / "indicators.yaml", problems)
    risks_path = data_dir / "risks.yaml"  # optional: a brief without a risks section needs none
    risks_f = (
        _read(risks_path, problems)
        if risks_path.exists()
        else YamlFile(display_path(risks_path), None, problems)
    )
    report_f = _read(report_dir / "report.yaml", problems)
    theme_f = _read(report_dir / "theme.yaml", problems)
    sources = _validate(sources_f, SourcesFile)
    indicators = _validate(indicators_f, IndicatorsFile)
    risks = _validate(risks_f, RisksFile)
    report = _validate(report_f, ReportFile)
    theme = _validate(theme_f, ThemeFile)
    labels_path = report_dir / "labels.yaml"  # optional: without it the outputs speak English
    labels_f = _read(labels_path, problems) if labels_path.exists() else None
    labels = _validate(labels_f, LabelsFile) if labels_f is not None else LabelsFile()
    read_files = [sources_f, indicators_f, risks_f, report_f, theme_f, *([labels_f] if labels_f else [])]

    country_files = (
        sorted(p for p in (data_dir / "countries").glob("*.yaml") if not p.name.startswith((".", "#")))
        if (data_dir / "countries").is_dir()
        else []
    )
    if not country_files:
        problems.append(
            Problem(display_path(data_dir / "countries"), 0, 0, "", "no country files (*.yaml) found")
        )
    if len(country_files) > MAX_COUNTRY_FILES:
        problems.append(
            Problem(
                display_path(data_dir / "countries"),
                0,
                0,
                "",
                f"{len(country_files)} country files; the limit is {MAX_COUNTRY_FILES}",
            )
        )
        country_files = []
    countries: dict[str, tuple[Country, YamlFile]] = {}
    problems += _misnamed_country_files(data_dir / "countries")
    for path in country_files:
        cf = _read(path, problems)
        read_files.append(cf)
        country = _validate(cf, Country)
        if country is None:
            continue
        if country.id.lower() != path.stem.lower():
            cf.problem(("id",), f"id '{country.id}' does not match the file name '{path.name}'")
        elif country.id in countries:
            cf.problem(("id",), f"country '{country.id}' is defined twice")
        else:
            countries[country.id] = (country, cf)

    inputs = Inputs(
        sources=sources,
        indicators=indicators,
        risks=risks,
        report=report,
        countries=countries,
        country_ids={path.stem.upper() for path in country_files},
        indicators_file=indicators_f,
        risks_file=risks_f,
        report_file=report_f,
        sources_file=sources_f,
        countries_folder=display_path(data_dir / "countries"),
    )
    problems += check_references(inputs)
    problems += risks_needed(inputs, risks_path.exists())
    geo_path = map_file(data_dir, display_path(data_dir / GEO_FOLDER), problems)
    geo_where = display_path(geo_path) if geo_path is not None else ""
    geo = load_geo(geo_path, geo_where, problems) if geo_path is not None else None
    all_sources = dict(sources.sources) if sources is not None else {}
    if geo is not None and sources is not None and geo.source not in all_sources:
        shipped = _validate(_read(WORLD_SOURCES, problems), SourcesFile)
        if shipped is not None and geo.source in shipped.sources:  # the shipped map's own entry
            all_sources[geo.source] = shipped.sources[geo.source]
        else:
            known = closest(geo.source, list(all_sources))
            problems.append(
                Problem(
                    geo_where,
                    0,
                    0,
                    "source",
                    f"source '{geo.source}' is not in sources.yaml"
                    + (f"; did you mean '{known}'?" if known else ""),
                )
            )
    for key, why in font_problems(theme, report_dir) if theme is not None else []:
        problems.append(theme_f.at(("fonts", key), why))
    for why in palette_problems(theme, report_dir) if theme is not None else []:
        problems.append(theme_f.at(("palette_from",), why))
    shared = _shared_colours(report, theme, theme_f)
    if problems or not (sources and indicators and report and theme and labels):
        raise InputError(problems)
    if risks is None and risks_path.exists():
        raise InputError(problems)
    country_of = {f.name: cid for cid, (_, f) in countries.items()}
    all_countries = {cid: c for cid, (c, _) in countries.items()}
    warnings = [
        *figure_warnings(prose_fields(inputs), all_countries, indicators.indicators, country_of),
        *missing_headlines(inputs),
        *charts_without_values(inputs),
        *focus_countries_without_figures(inputs),
        *countries_without_takeaways(inputs),
        *shared,
        *placeholders_left(read_files),
        *stray_files(data_dir, display_path(data_dir / GEO_FOLDER)),
        *_glyph_warnings(countries, theme, report_dir),
    ]
    return Project(
        sources=all_sources,
        indicators=indicators.indicators,
        countries={cid: c for cid, (c, _) in countries.items()},
        risks=risks,
        report=report,
        theme=theme,
        labels=labels,
        warnings=tuple(sorted(set(warnings))),
        geo=geo,
    )


# each file's placeholders in a warm process, by its name, with the digest of its bytes (project/kept.py)
_PLACEHOLDERS: kept.Kept[tuple[Problem, ...]] = kept.Kept()


def placeholders_left(files: list[YamlFile]) -> list[Problem]:
    """Warnings: every "[Placeholder: ...]" text that `digibrief init` wrote and nobody has replaced yet."""
    return [p for file in files if file.located is not None for p in _placeholders_in(file, file.located)]


def _placeholders_in(file: YamlFile, located: yamlsource.Located) -> tuple[Problem, ...]:
    if (found := _PLACEHOLDERS.get(file.name, located.digest)) is not None:
        return found
    found = tuple(
        file.at(path, f"placeholder still to replace: {_kind(text.strip())}")
        for path, text in located.texts()
        if PROSE_PLACEHOLDER in text  # holds_placeholder(text): every one of them is text
    )
    _PLACEHOLDERS.put(file.name, located.digest, found)
    return found


def _shared_colours(report: ReportFile | None, theme: ThemeFile | None, file: YamlFile) -> list[Problem]:
    """A warning when there are more focus countries than palette colours: some would share one."""
    if report is None or theme is None or theme.palette is None:  # a template's: as many as it has
        return []
    focus = list(dict.fromkeys(report.countries))
    if len(focus) <= len(theme.palette):
        return []
    n = len(theme.palette)
    return [
        file.at(
            ("palette",),
            f"{len(focus)} focus countries but {n} colours: {', '.join(focus[n:])} would share the colour of "
            f"{', '.join(focus[: len(focus) - n])}; add colour-blind-safe colours to palette:",
        )
    ]


def load_file(path: Path, model: type[M]) -> tuple[M, YamlFile]:
    """Read and validate one YAML file that is not part of the project (an edition snapshot);
    return it with the file, to locate further problems; raise InputError with every problem found."""
    problems: list[Problem] = []
    file = _read(path, problems)
    value = _validate(file, model)
    if problems or value is None:
        raise InputError(problems)
    return value, file
