"""python-pptx's element lookups with each XPath expression compiled once per process.

python-pptx's elements find their parts with `BaseOxmlElement.xpath(expr)`, which hands the string to
lxml's `_Element.xpath`, and lxml compiles it again on every call: about 23 µs a call where a compiled
`etree.XPath` takes 3 µs. A deck render makes thousands of them (each placeholder test of each shape,
each slide's notes, each new shape's id and name), a fifth of the render's own time. Precompiling is
a long-open request upstream (python-openxml/python-docx#342, "XPath Performance - precompiling").

install() puts xpath() in place of that method: the same expression, with the same namespaces, on the
same element, compiled by lxml once and kept (one XPath object serialises its own calls). It installs
only over the method it knows (one expression argument), so a python-pptx that changed it keeps its own.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from lxml import etree
from pptx.oxml import xmlchemy

LIMIT = 1024  # expressions kept; python-pptx's are a few dozen, plus one per point index it labels

_COMPILED: dict[str, etree.XPath] = {}
_ORIGINAL: list[Callable[..., Any]] = []  # python-pptx's own method, once install() replaced it


def compiled(expr: str) -> etree.XPath:
    """expr compiled with python-pptx's namespace prefixes, kept while fewer than LIMIT are."""
    found = _COMPILED.get(expr)
    if found is None:
        found = etree.XPath(expr, namespaces=xmlchemy._nsmap)
        if len(_COMPILED) < LIMIT:
            _COMPILED[expr] = found
    return found


def xpath(self: etree.ElementBase, xpath_str: str) -> Any:
    """What python-pptx's BaseOxmlElement.xpath returns for xpath_str on this element, by the
    compiled expression; an expression lxml cannot compile goes to python-pptx's method, which
    raises its own error."""
    try:
        expr = compiled(xpath_str)
    except etree.XPathSyntaxError:
        return _ORIGINAL[0](self, xpath_str)
    return expr(self)


def installed() -> bool:
    return xmlchemy.BaseOxmlElement.__dict__.get("xpath") is xpath


def install() -> bool:
    """Replace BaseOxmlElement.xpath by xpath() if it is the method expected; whether xpath() is in
    place afterwards."""
    if installed():
        return True
    own = xmlchemy.BaseOxmlElement.__dict__.get("xpath")
    if not inspect.isfunction(own) or not isinstance(getattr(xmlchemy, "_nsmap", None), dict):
        return False
    if list(inspect.signature(own).parameters) != ["self", "xpath_str"]:
        return False
    _ORIGINAL[:] = [own]
    xmlchemy.BaseOxmlElement.xpath = xpath  # type: ignore[method-assign]
    return True
