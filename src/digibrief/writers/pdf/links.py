"""The brief's link annotations written in one step: a brief has hundreds (every citation marker, every
contents entry), and reportlab writes each through its generic dictionary formatting, a validation of
every key and its pure-Python PDFDocEncoding codec for every name.

pikepdf parses the file reportlab writes and writes it out again (postprocess.py), so what matters is
the objects, not their spelling: a plain internal link (no colour, no text, a border of three numbers,
a rectangle of numbers) is written as the same dictionary, with its numbers as reportlab prints them
(fp_str: pikepdf keeps a real number as written) and its destination as reportlab formats it, once
per destination. Any other annotation is left to reportlab.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import Destination, LinkAnnotation, PDFArray, PDFDocument


class PlainLink(LinkAnnotation):
    """A LinkAnnotation that formats itself in one step when it is a plain internal link."""

    def format(self, document: PDFDocument) -> bytes:
        border, rect, dest = self.Border, self.Rect, self.Destination
        if (
            self.otherkw
            or self.Contents != ""
            or type(dest) is not Destination
            or type(border) is not PDFArray
            or not _numbers(border.sequence)
            or not (isinstance(rect, tuple | list) and len(rect) == 4 and _numbers(rect))
        ):
            return bytes(super().format(document))
        kept = dest.__dict__.get("_formatted")
        if kept is None:  # the same destination for every marker citing one source
            kept = dest.__dict__["_formatted"] = dest.format(document)
        return b"<< /Border [ %s ] /Contents () /Dest %s /Rect [ %s ] /Subtype /Link /Type /Annot >>" % (
            fp_str(*border.sequence).encode("ascii"),
            kept,
            fp_str(*rect).encode("ascii"),
        )


def _numbers(values: Any) -> bool:
    return all(type(v) in (int, float) for v in values)


def lighten(annotation: object) -> None:
    """Make a LinkAnnotation a PlainLink (the same object, formatted in one step where it can be)."""
    if type(annotation) is LinkAnnotation:
        annotation.__class__ = PlainLink
