"""What a parser makes of a mail, as the domain records it: plain data with no database in sight,
so the parser (``mail_ingest``) can build it without importing the domain's models."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InboundAttachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False
    content_id: str | None = None  # how the HTML body refers to it (cid:…)


@dataclass(frozen=True)
class InboundBounce:
    """A delivery status notification: which of our messages bounced, and why."""

    original_message_id: str | None
    reason: str
    failed_recipients: tuple[str, ...] = ()  # the addresses it names, when it names any


@dataclass(frozen=True)
class InboundMessage:
    """What the domain needs of a parsed mail; transports and parsers produce it."""

    message_id: str
    from_email: str  # "" when the mail had no usable address: a ticket with no reply address
    subject: str
    text: str  # the new text, quoted history and signature removed
    from_name: str = ""
    to: tuple[str, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    quoted_text: str = ""
    html: str | None = None  # already sanitized
    sent_at: datetime | None = None
    attachments: tuple[InboundAttachment, ...] = field(default_factory=tuple)
    automatic: bool = False  # auto-replies, bounces, lists: never answered automatically
    bounce: InboundBounce | None = None
    content_language: str | None = None
