"""python-pptx's next free part name (a new notes slide, chart or embedded workbook) from one quick walk
of the package's relationships.

`OpcPackage.next_partname(tmpl)` collects the names of all parts reachable from the package through its
generator walk of the relationship graph, a Python generator frame per relationship and a mapping view
per part: a fifth of a millisecond on a deck of a hundred parts, paid by each slide's notes slide and
each chart, so about 5% of a deck render. install() puts next_partname() in its place: the same walk
done with plain loops over the same relationships, and the same answer (of the names tmpl % n, n from
one more than the names sharing tmpl's prefix down to 1, the first not taken). It installs only over
the method it knows (one template argument), and hands a template of another shape, or a package whose
parts it cannot read so, to python-pptx's own method.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.package import OpcPackage
from pptx.opc.packuri import PackURI

_ORIGINAL: list[Callable[..., PackURI]] = []  # python-pptx's own method, once install() replaced it


def partnames(package: Any) -> set[str]:
    """The names of the parts reachable from package through its internal relationships.

    Read from python-pptx's own fields (each collection's dict of relationships, each relationship's
    target and mode, each part's relationships as python-pptx's lazyproperty keeps them once made):
    python-pptx's properties over them cost three times the walk. A field missing raises
    AttributeError."""
    seen: set[Any] = set()
    todo = [package._rels]
    while todo:
        rels = todo.pop()
        by_id = rels.__dict__.get("_rels")
        for rel in (rels._rels if by_id is None else by_id).values():
            if rel._target_mode == RTM.EXTERNAL:
                continue
            part = rel._target
            if part not in seen:
                seen.add(part)
                kept = part.__dict__.get("rels")
                todo.append(part.rels if kept is None else kept)
    return {str(part.partname) for part in seen}


def next_partname(self: OpcPackage, tmpl: str) -> PackURI:
    """What python-pptx's OpcPackage.next_partname gives for tmpl (one '%d', no other '%')."""
    prefix, one, rest = tmpl.partition("%d")
    if not one or "%" in prefix or "%" in rest:
        return _ORIGINAL[0](self, tmpl)
    try:
        names = partnames(self)
    except AttributeError:  # a python-pptx that keeps its relationships otherwise
        return _ORIGINAL[0](self, tmpl)
    n = sum(1 for name in names if name.startswith(prefix)) + 1
    while tmpl % n in names:
        n -= 1
    return PackURI(tmpl % n)


def installed() -> bool:
    return OpcPackage.__dict__.get("next_partname") is next_partname


def install() -> bool:
    """Replace OpcPackage.next_partname by next_partname() if it is the method expected; whether
    next_partname() is in place afterwards."""
    if installed():
        return True
    own = OpcPackage.__dict__.get("next_partname")
    if not inspect.isfunction(own) or list(inspect.signature(own).parameters) != ["self", "tmpl"]:
        return False
    _ORIGINAL[:] = [own]
    OpcPackage.next_partname = next_partname  # type: ignore[method-assign]
    return True
