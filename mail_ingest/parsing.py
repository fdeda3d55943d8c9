"""Bytes to ParsedMessage: pure, no database, never trusts a header or a declared charset."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from helpdesk.core.inbound_mail import InboundBounce, InboundMessage

from .bodies import extract_bodies
from .bounces import find_delivery_report
from .dedup import dedup_key as dedup_key  # the pipeline's name for it
from .headers import clean_text, header_text, raw_header
from .html_text import sanitize_html
from .machine_mail import is_automatic
from .mime_tree import Budget, parse_mime
from .quoting import split_quoted
from .senders import find_sender, recipient_addresses

# Printable ASCII only (RFC 5322 msg-id): a NUL or raw 8-bit byte must never reach the store.
_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
MAX_SUBJECT_CHARS = 998


class MailParseError(ValueError):
    """The bytes cannot be read as a message at all; the message says why. (A message with no
    usable sender address is not an error: it becomes a ticket with no reply address.)"""


@dataclass(frozen=True)
class ParsedMessage(InboundMessage):
    """What the parser makes of the bytes: exactly what the domain records (InboundMessage is
    the contract between the two), built without touching the database. ``dropped`` says what
    of a message over the limits of ``mail_ingest.limits`` was not read."""

    dropped: tuple[str, ...] = ()


def content_hash_id(data: bytes) -> str:
    return f"<sha256.{hashlib.sha256(data).hexdigest()}@no-message-id.invalid>"


def parse_message(data: bytes) -> ParsedMessage:
    """Parse raw mail, bounded in time and memory. ``from_email`` is "" when no header holds a
    usable address. Raises MailParseError for bytes that are not mail (no header at all), or
    that hold nothing to read (within the limits)."""
    # compat32 parses five times faster than the modern policy; headers are decoded by us.
    budget = Budget()
    message = parse_mime(data, budget)
    if not message.keys():
        raise MailParseError("not a mail message (no header fields)")
    sender = find_sender(message)
    from_name, from_email = sender.name, sender.address
    bodies = extract_bodies(message, budget=budget)
    if budget.dropped and not (bodies.text or bodies.forwarded or bodies.attachments):
        raise MailParseError(f"nothing readable within the limits: {'; '.join(budget.dropped)}")
    own_text, quoted = split_quoted(bodies.text)
    new_text = "\n\n".join([own_text, *bodies.forwarded]).strip()
    ids = _MESSAGE_ID.findall(raw_header(message, "Message-ID") or "")
    report = find_delivery_report(message, from_email, data)
    bounce = report if report is not None and report.failed else None
    parsed = ParsedMessage(
        message_id=ids[0][:998] if ids else content_hash_id(data),
        from_email=clean_text(from_email),
        from_name=clean_text(from_name),
        subject=clean_text(" ".join(header_text(message, "Subject").split())[:MAX_SUBJECT_CHARS]),
        text=clean_text(new_text),
        quoted_text=clean_text(quoted),
        html=clean_text(sanitize_html(bodies.html)) if bodies.html else None,
        to=tuple(clean_text(address) for address in _recipients(message)),
        in_reply_to=next(iter(_MESSAGE_ID.findall(raw_header(message, "In-Reply-To") or "")), None),
        references=tuple(_MESSAGE_ID.findall(raw_header(message, "References") or ""))[-50:],
        sent_at=_date(message),
        content_language=_content_language(message),
        automatic=report is not None or is_automatic(message, from_email),
        bounce=InboundBounce(bounce.original_message_id, bounce.reason, bounce.failed_recipients)
        if bounce
        else None,
        attachments=tuple(
            replace(a, filename=clean_text(a.filename), content_type=clean_text(a.content_type))
            for a in bodies.attachments
        ),
        dropped=tuple(budget.dropped),
    )
    if not (parsed.from_email or parsed.subject or parsed.text or parsed.attachments):
        raise MailParseError("nothing to read: no sender address, subject, text or attachment")
    return parsed


def _recipients(message: Message) -> tuple[str, ...]:
    values = [raw_header(message, h) or "" for h in ("Delivered-To", "X-Original-To", "To", "Cc")]
    return tuple(dict.fromkeys(recipient_addresses(values)))


def _date(message: Message) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(raw_header(message, "Date") or "")
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _content_language(message: Message) -> str | None:
    value = header_text(message, "Content-Language").split(",")[0].strip().lower()
    return value.split("-")[0][:16] or None
