"""Composing outgoing mail: pure functions from domain values to RFC 5322 bytes."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from ..errors import UndeliverableAddress
from ..models.base import utcnow
from .mail_html import text_to_html

# A MIME type as RFC 2045 spells it; anything else a browser sent is replaced by a guess.
_MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


@dataclass(frozen=True)
class MailSettings:
    """Who outgoing mail is from, and the domain our Message-IDs are minted in."""

    mail_from: str
    domain: str
    # Mail servers commonly refuse messages over 25 MB; base64 makes attachments a third larger.
    max_attachment_bytes: int = 15 * 1024 * 1024


@dataclass(frozen=True)
class OutgoingAttachment:
    """A file sent with a reply; build it with ``cleaned`` from anything a browser uploaded."""

    filename: str
    content_type: str
    content: bytes

    @classmethod
    def cleaned(cls, filename: str, content_type: str, content: bytes) -> OutgoingAttachment:
        name = safe_filename(filename)
        kind = content_type.split(";")[0].strip().lower()
        if not _MIME_TYPE.match(kind) or kind.startswith("multipart/"):
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return cls(name, kind, content)


def safe_filename(name: str, default: str = "attachment") -> str:
    """Untrusted: keep the last path component, only printable characters (no CR or LF reaches a
    header), no leading dots, a bounded length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    return name[:200] or default


@dataclass(frozen=True)
class OutgoingMail:
    message_id: str
    sender_name: str
    sender_address: str
    recipient_name: str
    recipient_address: str
    subject: str
    text: str
    language: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    automatic: bool = False  # an auto-acknowledgement, not a person's answer
    direction: str = "ltr"  # of the language: the HTML part says it
    attachments: tuple[OutgoingAttachment, ...] = ()


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain)


def _one_line(value: str) -> str:
    """Untrusted text (a requester's name, a subject) becomes one line: no header injection."""
    return " ".join(value.split())


def _address(name: str, address: str) -> Address:
    username, _, domain = address.strip().rpartition("@")
    if not username or not domain or any(c in address for c in '\r\n<>,;" '):
        raise UndeliverableAddress(address)
    return Address(display_name=_one_line(name), username=username, domain=domain)


def compose(mail: OutgoingMail) -> bytes:
    """The complete message, UTF-8, CRLF line ends, ready for SMTP: text and HTML alternatives,
    inside multipart/mixed with the attachments when there are any. Filenames that are not
    ASCII are encoded as RFC 2231 parameters by the email package."""
    message = EmailMessage(policy=SMTP)
    message["From"] = _address(mail.sender_name, mail.sender_address)
    message["To"] = _address(mail.recipient_name, mail.recipient_address)
    message["Subject"] = _one_line(mail.subject)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = " ".join(mail.references)
    if mail.automatic:  # RFC 3834; the second stops Exchange's out-of-office replies to it
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    # set_content and the add_* calls move Content-* headers into the parts: set them after.
    message.set_content(mail.text, charset="utf-8")
    message.add_alternative(
        text_to_html(mail.text, mail.language, mail.direction), subtype="html", charset="utf-8"
    )
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=safe_filename(attachment.filename),
        )
    if mail.language:
        message["Content-Language"] = mail.language
    return message.as_bytes()
