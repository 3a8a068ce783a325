"""What is drawn around the text: the cover's colour band, running header and "page N of M" footer,
all artifacts in the tagged PDF (pagination artifacts for the header and footer)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame

from digibrief.document.types import Meta
from digibrief.document.words import ENGLISH, Speech
from digibrief.writers.pdf.flowables import BriefTemplate
from digibrief.writers.pdf.fonts import Glyphs
from digibrief.writers.pdf.styles import Page, Palette, Styles
from digibrief.writers.pdf.tagging import artifact

IMPRINT_TOP = 62 * mm  # the rule above the publisher's block on the cover
_NO_PAD = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def band_bottom(page: Page) -> float:
    """The cover's colour band covers the top 58% of the page."""
    return page.height * 0.42


def cover_title_space(page: Page) -> float:
    """Height for the cover's title and subtitle: from the foot of the band up to the label."""
    return page.height - 50 * mm - (band_bottom(page) + 18 * mm)


def body_frame(page: Page) -> Frame:
    return Frame(page.left, page.bottom, page.frame_width, page.frame_height, id="body", **_NO_PAD)


class PageDecor:
    def __init__(self, page: Page, styles: Styles, glyphs: Glyphs, meta: Meta, speech: Speech = ENGLISH):
        self.page = page
        self.speech = speech  # the document's: "page N of M" in its words
        self.st = styles
        self.fonts = styles.fonts
        self.pal = styles.pal
        self.title = glyphs.clean(meta.title)
        self.footer = glyphs.clean("  \u00b7  ".join(x for x in (meta.publisher, meta.edition_label) if x))

    # --- cover -----------------------------------------------------------------------------------

    def cover_frames(self, title_height: float) -> list[Frame]:
        """Label at the top of the band, title block at its foot, countries below, imprint at the bottom."""
        p, w, band = self.page, self.page.frame_width, band_bottom(self.page)
        title_y = band + 18 * mm
        map_y = title_y + min(title_height, cover_title_space(p)) + 6 * mm  # the locator map, if any
        return [
            Frame(p.left, p.height - 50 * mm, w, 20 * mm, id="label", **_NO_PAD),
            Frame(p.left, map_y, w, max(p.height - 54 * mm - map_y, 1.0), id="map", **_NO_PAD),
            Frame(p.left, title_y, w * 0.9, min(title_height, cover_title_space(p)), id="title", **_NO_PAD),
            Frame(p.left, IMPRINT_TOP + 10 * mm, w, band - 22 * mm - IMPRINT_TOP, id="countries", **_NO_PAD),
            Frame(p.left, p.bottom, w, IMPRINT_TOP - p.bottom - 4 * mm, id="imprint", **_NO_PAD),
        ]

    def cover(self, c: Canvas, doc: BriefTemplate) -> None:
        p, pal, band = self.page, self.pal, band_bottom(self.page)
        with artifact(c):
            self._cover(c, p, pal, band)

    def _cover(self, c: Canvas, p: Page, pal: Palette, band: float) -> None:
        c.saveState()
        c.setFillColor(pal.cover)
        c.rect(0, band, p.width, p.height - band, stroke=0, fill=1)
        # a thin stripe of the chart palette under the band, the brief's only ornament
        seg = p.width / len(pal.series)
        for i, colour in enumerate(pal.series):
            c.setFillColor(colour)
            c.rect(i * seg, band - 3, seg + 0.5, 3, stroke=0, fill=1)
        c.setStrokeColor(pal.ink)
        c.setLineWidth(0.6)
        c.line(p.left, IMPRINT_TOP, p.left + p.frame_width, IMPRINT_TOP)
        c.restoreState()

    # --- body pages ------------------------------------------------------------------------------

    def page_end(self, c: Canvas, doc: BriefTemplate) -> None:
        """Header: report title and the section the page holds (running_head); footer: imprint, page N of M."""
        p, pal, f = self.page, self.pal, self.fonts
        size = self.st.small_size - 0.5
        c.saveState()
        y = p.height - p.top + 9 * mm
        title = _fit(self.title, f.bold, size, p.frame_width * 0.6)
        with artifact(c, "Pagination", "Header"):
            c.setFillColor(pal.ink)
            c.setFont(f.bold, size)
            c.drawString(p.left, y, title)
            room = p.frame_width - stringWidth(title, f.bold, size) - 24
            c.setFillColor(pal.muted)
            c.setFont(f.regular, size)
            c.drawRightString(p.width - p.right, y, _fit(doc.running_head, f.regular, size, room))
            c.setStrokeColor(pal.rule)
            c.setLineWidth(0.5)
            c.line(p.left, y - 4.5, p.width - p.right, y - 4.5)
        yf = p.bottom - 10 * mm
        with artifact(c, "Pagination", "Footer"):
            c.drawString(p.left, yf, _fit(self.footer, f.regular, size, p.frame_width * 0.6))
            total = max(doc.total_pages, doc.page)
            c.drawRightString(p.width - p.right, yf, self.speech.word("page_of", page=doc.page, total=total))
        c.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis to the width."""
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "\u2026", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "\u2026" if lo else ""
