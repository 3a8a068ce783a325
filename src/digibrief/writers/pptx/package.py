"""The presentation around the slides: the built-in 16:9 design or a template (its layouts, geometry and
colours), properties, its files and stable bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from io import BytesIO

from lxml import etree
from pptx import Presentation
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter, _PhysPkgWriter
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.slide import SlideLayout

from digibrief.document.types import Meta
from digibrief.errors import UsageError
from digibrief.theme import Ground, Theme
from digibrief.writers.pptx.archive import stable_zip
from digibrief.writers.pptx.draw import EMU_PER_PT, emu, layout_placeholder, pick_layouts, rgb
from digibrief.writers.pptx.layout import LAYOUTS, Box, Geometry, Style, builtin_geometry
from digibrief.writers.pptx.palette import WHITE, Colours, ground
from digibrief.writers.pptx.text import clean

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
SECTIONS_EXT = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"


# --- built-in design -------------------------------------------------------------------------------


def builtin(theme: Theme) -> tuple[PresentationT, dict[str, SlideLayout], Geometry, Colours]:
    """python-pptx's default template made 16:9, with the theme's fonts and colours and our positions."""
    colours = Colours.of_theme(theme)
    prs = Presentation()
    k = 12192000 / prs.slide_width
    prs.slide_width, prs.slide_height = emu(960), emu(540)
    owners = [prs.slide_master, *prs.slide_master.slide_layouts]
    for owner in owners:
        for shape in owner.shapes:
            if shape._element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}") is not None:
                shape.left, shape.width = round(shape.left * k), round(shape.width * k)
    geo = builtin_geometry(Style.of(theme, colours))
    layouts, _ = pick_layouts(prs)
    boxes = {
        "cover": {"title": geo.cover_title, "subtitle": geo.cover_subtitle},
        "content": {"title": geo.title, "body": geo.body},
        "title_only": {"title": geo.title},
    }
    for key, layout in layouts.items():
        for slot, box in {**boxes[key], "footer": geo.footer, "number": geo.number}.items():
            ph = layout_placeholder(layout, slot)
            if ph is not None and box is not None:
                _place(ph, box)
    for ph in prs.slide_master.placeholders:
        box = {1: geo.title, 2: geo.body, 15: geo.footer, 13: geo.number}.get(int(ph.placeholder_format.type))
        if box is not None:
            _place(ph, box)
    _retheme(prs, theme)
    return prs, layouts, geo, colours


def _place(shape, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = emu(box.x), emu(box.y), emu(box.w), emu(box.h)


def _retheme(prs: PresentationT, theme: Theme) -> None:
    """Theme fonts and colours, so shapes a speaker adds by hand match the deck."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": A_NS}
    root.set("name", "digibrief")
    for latin in root.xpath(".//a:majorFont/a:latin | .//a:minorFont/a:latin", namespaces=ns):
        latin.set("typeface", theme.fonts.family)
    palette = [*theme.palette[1:], theme.muted, theme.muted, theme.muted, theme.muted][:4]
    colours = {
        "dk2": theme.ink,
        "lt2": Colours.of_theme(theme).band,
        "accent1": theme.focus,
        "accent2": theme.accent,
        **{f"accent{i + 3}": c for i, c in enumerate(palette)},
        "hlink": theme.focus,
        "folHlink": theme.muted,
    }
    for name, colour in colours.items():
        slot = root.find(f".//a:clrScheme/a:{name}", ns)
        if slot is not None:
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{{{A_NS}}}srgbClr", val=rgb(colour))
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    master = prs.slide_master._element
    title = master.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    if title is not None:
        title.set("algn", "l")
        rpr = title.find(qn("a:defRPr"))
        if rpr is not None:
            rpr.set("sz", str(round(theme.size("slide_title") * 100)))
            rpr.set("b", "1")


# --- templates -------------------------------------------------------------------------------------


def from_template(
    data: bytes, path: str, theme: Theme | None = None
) -> tuple[PresentationT, dict[str, SlideLayout], Geometry, Colours | None, list[str]]:
    """The organisation's template: its layouts by name, its placeholders by type, its colours (when a
    theme is given to fall back on), no slides of its own."""
    try:
        prs = Presentation(BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, etree.LxmlError) as e:
        raise UsageError(f"template {path}: cannot be read as a PowerPoint file ({e})") from e
    layouts, missing = pick_layouts(prs)
    if missing:
        have = ", ".join(sorted({layout.name for m in prs.slide_masters for layout in m.slide_layouts}))
        raise UsageError(
            f"template {path}: no slide layout named {', '.join(repr(n) for n in missing)} "
            f"(it has: {have or 'none'})"
        )
    warnings = []
    dropped = _drop_slides(prs)
    if dropped:
        warnings.append(f"template {path}: its {dropped} slide(s) were left out of the deck")

    def optional_box(key: str, slot: str) -> Box | None:
        ph = layout_placeholder(layouts[key], slot)
        if ph is None or ph.left is None or ph.top is None or ph.width is None or ph.height is None:
            return None
        return Box(ph.left / EMU_PER_PT, ph.top / EMU_PER_PT, ph.width / EMU_PER_PT, ph.height / EMU_PER_PT)

    def box(key: str, slot: str) -> Box:
        found = optional_box(key, slot)
        if found is None:
            raise UsageError(f"template {path}: layout '{LAYOUTS[key]}' has no {slot} placeholder")
        return found

    if prs.slide_width is None or prs.slide_height is None:
        raise UsageError(f"template {path}: it does not state its slide size")
    title, body = box("title_only", "title"), box("content", "body")
    if theme is not None:
        title, body, more = content_area(title, body, Style.of(theme), path)
        warnings += more
    geo = Geometry(
        width=prs.slide_width / EMU_PER_PT,
        height=prs.slide_height / EMU_PER_PT,
        title=title,
        body=body,
        cover_title=box("cover", "title"),
        cover_subtitle=box("cover", "subtitle"),
        footer=optional_box("title_only", "footer"),
        number=optional_box("title_only", "number"),
    )
    colours = template_colours(prs, layouts["content"], theme) if theme is not None else None
    return prs, layouts, geo, colours, warnings


def content_area(title: Box, body: Box, st: Style, path: str) -> tuple[Box, Box, list[str]]:
    """The title box made tall enough for a two-line headline and the content area below it, both from
    the template's placeholders; a title that overlaps the body is reported."""
    warnings = []
    gap = 0.1 * 72
    if title.bottom > body.y + 1 and title.y < body.bottom:
        warnings.append(
            f"template {path}: the title placeholder overlaps the body placeholder by "
            f"{title.bottom - body.y:.0f} pt; content starts below the title instead"
        )
    need = 2 * st.title * 1.2 + 2
    if title.h < need:
        title = Box(title.x, title.y, title.w, need)
    top = max(body.y, title.bottom + gap) if title.y <= body.y else body.y
    if top != body.y:
        body = Box(body.x, top, body.w, max(body.bottom - top, 2 * st.body))
    return title, body, warnings


# --- a template's colours ---------------------------------------------------------------------------

SCHEME = ("dk1", "lt1", "dk2", "lt2", *(f"accent{i}" for i in range(1, 7)), "hlink", "folHlink")


def scheme_colours(prs: PresentationT) -> dict[str, str]:
    """The master theme's colour scheme: slot name -> '#RRGGBB'."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    out: dict[str, str] = {}
    scheme = root.find(f".//{{{A_NS}}}clrScheme")
    if scheme is None:
        return out
    for slot in scheme:
        name = etree.QName(slot).localname
        for colour in slot:
            value = colour.get("val") if etree.QName(colour).localname == "srgbClr" else colour.get("lastClr")
            if value:
                out[name] = "#" + value.upper()
    return out


def _resolve(el, scheme: dict[str, str], mapping: dict[str, str]) -> str | None:
    """The colour of a DrawingML colour element (srgbClr, schemeClr through the colour map, sysClr)."""
    kind = etree.QName(el).localname
    if kind == "srgbClr":
        return "#" + el.get("val", "").upper()
    if kind == "sysClr":
        last = el.get("lastClr")
        return "#" + last.upper() if last else None
    if kind == "schemeClr":
        name = el.get("val", "")
        return scheme.get(mapping.get(name, name))
    return None


def template_colours(prs: PresentationT, layout: SlideLayout, theme: Theme) -> Colours:
    """Colours for a deck on this template: its scheme and the background its content layout shows."""
    return Colours.of_scheme(*_scheme_and_background(prs, layout), theme)


def template_ground(prs: PresentationT, layout: SlideLayout) -> Ground | None:
    """The background and text colours picture charts are drawn in on this template; None on white."""
    scheme, background = _scheme_and_background(prs, layout)
    return None if background.upper() == WHITE else ground(scheme, background)


def _scheme_and_background(prs: PresentationT, layout: SlideLayout) -> tuple[dict[str, str], str]:
    """The master's colour scheme and the background the layout shows."""
    scheme = scheme_colours(prs)
    master = prs.slide_master._element
    cmap = master.find(qn("p:clrMap"))
    mapping = dict(cmap.attrib) if cmap is not None else {}
    background = None
    for owner in (layout._element, master):
        bg = owner.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if bg is None:
            continue
        for el in bg.iter():
            if etree.QName(el).localname in ("srgbClr", "schemeClr", "sysClr"):
                background = _resolve(el, scheme, mapping)
                break
        if background:
            break
    background = background or scheme.get(mapping.get("bg1", "lt1"), "#FFFFFF")
    return scheme, background


def _drop_slides(prs: PresentationT) -> int:
    """Remove the template's own slides with their relationships, and the lists that name them."""
    lst = prs.slides._sldIdLst
    ids = list(lst)
    for sld in ids:
        lst.remove(sld)
        prs.part.drop_rel(sld.rId)
    root = prs.part._element
    for el in root.findall(qn("p:custShowLst")):
        root.remove(el)
    for ext in root.xpath(f"./p:extLst/p:ext[@uri='{SECTIONS_EXT}']"):
        ext.getparent().remove(ext)
    return len(ids)


# --- properties and bytes --------------------------------------------------------------------------


def set_properties(prs: PresentationT, meta: Meta) -> None:
    cp = prs.core_properties
    when = dt.datetime.fromtimestamp(meta.epoch, dt.UTC).replace(tzinfo=None)
    cp.title = clean(meta.title)
    cp.author = clean(meta.author)
    cp.subject = clean(meta.subtitle)
    cp.keywords = clean(", ".join(meta.keywords))
    cp.language = clean(meta.language)
    cp.created = when
    cp.modified = when
    cp.revision = 1
    cp.last_modified_by = clean(meta.author)


DEFLATED = zipfile.ZIP_DEFLATED  # how python-pptx stores every part


class _Files(_PhysPkgWriter):
    """python-pptx's package writer's sink (its zip writer's one method), keeping the files."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, int]] = {}

    def write(self, uri: PackURI, blob: bytes | str) -> None:
        self.files[uri.membername] = (blob.encode() if isinstance(blob, str) else blob, DEFLATED)


def saved_parts(prs: PresentationT) -> dict[str, tuple[bytes, int]]:
    """The presentation's files as python-pptx saves them (each part's name, bytes and zip
    compression), taken from its package writer without the zip between (pinned by test_deck_warm_memo)."""
    package = prs.part.package
    writer = PackageWriter(BytesIO(), package._rels, tuple(package.iter_parts()))
    sink = _Files()
    writer._write_content_types_stream(sink)  # what PackageWriter._write does, in its order
    writer._write_pkg_rels(sink)
    writer._write_parts(sink)
    return sink.files


def saved_parts_under(prs: PresentationT, folders: tuple[str, ...]) -> dict[str, bytes]:
    """The files of the presentation's parts in folders ("ppt/slides/", ...) and their relationships,
    as saved_parts has them, without writing the rest."""
    out: dict[str, bytes] = {}
    for part in prs.part.package.iter_parts():
        name = part.partname.membername
        if name.startswith(folders):
            out[name] = part.blob
            if part._rels:
                out[part.partname.rels_uri.membername] = part.rels.xml
    return out


def stable_bytes(prs: PresentationT) -> bytes:
    """Saved, then zipped with a fixed timestamp and a stable entry order (python-pptx stamps now)."""
    return stable_zip(saved_parts(prs))
