"""A requester's data as one zip: their tickets, messages, attachments and raw mail, described
by a JSON manifest. Blobs are streamed into the archive one at a time (bounded memory)."""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO, Any

from ...db_session import DbSession
from ...models import AuditAction, Contact, Message, RawMail, Ticket, User, utcnow
from ...storage import BlobNotFound, BlobStore
from ..audit import record_audit
from .common import check_may_export, raw_mail_of, requester_messages, requester_tickets

FORMAT = "polyglot-desk-requester-export"
VERSION = 1
# The manifest documents itself: whoever receives the archive reads what each field means.
SCHEMA = {
    "format": "Always 'polyglot-desk-requester-export'; 'version' changes if fields do.",
    "requester": "The person: id, name, email, language, created_at (ISO 8601, UTC).",
    "tickets[]": "reference (as quoted in mail, e.g. '#12'), id, subject, status, language, "
    "created_at, resolved_at, messages[].",
    "tickets[].messages[]": "id, direction ('in' from the requester, 'out' our reply), "
    "created_at, the headers kept: message_id, in_reply_to, references, from_email, "
    "from_name, to, subject; text_file, quoted_text_file, html_file (sanitised HTML as "
    "stored): paths in this zip, or null; raw_mail[]; attachments[]. Internal staff notes "
    "are not included.",
    "tickets[].messages[].attachments[]": "file (its path in this zip, a safe name derived "
    "from the original), filename (the original name as received), content_type, size, "
    "sha256 (of the bytes), missing (true if the bytes were no longer stored).",
    "tickets[].messages[].raw_mail[]": "file (the message as it arrived, .eml), size, "
    "received_at, missing.",
}
CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True)
class ExportSummary:
    tickets: int
    messages: int
    attachments: int
    raw_mails: int
    blob_bytes: int
    missing_blobs: int


def export_requester(
    session: DbSession,
    stores: Mapping[str, BlobStore],
    contact: Contact,
    actor: User | None,
    target: IO[bytes],
) -> ExportSummary:
    """Write the zip to ``target`` and record an audit entry (counts only; the caller
    commits). Raises PrivacyNotPermitted for liaisons."""
    check_may_export(actor)
    writer = _ExportWriter(stores)
    messages = requester_messages(session, contact, notes=False)
    raw_by_message: dict[int, list[RawMail]] = {}
    for raw in raw_mail_of(session, [m.id for m in messages]):
        raw_by_message.setdefault(raw.message_id or 0, []).append(raw)
    by_ticket: dict[int, list[Message]] = {}
    for message in messages:
        by_ticket.setdefault(message.ticket_id, []).append(message)
    tickets = {t.id: t for t in requester_tickets(session, contact)}
    tickets.update({m.ticket.id: m.ticket for m in messages if m.ticket_id not in tickets})
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer.archive = archive
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "schema": SCHEMA,
            "exported_at": _iso(utcnow()),
            "requester": _requester(contact),
            "tickets": [
                writer.ticket(ticket, by_ticket.get(ticket.id, []), raw_by_message)
                for ticket in sorted(tickets.values(), key=lambda t: t.id)
            ],
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    summary = ExportSummary(len(tickets), len(messages), *writer.counts())
    record_audit(
        session, actor, AuditAction.REQUESTER_EXPORTED, target=contact, after=asdict(summary)
    )
    return summary


class _ExportWriter:
    """Adds each ticket's files to the archive and returns its manifest entry."""

    def __init__(self, stores: Mapping[str, BlobStore]) -> None:
        self.stores = stores
        self.archive: zipfile.ZipFile
        self.attachments = self.raw_mails = self.blob_bytes = self.missing = 0

    def counts(self) -> tuple[int, int, int, int]:
        return self.attachments, self.raw_mails, self.blob_bytes, self.missing

    def ticket(
        self, ticket: Ticket, messages: list[Message], raw: dict[int, list[RawMail]]
    ) -> dict[str, Any]:
        return {
            "reference": ticket.reference,
            "id": ticket.id,
            "subject": ticket.subject,
            "status": ticket.status,
            "language": ticket.language_code,
            "created_at": _iso(ticket.created_at),
            "resolved_at": _iso(ticket.resolved_at),
            "messages": [self.message(m, raw.get(m.id, [])) for m in messages],
        }

    def message(self, message: Message, raw_mails: list[RawMail]) -> dict[str, Any]:
        folder = f"tickets/{message.ticket_id}/messages/{message.id}"
        return {
            "id": message.id,
            "direction": message.direction,
            "created_at": _iso(message.created_at),
            "message_id": message.message_id,
            "in_reply_to": message.in_reply_to,
            "references": message.references,
            "from_email": message.from_email,
            "from_name": message.from_name,
            "to": message.to,
            "subject": message.subject,
            "text_file": self._text(f"{folder}/text.txt", message.text),
            "quoted_text_file": self._text(f"{folder}/quoted.txt", message.quoted_text),
            "html_file": self._text(f"{folder}/body.html", message.html),
            "raw_mail": [self._raw(folder, raw) for raw in raw_mails],
            "attachments": [self._attachment(folder, a) for a in message.attachments],
        }

    def _text(self, name: str, value: str | None) -> str | None:
        if not value:
            return None
        self.archive.writestr(name, value)
        return name

    def _raw(self, folder: str, raw: RawMail) -> dict[str, Any]:
        name = f"{folder}/raw-{raw.id}.eml"
        missing = not self._blob("raw", raw.sha256, name)
        self.raw_mails += 1
        entry = {"size": raw.size, "received_at": _iso(raw.received_at), "missing": missing}
        return {"file": None if missing else name, **entry}

    def _attachment(self, folder: str, attachment: Any) -> dict[str, Any]:
        name = f"{folder}/attachments/{attachment.id}-{safe_member_name(attachment.filename)}"
        missing = not self._blob("attachments", attachment.sha256, name)
        self.attachments += 1
        return {
            "file": None if missing else name,
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "missing": missing,
        }

    def _blob(self, store: str, digest: str, name: str) -> bool:
        """Copy a blob into the archive in chunks; False if it is no longer stored."""
        try:
            source = self.stores[store].open(digest)
        except (BlobNotFound, ValueError):
            self.missing += 1
            return False
        with source, self.archive.open(name, "w", force_zip64=True) as member:
            while chunk := source.read(CHUNK):
                member.write(chunk)
                self.blob_bytes += len(chunk)
        return True


def safe_member_name(filename: str, limit: int = 100) -> str:
    """A file name from a stranger's mail made safe inside a zip: no folders (``/``, ``\\``,
    ``..``), no control or reserved characters, not hidden, not empty, not too long."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > limit:
        _stem, dot, extension = name.rpartition(".")
        keep = extension[:10] if dot and len(extension) <= 10 else ""
        name = name[: limit - len(keep) - 1] + ("." + keep if keep else "")
    return name or "attachment"


def _requester(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "language": contact.language_code,
        "created_at": _iso(contact.created_at),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
