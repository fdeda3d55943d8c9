"""Recognising machine mail: auto-replies, lists, bounces; and what a bounce says it bounced."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from .headers import header_text, raw_header

_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
_MAILER_DAEMON = re.compile(r"^(mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)
_STATUS = re.compile(r"^Status:\s*([245]\.\d{1,3}\.\d{1,3})", re.IGNORECASE | re.MULTILINE)
_ACTION = re.compile(r"^Action:\s*(\w+)", re.IGNORECASE | re.MULTILINE)
_DIAGNOSTIC = re.compile(r"^Diagnostic-Code:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


def is_automatic(message: Message, from_email: str) -> bool:
    """Machine mail (auto-replies, bounces, lists) must never get an automatic answer."""
    auto_submitted = header_text(message, "Auto-Submitted").strip().lower()
    precedence = header_text(message, "Precedence").strip().lower()
    return bool(
        (auto_submitted and auto_submitted != "no")
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or header_text(message, "X-Autoreply")
        or header_text(message, "X-Autorespond")
        or header_text(message, "X-Auto-Response-Suppress").strip().lower() in {"all", "oof"}
        or header_text(message, "List-Id")
        or header_text(message, "Return-Path").strip() == "<>"
        or _MAILER_DAEMON.match(from_email)
        or message.get_content_type() == "multipart/report"
    )


@dataclass(frozen=True)
class Bounce:
    original_message_id: str | None
    reason: str


def find_bounce(message: Message) -> Bounce | None:
    """A failed-delivery notification (RFC 3464), with the Message-ID of the mail it reports on.
    Delay and success reports are not bounces."""
    if message.get_content_type() != "multipart/report" or (
        (message.get_param("report-type") or "").lower() != "delivery-status"  # type: ignore[union-attr]
    ):
        return None
    status, diagnostic, original, failed = "", "", None, False
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            text = _raw_text(part)
            status = next(iter(_STATUS.findall(text)), status)
            failed = (
                failed
                or any(a.lower() == "failed" for a in _ACTION.findall(text))
                or any(s.startswith("5.") for s in _STATUS.findall(text))
            )
            diagnostic = next(iter(_DIAGNOSTIC.findall(text)), diagnostic).strip()
        elif content_type in ("text/rfc822-headers", "message/rfc822") and original is None:
            original = _original_message_id(part)
    if not failed:  # "delayed" (4.x) or "delivered" (2.x): machine mail, but nothing bounced
        return None
    reason = " ".join(filter(None, [status, diagnostic])) or "delivery failed"
    return Bounce(original, reason[:500].replace("\x00", "\ufffd"))


def _raw_text(part: Message) -> str:
    """The body of a part as text, whatever the stdlib made of it (it parses some as messages)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n".join(str(p) for p in payload)
    decoded = part.get_payload(decode=True)
    return decoded.decode("utf-8", "replace") if isinstance(decoded, bytes) else str(payload)


def _original_message_id(part: Message) -> str | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        ids = _MESSAGE_ID.findall(raw_header(payload[0], "Message-ID") or "")
    else:
        match = re.search(
            r"^Message-ID:\s*(<[^<>\s]+>)", _raw_text(part), re.IGNORECASE | re.MULTILINE
        )
        ids = [match.group(1)] if match else []
    return ids[0] if ids else None
