"""A requester with distinctive made-up tokens everywhere their data can land, and a bystander:
the shared scenario of the export, erasure and retention tests."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from sqlalchemy import text

from helpdesk.core.models import Contact, OutboxMail, OutboxState, Role, Ticket
from helpdesk.core.services.outgoing_mail import MailSettings
from helpdesk.core.services.raw_mail import mark_failed, store_raw_mail
from helpdesk.core.services.replies import ReplyInput, reply
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.workers.outbox import deliver_due
from helpdesk.workers.transports import FolderTransport

from .factories import make_mail

NAME = "Zorblatt Quexington"
ADDRESS = "zorblatt.quex@example.net"
PHRASE = "Wibbleflox Grintovar"
SUBJECT = "Flumbergast membership"
ATTACHMENT = b"%PDF-1.4 Snorkelwhip passport scan"
TOKENS = (
    "Zorblatt",
    "zorblatt",
    "Quexington",
    "Wibbleflox",
    "Grintovar",
    "Flumbergast",
    "Snorkelwhip",
)


@dataclass
class Scenario:
    contact: Contact
    tickets: list[Ticket]
    other: Ticket  # a bystander's ticket, which must keep everything
    admin: object
    liaison: object
    coordinator: object


def mail_with_attachment(**fields: object) -> bytes:
    mail = EmailMessage()
    mail["From"] = f'"{NAME}" <{ADDRESS}>'
    mail["To"] = "help@example.org"
    mail["Subject"] = str(fields.get("subject", SUBJECT))
    mail["Message-ID"] = make_msgid(domain="example.net")
    mail.set_content(str(fields.get("body", f"Hello, my secret is {PHRASE}. Regards, {NAME}")))
    mail.add_alternative(f"<p>Hello, my secret is <b>{PHRASE}</b>.</p>", subtype="html")
    mail.add_attachment(
        ATTACHMENT, maintype="application", subtype="pdf", filename="../../etc/Snorkelwhip scan.pdf"
    )
    return mail.as_bytes()


@pytest.fixture
def zorblatt(app, session, deliver, make_user) -> Scenario:
    """Two tickets from the requester (one with an attachment and a delivered reply quoting
    them), a quarantined mail from them, a digest naming their ticket, and a bystander."""
    admin = make_user(Role.ADMIN, languages=("en",))
    liaison = make_user(Role.LIAISON, languages=("en",))
    coordinator = make_user(Role.COORDINATOR, languages=("en",))
    first = deliver(mail_with_attachment())
    second = deliver(
        make_mail(
            subject="Another Flumbergast note",
            body=f"{PHRASE} again",
            sender=ADDRESS,
            sender_name=NAME,
        )
    )
    other = deliver(
        make_mail(
            subject="Bystander question",
            body="Plain words from a bystander",
            sender="bystander@example.com",
            sender_name="Bystander",
        )
    )
    tickets = [session.get(Ticket, first.ticket_id), session.get(Ticket, second.ticket_id)]
    with unit_of_work(session):
        reply(
            session,
            tickets[0],
            liaison,
            ReplyInput(f"Dear {NAME}, about {PHRASE}: yes."),
            MailSettings("help@example.org", "example.org"),
        )
    deliver_due(session, FolderTransport(Path(app.config["OUTBOX_DIR"])), max_attempts=3)
    _quarantine(app, session)
    with unit_of_work(session):
        session.add(
            OutboxMail(
                mail_from="help@example.org",
                recipients="coord@example.org",
                content=f"Subject: digest\n\n  #{tickets[0].id} [en] {SUBJECT}\n".encode(),
                state=OutboxState.SENT,
            )
        )
    contact = tickets[0].requester
    return Scenario(
        contact, tickets, session.get(Ticket, other.ticket_id), admin, liaison, coordinator
    )


def _quarantine(app, session) -> None:
    from helpdesk.core.blob_stores import blob_store

    data = make_mail(
        subject="broken", body=f"{PHRASE} quarantined", sender=ADDRESS, sender_name=NAME
    )
    with unit_of_work(session):
        stored = store_raw_mail(session, blob_store(app.config, "raw"), data, "<q@x> 1", "test")
        mark_failed(stored.raw_mail, "could not parse")


def leftover_tokens(app, session) -> dict[str, list[str]]:
    """Every place a token is still found: database text (PostgreSQL) or the SQLite file and
    its log, and every file under the data directory. Returns token -> where."""
    found: dict[str, list[str]] = {}
    places = _database_bytes(app, session) + _files(Path(app.config["DATA_DIR"]))
    for where, data in places:
        lowered = data.lower()
        for token in TOKENS:
            if token.lower().encode() in lowered:
                found.setdefault(token, []).append(where)
    return found


def _database_bytes(app, session) -> list[tuple[str, bytes]]:
    if session.get_bind().dialect.name == "sqlite":
        return []  # the file and its -wal are under the data directory
    rows = session.execute(
        text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'json', 'jsonb', 'bytea', 'tsvector')"
        )
    ).all()
    found = []
    for table, column, kind in rows:
        cast = "" if kind == "bytea" else "::text"
        values = session.execute(text(f'SELECT "{column}"{cast} FROM "{table}"')).scalars()
        data = [bytes(v) if kind == "bytea" else (v or "").encode() for v in values if v]
        found.append((f"{table}.{column}", b"\n".join(data)))
    return found


def _files(root: Path) -> list[tuple[str, bytes]]:
    return [(str(path), path.read_bytes()) for path in root.rglob("*") if path.is_file()]
