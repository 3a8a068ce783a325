"""The data pack writer: Document.datapack -> .xlsx bytes, one worksheet per sheet, never touching the disk.

XlsxWriter was chosen over openpyxl because it is already installed with python-pptx (native charts
embed their data with it), writes in memory, and gives the same bytes for the same input once the
document properties carry a fixed date: it stamps every zip entry with the creation date it is
given and numbers its parts in order, with no random ids. The workbook's created date is the
document's epoch (SOURCE_DATE_EPOCH or the edition), so a rebuild is byte-identical.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from digibrief.document.types import DataSheet, Document
from digibrief.theme import Theme
from digibrief.writers.contract import ImageRequest, Images, Rendered
from digibrief.writers.xlsx.options import PackOptions

MAX_WIDTH = 60  # characters: longer text wraps
MAX_URL = 2079  # characters in an Excel link; a longer address stays text


def image_requests(doc: Document, options: PackOptions | None = None) -> list[ImageRequest]:
    """The pack holds values, not pictures."""
    return []


def render(doc: Document, images: Images, theme: Theme, options: PackOptions) -> Rendered:
    """The workbook as bytes, and the number of sheets."""
    import xlsxwriter

    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_urls": False})
    created = dt.datetime.fromtimestamp(doc.meta.epoch, dt.UTC).replace(tzinfo=None)
    book.set_properties(
        {
            "title": doc.speech.word("pack_file_title", title=doc.meta.title),
            "subject": doc.meta.subtitle,
            "author": doc.meta.author,
            "company": doc.meta.publisher,
            "keywords": ", ".join(doc.meta.keywords),
            "created": created,
        }
    )
    styles = _Styles(book, theme)
    for sheet in doc.datapack:
        _write(book.add_worksheet(sheet.name), sheet, styles)
    book.close()
    return Rendered(buffer.getvalue(), [], len(doc.datapack))


class _Styles:
    def __init__(self, book, theme: Theme):
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": theme.ink})
        self.note = book.add_format({"italic": True, "font_color": theme.muted, "text_wrap": False})
        self.head = book.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": theme.focus, "border": 1, "valign": "top"}
        )
        self.text = book.add_format({"valign": "top", "text_wrap": True})
        self.number = book.add_format({"valign": "top", "num_format": "General"})
        self.link = book.add_format({"valign": "top", "font_color": theme.focus, "underline": 1})


def _write(ws, sheet: DataSheet, styles: _Styles) -> None:
    """Title, note, then the header row and one row per value; the header stays in view, and web
    addresses are links."""
    ws.write_string(0, 0, sheet.title, styles.title)
    if sheet.note:
        ws.write_string(1, 0, sheet.note, styles.note)
    top = 3
    for col, name in enumerate(sheet.columns):
        ws.write_string(top, col, name, styles.head)
    widths = [len(name) for name in sheet.columns]
    for r, row in enumerate(sheet.rows, start=top + 1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if col in sheet.links and isinstance(value, str) and _linkable(value):
                ws.write_url(r, col, value, styles.link, value)
                width = len(value)
            elif isinstance(value, bool) or not isinstance(value, int | float):
                ws.write_string(r, col, str(value), styles.text)
                width = len(str(value))
            else:
                ws.write_number(r, col, value, styles.number)
                width = len(f"{value:g}")
            if col < len(widths):
                widths[col] = max(widths[col], width)
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(MAX_WIDTH, width + 2))
    ws.freeze_panes(top + 1, 0)
    if sheet.rows:
        ws.autofilter(top, 0, top + len(sheet.rows), max(0, len(sheet.columns) - 1))


def _linkable(value: str) -> bool:
    """A web address Excel can hold as a link; a link column's words (a stored copy's note) stay text."""
    return value.startswith(("https://", "http://")) and len(value) <= MAX_URL
