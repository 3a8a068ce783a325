"""The shipped data keeps the project's standard: every number and event cites a defined source."""

from __future__ import annotations

from typing import Any

import yaml

from digibrief.syntax import cited_ids, references

from .conftest import DATA, REPORT

SOURCES = set(yaml.safe_load((DATA / "sources.yaml").read_text(encoding="utf-8"))["sources"])
DATA_FILES = [DATA / "countries" / p.name for p in sorted((DATA / "countries").glob("*.yaml"))] + [
    DATA / "risks.yaml"
]


def _walk(node: Any, path: str):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}.{i}")


def _cited(mapping: dict) -> list[str]:
    ids = [mapping["source"]] if "source" in mapping else []
    return ids + list(mapping.get("sources", []))


def test_every_number_and_dated_event_in_data_cites_a_defined_source():
    unsourced, undefined = [], []
    for path in DATA_FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for where, node in _walk(doc, path.name):
            if not isinstance(node, dict):
                continue
            # a key figure or disputed value that points at the data ({indicator, year} or a fact)
            # carries no number of its own: the value it reads is cited where it is defined
            reads_data = "indicator" in node or "fact" in node or set(node) == {"year"}
            numeric = any(k in node for k in ("value", "year", "level")) and not (
                ".levels" in where or where.endswith(".range") or reads_data
            )
            if numeric and node.get("level", 0) is not None:
                cited = _cited(node)
                # a rating whose rationale reads the data cites the sources of what it reads
                if not cited and not references(str(node.get("rationale", ""))):
                    unsourced.append(where)
                undefined += [f"{where}: {sid}" for sid in cited if sid not in SOURCES]
    assert not unsourced, unsourced
    assert not undefined, undefined


def test_every_milestone_and_incident_cites_a_defined_source():
    for path in (DATA / "countries").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in doc.get("milestones", []) + doc.get("incidents", []):
            assert item.get("source") in SOURCES, (path.name, item)


def test_every_citation_in_prose_names_a_defined_source():
    files = [*(DATA / "countries").glob("*.yaml"), REPORT / "report.yaml"]
    docs = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    texts = [node for doc in docs for _, node in _walk(doc, "") if isinstance(node, str)]
    cited = {sid for t in texts for sid in cited_ids(t)}
    assert cited, "no citations found in prose"
    assert cited <= SOURCES, cited - SOURCES


def test_seed_figures_that_matter_are_present_with_year_and_source():
    def country(code: str) -> dict:
        return yaml.safe_load((DATA / "countries" / f"{code}.yaml").read_text(encoding="utf-8"))

    kaz, uzb, kgz, tjk = country("kaz"), country("uzb"), country("kgz"), country("tjk")
    assert kaz["indicators"]["egdi_rank"][2022]["value"] == 28
    kaz_figures = {f["value"]: f for f in kaz["facts"].values()}
    for value in (80, 14_000_000, 230_000_000, 105, 11_000_000, 13_000):
        assert value in kaz_figures, value
        assert kaz_figures[value]["source"] == "SEED_GNV_2024"
    assert kaz_figures[230_000_000]["year"] == 2021
    assert kaz_figures[11_000_000]["year"] == 2018 and kaz_figures[11_000_000]["year_end"] == 2020
    ai = uzb["indicators"]["ai_readiness_rank"]
    assert ai[2019]["value"] == 158 and ai[2019]["status"] == "unverified"
    assert ai[2023]["status"] == "unverified"  # implied by the 2024 source; the article's 79th is disputed
    disputed = [v for d in uzb["discrepancies"] for v in d["values"] if v.get("source") == "SEED_GNV_2024"]
    assert {"value": 79, "year": 2023, "source": "SEED_GNV_2024"} in disputed
    assert ai[2024]["value"] == 70
    kgz_values = {f["value"]: f for f in kgz["facts"].values()}
    assert 165_000_000 in kgz_values and kgz_values[165_000_000]["year"] == 2021
    assert 78 in kgz_values and kgz_values[78]["status"] == "unverified"
    assert tjk["indicators"]["internet_users"][2022]["value"] == 36.0872
    assert any(f["value"] == 50_000 for f in tjk["facts"].values())


def test_unverified_reference_figures_are_absent_or_marked():
    """The reference sheet's unverified EGDI 2020 ranks for TJK/TKM are derived and must not appear."""
    for code in ("tjk", "tkm"):
        doc = yaml.safe_load((DATA / "countries" / f"{code}.yaml").read_text(encoding="utf-8"))
        assert 2020 not in doc["indicators"].get("egdi_rank", {})


def test_sources_that_disagree_are_recorded_with_each_value_and_a_reason():
    from digibrief.project.load import load
    from digibrief.project.readings import read_disputed

    project = load(DATA, REPORT)
    for code, topic_word in (("UZB", "AI"), ("KGZ", "nternet")):
        country = project.countries[code]
        matches = [d for d in country.discrepancies if topic_word in d.topic]
        assert matches, topic_word
        d = matches[0]
        sources = {read_disputed(country, d, v, project.indicators).sources[0] for v in d.values}
        assert len(sources) >= 2 and d.shown in sources
        assert d.reason
