"""The inline markup of data text, as patterns: one grammar for the validator and the composer.

Supported: **bold**, *italic*, [text](http(s)://… or mailto:…) and citations [SOURCE_ID; OTHER_ID].
Anything else, including HTML or reportlab tags, is literal text.
"""

from __future__ import annotations

import re

_ID = r"[A-Z][A-Z0-9_]{2,}"
CITATION = re.compile(rf"\[({_ID}(?:\s*;\s*{_ID})*)\]")
TOKEN = re.compile(
    rf"(?P<cite>\[{_ID}(?:\s*;\s*{_ID})*\])"
    r"|(?P<link>\[(?P<ltext>[^\[\]\n]+)\]\((?P<url>[^()\s]+)\))"
    r"|(?P<bold>\*\*(?P<btext>[^*\n]+)\*\*)"
    r"|(?P<italic>(?<![\w*])\*(?P<itext>[^*\s][^*\n]*?)\*(?![\w*]))"
)


def cited_ids(text: str) -> list[str]:
    """Source ids cited in text, in order."""
    return [sid.strip() for m in CITATION.finditer(text) for sid in m.group(1).split(";")]
