"""The glyph check asks one set whether a whole text can be drawn as it is; the answer is the one a
character-by-character look at the face's cmap gives."""

from __future__ import annotations

from typing import Any

from digibrief.writers.pdf.fonts import Glyphs, register


def test_a_text_is_kept_exactly_when_every_character_has_a_glyph_in_the_face(shipped_theme: Any):
    from reportlab.pdfbase import pdfmetrics

    fonts = register(shipped_theme.fonts)
    cmap = pdfmetrics.getFont(fonts.regular).face.charToGlyph
    texts = [
        "Internet users, 2024 (% of population)",
        "Қазақстан, Oʻzbekiston, Кыргызстан, Тоҷикистон",
        "a\u0007bell",  # a control character
        "emoji \U0001f600 beyond the plane",
        "\ue000 a private-use character",
        "tab\there",
        "",
    ]
    for text in texts:
        glyphs = Glyphs(fonts)
        drawable = all(ord(c) <= 0xFFFF and cmap.get(ord(c), 0) for c in text)
        assert (glyphs.clean(text) == text and not glyphs.warnings) == drawable, text
        assert (
            glyphs.markup(text) == glyphs.clean(text).replace("&", "&amp;").replace("<", "&lt;")
        ) or not drawable
