"""python-pptx's next free part name comes from a quicker walk of the package (writers/pptx/partnames.py)
and its element classes find children by tag quicker (writers/pptx/tagnames.py), with python-pptx's
answers."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pptx
import pytest
from lxml import etree
from pptx import Presentation
from pptx.opc.package import OpcPackage
from pptx.oxml import ns, parse_xml, xmlchemy

from digibrief.writers.pptx import draw, partnames, tagnames


def templates() -> list[str]:
    """The part name templates python-pptx's source names (the installed version's)."""
    found: set[str] = set()
    for source in Path(pptx.__file__).parent.rglob("*.py"):
        found |= set(re.findall(r"\"(/ppt/[\w/.]*%d[\w/.]*)\"", source.read_text(encoding="utf-8")))
    return sorted(found)


def python_pptx_next(package: Any, tmpl: str) -> Any:
    return partnames._ORIGINAL[0](package, tmpl)


def test_next_part_name_is_python_pptx_s(rendered_deck: Any) -> None:
    tmpls = templates()
    assert {"/ppt/notesSlides/notesSlide%d.xml", "/ppt/charts/chart%d.xml", "/ppt/theme/theme%d.xml"} <= set(
        tmpls
    )
    prs = Presentation(BytesIO(rendered_deck[0].data))
    package = prs.part.package
    taken = {str(p.partname) for p in package.iter_parts()}
    assert partnames.partnames(package) == taken
    for tmpl in tmpls:
        assert package.next_partname(tmpl) == python_pptx_next(package, tmpl), tmpl
    # a name freed in the middle (a slide's notes slide dropped) is taken again, as python-pptx takes it
    slide = prs.slides[3].part
    rid = next(r.rId for r in slide.rels.values() if r.reltype.endswith("/notesSlide"))
    freed = str(slide.rels[rid].target_part.partname)
    slide.drop_rel(rid)
    tmpl = "/ppt/notesSlides/notesSlide%d.xml"
    assert package.next_partname(tmpl) == python_pptx_next(package, tmpl) == freed
    # and on a new presentation, where most templates have no part yet
    fresh = Presentation().part.package
    for tmpl in tmpls:
        assert fresh.next_partname(tmpl) == python_pptx_next(fresh, tmpl)
    assert fresh.next_partname("/ppt/charts/chart%d.xml") == "/ppt/charts/chart1.xml"


def test_new_parts_are_named_by_the_quicker_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    assert draw.partnames is partnames and partnames.installed()
    assert OpcPackage.next_partname is partnames.next_partname
    walked: list[Any] = []
    walk = partnames.partnames
    monkeypatch.setattr(partnames, "partnames", lambda package: walked.append(package) or walk(package))
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    assert slide.notes_slide.part.partname == "/ppt/notesSlides/notesSlide1.xml"
    assert walked and walked[-1] is prs.part.package


def test_a_template_of_another_shape_goes_to_python_pptx() -> None:
    package = Presentation().part.package
    assert package.next_partname("/ppt/a%%b%d.xml") == python_pptx_next(package, "/ppt/a%%b%d.xml")
    with pytest.raises(TypeError):
        package.next_partname("/ppt/nothing.xml")


def test_install_leaves_changed_methods_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed(self: Any, tmpl: str, start: int = 1) -> Any:
        return tmpl % start

    monkeypatch.setattr(OpcPackage, "next_partname", changed)
    assert not partnames.install() and OpcPackage.next_partname is changed
    monkeypatch.setattr(xmlchemy, "qn", lambda tag: tag)
    assert not tagnames.install() and xmlchemy.qn("p:sp") == "p:sp"


def test_tag_names_are_python_pptx_s(rendered_deck: Any) -> None:
    prefixes = {uri: prefix for prefix, uri in ns._nsmap.items()}
    tags: set[str] = set()
    with zipfile.ZipFile(BytesIO(rendered_deck[0].data)) as z:
        for name in ("ppt/slides/slide2.xml", "ppt/charts/chart1.xml", "ppt/presentation.xml"):
            for el in etree.fromstring(z.read(name)).iter():
                q = etree.QName(el)
                if q.namespace in prefixes:
                    tags.add(f"{prefixes[q.namespace]}:{q.localname}")
    assert len(tags) > 50
    for tag in sorted(tags):
        assert tagnames.qn(tag) == ns.qn(tag)
        assert tagnames.qn(tag) == tagnames.qn(tag)  # asked again, from the memo
    with pytest.raises(KeyError):
        tagnames.qn("nope:sp")
    assert "nope:sp" not in tagnames._NAMES


def test_python_pptx_elements_name_tags_from_the_memo() -> None:
    assert draw.tagnames is tagnames and tagnames.installed() and xmlchemy.qn is tagnames.qn
    assert xmlchemy.BaseOxmlElement.first_child_found_in is tagnames.first_child_found_in
    tagnames._NAMES.pop("p:cSld", None)
    prs = Presentation()
    assert prs.slides.add_slide(prs.slide_layouts[0]).shapes.title is not None  # finds p:cSld, p:spTree
    assert tagnames._NAMES["p:cSld"] == "{http://schemas.openxmlformats.org/presentationml/2006/main}cSld"


def test_first_child_found_in_is_python_pptx_s(rendered_deck: Any) -> None:
    """On the deck's elements, for tags in and out of order, present and absent, more tags than
    children and fewer: the very child python-pptx's method finds, or None."""
    own = tagnames._ORIGINAL[0]
    prefixes = {uri: prefix for prefix, uri in ns._nsmap.items()}

    def prefixed(el: Any) -> str | None:
        q = etree.QName(el)
        return f"{prefixes[q.namespace]}:{q.localname}" if q.namespace in prefixes else None

    compared = {"found": 0, "none": 0, "one pass": 0}
    with zipfile.ZipFile(BytesIO(rendered_deck[0].data)) as z:
        for name in ("ppt/slides/slide2.xml", "ppt/slides/slide5.xml", "ppt/charts/chart1.xml"):
            root = parse_xml(z.read(name))
            for el in root.iter():
                if not isinstance(el, xmlchemy.BaseOxmlElement):
                    continue
                kids = [t for t in map(prefixed, el) if t]
                for tags in (
                    (),
                    ("a:extLst",),
                    tuple(kids),
                    tuple(reversed(kids)),
                    ("p:nvPr", *kids[1:2], "a:ext", *kids[:1]),
                    (*kids[-2:], "c:idx", "a:t", "p:sp", "a:p", "c:ser", "a:ln"),
                ):
                    ours, theirs = el.first_child_found_in(*tags), own(el, *tags)
                    assert ours is theirs, (name, el.tag, tags)
                    compared["none" if theirs is None else "found"] += 1
                    compared["one pass"] += 0 < len(el) <= len(tags)
    assert all(n > 100 for n in compared.values()), compared
    p = parse_xml('<a:p xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:r/></a:p>')
    with pytest.raises(KeyError):
        p.first_child_found_in("nope:x", "a:r")
    assert p.first_child_found_in("a:r", "nope:x") is p[0]  # found before python-pptx reaches it
