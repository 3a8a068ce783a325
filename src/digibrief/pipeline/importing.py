"""`digibrief import`: plan the merge of a CSV into the country files, word it, and write it all at once."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from digibrief.errors import UsageError, write_failure
from digibrief.pipeline.cache import write_all_atomic
from digibrief.project.importer import LAYOUT_NAMES, ImportPlan, plan_import
from digibrief.project.load import display_path
from digibrief.project.model import Source
from digibrief.project.scaffold import add_source, parse


def import_csv(
    csv_path: Path,
    indicator: str,
    source: str,
    data_dir: Path,
    report_dir: Path,
    write: bool,
    new_source: dict[str, str | None] | None = None,
) -> ImportPlan:
    """Plan the import and, with write, replace every changed country file at once (or none); with
    new_source (publisher, title, url, date, kind), add the source to sources.yaml in the same write."""
    added = _source_entry(source, new_source, data_dir) if new_source and any(new_source.values()) else None
    plan = plan_import(csv_path, indicator, source, data_dir, report_dir, added)
    plan.added_source = display_path(next(iter(added[1]))) if added else ""
    files = {f.path: f.text for f in plan.files} | (added[1] if added else {})
    if write and files:
        try:
            write_all_atomic({path: text.encode("utf-8") for path, text in files.items()})
        except OSError as exc:
            raise write_failure(exc, data_dir, "no file was changed") from exc
    return plan


def _source_entry(sid: str, fields: dict[str, str | None], data_dir: Path) -> tuple[Source, dict[Path, str]]:
    """The source the command line describes, validated, and sources.yaml's text with it added."""
    path = data_dir / "sources.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{display_path(path)}: cannot be read ({exc}); nothing was written") from None
    located = parse(text, display_path(path))
    if located and isinstance(located.value, dict) and sid in (located.value.get("sources") or {}):
        raise UsageError(
            f"--source {sid} is already in {display_path(path)}; leave out --publisher, --title, --url, "
            "--date and --kind"
        )
    missing = [f"--{k}" for k in ("publisher", "title", "date", "kind") if not fields.get(k)]
    if missing:
        raise UsageError(f"to add source {sid}, give {', '.join(missing)} too")
    try:
        source = Source.model_validate({k: v for k, v in fields.items() if v})
    except ValidationError as exc:
        said = "; ".join(f"--{e['loc'][0]}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"source {sid}: {said}") from None
    edit = add_source(text, display_path(path), sid, fields)
    if edit.text is None:
        raise UsageError(" ".join(edit.by_hand[:1]) + ": " + "; ".join(edit.by_hand[1:]))
    return source, {path: edit.text}


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def report(plan: ImportPlan, written: bool) -> list[str]:
    """What the import changes (or would), file by file, as the editor reads it."""

    def show(value: float) -> str:  # as the file holds it: the editor checks what is written
        return str(int(value)) if value.is_integer() else repr(value)

    out = [f"{plan.indicator.name} from {LAYOUT_NAMES[plan.layout]}; source: {plan.source}"]
    if plan.added_source:
        out.append(f"{plan.added_source}: the source {'added' if written else 'to add'}")
    for f in plan.files:
        out.append(f.name)
        for u in f.updates:
            where = f"  {f.name}:{u.line}: {u.year}: "
            if u.before is None:
                said = f"new {show(u.value)}" + ("" if u.status == "verified" else f" ({u.status})")
            else:
                said = (
                    f"{show(u.before)} \u2192 {show(u.value)}" if u.before != u.value else f"{show(u.value)}"
                )
                if u.status != u.status_before:
                    said += f", now {u.status}"
                if u.before == u.value and u.status == u.status_before:
                    said += ", source changed"
            if u.kept:
                said += f" (keeps {' and '.join(u.kept)}: check it still holds)"
            out.append(where + said)
    verb = ("changed", "added") if written else ("to change", "to add")
    counts = (
        f"{_plural(plan.changed, 'value')} {verb[0]} and {plan.added:,} {verb[1]} "
        f"in {_plural(len(plan.files), 'file')}; {plan.unchanged:,} already as in the file"
    )
    if plan.skipped_rows:
        counts += f"; skipped {_plural(plan.skipped_rows, 'row')} for {_plural(len(plan.skipped_places), 'place')} not in the data"
    if plan.empty:
        counts += f"; {_plural(plan.empty, 'empty cell')}"
    out.append(counts + ".")
    if not written and plan.files:
        out.append("Nothing was written: run again with --write to write these values.")
    return out
