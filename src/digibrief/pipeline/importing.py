"""`digibrief import`: plan the merge of a CSV into the country files, word it, and write it all at once."""

from __future__ import annotations

from pathlib import Path

from digibrief.errors import write_failure
from digibrief.pipeline.cache import write_all_atomic
from digibrief.project.importer import LAYOUT_NAMES, ImportPlan, plan_import


def import_csv(
    csv_path: Path, indicator: str, source: str, data_dir: Path, report_dir: Path, write: bool
) -> ImportPlan:
    """Plan the import and, with write, replace every changed country file at once (or none)."""
    plan = plan_import(csv_path, indicator, source, data_dir, report_dir)
    if write and plan.files:
        try:
            write_all_atomic({f.path: f.text.encode("utf-8") for f in plan.files})
        except OSError as exc:
            raise write_failure(exc, data_dir, "no file was changed") from exc
    return plan


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def report(plan: ImportPlan, written: bool) -> list[str]:
    """What the import changes (or would), file by file, as the editor reads it."""

    def show(value: float) -> str:  # as the file holds it: the editor checks what is written
        return str(int(value)) if value.is_integer() else repr(value)

    out = [f"{plan.indicator.name} from {LAYOUT_NAMES[plan.layout]}; source: {plan.source}"]
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
