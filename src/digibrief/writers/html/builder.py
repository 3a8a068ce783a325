"""Escaped HTML: the only place where the page's markup is made from strings.

Text is escaped with html.escape unless it is already Markup (made by this module); attribute values
are always escaped and quoted. So a string from the data ('<script>', 'onerror=') reaches the page as
text, never as an element or an attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "wbr"})


class Markup(str):
    """A string of HTML that this module made (escaped text and known tags)."""

    __slots__ = ()


Child = str | Markup | None
Attrs = Mapping[str, str | int | bool | None]


def text(value: object) -> Markup:
    """A value as escaped text."""
    return value if isinstance(value, Markup) else Markup(escape(str(value), quote=False))


def join(children: Iterable[Child]) -> Markup:
    return Markup("".join(text(c) for c in children if c is not None and c != ""))


def attrs(values: Attrs) -> str:
    """' name="value"' for each attribute that is set; True gives a bare attribute."""
    out = []
    for name, value in values.items():
        if not _NAME.match(name) or name.startswith("on"):
            raise ValueError(f"attribute name {name!r} is not one the page writes")
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{escape(str(value), quote=True)}"')
    return "".join(out)


def tag(name: str, attributes: Attrs | None = None, *children: Child) -> Markup:
    """<name attributes>children</name>, the children escaped unless they are Markup."""
    if not _NAME.match(name):
        raise ValueError(f"element name {name!r} is not one the page writes")
    opening = f"<{name}{attrs(attributes or {})}>"
    if name in VOID:
        return Markup(opening)
    return Markup(f"{opening}{join(children)}</{name}>")
