"""What of a mail's HTML we keep and show: one policy for the ingester and the ticket page."""

from __future__ import annotations

# Images are kept with their addresses: the ticket page shows inline (cid:) ones from our own
# attachments and loads remote ones (tracking pixels, until a liaison asks) only on request.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
}
URL_SCHEMES = {"http", "https", "mailto", "cid"}
# Stored remote image addresses start with this: not a scheme any browser will fetch.
REMOTE_IMAGE_PREFIX = "x-remote-image:"
