"""docs/claims.md, the ledger of the GNV article's quantitative claims, stays in step with the data.

Every row names a data location that exists and holds the value the row gives, with a status that
agrees with the data (cited to the article, confirmed by another source, unverified, disputed,
corrected), or says why the claim was left out; and every figure or date the data takes from the
article is accounted for by a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from digibrief.syntax import cited_ids, references

from .conftest import DATA, REPORT

LEDGER = DATA.parent / "docs" / "claims.md"
ARTICLE = "SEED_GNV_2024"
LOCATION = re.compile(
    r'^`(?P<file>[a-z]{3}\.yaml): (?P<path>[\w.]+) (?:= (?P<value>[\d.]+)|contains "(?P<text>[^"]+)")`$'
)
STATUS = re.compile(
    r"^(cited to GNV|confirmed by (?P<source>[A-Z0-9_]+)|unverified|disputed|corrected: .+|left out: .+)$"
)


@dataclass(frozen=True)
class Row:
    number: int
    claim: str
    article: str
    data: str
    status: str

    def locations(self) -> list[re.Match[str]]:
        """Each location the row names (one or more, joined by "and"); a location that does not parse is None."""
        return [LOCATION.match(part) for part in re.findall(r"`[^`]+`", self.data)]  # type: ignore[misc]


def ledger() -> list[Row]:
    rows = []
    for line in LEDGER.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].isdigit():
            rows.append(Row(int(cells[0]), *cells[1:]))
    return rows


def country_file(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / "countries" / name).read_text(encoding="utf-8"))


def walk(doc: Any, path: str) -> tuple[Any, Any]:
    """(the value at a dotted key path, the mapping that holds it); list items and years by number."""
    node, parent = doc, None
    for part in path.split("."):
        parent = node
        key: Any = int(part) if part.isdigit() else part
        if isinstance(node, list) or (isinstance(node, dict) and key in node):
            node = node[key]
        else:
            raise KeyError(f"no {part!r} in {path}")
    return node, parent


@pytest.fixture(scope="module")
def project() -> Any:
    from digibrief.project.load import load

    return load(DATA, REPORT)


def cited_by_text(project: Any, country: str, text: str, listed: list[str]) -> set[str]:
    """The sources a text cites: listed, as [ID] or literal figures, and through its data references."""
    from digibrief.project.readings import read

    read_by_refs = {
        s for ref in references(text) for s in read(ref, project.countries, project.indicators).sources
    }
    return set(listed) | set(cited_ids(text)) | read_by_refs


def test_the_ledger_numbers_its_rows_and_gives_each_a_known_status():
    rows = ledger()
    assert len(rows) >= 35, "the article makes about 38 quantitative claims; the ledger lists fewer"
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))
    for r in rows:
        assert STATUS.match(r.status), f"row {r.number}: unknown status {r.status!r}"
        assert r.claim and r.article, f"row {r.number}: say what the article claims"
        left_out = r.status.startswith("left out:")
        assert (r.data == "left out") == left_out, (
            f"row {r.number}: a row is left out in both columns or neither"
        )
        if not left_out:
            assert r.locations() and all(r.locations()), (
                f"row {r.number}: the data location {r.data!r} is not `FILE: key.path = VALUE`"
            )


@pytest.mark.parametrize(
    ("row", "m"),
    [(r, m) for r in ledger() if r.data != "left out" for m in r.locations()],
    ids=lambda x: f"row{x.number}" if isinstance(x, Row) else (x.group("path") if x else "unreadable"),
)
def test_each_row_points_at_data_that_exists_and_holds_its_value(row: Row, m: re.Match[str], project: Any):
    assert m, row.data
    doc = country_file(m.group("file"))
    node, record = walk(doc, m.group("path"))
    if m.group("text"):
        assert isinstance(node, str) and m.group("text") in node, (
            f"row {row.number}: {row.data} does not hold the text"
        )
        country = doc["id"]
        listed = list(record.get("sources", [])) + ([record["source"]] if "source" in record else [])
        sources = cited_by_text(project, country, node, listed)
    else:
        assert float(node) == float(m.group("value")), f"row {row.number}: {row.data} holds {node}"
        sources = {record["source"]} if "source" in record else set()
    status = STATUS.match(row.status)
    assert status
    if row.status == "cited to GNV":
        assert ARTICLE in sources, f"row {row.number}: {row.data} does not cite the GNV article"
        assert record.get("status", "reported") != "verified"
    elif status.group("source"):
        assert status.group("source") in project.sources, (
            f"row {row.number}: unknown source {status.group('source')}"
        )
        assert status.group("source") in sources, (
            f"row {row.number}: {row.data} does not cite {status.group('source')}"
        )
    elif row.status == "unverified":
        assert record.get("status") == "unverified", f"row {row.number}: {row.data} is not flagged unverified"
    elif row.status == "disputed":
        assert m.group("path").startswith("discrepancies."), (
            f"row {row.number}: a disputed figure lives in discrepancies"
        )
        assert record.get("source") == ARTICLE
    else:  # corrected: the data holds another value than the article, from another source
        assert row.status.startswith("corrected: ")
        assert m.group("value") not in row.article, (
            f"row {row.number}: a correction changes the article's figure"
        )
        assert ARTICLE not in sources, (
            f"row {row.number}: a corrected figure cites the source that corrects it"
        )


def _article_figures(doc: dict[str, Any], name: str) -> set[str]:
    """Every location in a country file whose figure or date is taken from the GNV article."""
    found = set()
    for fid, fact in (doc.get("facts") or {}).items():
        if fact["source"] == ARTICLE:
            found.add(f"{name}: facts.{fid}.value")
    for iid, series in (doc.get("indicators") or {}).items():
        for year, point in series.items():
            if point["source"] == ARTICLE:
                found.add(f"{name}: indicators.{iid}.{year}.value")
    for i, m in enumerate(doc.get("milestones") or []):
        if m["source"] == ARTICLE:
            found.add(f"{name}: milestones.{i}.year")
    for i, d in enumerate(doc.get("discrepancies") or []):
        for j, v in enumerate(d["values"]):
            if v.get("source") == ARTICLE and "value" in v:
                found.add(f"{name}: discrepancies.{i}.values.{j}.value")
    return found


def _article_literals(doc: Any, name: str, path: str = "") -> set[str]:
    """Every text that writes a figure of the article as a literal: {"2,500 km" SEED_GNV_2024}."""
    if isinstance(doc, dict):
        return {x for k, v in doc.items() for x in _article_literals(v, name, f"{path}.{k}".strip("."))}
    if isinstance(doc, list):
        return {x for i, v in enumerate(doc) for x in _article_literals(v, name, f"{path}.{i}".strip("."))}
    if isinstance(doc, str):
        return {f"{name}: {path}" for lit in re.findall(r'\{"[^"]+" ' + ARTICLE + r"\}", doc) if lit}
    return set()


def test_every_figure_the_data_takes_from_the_article_is_in_the_ledger():
    located = {f"{m.group('file')}: {m.group('path')}" for r in ledger() for m in r.locations() if m}
    missing = set()
    for path in sorted((DATA / "countries").glob("*.yaml")):
        doc = country_file(path.name)
        missing |= (_article_figures(doc, path.name) | _article_literals(doc, path.name)) - located
    assert not missing, f"add a row to docs/claims.md for each of: {sorted(missing)}"


def test_every_claim_left_out_is_named_to_the_reader_in_the_methodology():
    import yaml as _yaml

    report = _yaml.safe_load((REPORT / "report.yaml").read_text(encoding="utf-8"))
    # the methodology and its remarks on particular countries, all of which the regional brief prints
    texts = [report["methodology"], *(r["text"] for r in report.get("methodology_remarks", []))]
    methodology = " ".join(" ".join(texts).split())
    left_out = [r for r in ledger() if r.data == "left out"]
    assert left_out, "the ledger names the claims it leaves out"
    for r in left_out:
        assert r.article in methodology, (
            f"row {r.number}: the methodology does not name {r.article!r}, which the brief leaves out"
        )
    assert "left out" in methodology
