"""HTML mail bodies: a sanitized copy for display, and readable plain text for everything else."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

from helpdesk.core.html_policy import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    REMOTE_IMAGE_PREFIX,
    URL_SCHEMES,
)


def sanitize_html(markup: str) -> str:
    """Only structure, text and images survive: no scripts, styles, forms, frames or handlers.
    Remote image addresses are kept behind a prefix no browser loads: tracking pixels stay
    silent until a liaison asks for them (the ticket page turns the prefix back on request)."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_neuter_remote_images,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _neuter_remote_images(element: str, attribute: str, value: str) -> str | None:
    # nh3 has already checked the scheme; what this returns is not checked again.
    if element == "img" and attribute == "src":
        if value.lower().startswith(("http://", "https://")):
            return REMOTE_IMAGE_PREFIX + value
        return value if value.lower().startswith("cid:") else None
    return value


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "table",
    "hr",
    "pre",
    "ul",
    "ol",
}
_SKIP_TAGS = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = html.unescape("".join(extractor.parts))
    text = re.sub(r"[ \t\xa0]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()
