"""How the brief's canvas hands its file to pikepdf changes no byte of the brief: pages left uncompressed
and handed over as bytes, and plain link annotations formatted in one step (writers/pdf/links.py), give
the file that reportlab's own compression and formatting give once pikepdf has written it out as
postprocess.finish does."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pikepdf
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from digibrief.writers.pdf import links
from digibrief.writers.pdf.brief import _EpochCanvas


def _written_out(data: bytes) -> bytes:
    """The file as postprocess.finish has pikepdf write it."""
    out = io.BytesIO()
    pikepdf.open(io.BytesIO(data)).save(
        out,
        deterministic_id=True,
        min_version="1.7",
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        fix_metadata_version=False,
    )
    return out.getvalue()


def _document(canvas: Canvas) -> bytes:
    """Two pages of text and links: internal links (one coloured) to a destination, and a URL."""
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 720, "Sources \u2013 the first page")
    canvas.bookmarkHorizontal("ref-1", 72, 730)
    canvas.showPage()
    canvas.setFont("Helvetica", 11)
    canvas.drawString(72, 700, "A claim [1], another [1], a third.")
    canvas.linkRect("", "ref-1", (140, 698, 152, 711), relative=1)
    canvas.linkRect("", "ref-1", (210.25, 698.5, 222.125, 711.75), relative=1)
    canvas.linkRect("", "ref-1", (250, 698, 262, 711), relative=1, color=colors.red, thickness=1)
    canvas.linkURL("https://example.org/a", (72, 680, 200, 692), relative=1)
    canvas.showPage()
    canvas.save()
    return bytes(canvas.getpdfdata())


class _Plain(Canvas):
    """reportlab's canvas with the brief's link annotations."""

    def _addAnnotation(self, annotation: object, name: object = None, addtopage: int = 1) -> None:
        links.lighten(annotation)
        super()._addAnnotation(annotation, name, addtopage)


def _made(make: Callable[[io.BytesIO], Canvas]) -> bytes:
    return _written_out(_document(make(io.BytesIO())))


def test_plain_link_annotations_give_the_file_reportlab_s_own_formatting_gives():
    ours = _made(lambda buf: _Plain(buf, invariant=1))
    assert ours == _made(lambda buf: Canvas(buf, invariant=1))
    pdf = pikepdf.open(io.BytesIO(ours))
    annots = [a for page in pdf.pages for a in page.get("/Annots", [])]
    assert len(annots) == 4 and all("/Rect" in a for a in annots)


class _Compressed(_EpochCanvas):
    """The brief's canvas with its pages as reportlab writes them by default: Flate and ASCII85, from
    the page's code as text."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.setPageCompression(1)

    save = Canvas.save


def test_pages_left_uncompressed_give_the_file_reportlab_s_compressed_pages_give():
    ours = _EpochCanvas(io.BytesIO(), epoch=946684800, invariant=1)
    theirs = _Compressed(io.BytesIO(), epoch=946684800, invariant=1)
    laid_out, compressed = _document(ours), _document(theirs)
    assert b"/ASCII85Decode" in compressed and b"/ASCII85Decode" not in laid_out
    assert _written_out(laid_out) == _written_out(compressed)
