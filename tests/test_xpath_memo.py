"""python-pptx's elements look their parts up through compiled XPath expressions kept once per process
(writers/pptx/xpathmemo.py), with the results lxml gives for the same expression uncompiled."""

from __future__ import annotations

import math
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pptx
import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml import parse_xml, xmlchemy

from digibrief.writers.pptx import draw, xpathmemo

# the element kinds python-pptx asks its questions of (shapes, trees, charts' parts, tables' cells)
CONTEXTS = {"sld", "notes", "spTree", "sp", "pic", "graphicFrame", "sldIdLst", "chartSpace", "plotArea"}
CONTEXTS |= {"lineChart", "barChart", "scatterChart", "ser", "dLbls", "dLbl", "cat", "tbl", "tc", "txBody"}
# what python-pptx never asks but lxml answers too: numbers, booleans, a string
OWN = (
    "count(.//a:t)",
    "count(./p:nvSpPr)",
    "boolean(./p:nvSpPr)",
    "string(.//a:t)",
    "sum(.//c:ptCount/@val)",
)


def pptx_expressions() -> list[str]:
    """Every literal expression python-pptx's own code gives xpath(), a point index put in those that
    take one (the installed library's source, so the list follows the version)."""
    found: set[str] = set()
    call = re.compile(r"\.xpath\(\s*(['\"])(.+?)\1")
    for source in Path(pptx.__file__).parent.rglob("*.py"):
        for _, expr in call.findall(source.read_text(encoding="utf-8")):
            found |= {expr.replace("%d", str(i)) for i in (0, 1)}
    return sorted(found)


def contexts(root: Any) -> list[Any]:
    """root and the first three elements of each kind in CONTEXTS under it."""
    kinds: dict[str, list[Any]] = {}
    for el in root.iter():
        kinds.setdefault(etree.QName(el).localname, []).append(el)
    return [root, *(el for kind in sorted(CONTEXTS) for el in kinds.get(kind, [])[:3])]


def lxml_result(el: Any, expr: str) -> Any:
    return etree._Element.xpath(el, expr, namespaces=xmlchemy._nsmap)


def same(a: Any, b: Any) -> bool:
    """The same elements (the very nodes), the same strings with the same origin, the same number."""
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, etree._Element):
        return a is b
    if isinstance(a, str):
        return (
            type(a) is type(b)
            and a == b
            and getattr(a, "getparent", lambda: None)() is getattr(b, "getparent", lambda: None)()
            and getattr(a, "attrname", None) == getattr(b, "attrname", None)
        )
    if isinstance(a, float):
        return isinstance(b, float) and (a == b or (math.isnan(a) and math.isnan(b)))
    return type(a) is type(b) and a == b


def test_memo_gives_what_lxml_gives_uncompiled_on_the_deck(rendered_deck: Any) -> None:
    data = rendered_deck[0].data
    exprs = [*pptx_expressions(), *OWN]
    assert "./*[1]/p:nvPr/p:ph" in exprs and "//@id" in exprs and 'c:dLbl[c:idx[@val="1"]]' in exprs
    seen: dict[str, int] = {"elements": 0, "strings": 0, "empty": 0, "numbers": 0, "booleans": 0}
    with zipfile.ZipFile(BytesIO(data)) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"ppt/(slides|notesSlides|charts)/\w+\.xml", n)]
        parts = [*sorted(parts)[::12], "ppt/presentation.xml"]  # every kind of part, a twelfth of each
        for name in parts:
            root = parse_xml(z.read(name))
            for el in contexts(root):
                for expr in exprs:
                    ours, theirs = xpathmemo.xpath(el, expr), lxml_result(el, expr)
                    assert same(ours, theirs), (name, el.tag, expr, ours, theirs)
                    if isinstance(theirs, list):
                        kind = (
                            "empty" if not theirs else "elements" if etree.iselement(theirs[0]) else "strings"
                        )
                    else:
                        kind = (
                            "booleans"
                            if isinstance(theirs, bool)
                            else "numbers"
                            if isinstance(theirs, float)
                            else "strings"
                        )
                    seen[kind] += 1
    assert all(seen.values()), seen  # each kind of result was compared


def test_python_pptx_elements_use_the_memo(rendered_deck: Any) -> None:
    assert draw.xpathmemo is xpathmemo  # installed by the drawing code every render imports
    assert xpathmemo.installed()
    assert xmlchemy.BaseOxmlElement.xpath is xpathmemo.xpath
    xpathmemo._COMPILED.pop("./*[1]/p:nvPr/p:ph", None)
    prs = Presentation(BytesIO(rendered_deck[0].data))
    titles = [s.shapes.title for s in prs.slides]  # python-pptx's placeholder lookups
    assert "./*[1]/p:nvPr/p:ph" in xpathmemo._COMPILED
    assert titles[0] is not None and titles[0].text_frame.text
    root = prs.slides[0].shapes._spTree
    assert root.xpath("//p:cNvPr/@name") == lxml_result(root, "//p:cNvPr/@name")


def test_an_expression_lxml_cannot_compile_fails_as_in_python_pptx(rendered_deck: Any) -> None:
    root = Presentation(BytesIO(rendered_deck[0].data)).slides[0].shapes._spTree
    with pytest.raises(etree.XPathEvalError):
        root.xpath("./p:sp[")
    with pytest.raises(etree.XPathEvalError):
        root.xpath("./nope:sp")  # a prefix python-pptx does not know


def test_the_memo_keeps_at_most_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xpathmemo, "_COMPILED", {})
    monkeypatch.setattr(xpathmemo, "LIMIT", 2)
    el = parse_xml('<p:sldIdLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>')
    for i in range(5):
        assert el.xpath(f"count(./p:sldId) + {i}") == float(i)
    assert list(xpathmemo._COMPILED) == ["count(./p:sldId) + 0", "count(./p:sldId) + 1"]


def test_install_leaves_a_changed_method_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed(self: Any, xpath_str: str, namespaces: Any = None) -> Any:
        return []

    monkeypatch.setattr(xmlchemy.BaseOxmlElement, "xpath", changed)
    assert not xpathmemo.install()
    assert xmlchemy.BaseOxmlElement.xpath is changed
    monkeypatch.setattr(xmlchemy.BaseOxmlElement, "xpath", xpathmemo._ORIGINAL[0])
    assert xpathmemo.install() and xpathmemo.installed()
