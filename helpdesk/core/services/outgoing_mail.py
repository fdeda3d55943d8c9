"""Composing outgoing mail: pure functions from domain values to RFC 5322 bytes."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from ..models.base import utcnow


@dataclass(frozen=True)
class MailSettings:
    """Who outgoing mail is from, and the domain our Message-IDs are minted in."""

    mail_from: str
    domain: str


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


def new_message_id(domain: str) -> str:
    return make_msgid(domain=domain)


def _one_line(value: str) -> str:
    """Untrusted text (a requester's name, a subject) becomes one line: no header injection."""
    return " ".join(value.split())


def _address(name: str, address: str) -> Address:
    username, _, domain = address.strip().rpartition("@")
    if not username or not domain or any(c in address for c in '\r\n<>,;" '):
        raise ValueError(f"not a deliverable address: {address!r}")
    return Address(display_name=_one_line(name), username=username, domain=domain)


def compose(mail: OutgoingMail) -> bytes:
    """The complete message, UTF-8, CRLF line ends, ready for SMTP."""
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
    message.set_content(mail.text, charset="utf-8")  # clears Content-* headers: set them after
    if mail.language:
        message["Content-Language"] = mail.language
    return message.as_bytes()
