"""The HTML alternative of an outgoing mail, made from its text: escaped, never interpreted."""

from __future__ import annotations

import re
from html import escape

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def text_to_html(text: str, language: str | None = None, direction: str = "ltr") -> str:
    """Paragraphs and line breaks of ``text`` as HTML. Everything is escaped and no links are made
    from it: the text may quote what a requester wrote. ``direction`` sets ``dir`` so that
    right-to-left languages read right to left in every client."""
    direction = "rtl" if direction == "rtl" else "ltr"
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(escape(line) for line in paragraph.strip("\n").split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    lang = f' lang="{escape(language)}"' if language else ""
    return (
        f'<!DOCTYPE html>\n<html{lang} dir="{direction}">\n'
        '<head><meta charset="utf-8"></head>\n'
        f'<body dir="{direction}">\n{body}\n</body>\n</html>\n'
    )
