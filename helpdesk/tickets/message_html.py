"""A message's sanitized HTML made ready to show: inline images from our attachment route,
remote images only when the liaison asked for them."""

from __future__ import annotations

from dataclasses import dataclass

import nh3
from flask import url_for
from markupsafe import Markup

from ..core.html_policy import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, REMOTE_IMAGE_PREFIX, URL_SCHEMES
from ..core.models import Attachment, Message

# Images we serve inline; never SVG (it can carry script).
INLINE_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True)
class DisplayHtml:
    markup: Markup
    blocked_remote_images: int  # how many remote images a "Load remote images" would show


def display_html(message: Message, *, load_remote_images: bool) -> DisplayHtml:
    """Sanitize again (the stored copy was sanitized on the way in; this costs little and does
    not trust the database) and resolve image addresses."""
    by_cid = {
        a.content_id: a
        for a in message.attachments
        if a.content_id and a.content_type in INLINE_IMAGE_TYPES
    }
    blocked = 0

    def image_source(element: str, attribute: str, value: str) -> str | None:
        nonlocal blocked
        if element != "img" or attribute != "src":
            return value
        # nh3 does not check what this returns: only our own or http(s) URLs leave here.
        if value.lower().startswith("cid:"):
            attachment = by_cid.get(value[4:])
            return _inline_url(attachment) if attachment else None
        remote = value[len(REMOTE_IMAGE_PREFIX) :] if value.startswith(REMOTE_IMAGE_PREFIX) else ""
        if not remote.lower().startswith(("https://", "http://")):
            return None
        if load_remote_images:
            return remote
        blocked += 1
        return None

    cleaned = nh3.clean(
        message.html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=image_source,
        url_schemes=URL_SCHEMES | {REMOTE_IMAGE_PREFIX.rstrip(":")},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return DisplayHtml(Markup(cleaned), blocked)  # noqa: S704 - sanitized just above


def _inline_url(attachment: Attachment) -> str:
    return url_for("tickets.inline_image", attachment_id=attachment.id)
