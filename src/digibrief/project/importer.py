"""Merge one indicator from a CSV download into the country files, leaving every other byte as it was.

Three layouts are read: an Our World in Data grapher download (Entity,Code,Year,<value>), a World
Bank WDI download (DataBank's "Country Name","Country Code","Series Name","Series Code","2015
[YR2015]"... or the classic file with metadata lines above "Country Name","Country Code",...,"1960",...)
and a plain country,year,value. Rows of a download for places not in the data are skipped; in the
plain layout every country must be in the data. Every bad row is a located problem, and then
nothing is planned. ruamel.yaml's round-trip parser locates each value; the new text is the old
text with only those values' lines edited or inserted, in the file's flow style
(`2023: {value: 81.2, source: ID}`), then parsed again to prove it holds exactly what was meant.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from digibrief.errors import InputError, Problem, RenderError, UsageError
from digibrief.project import yamlsource
from digibrief.project.files import is_placeholder, unknown
from digibrief.project.load import display_path, load
from digibrief.project.model import Indicator, Point, Project, Source
from digibrief.vocabulary import Status

Layout = Literal["owid", "wdi", "plain"]
LAYOUT_NAMES = {
    "owid": "an Our World in Data download",
    "wdi": "a World Bank WDI download",
    "plain": "country,year,value",
}
MISSING = {"", "..", "n/a", "NA", "nan", "NaN"}
_YEAR_COLUMN = re.compile(r"^(\d{4})(?: \[YR\d{4}\])?$")
MAX_PREAMBLE = 10  # lines above the header (the classic WDI file has four)


@dataclass(frozen=True)
class Cell:
    """One value of the CSV with where it stands."""

    line: int
    country: str  # the data's country id
    year: int
    value: float


@dataclass(frozen=True)
class Update:
    """A value to write: new when before is None."""

    country: str
    year: int
    value: float
    status: Status
    before: float | None
    status_before: Status | None
    line: int  # in the new text
    kept: tuple[str, ...] = ()  # what the existing point also says and the merge leaves as it was


@dataclass(frozen=True)
class FilePlan:
    path: Path
    name: str
    text: str
    updates: tuple[Update, ...]


@dataclass
class ImportPlan:
    indicator: Indicator
    indicator_id: str
    source: str  # publisher and title
    layout: Layout
    files: list[FilePlan] = field(default_factory=list)
    unchanged: int = 0
    skipped_rows: int = 0  # rows of places not in the data
    skipped_places: set[str] = field(default_factory=set)
    added_source: str = ""  # the file a source new to the data is added to, if any
    empty: int = 0  # cells without a value (".." or blank)

    @property
    def changed(self) -> int:
        return sum(1 for f in self.files for u in f.updates if u.before is not None)

    @property
    def added(self) -> int:
        return sum(1 for f in self.files for u in f.updates if u.before is None)


# --- reading the CSV ---------------------------------------------------------------------------------


def _field_cols(line: str) -> list[int]:
    """The 1-based column where each field of one CSV line starts."""
    cols, quoted = [1], False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            cols.append(i + 2)
    return cols


class _Reader:
    """The CSV's rows as (line, cells), with located problems, for one layout."""

    def __init__(self, path: Path, name: str):
        self.name = name
        self.problems: list[Problem] = []
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                [Problem(name, 0, 0, "", f"not UTF-8 text ({exc.reason}); save it as UTF-8 CSV")]
            ) from None
        self.lines = text.splitlines()
        self.rows: list[tuple[int, list[str]]] = []
        reader = csv.reader(io.StringIO(text))
        last = 0
        try:
            for cells in reader:
                self.rows.append((last + 1, cells))
                last = reader.line_num
        except csv.Error as exc:
            raise InputError(
                [Problem(name, reader.line_num, 0, "", f"not a readable CSV line: {exc}")]
            ) from None

    def col(self, line: int, index: int) -> int:
        cols = _field_cols(self.lines[line - 1]) if 0 < line <= len(self.lines) else []
        return cols[index] if index < len(cols) else 1

    def problem(self, line: int, index: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, self.col(line, index), "", message))


def _layout(reader: _Reader) -> tuple[Layout, int, list[str]]:
    """The layout, the index of the header row and its cells."""
    for i, (_, cells) in enumerate(reader.rows[: MAX_PREAMBLE + 1]):
        lowered = [c.strip().lower() for c in cells]
        if lowered[:3] == ["entity", "code", "year"]:
            return "owid", i, cells
        if "country code" in lowered:
            return "wdi", i, cells
        if lowered[:3] == ["country", "year", "value"]:
            return "plain", i, cells
    raise InputError(
        [
            Problem(
                reader.name,
                1,
                1,
                "",
                "unknown layout: expected the header of an Our World in Data download (Entity,Code,Year,<value>), "
                'a World Bank WDI download ("Country Name","Country Code",...) or country,year,value',
            )
        ]
    )


@dataclass(frozen=True)
class _Raw:
    """One cell before checking: where it is, whose it is, and its text."""

    line: int
    code: str  # the country cell as written (a code or a name)
    name: str  # the name cell, where the layout has one
    year: str
    value: str
    year_index: int  # field positions, for the column of a problem
    value_index: int
    country_index: int


def _raw_cells(reader: _Reader, layout: Layout, header_at: int, header: list[str]) -> Iterator[_Raw]:
    header_line, rows = reader.rows[header_at][0], reader.rows[header_at + 1 :]
    if layout == "owid":
        if len(header) != 4:
            extra = ", ".join(h for h in header[3:] if h) or "none"
            reader.problem(header_line, 3, f"expected one value column after Year, found: {extra}")
            return
        for line, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (4 - len(cells))
            yield _Raw(line, cells[1].strip(), cells[0].strip(), cells[2].strip(), cells[3].strip(), 2, 3, 1)
    elif layout == "plain":
        if len(header) != 3:
            reader.problem(header_line, 3, "expected exactly the columns country,year,value")
            return
        for line, cells in rows:
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (3 - len(cells))
            yield _Raw(line, cells[0].strip(), "", cells[1].strip(), cells[2].strip(), 1, 2, 0)
    else:
        lowered = [h.strip().lower() for h in header]
        code_at = lowered.index("country code")
        name_at = lowered.index("country name") if "country name" in lowered else code_at
        series_at = next((lowered.index(k) for k in ("series code", "indicator code") if k in lowered), None)
        years = [(i, int(m.group(1))) for i, h in enumerate(header) if (m := _YEAR_COLUMN.match(h.strip()))]
        series: dict[str, int] = {}
        for line, cells in rows:
            cells = cells + [""] * (len(header) - len(cells))
            if not cells[code_at].strip():
                continue  # blank lines and DataBank's footer ("Data from database: ...")
            if series_at is not None and cells[series_at].strip():
                series.setdefault(cells[series_at].strip(), line)
                if len(series) > 1:
                    names = ", ".join(series)
                    reader.problem(
                        line,
                        series_at,
                        f"the file holds more than one series ({names}); import one at a time",
                    )
                    return
            for i, year in years:
                yield _Raw(
                    line,
                    cells[code_at].strip(),
                    cells[name_at].strip(),
                    str(year),
                    cells[i].strip(),
                    i,
                    i,
                    code_at,
                )


def _number(text: str) -> float | None:
    try:
        value = (
            float(text.replace(",", ""))
            if re.fullmatch(r"[-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?", text)
            else None
        )
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def read_cells(path: Path, countries: dict[str, str], indicator: Indicator, plan: ImportPlan) -> list[Cell]:
    """The CSV's values for the data's countries (id -> name); raise InputError listing every bad row."""
    name = display_path(path)
    reader = _Reader(path, name)
    layout, header_at, header = _layout(reader)
    plan.layout = layout
    by_name = {cname.lower(): cid for cid, cname in countries.items()}
    cells: list[Cell] = []
    seen: dict[tuple[str, int], Cell] = {}
    low, high = indicator.range
    for raw in _raw_cells(reader, layout, header_at, header):
        cid = (
            raw.code.upper() if raw.code.upper() in countries else by_name.get((raw.name or raw.code).lower())
        )
        if cid is None:
            if layout == "plain":
                names = [*countries, *countries.values()]
                reader.problem(
                    raw.line,
                    raw.country_index,
                    unknown("country", raw.code, names) + " (not in data/countries/)",
                )
            else:
                plan.skipped_rows += 1
                plan.skipped_places.add(raw.code or raw.name)
            continue
        if not re.fullmatch(r"\d{4}", raw.year) or not 1900 <= int(raw.year) <= 2100:
            reader.problem(raw.line, raw.year_index, f"expected a year such as 2023, got {raw.year!r}")
            continue
        if raw.value in MISSING:
            plan.empty += 1
            continue
        value = _number(raw.value)
        if value is None:
            reader.problem(raw.line, raw.value_index, f"expected a number, got {raw.value!r}")
            continue
        if not low <= value <= high:
            reader.problem(
                raw.line,
                raw.value_index,
                f"{raw.value} is outside the range of {indicator.name} ({low:g} to {high:g})",
            )
            continue
        if indicator.unit == "rank" and value != int(value):
            reader.problem(raw.line, raw.value_index, f"a rank is a whole number, got {raw.value}")
            continue
        cell = Cell(raw.line, cid, int(raw.year), value)
        first = seen.get((cid, cell.year))
        if first is None:
            seen[(cid, cell.year)] = cell
            cells.append(cell)
        elif first.value != value:
            reader.problem(
                raw.line,
                raw.value_index,
                f"{cid} {cell.year} is given twice with different values: {first.value:g} on line {first.line} and {value:g} here",
            )
    if reader.problems:
        raise InputError(reader.problems)
    return cells


# --- editing a country file ---------------------------------------------------------------------------


def _yaml_text(value: Any) -> str:
    """A scalar as plain YAML that PyYAML (YAML 1.1) and ruamel read back as the same value."""
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text
    text = str(value)
    return text if yaml.safe_load(text) == value else '"' + text + '"'


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^\s,}#]+')


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _end_of_entry(lines: list[str], key_line: int, key_col: int) -> int:
    """The index of the first line after the entry whose key is at key_line (0-based), before any
    comment or blank line that follows it."""
    end, j = key_line + 1, key_line + 1
    while j < len(lines):
        if not _blank_or_comment(lines[j]):
            if _indent(lines[j]) <= key_col:
                break
            end = j + 1
        j += 1
    return end


def _above_comments(lines: list[str], index: int) -> int:
    """index moved up over the comment lines directly above it, which belong to the line at index."""
    while index > 0 and lines[index - 1].strip().startswith("#"):
        index -= 1
    return index


class _Edit:
    """Edits to one file's lines: stretches of a line replaced, lines removed, lines inserted before a line."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.spans: dict[int, list[tuple[int, int, str]]] = {}  # line -> (start, end, new text)
        self.removed: set[int] = set()
        self.insert: dict[int, list[str]] = {}

    def _token_end(self, line: int, col: int) -> int:
        m = _TOKEN.match(self.lines[line], col)
        if m is None:
            raise RenderError(f"cannot find the value at line {line + 1}, column {col + 1}")
        return m.end()

    def token(self, line: int, col: int, new: str) -> None:
        """Replace the scalar that starts at (line, col)."""
        self.spans.setdefault(line, []).append((col, self._token_end(line, col), new))

    def after_token(self, line: int, col: int, new: str) -> None:
        """Write new right after the scalar that starts at (line, col)."""
        end = self._token_end(line, col)
        self.spans.setdefault(line, []).append((end, end, new))

    def drop_pair(self, line: int, key_col: int, value_col: int, flow: bool) -> None:
        """Remove `key: value`: its line in a block mapping, the pair and one comma in a flow mapping."""
        if not flow:
            self.removed.add(line)
            return
        text, end = self.lines[line], self._token_end(line, value_col)
        before = text[:key_col].rstrip()
        if before.endswith(","):  # `, key: value`
            start = len(before) - 1
        else:  # `{key: value, ` - take the comma after it
            rest = re.match(r"\s*,\s*", text[end:])
            end += rest.end() if rest else 0
            start = key_col
        self.spans.setdefault(line, []).append((start, end, ""))

    def before(self, line: int, new: list[str]) -> None:
        self.insert.setdefault(line, []).extend(new)

    def text(self) -> str:
        lines = list(self.lines)
        for i, spans in self.spans.items():
            for start, end, new in sorted(spans, reverse=True):  # right to left, so each column still holds
                lines[i] = lines[i][:start] + new + lines[i][end:]
        crlf = "\r" if self.lines[0].endswith("\r") else ""  # a file with CRLF line ends keeps them
        for at in sorted({*self.insert, *self.removed}, reverse=True):
            if at in self.removed:
                del lines[at]
            lines[at:at] = [line + crlf for line in self.insert.get(at, [])]
        return "\n".join(lines)


@dataclass(frozen=True)
class Wanted:
    """What one year's point must hold after the merge."""

    value: float
    status: Status  # "verified" is written by leaving the key out


def _point(year: int, want: Wanted, source: str) -> str:
    status = "" if want.status == "verified" else f", status: {want.status}"
    return f"{year}: {{value: {_yaml_text(want.value)}, source: {_yaml_text(source)}{status}}}"


def _set_point(edit: _Edit, point: CommentedMap, want: Wanted, source: str, name: str, where: str) -> None:
    """Edit one existing point in place: its value, its source, and its status key as want says."""
    for key in ("value", "source"):
        if key not in point:
            raise RenderError(f"{name}: {where} has no {key}")
    flow = bool(point.fa.flow_style())
    line, col = point.lc.value("value")
    edit.token(line, col, _yaml_text(want.value))
    line, col = point.lc.value("source")
    edit.token(line, col, _yaml_text(source))
    if "status" in point:
        kline, kcol = point.lc.key("status")
        vline, vcol = point.lc.value("status")
        if want.status == "verified":
            if kline != vline:
                raise RenderError(f"{name}: {where}.status is not on one line")
            edit.drop_pair(kline, kcol, vcol, flow)
        elif point["status"] != want.status:
            edit.token(vline, vcol, want.status)
    elif want.status != "verified":
        if flow:
            edit.after_token(line, col, f", status: {want.status}")
        else:
            kline, kcol = point.lc.key("source")
            edit.before(kline + 1, [" " * kcol + f"status: {want.status}"])


def _merge(text: str, name: str, iid: str, wanted: dict[int, Wanted], source: str) -> str:
    """text with indicators.<iid>.<year> set to value, source and status for each year wanted."""
    try:
        doc = YAML(typ="rt").load(text)
    except YAMLError as exc:
        raise RenderError(f"{name}: cannot be read for merging: {exc}") from None
    edit = _Edit(text)
    lines = edit.lines
    top = doc.get("indicators") if isinstance(doc, CommentedMap) else None
    if not isinstance(doc, CommentedMap) or (top is not None and not isinstance(top, CommentedMap)):
        raise RenderError(f"{name}: expected indicators: to be a mapping")
    new_years = sorted(wanted)
    if top is None or len(top) == 0:
        if top is None:
            at, col = len(lines), 0
            while at > 0 and not lines[at - 1].strip():
                at -= 1
            header = ["indicators:"]
        else:
            kline, kcol = doc.lc.key("indicators")
            _, vcol = doc.lc.value("indicators")
            if lines[kline][vcol : vcol + 2] != "{}":
                raise RenderError(f"{name}: expected indicators: to be a mapping")
            edit.spans[kline] = [
                (len(lines[kline][:vcol].rstrip()), vcol + 2, "")
            ]  # `indicators: {}` -> `indicators:`
            at, col, header = kline + 1, kcol, []
        block = [*header, " " * (col + 2) + f"{iid}:"]
        block += [" " * (col + 4) + _point(y, wanted[y], source) for y in new_years]
        edit.before(at, block)
        return edit.text()
    if top.fa.flow_style():
        raise RenderError(
            f"{name}: indicators: is written on one line; write it one indicator per line to merge into it"
        )
    series = top.get(iid)
    if series is None:
        keys = list(top)
        last_line, icol = top.lc.key(keys[-1])
        step = 2
        for k in keys:
            s = top[k]
            if isinstance(s, CommentedMap) and len(s) and not s.fa.flow_style():
                step = s.lc.key(next(iter(s)))[1] - top.lc.key(k)[1]
                break
        at = _end_of_entry(lines, last_line, icol)
        block = [" " * icol + f"{iid}:"]
        block += [" " * (icol + step) + _point(y, wanted[y], source) for y in new_years]
        edit.before(at, block)
        return edit.text()
    if not isinstance(series, CommentedMap) or series.fa.flow_style() or len(series) == 0:
        raise RenderError(
            f"{name}: indicators.{iid} is written on one line; write it one year per line to merge into it"
        )
    years = sorted(series)
    for year in new_years:
        if year in series:
            point = series[year]
            if not isinstance(point, CommentedMap):
                raise RenderError(f"{name}: indicators.{iid}.{year} is not a mapping of value and source")
            _set_point(edit, point, wanted[year], source, name, f"indicators.{iid}.{year}")
            continue
        later = [y for y in years if y > year]
        line, col = series.lc.key(later[0] if later else years[-1])
        at = _above_comments(lines, line) if later else _end_of_entry(lines, line, col)
        edit.before(at, [" " * col + _point(year, wanted[year], source)])
    return edit.text()


def _verify(
    before: str, after: str, name: str, iid: str, wanted: dict[int, Wanted], source: str
) -> yamlsource.Located:
    """Parse the merged text again: it must hold the old data with exactly these points set."""
    old, _ = yamlsource.parse(before.encode("utf-8"), name)
    new, problems = yamlsource.parse(after.encode("utf-8"), name)
    if old is None or new is None or problems:
        raise RenderError(f"{name}: merging would make the file unreadable; nothing was written")
    expected = old.value
    series = expected.get("indicators") or {}
    expected["indicators"] = series
    points = series.setdefault(iid, {})
    for year, want in wanted.items():
        point = dict(points.get(year) or {})
        point.update(value=want.value, source=source, status=want.status)
        if want.status == "verified":
            del point["status"]
        points[year] = point
    if new.value != expected:
        raise RenderError(f"{name}: cannot merge without changing other values; nothing was written")
    return new


# --- the plan -------------------------------------------------------------------------------------------


def status_for(source: Source, old: Point | None) -> Status:
    """The status an imported value takes: its source's (a primary release is verified, any other
    source at best reported), unless the editor marked the old value unverified: a conflict stays flagged."""
    if old is not None and old.status == "unverified":
        return "unverified"
    return "verified" if source.kind == "primary" else "reported"


def _kept(point: Point) -> tuple[str, ...]:
    """What an existing point says besides its value and source that the merge keeps: check it still holds."""
    out = []
    if point.status == "unverified":
        out.append("status: unverified")
    if point.note:
        out.append("its note")
    return tuple(out)


def _country_files(data_dir: Path) -> dict[str, Path]:
    folder = data_dir / "countries"
    return {p.stem.upper(): p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}


@dataclass(frozen=True)
class Readable:
    """What an import reads of the data: the indicator, the sources, and each country's name and
    values of the indicator; whole is the project when all of it is valid, else None."""

    indicator: Indicator
    sources: dict[str, Source]
    names: dict[str, str]  # country id -> name
    series: dict[str, dict[int, Point]]  # country id -> year -> the indicator's value
    whole: Project | None


def _whole(project: Project, indicator_id: str) -> Readable:
    if indicator_id not in project.indicators:
        raise UsageError("--indicator: " + unknown("indicator", indicator_id, project.indicators))
    return Readable(
        project.indicators[indicator_id],
        dict(project.sources),
        {cid: c.name for cid, c in project.countries.items()},
        {cid: dict(c.indicators.get(indicator_id, {})) for cid, c in project.countries.items()},
        project,
    )


def _entry(path: Path, section: str, key: str, model: type[Any]) -> tuple[Any, list[str], list[Problem]]:
    """One entry of a YAML file's mapping section, validated on its own: (the entry or None, the ids
    the section defines, the problems of reading it)."""
    name = display_path(path)
    located, problems = yamlsource.read(path, name)
    if located is None:
        return None, [], problems
    entries = located.value.get(section) if isinstance(located.value, dict) else None
    if not isinstance(entries, dict):
        return None, [], [Problem(name, 0, 0, section, f"expected a mapping under {section}:")]
    if key not in entries:
        return None, [str(k) for k in entries], []
    try:
        return model.model_validate(entries[key]), [str(k) for k in entries], []
    except ValidationError as exc:
        line, col = located.where((section, key))
        said = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or key}: "
            + ("fill in this placeholder" if is_placeholder(e.get("input")) else e["msg"])
            for e in exc.errors()
        )
        return None, [], [Problem(name, line, col, f"{section}.{key}", f"not ready to import into: {said}")]


def _partial(data_dir: Path, indicator_id: str) -> Readable:
    """The parts an import needs of a project that is not valid as a whole (a new one, with placeholders
    still to fill in): the indicator's entry, the sources, and each readable country file's id, name and
    values of the indicator. A country file that cannot be read is left out, and named if the CSV has
    values for it."""
    indicator, known, problems = _entry(data_dir / "indicators.yaml", "indicators", indicator_id, Indicator)
    if problems:
        raise InputError(problems)
    if indicator is None:
        raise UsageError("--indicator: " + unknown("indicator", indicator_id, known))
    sources: dict[str, Source] = {}
    located, problems = yamlsource.read(data_dir / "sources.yaml", display_path(data_dir / "sources.yaml"))
    if problems:
        raise InputError(problems)
    for sid, entry in ((located.value or {}).get("sources") or {}).items() if located else ():
        try:
            sources[str(sid)] = Source.model_validate(entry)
        except ValidationError:
            continue  # an entry still to fill in cannot be cited yet
    names: dict[str, str] = {}
    series: dict[str, dict[int, Point]] = {}
    for cid, path in _country_files(data_dir).items():
        found, _ = yamlsource.read(path, display_path(path))
        value = found.value if found is not None and isinstance(found.value, dict) else {}
        name = value.get("name")
        points = (value.get("indicators") or {}).get(indicator_id) or {}
        try:
            series[cid] = {int(y): Point.model_validate(p) for y, p in points.items()}
        except (ValidationError, ValueError, TypeError, AttributeError):
            continue
        if value.get("id") == cid and isinstance(name, str):
            names[cid] = name
    return Readable(indicator, sources, names, series, None)


def plan_import(
    csv_path: Path,
    indicator_id: str,
    source_id: str,
    data_dir: Path,
    report_dir: Path,
    added: tuple[Source, dict[Path, str]] | None = None,
) -> ImportPlan:
    """What importing csv_path as indicator_id from source_id would write; raise InputError on bad rows.
    added: the source, and the files that define it (sources.yaml's new text), when the import adds it.

    A valid project is checked whole after the merge, as it would be after the import; an incomplete one
    (placeholders still to fill in) needs only the indicator, the source and the country files written
    into to be readable, and the values are checked against the indicator alone."""
    try:
        data = _whole(load(data_dir, report_dir), indicator_id)
    except InputError:
        data = _partial(data_dir, indicator_id)
    sources = {**data.sources, **({source_id: added[0]} if added else {})}
    if source_id not in sources:
        raise UsageError(
            "--source: "
            + unknown("source", source_id, data.sources)
            + " (define it in data/sources.yaml, or give --publisher, --title, --date and --kind to add it)"
        )
    indicator = data.indicator
    src = sources[source_id]
    plan = ImportPlan(indicator, indicator_id, f"{src.publisher}, {src.title}", "plain")
    cells = read_cells(csv_path, data.names, indicator, plan)
    files = _country_files(data_dir)
    by_country: dict[str, dict[int, Wanted]] = {}
    for cell in cells:
        old = data.series[cell.country].get(cell.year)
        want = Wanted(cell.value, status_for(src, old))
        if old is not None and (old.value, old.source, old.status) == (want.value, source_id, want.status):
            plan.unchanged += 1
            continue
        by_country.setdefault(cell.country, {})[cell.year] = want
    for cid in sorted(by_country, key=lambda c: data.names[c]):
        path = files[cid]
        name = display_path(path)
        before = path.read_bytes().decode("utf-8")  # as it is: no newline translation
        after = _merge(before, name, indicator_id, by_country[cid], source_id)
        located = _verify(before, after, name, indicator_id, by_country[cid], source_id)
        series = data.series[cid]
        updates = tuple(
            Update(
                cid,
                year,
                want.value,
                want.status,
                series[year].value if year in series else None,
                series[year].status if year in series else None,
                located.keys.get(("indicators", indicator_id, year), (0, 0))[0],
                _kept(series[year]) if year in series else (),
            )
            for year, want in sorted(by_country[cid].items())
        )
        plan.files.append(FilePlan(path, name, after, updates))
    if data.whole is not None:
        _validate_merged(plan, data_dir, report_dir, display_path(csv_path), added[1] if added else {})
    return plan


def _validate_merged(
    plan: ImportPlan, data_dir: Path, report_dir: Path, csv_name: str, extra: dict[Path, str]
) -> None:
    """Load the data as it would be after the import (in a temporary copy): a rule that the new values
    break, such as a disagreement whose shown source no longer gives a value, is a located problem."""
    if not plan.files and not extra:
        return
    with tempfile.TemporaryDirectory(prefix="digibrief-import-") as tmp:
        copy = Path(tmp) / "data"
        # contents only, not permissions: the copy is written to even when the data folder is read-only
        shutil.copytree(data_dir, copy, copy_function=shutil.copyfile)
        for folder in (copy, *(p for p in copy.rglob("*") if p.is_dir())):
            folder.chmod(0o700)
        for f in plan.files:
            (copy / f.path.relative_to(data_dir)).write_bytes(f.text.encode("utf-8"))
        for path, text in extra.items():
            (copy / path.relative_to(data_dir)).write_bytes(text.encode("utf-8"))
        names = {display_path(p): display_path(data_dir / p.relative_to(copy)) for p in copy.rglob("*.yaml")}
        try:
            load(copy, report_dir)
        except InputError as err:
            raise InputError(
                [
                    replace(
                        p, file=names.get(p.file, p.file), message=f"{p.message} (after importing {csv_name})"
                    )
                    for p in err.problems
                ]
            ) from None
