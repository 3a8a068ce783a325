"""`digibrief build --per-country`: one brief and one deck per focus country, each in its own folder.

OUT/<iso3>/ gets that country's brief.pdf and deck.pptx (and its data pack), composed for it (see
project.scope and document.compose): its takeaways, incidents and disagreements, with the regional
comparisons kept and the country emphasised in them. The builds run one after another, each drawing its charts and
rendering its writers on the worker pool, and share one chart cache (OUT/.cache/charts unless --cache
names another), so a chart common to every brief is drawn once. Each folder has its own manifest, so
an unchanged country is "up to date" and an edit redraws and rewrites only what it changed.
"""

from __future__ import annotations

from dataclasses import replace

from digibrief.errors import InputError, UsageError
from digibrief.pipeline.build import BuildOptions, BuildResult, Log, build, prepare_output
from digibrief.pipeline.lock import build_lock
from digibrief.pipeline.prune import prune
from digibrief.project.folders import missing_folders


def countries_of(opts: BuildOptions) -> list[str]:
    """The focus countries in report order, or those of --countries (checked against the report)."""
    from digibrief.project.load import load

    listed = load(opts.data, opts.report).report.countries
    if opts.countries:
        unknown = [c for c in opts.countries if c not in listed]
        if unknown:
            raise UsageError(
                f"--countries: {', '.join(unknown)} not among the report's countries ({', '.join(listed)})"
            )
    return [c for c in dict.fromkeys(listed) if not opts.countries or c in opts.countries]


def _quiet(message: str, *, always: bool = False) -> None:
    pass


def build_per_country(opts: BuildOptions, log: Log = _quiet) -> list[tuple[str, BuildResult]]:
    """Build OUT/<iso3>/ for each country; the results in report order."""
    missing = missing_folders(opts.data, opts.report)
    if missing:
        raise InputError(missing)
    countries = countries_of(opts)
    prepare_output(opts.out)
    cache = opts.cache or opts.out / ".cache" / "charts"
    results = []
    with build_lock(opts.out):
        for cid in countries:
            log(f"{cid}:")
            one = replace(opts, out=opts.out / cid.lower(), countries=(cid,), one_country=True, cache=cache)
            results.append((cid, build(one, log)))
        if opts.cache is None:
            prune(opts.out)  # the shared cache: keep what any country's build still uses
    return results
