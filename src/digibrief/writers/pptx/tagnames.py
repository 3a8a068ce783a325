"""python-pptx's element classes find their children by tag quicker, with the same results.

The element classes python-pptx generates (pptx/oxml/xmlchemy.py) turn a prefixed tag into lxml's
Clark notation ("p:spPr" -> "{...}spPr") with `qn` on every child lookup, insertion and removal: a new
NamespacePrefixedTag (a str subclass, split and looked up) each time, about 30,000 times a deck render,
6% of it. The names are a fixed set, so install() gives that module a memo of them in qn's place, each
name computed by python-pptx's qn the first time it is asked for.

Before inserting a child, `BaseOxmlElement.first_child_found_in(*tagnames)` looks for the first of up
to twenty tags that may follow it, one `find` each, mostly in elements with no child or a few (4% of a
render). first_child_found_in() answers the same (the first child of the first tag that has one) from
no look-up when there is no child and one pass over the children when they are fewer than the tags.
install() puts both in place only over the function and method it knows.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from pptx.oxml import ns, xmlchemy


class _Names(dict[str, str]):
    """Clark names by prefixed tag, each made by python-pptx's qn when first asked for."""

    def __missing__(self, tag: str) -> str:
        name = ns.qn(tag)  # an unknown prefix raises here, as python-pptx's qn does, and is not kept
        self[tag] = name
        return name


_NAMES = _Names()
qn: Callable[[str], str] = _NAMES.__getitem__
_ORIGINAL: list[Callable[..., Any]] = []  # python-pptx's first_child_found_in, once install() replaced it


def first_child_found_in(self: Any, *tagnames: str) -> Any:
    """What python-pptx's BaseOxmlElement.first_child_found_in returns: the first child with the first
    of tagnames that one has, or None."""
    try:
        names = [qn(tag) for tag in tagnames]
    except KeyError:  # a prefix python-pptx does not know: its method raises, or finds a tag before it
        return _ORIGINAL[0](self, *tagnames)
    if not len(self):
        return None
    if len(self) > len(names):
        return next((c for c in map(self.find, names) if c is not None), None)
    first: dict[Any, Any] = {}
    for child in self:
        first.setdefault(child.tag, child)
    return next((first[name] for name in names if name in first), None)


def installed() -> bool:
    return (
        xmlchemy.qn is qn
        and xmlchemy.BaseOxmlElement.__dict__.get("first_child_found_in") is first_child_found_in
    )


def install() -> bool:
    """Put qn and first_child_found_in() in place of python-pptx's where they are the function and
    method expected; whether both are in place afterwards."""
    if xmlchemy.qn is ns.qn and list(inspect.signature(ns.qn).parameters) == ["namespace_prefixed_tag"]:
        xmlchemy.qn = qn  # type: ignore[assignment]
    own = xmlchemy.BaseOxmlElement.__dict__.get("first_child_found_in")
    if inspect.isfunction(own) and own is not first_child_found_in:
        params = inspect.signature(own).parameters
        if (
            list(params) == ["self", "tagnames"]
            and params["tagnames"].kind is inspect.Parameter.VAR_POSITIONAL
        ):
            _ORIGINAL[:] = [own]
            xmlchemy.BaseOxmlElement.first_child_found_in = first_child_found_in  # type: ignore[method-assign]
    return installed()
