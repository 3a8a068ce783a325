"""A chart's SVG file → an inline <svg> element that fetches nothing and names itself with its alt text.

The charts are drawn for print as SVG with their text as text. Inline, each keeps only what draws it:
the XML prolog, DOCTYPE, metadata, style sheets (which would apply to the whole page), scripts, event
handlers and any reference outside the element (an href that is not '#…' or an inline data: image)
are dropped. Every id that something refers to is prefixed (the others are dropped) with the chart's own prefix, so that the charts of one page never
share an id and each clip path or marker still finds its own. Width and height give way to the
viewBox, so the chart scales to the measure.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from digibrief.writers.html.builder import Markup

DROP = frozenset({"metadata", "style", "script", "foreignObject", "a", "iframe", "audio", "video"})
_REF = re.compile(r"url\(#([^)]+)\)")
_USE = re.compile(r"^#(.+)$|url\(#([^)]+)\)")


class ChartError(ValueError):
    """The chart's bytes are not an SVG drawing."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def inline_svg(data: bytes, prefix: str, label: str) -> Markup:
    """The chart as an <svg role="img" aria-label=label> element; ids start with prefix."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ChartError(str(exc)) from exc
    if _local(root.tag) != "svg":
        raise ChartError(f"the root element is {_local(root.tag)!r}, not svg")
    used = {
        m.group(1) or m.group(2)
        for el in root.iter()
        for value in el.attrib.values()
        for m in _USE.finditer(value)
    }
    _clean(root, prefix, used)
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("class", "chart")
    root.set("focusable", "false")
    out = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return Markup(re.sub(r"\s+/>", "/>", out))


def _clean(element: ET.Element, prefix: str, used: set[str]) -> None:
    """Drop what the page must not hold; keep and prefix only the ids something refers to."""
    element.tag = _local(element.tag)
    attributes = {}
    for name, value in element.attrib.items():
        local = _local(name)
        if local.lower().startswith("on"):
            continue
        if local == "href":
            if value.startswith("#"):
                value = "#" + prefix + value[1:]
            elif not value.startswith("data:image/"):
                continue
        elif local == "id":
            if value not in used:
                continue
            value = prefix + value
        else:
            value = _REF.sub(lambda m: f"url(#{prefix}{m.group(1)})", value)
        attributes[local] = value
    element.attrib.clear()
    element.attrib.update(attributes)
    for child in list(element):
        if _local(child.tag) in DROP:
            element.remove(child)
        else:
            _clean(child, prefix, used)
    if _local(element.tag) == "defs" and not len(element) and not (element.text or "").strip():
        element.text = None
