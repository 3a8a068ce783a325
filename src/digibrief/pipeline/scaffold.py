"""`digibrief init` and `digibrief new country|indicator|source`: write a new project, or a scaffold and
the files that list it, all at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from digibrief.errors import UsageError, write_failure
from digibrief.pipeline.cache import write_all_atomic
from digibrief.project import starter
from digibrief.project.folders import missing_folders
from digibrief.project.load import display_path
from digibrief.project.scaffold import (
    COUNTRY_ID,
    INDICATOR_ID,
    SOURCE_KINDS,
    UNITS,
    Edit,
    add_country_headlines,
    add_country_to_report,
    add_country_to_risks,
    add_indicator,
    add_source,
    country_text,
    parse,
)


@dataclass
class Scaffold:
    """What `new` wrote, and what the user must add by hand where a file's layout could not be extended."""

    written: list[str] = field(default_factory=list)
    by_hand: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{display_path(path)}: cannot be read ({exc}); nothing was written") from None


def _write(files: dict[Path, str]) -> None:
    try:
        write_all_atomic({path: text.encode("utf-8") for path, text in files.items()})
    except OSError as exc:
        raise write_failure(exc, next(iter(files))) from exc


def _apply(edit: Edit, path: Path, files: dict[Path, str], done: Scaffold, what: str) -> None:
    if edit.text is None:
        done.by_hand += edit.by_hand
    else:
        files[path] = edit.text
        done.written.append(f"{display_path(path)}: {what}")


def new_country(cid: str, name: str, role: str, data_dir: Path, report_dir: Path) -> Scaffold:
    """data/countries/<cid>.yaml with placeholders; a focus country is added to report.yaml and risks.yaml."""
    if not COUNTRY_ID.match(cid):
        raise UsageError(f"country id {cid!r}: expected three letters (ISO 3166 alpha-3), e.g. MNG")
    cid = cid.upper()
    if not name.strip():
        raise UsageError("--name: expected the country's name, e.g. --name Mongolia")
    missing = missing_folders(data_dir, report_dir)
    if missing:
        raise UsageError(missing[0].message)
    path = data_dir / "countries" / f"{cid.lower()}.yaml"
    if path.exists():
        raise UsageError(f"{display_path(path)} already exists; nothing was written")
    done = Scaffold()
    files = {path: country_text(cid, name.strip(), role)}
    done.written.append(f"{display_path(path)}: every required value as a TODO placeholder")
    if role == "focus":
        report, risks = report_dir / "report.yaml", data_dir / "risks.yaml"
        _apply(
            add_country_to_report(_read(report), display_path(report), cid),
            report,
            files,
            done,
            f"{cid} added at the end of countries:",
        )
        if report in files:
            headlines = add_country_headlines(files[report], display_path(report), cid)
            files[report] = headlines.text or files[report]
            done.by_hand += headlines.by_hand
            done.written.append(
                f"{display_path(report)}: a TODO headline for {cid} in each chart drawn for every country"
            )
        if risks.exists():  # a brief without risks has no data/risks.yaml
            _apply(
                add_country_to_risks(_read(risks), display_path(risks), cid),
                risks,
                files,
                done,
                f"a row for {cid} under assessments:, one TODO rationale per risk category",
            )
    _write(files)
    done.next_steps = [
        "replace every TODO; `digibrief check` lists those left, with their lines",
        "add its indicator values under indicators: (or with `digibrief import`)",
    ]
    if role == "context":
        done.next_steps.append("to give it a context section, add one under sections: in report.yaml")
    return done


def _new_entry_file(path: Path, section: str, what: str, eid: str) -> str:
    """The text of the file a new entry goes into: it must exist and not define eid under section yet."""
    if not path.is_file():
        raise UsageError(f"{display_path(path)} not found; run in the project folder or pass --data DIR")
    text = _read(path)
    located = parse(text, display_path(path))
    if located and isinstance(located.value, dict) and eid in (located.value.get(section) or {}):
        raise UsageError(f"{what} '{eid}' is already defined in {display_path(path)}; nothing was written")
    return text


def new_indicator(iid: str, name: str | None, unit: str | None, data_dir: Path) -> Scaffold:
    """An entry in data/indicators.yaml with placeholders for what the command line did not give."""
    if not INDICATOR_ID.match(iid):
        raise UsageError(f"indicator id {iid!r}: expected a letter, then letters, digits or _")
    if unit is not None and unit not in UNITS:
        raise UsageError(f"--unit: expected one of {', '.join(UNITS)}, got {unit!r}")
    path = data_dir / "indicators.yaml"
    text = _new_entry_file(path, "indicators", "indicator", iid)
    edit = add_indicator(text, display_path(path), iid, name, unit)
    done = Scaffold()
    files: dict[Path, str] = {}
    _apply(edit, path, files, done, f"'{iid}' added at the end of indicators:, TODO placeholders to fill in")
    if files:
        _write(files)
    done.next_steps = [
        "replace every TODO; `digibrief check` lists those left, with their lines",
        f"add values under indicators: {iid}: in the country files (or with `digibrief import`)",
        "to show it, chart it under charts: in report.yaml, or list it under comparison:",
    ]
    return done


def new_source(sid: str, fields: dict[str, str | None], data_dir: Path) -> Scaffold:
    """An entry in data/sources.yaml: the fields given, a TODO placeholder for each required one not given."""
    if not INDICATOR_ID.match(sid):
        raise UsageError(f"source id {sid!r}: expected a letter, then letters, digits or _")
    if fields.get("kind") not in (None, *SOURCE_KINDS):
        raise UsageError(f"--kind: expected one of {', '.join(SOURCE_KINDS)}, got {fields['kind']!r}")
    url = fields.get("url")
    if url is not None and not url.startswith(("https://", "http://")):
        raise UsageError(f"--url: expected an address starting with https://, got {url!r}")
    path = data_dir / "sources.yaml"
    text = _new_entry_file(path, "sources", "source", sid)
    done = Scaffold()
    files: dict[Path, str] = {}
    _apply(
        add_source(text, display_path(path), sid, fields),
        path,
        files,
        done,
        f"'{sid}' added at the end of sources:",
    )
    if files:
        _write(files)
    done.next_steps = [
        f"cite it as source: {sid} beside a value, or [{sid}] in a text",
        "replace any TODO left; `digibrief check` lists them, with their lines",
    ]
    return done


def _codes(option: str, given: str) -> list[str]:
    """The ISO 3166 alpha-3 codes of a comma-separated option, upper-cased, each once."""
    codes = [c.strip().upper() for c in given.split(",") if c.strip()]
    for code in codes:
        if not COUNTRY_ID.match(code):
            raise UsageError(f"{option}: {code!r} is not a country code; expected ISO 3166 alpha-3, e.g. ARM")
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise UsageError(f"{option}: {', '.join(twice)} listed twice; list each country once")
    return codes


def init_project(
    folder: Path,
    title: str,
    countries: str,
    context: str | None,
    language: str,
    today: dt.date | None = None,
) -> Scaffold:
    """A new project in folder, which must be empty or new: data/, report/ and a .gitignore, valid and
    buildable at once, with every sentence still to write a placeholder that `check` lists."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{display_path(folder)} is a file, not a folder; nothing was written")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(
            f"{display_path(folder)} is not empty; `digibrief init` writes a new project into an empty or new "
            "folder, so that nothing of yours is replaced. Nothing was written"
        )
    if not title.strip():
        raise UsageError("--title: expected the brief's title, e.g. --title 'Digital South Caucasus'")
    if not starter.language_known(language):
        raise UsageError(f"--language: unknown language {language!r}; expected a code such as en, fr or ru")
    focus = _codes("--countries", countries)
    if not focus:
        raise UsageError("--countries: expected at least one country code, e.g. --countries ARM,AZE,GEO")
    peers = _codes("--context", context or "")
    both = [c for c in peers if c in focus]
    if both:
        raise UsageError(
            f"--context: {', '.join(both)} is also under --countries; give each country one role"
        )
    names = starter.country_names([*focus, *peers], language)
    unknown = [c for c, name in names.items() if name is None]
    if unknown:
        raise UsageError(
            f"{', '.join(unknown)}: not a country in the Unicode CLDR territory names; "
            "check the ISO 3166 alpha-3 code"
        )
    plan = starter.Plan(
        title=title.strip(),
        language=language,
        focus={c: names[c] or c for c in focus},
        context={c: names[c] or c for c in peers},
        edition=(today or dt.datetime.now(dt.UTC).date()).isoformat(),
    )
    texts = starter.files(plan)
    _write({folder / name: text for name, text in texts.items()})
    done = Scaffold(written=[display_path(folder / name) for name in texts])
    done.next_steps = [f"cd {display_path(folder)}"] if folder.resolve() != Path.cwd().resolve() else []
    done.next_steps += [
        "digibrief import FILE.csv --indicator internet_users --source OWID_ITU_INTERNET_2025 --write",
        "replace every [Placeholder: ...]; `digibrief check` lists each one left, with its line",
        "digibrief build",
    ]
    return done
