"""Bytes to ParsedMessage: pure, no database, never trusts a header or a declared charset."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from helpdesk.core.inbound_mail import InboundBounce, InboundMessage

from .bodies import extract_bodies
from .headers import clean_text, decode_value, header_text, raw_header
from .html_text import sanitize_html
from .machine_mail import find_bounce, is_automatic
from .mime_tree import Budget, parse_mime
from .quoting import split_quoted

# Printable ASCII only (RFC 5322 msg-id): a NUL or raw 8-bit byte must never reach the store.
_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
MAX_SUBJECT_CHARS = 998


class MailParseError(ValueError):
    """The bytes are not a message we can make a ticket of; the message says why."""


@dataclass(frozen=True)
class ParsedMessage(InboundMessage):
    """What the parser makes of the bytes: exactly what the domain records (InboundMessage is
    the contract between the two), built without touching the database. ``dropped`` says what
    of a message over the limits of ``mail_ingest.limits`` was not read."""

    dropped: tuple[str, ...] = ()


def content_hash_id(data: bytes) -> str:
    return f"<sha256.{hashlib.sha256(data).hexdigest()}@no-message-id.invalid>"


def dedup_key(data: bytes) -> str:
    """The Message-ID if the mail has one, else a hash of its bytes: the same mail is kept once."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(data[: 256 * 1024])
    found = _MESSAGE_ID.findall(str(headers.get("Message-ID", "")))
    return found[0][:998] if found else content_hash_id(data)


def parse_message(data: bytes) -> ParsedMessage:
    """Parse raw mail, bounded in time and memory. Raises MailParseError when there is no
    usable sender, or when the message is over the limits and nothing of it could be read."""
    # compat32 parses five times faster than the modern policy; headers are decoded by us.
    budget = Budget()
    message = parse_mime(data, budget)
    from_name, from_email = _sender(message)
    bodies = extract_bodies(message, budget=budget)
    if budget.dropped and not (bodies.text or bodies.forwarded or bodies.attachments):
        raise MailParseError(f"nothing readable within the limits: {'; '.join(budget.dropped)}")
    own_text, quoted = split_quoted(bodies.text)
    new_text = "\n\n".join([own_text, *bodies.forwarded]).strip()
    ids = _MESSAGE_ID.findall(raw_header(message, "Message-ID") or "")
    bounce = find_bounce(message)
    return ParsedMessage(
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
        automatic=is_automatic(message, from_email),
        bounce=InboundBounce(bounce.original_message_id, bounce.reason) if bounce else None,
        attachments=tuple(
            replace(a, filename=clean_text(a.filename), content_type=clean_text(a.content_type))
            for a in bodies.attachments
        ),
        dropped=tuple(budget.dropped),
    )


def _sender(message: Message) -> tuple[str, str]:
    # Addresses are split before display names are decoded: an encoded word may hide a comma.
    for header in ("From", "Sender", "Reply-To", "Return-Path"):
        for name, address in getaddresses([raw_header(message, header) or ""]):
            address = decode_value(address).strip()
            if "@" in address and not any(c.isspace() for c in address):
                return " ".join(decode_value(name).split())[:200], address.lower()[:254]
    raise MailParseError("no sender address (From, Sender, Reply-To and Return-Path are unusable)")


def _recipients(message: Message) -> tuple[str, ...]:
    values = [raw_header(message, h) or "" for h in ("Delivered-To", "X-Original-To", "To", "Cc")]
    seen: dict[str, None] = {}
    for _, address in getaddresses(values):
        if "@" in address:
            seen.setdefault(address.strip().lower(), None)
    return tuple(seen)


def _date(message: Message) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(raw_header(message, "Date") or "")
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _content_language(message: Message) -> str | None:
    value = header_text(message, "Content-Language").split(",")[0].strip().lower()
    return value.split("-")[0][:16] or None
