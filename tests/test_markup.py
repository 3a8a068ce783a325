"""Inline markup: a tiny documented language; everything else stays literal text."""

from __future__ import annotations

from digibrief.document.citations import label as format_numbers
from digibrief.document.markup import parse
from digibrief.syntax import cited_ids


def numbering():
    seen: dict[str, int] = {}

    def cite(ids: list[str]) -> tuple[int, ...]:
        return tuple(seen.setdefault(i, len(seen) + 1) for i in ids)

    return cite


def test_bold_italic_links_and_citations_become_runs():
    runs = parse(
        "**Kazakhstan** leads, *by far* [UN](https://un.org) [SEED_GNV_2024; OTHER_SRC].", numbering()
    )
    assert runs[0].text == "Kazakhstan" and runs[0].bold
    assert any(r.italic and r.text == "by far" for r in runs)
    assert any(r.href == "https://un.org" and r.text == "UN" for r in runs)
    cite = [r for r in runs if r.cite]
    assert cite[0].cite == (1, 2) and cite[0].text == "1,2"
    assert runs[-1].text == "."


def test_markup_like_html_stays_literal():
    hostile = '<img src="/etc/passwd"> <a href="javascript:alert(1)">x</a> AT&T a < b <b>unclosed'
    runs = parse(hostile, numbering())
    assert "".join(r.text for r in runs) == hostile
    assert all(r.href is None and not r.bold for r in runs)


def test_only_http_https_and_mailto_links_are_live():
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "ftp://x.org"):
        runs = parse(f"[click]({url})", numbering())
        assert all(r.href is None for r in runs), url
        assert "".join(r.text for r in runs) == f"[click]({url})"
    assert parse("[mail](mailto:a@b.org)", numbering())[0].href == "mailto:a@b.org"


def test_citation_ids_are_listed_for_validation():
    assert cited_ids("a [ONE_ID] b [TWO_ID; THREE_ID] [not an id] [x](https://y)") == [
        "ONE_ID",
        "TWO_ID",
        "THREE_ID",
    ]


def test_citation_numbers_are_compressed_into_ranges():
    assert format_numbers((1, 2, 3, 5)) == "1\u20133,5"
    assert format_numbers((4, 2)) == "2,4"


def test_web_addresses_in_a_reference_become_link_runs_without_their_punctuation():
    from digibrief.document.markup import addresses

    runs = addresses("Also on https://example.org/a_(b)/c). See (https://example.com/x), then javascript:x.")
    assert [(r.text, r.href) for r in runs] == [
        ("Also on ", None),
        ("https://example.org/a_(b)/c", "https://example.org/a_(b)/c"),
        ("). See (", None),
        ("https://example.com/x", "https://example.com/x"),
        ("), then javascript:x.", None),
    ]
