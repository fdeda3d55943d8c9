"""Bytes to ParsedMessage: pure, no database, never trusts a header or a declared charset."""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parsedate_to_datetime

from charset_normalizer import from_bytes

from helpdesk.core.services.inbound import InboundAttachment, InboundMessage

from .html_text import html_to_text, sanitize_html
from .quoting import split_quoted

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_MAILER_DAEMON = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


class MailParseError(ValueError):
    """The bytes are not a message we can make a ticket of; the message says why."""


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str
    from_email: str
    from_name: str
    subject: str
    text: str
    quoted: str = ""
    html: str | None = None
    to: tuple[str, ...] = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    date: datetime | None = None
    content_language: str | None = None
    automatic: bool = False
    attachments: tuple[InboundAttachment, ...] = field(default_factory=tuple)

    def to_inbound(self) -> InboundMessage:
        return InboundMessage(
            message_id=self.message_id,
            from_email=self.from_email,
            from_name=self.from_name,
            subject=self.subject,
            text=self.text,
            quoted_text=self.quoted,
            html=self.html,
            to=self.to,
            in_reply_to=self.in_reply_to,
            references=self.references,
            sent_at=self.date,
            attachments=self.attachments,
        )


def content_hash_id(data: bytes) -> str:
    return f"<sha256.{hashlib.sha256(data).hexdigest()}@no-message-id.invalid>"


def dedup_key(data: bytes) -> str:
    """The Message-ID if the mail has one, else a hash of its bytes: the same mail is kept once."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(data[: 256 * 1024])
    found = _MESSAGE_ID.findall(str(headers.get("Message-ID", "")))
    return found[0] if found else content_hash_id(data)


def parse_message(data: bytes) -> ParsedMessage:
    """Parse raw mail. Raises MailParseError when there is no usable sender."""
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    from_name, from_email = _sender(message)
    text, html = _bodies(message)
    new_text, quoted = split_quoted(text)
    ids = _MESSAGE_ID.findall(_header(message, "Message-ID"))
    return ParsedMessage(
        message_id=ids[0] if ids else content_hash_id(data),
        from_email=from_email,
        from_name=from_name,
        subject=" ".join(_header(message, "Subject").split()),
        text=new_text,
        quoted=quoted,
        html=sanitize_html(html) if html else None,
        to=_recipients(message),
        in_reply_to=next(iter(_MESSAGE_ID.findall(_header(message, "In-Reply-To"))), None),
        references=tuple(_MESSAGE_ID.findall(_header(message, "References"))),
        date=_date(message),
        content_language=_header(message, "Content-Language").split(",")[0].strip() or None,
        automatic=is_automatic(message, from_email),
        attachments=tuple(_attachments(message)),
    )


def _header(message: Message, name: str) -> str:
    """A header as text; a header too broken to decode becomes its raw characters."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - the modern policy's header parser raises on some malformed headers
        value = None
        for key, raw in message.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    return "" if value is None else str(value)


def _sender(message: Message) -> tuple[str, str]:
    for header in ("From", "Sender", "Reply-To", "Return-Path"):
        for name, address in getaddresses([_header(message, header)]):
            if "@" in address:
                return " ".join(name.split()), address.strip().lower()
    raise MailParseError("no sender address (From, Sender, Reply-To and Return-Path are unusable)")


def _recipients(message: Message) -> tuple[str, ...]:
    values = [_header(message, h) for h in ("Delivered-To", "X-Original-To", "To", "Cc")]
    seen: dict[str, None] = {}
    for _, address in getaddresses(values):
        if "@" in address:
            seen.setdefault(address.strip().lower(), None)
    return tuple(seen)


def _date(message: Message) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def decode_part(part: Message) -> str:
    """The text of a part, even when its declared charset is wrong, unknown or missing."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(payload).best()
        return str(best) if best is not None else payload.decode("latin-1")


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or (
        part.get_filename() is not None and part.get_content_maintype() != "text"
    )


def _bodies(message: Message) -> tuple[str, str | None]:
    """(plain text, HTML): text/plain preferred; an HTML-only mail gets text made from its HTML."""
    plain: str | None = None
    html: str | None = None
    for part in message.walk():
        if part.is_multipart() or _is_attachment(part):
            continue
        content_type = part.get_content_type()
        if content_type == "text/plain" and plain is None:
            plain = decode_part(part)
        elif content_type == "text/html" and html is None:
            html = decode_part(part)
    if plain is None or not plain.strip():
        plain = html_to_text(html) if html else ""
    return plain.replace("\r\n", "\n").strip(), html


def _attachments(message: Message) -> list[InboundAttachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or not _is_attachment(part):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        filename = _safe_filename(part.get_filename() or "attachment")
        found.append(
            InboundAttachment(
                filename,
                part.get_content_type(),
                payload,
                inline=part.get_content_disposition() == "inline",
            )
        )
    return found


def _safe_filename(name: str) -> str:
    """Untrusted: keep the last path component, drop control characters, bound the length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    return name[:200] or "attachment"


def is_automatic(message: Message, from_email: str) -> bool:
    """Machine mail (auto-replies, bounces, lists) must never get an automatic answer."""
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    precedence = _header(message, "Precedence").strip().lower()
    return bool(
        (auto_submitted and auto_submitted != "no")
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or _header(message, "X-Autoreply")
        or _header(message, "X-Autorespond")
        or _header(message, "Return-Path").strip() == "<>"
        or _MAILER_DAEMON.match(from_email)
        or message.get_content_type() == "multipart/report"
    )
