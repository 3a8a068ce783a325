"""After reportlab: the structure tree, the parent tree and the metadata of a tagged PDF (PDF/UA-1).

The page streams already carry marked content (tagging.py); this step, with pikepdf, writes what refers
to it: the StructTreeRoot with one element per Node that has content (in the order of the skeleton, so
in the document's order), MCIDs and annotations as the elements' kids, the ParentTree (page keys first,
then one per annotation), /StructParents and /Tabs /S on pages, /StructParent, /Contents and the Print
flag on annotations, /MarkInfo, /ViewerPreferences /DisplayDocTitle and XMP metadata with dc:title
and pdfuaid:part. Nothing here reads a clock or the environment, and the file /ID is derived from the
content, so the bytes depend only on the input.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from digibrief.document.words import ENGLISH, Speech
from digibrief.writers.pdf.tagging import Annot, Content, Marked, Node, Tagger

# characters XML 1.0 cannot carry, even escaped
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")


def finish(
    data: bytes,
    root: Node,
    tagger: Tagger,
    *,
    title: str,
    language: str,
    author: str = "",
    subject: str = "",
    keywords: str = "",
    speech: Speech = ENGLISH,
) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    tree = _Tree(pdf, tagger, speech)
    if tagger.content(tagger.stray) or tagger.stray.kids:  # never in a correct writer; kept readable
        root.kids.append(tagger.stray)
    struct_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = tree.element(root, struct_root)
    struct_root.K = Array([document]) if document is not None else Array()
    struct_root.ParentTree = pdf.make_indirect(Dictionary(Nums=tree.parent_tree()))
    struct_root.ParentTreeNextKey = tree.next_key
    for page in tree.pages:
        page.Tabs = Name.S

    catalog = pdf.Root
    catalog.StructTreeRoot = struct_root
    catalog.MarkInfo = Dictionary(Marked=True)
    if language:
        catalog.Lang = String(language)
    prefs = catalog.get("/ViewerPreferences", Dictionary())
    prefs.DisplayDocTitle = True
    catalog.ViewerPreferences = prefs
    info = pdf.docinfo
    for key in ("/Title", "/Author", "/Subject", "/Keywords"):  # the same text as the XMP carries
        if key in info and _NOT_XML.search(str(info[key])):
            info[key] = String(_NOT_XML.sub("", str(info[key])))
    xmp = _xmp(
        title=title,
        author=author,
        subject=subject,
        keywords=keywords,
        language=language,
        producer=str(info.get("/Producer", "")),
        creator=str(info.get("/Creator", "")),
        created=_xmp_date(str(info.get("/CreationDate", ""))),
        modified=_xmp_date(str(info.get("/ModDate", ""))),
    )
    catalog.Metadata = pdf.make_stream(xmp, Type=Name.Metadata, Subtype=Name.XML)

    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        min_version="1.7",  # the base of PDF/UA-1 (ISO 32000-1)
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        fix_metadata_version=False,
    )
    return out.getvalue()


class _Tree:
    """Writes the elements of the skeleton that have content, with what was drawn for them.

    Each element is made whole in as few calls into pikepdf as its content allows (a call costs more than
    the Python around it): its dictionary at once, then its kids; the objects are made in the same order
    as element by element, so the file is the same."""

    def __init__(self, pdf: pikepdf.Pdf, tagger: Tagger, speech: Speech = ENGLISH):
        self.pdf = pdf
        self.tagger = tagger
        self.speech = speech  # the document's: what a link without its own description says
        self.pages = [p.obj for p in pdf.pages]
        self.mcids: dict[int, dict[int, pikepdf.Object]] = {}  # page -> MCID -> element
        self.annots: list[tuple[int, pikepdf.Object]] = []  # (key, element)
        self.next_key = len(self.pages)
        self._content: dict[Node, bool] = {}
        self._roles: dict[str, Name] = {}
        self._page_annots: dict[int, list[pikepdf.Object]] = {}

    def items(self, node: Node) -> list[Content]:
        return [*node.kids, *self.tagger.drawn.get(node, [])]

    def has_content(self, node: Node) -> bool:
        if node not in self._content:
            self._content[node] = any(
                isinstance(i, (Marked, Annot)) or (isinstance(i, Node) and self.has_content(i))
                for i in self.items(node)
            )
        return self._content[node]

    def _role(self, role: str) -> Name:
        name = self._roles.get(role)
        if name is None:
            name = self._roles[role] = Name("/" + role)
        return name

    def element(self, node: Node, parent: pikepdf.Object, keep: bool = False) -> pikepdf.Object | None:
        """The element of a node, or None when nothing of it was drawn (a table cell is kept when its
        row is: an empty cell is still a cell of the grid)."""
        if not (keep or self.has_content(node)):
            return None
        items = self.items(node)
        mixed = any(isinstance(i, Marked) for i in items) and any(isinstance(i, Node) for i in items)
        # its page: that of its first marked content (marked content beside child elements is a Span's)
        page = None if mixed else next((i.page for i in items if isinstance(i, Marked)), None)
        keys: dict[str, object] = {"/Type": Name.StructElem, "/S": self._role(node.role), "/P": parent}
        if page is not None:
            keys["/Pg"] = self.pages[page]
        if node.alt:
            keys["/Alt"] = String(node.alt)
        if node.lang:
            keys["/Lang"] = String(node.lang)
        attrs = [
            Dictionary({"/O": Name("/" + owner), **{"/" + k: Name("/" + v) for k, v in values.items()}})
            for owner, values in node.attrs.items()
        ]
        box = self.tagger.boxes.get(node)
        if box is not None:
            attrs.append(
                Dictionary(O=Name.Layout, Placement=Name.Block, BBox=Array([round(v, 2) for v in box[1]]))
            )
        if attrs:
            keys["/A"] = attrs[0] if len(attrs) == 1 else Array(attrs)
        elem = self.pdf.make_indirect(Dictionary(keys))
        kids: list[object] = []
        run: list[Marked] = []  # marked content beside child elements goes into a Span of its own

        def flush() -> None:
            if run:
                kids.append(self._span(run, elem))
                run.clear()

        for item in items:
            if isinstance(item, Marked):
                if mixed:
                    run.append(item)
                else:
                    kids.append(self._marked(item, elem, page))
                continue
            flush()
            if isinstance(item, Annot):
                kids.append(self._annot(item, node, elem))
            else:
                child = self.element(item, elem, keep=node.role == "TR")
                if child is not None:
                    kids.append(child)
        flush()
        # one kid is written as itself (pdfua 0.1.3 cannot evaluate a heading whose /K is an array)
        elem.K = kids[0] if len(kids) == 1 else Array(kids)
        return elem

    def _marked(self, item: Marked, elem: pikepdf.Object, page: int | None) -> object:
        """An MCID of elem, whose page (/Pg) is page: as itself on that page, else with its page."""
        self.mcids.setdefault(item.page, {})[item.mcid] = elem
        if item.page == page:
            return item.mcid
        return Dictionary(Type=Name.MCR, Pg=self.pages[item.page], MCID=item.mcid)

    def _span(self, run: list[Marked], parent: pikepdf.Object) -> pikepdf.Object:
        page = run[0].page
        span = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Span, P=parent, Pg=self.pages[page])
        )
        kids = [self._marked(m, span, page) for m in run]
        span.K = Array(kids)
        return span

    def _annot(self, item: Annot, node: Node, elem: pikepdf.Object) -> Dictionary:
        page = self.pages[item.page]
        annots = self._page_annots.get(item.page)
        if annots is None:
            annots = self._page_annots[item.page] = list(page.Annots)
        annot = annots[item.index]
        key = self.next_key
        self.next_key += 1
        self.annots.append((key, elem))
        annot.StructParent = key
        annot.F = 4  # Print
        annot.Contents = String(node.contents or _describe(annot, self.speech))
        return Dictionary(Type=Name.OBJR, Obj=annot, Pg=page)

    def parent_tree(self) -> Array:
        nums: list[object] = []
        for index, page in enumerate(self.pages):
            owners = self.mcids.get(index)
            if not owners:
                continue
            page.StructParents = index
            nums.append(index)
            nums.append(self.pdf.make_indirect(Array([owners.get(m, None) for m in range(max(owners) + 1)])))
        for key, elem in self.annots:
            nums.append(key)
            nums.append(elem)
        return Array(nums)


def _describe(annot: pikepdf.Object, speech: Speech) -> str:
    action = annot.get("/A")
    if action is not None and "/URI" in action:
        return speech.word("link_to", url=str(action.URI))
    return speech.word("link_in_document")


def _xmp_date(pdf_date: str) -> str:
    m = _PDF_DATE.match(pdf_date)
    if not m:
        return ""
    y, mo, d, h, mi, s = m.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def _x(text: str) -> str:
    return escape(_NOT_XML.sub("", text))


def _xmp(
    *,
    title: str,
    author: str,
    subject: str,
    keywords: str,
    language: str,
    producer: str,
    creator: str,
    created: str,
    modified: str,
) -> bytes:
    """XMP written out by hand: no library adds a clock reading of its own."""
    props = [
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_x(title)}</rdf:li></rdf:Alt></dc:title>',
    ]
    if author:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{_x(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        props.append(
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_x(subject)}</rdf:li></rdf:Alt></dc:description>'
        )
    if language:
        props.append(f"<dc:language><rdf:Bag><rdf:li>{_x(language)}</rdf:li></rdf:Bag></dc:language>")
    if keywords:
        props.append(f"<pdf:Keywords>{_x(keywords)}</pdf:Keywords>")
    if producer:
        props.append(f"<pdf:Producer>{_x(producer)}</pdf:Producer>")
    if creator:
        props.append(f"<xmp:CreatorTool>{_x(creator)}</xmp:CreatorTool>")
    if created:
        props.append(f"<xmp:CreateDate>{created}</xmp:CreateDate>")
    if modified:
        props += [
            f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>",
            f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
        ]
    props.append("<pdfuaid:part>1</pdfuaid:part>")
    body = "\n    ".join(props)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"    {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()
