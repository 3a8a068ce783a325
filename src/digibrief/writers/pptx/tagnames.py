"""python-pptx's element classes name their children's tags ("p:spPr" -> "{...}spPr") from a dict.

The element classes python-pptx generates (pptx/oxml/xmlchemy.py) turn a prefixed tag into lxml's
Clark notation with `qn` on every child lookup, insertion and removal: a new NamespacePrefixedTag (a
str subclass, split and looked up) each time, about 30,000 times a deck render, 6% of it. The names are
a fixed set, so install() gives that module a memo of them in qn's place, each name computed by
python-pptx's qn the first time it is asked for. It installs only over the function it knows.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from pptx.oxml import ns, xmlchemy


class _Names(dict[str, str]):
    """Clark names by prefixed tag, each made by python-pptx's qn when first asked for."""

    def __missing__(self, tag: str) -> str:
        name = ns.qn(tag)  # an unknown prefix raises here, as python-pptx's qn does, and is not kept
        self[tag] = name
        return name


_NAMES = _Names()
qn: Callable[[str], str] = _NAMES.__getitem__


def installed() -> bool:
    return xmlchemy.qn is qn


def install() -> bool:
    """Put qn in place of python-pptx's in its element classes' module if that is the function
    expected; whether it is in place afterwards."""
    if installed():
        return True
    if xmlchemy.qn is not ns.qn or list(inspect.signature(ns.qn).parameters) != ["namespace_prefixed_tag"]:
        return False
    xmlchemy.qn = qn  # type: ignore[assignment]
    return True
