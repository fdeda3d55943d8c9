"""Answering a requester, and writing internal notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ..db_session import DbSession
from ..errors import DuplicateReply, MailNotComposable, ReplyEmpty, ReplyTooLong
from ..errors import NoReplyAddressError as NoReplyAddressError
from ..errors import ReplyError as ReplyError
from ..errors import StaleReplyError as StaleReplyError
from ..models import Direction, EventKind, Message, OutboxMail, Status, Ticket, User, utcnow
from ..storage import BlobStore
from .events import record_event
from .outgoing_mail import (
    MailSettings,
    OutgoingAttachment,
    OutgoingMail,
    compose,
    new_message_id,
)
from .presence import messages_since
from .reply_attachments import check_attachments, stored_attachments
from .search_postings import index_messages
from .signatures import signature_for, with_signature
from .thread_matching import subject_with_reference
from .tickets import change_status

MAX_BODY_CHARS = 100_000
MAX_NOTE_ATTACHMENT_BYTES = 50 * 1024 * 1024  # notes are never mailed: only the upload limit


@dataclass(frozen=True)
class ReplyInput:
    body: str
    status_after: Status | None = Status.PENDING
    attachments: tuple[OutgoingAttachment, ...] = ()
    # The newest message the liaison had seen; None skips the check (e.g. a script).
    seen_message_id: int | None = None


def reply(
    session: DbSession,
    ticket: Ticket,
    actor: User,
    data: ReplyInput,
    settings: MailSettings,
    store: BlobStore | None = None,
) -> Message:
    """Record the answer and queue exactly one mail for it in the outbox (same transaction), with
    threading headers that make the requester's client, and our ingester, thread the reply.
    The liaison's signature for the ticket's language is appended; attachments are stored in
    ``store`` and sent as MIME parts. Raises StaleReplyError, sending nothing, when the thread
    moved on after ``data.seen_message_id``, and NoReplyAddressError when there is no one to
    send it to."""
    recipient = ticket.requester.email
    if not recipient:
        raise NoReplyAddressError(ticket.id)
    newer = messages_since(session, ticket, data.seen_message_id, actor)
    if newer:
        raise StaleReplyError(newer)
    body = with_signature(
        _clean_body(data.body), signature_for(session, actor, ticket.language_code)
    )
    if _just_sent(ticket, actor, body):
        raise DuplicateReply()
    check_attachments(data.attachments, settings.max_attachment_bytes)
    last_inbound = _last_inbound(ticket)
    references = references_for(last_inbound)
    subject = answer_subject(ticket)
    # Answer from the address the requester wrote to, so their next mail comes back to it.
    sender = ticket.mailbox.address if ticket.mailbox else settings.mail_from
    message = Message(
        ticket=ticket,
        direction=Direction.OUT,
        author=actor,
        message_id=new_message_id(settings.domain),
        in_reply_to=last_inbound.message_id if last_inbound else None,
        references=" ".join(references),
        from_email=sender,
        from_name=actor.name,
        to=recipient,
        subject=subject,
        text=body,
        language_code=ticket.language_code,
        created_at=utcnow(),
        attachments=stored_attachments(store, data.attachments),
    )
    session.add(message)
    session.add(outbox_mail_for(message, ticket, actor.name, tuple(references), data.attachments))
    session.flush()
    index_messages(session, [message.id])
    if ticket.first_response_at is None:
        ticket.first_response_at = message.created_at
    if ticket.assignee is None:
        ticket.assignee = actor
    record_event(session, ticket, EventKind.REPLIED, actor, message=message)
    if data.status_after is not None:
        change_status(session, ticket, data.status_after, actor)
    elif ticket.status == Status.NEW:
        change_status(session, ticket, Status.OPEN, actor)
    return message


def outbox_mail_for(
    message: Message,
    ticket: Ticket,
    sender_name: str,
    references: tuple[str, ...],
    attachments: tuple[OutgoingAttachment, ...] = (),
) -> OutboxMail:
    """The mail for ``message``, composed once: a retry resends these very bytes. An automatic
    message is marked as such, so that well-behaved mail systems never answer it. Nothing is
    ever queued for a requester without an address."""
    recipient = ticket.requester.email
    if not recipient:
        raise NoReplyAddressError(ticket.id)
    try:
        content = compose(
            OutgoingMail(
                message_id=message.message_id or "",
                sender_name=sender_name,
                sender_address=message.from_email,
                recipient_name=ticket.requester.name,
                recipient_address=recipient,
                subject=message.subject,
                text=message.text,
                language=ticket.language_code,
                in_reply_to=message.in_reply_to,
                references=references,
                automatic=message.automatic,
                direction=ticket.language.direction if ticket.language else "ltr",
                attachments=attachments,
            )
        )
    except ValueError as error:  # the email package refused something we let through
        raise MailNotComposable() from error
    return OutboxMail(
        message=message,
        mail_from=message.from_email,
        recipients=recipient,
        content=content,
    )


def add_note(
    session: DbSession,
    ticket: Ticket,
    actor: User,
    body: str,
    attachments: tuple[OutgoingAttachment, ...] = (),
    store: BlobStore | None = None,
) -> Message:
    """An internal note: visible to staff only, never mailed, never signed."""
    text = _clean_body(body)
    check_attachments(attachments, MAX_NOTE_ATTACHMENT_BYTES)
    note = Message(
        ticket=ticket,
        direction=Direction.NOTE,
        author=actor,
        text=text,
        from_name=actor.name,
        created_at=utcnow(),
        attachments=stored_attachments(store, attachments),
    )
    session.add(note)
    session.flush()
    index_messages(session, [note.id])
    record_event(session, ticket, EventKind.NOTE_ADDED, actor, message=note)
    return note


# The same text by the same person on the same ticket this soon is a double click, not a reply.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


def _just_sent(ticket: Ticket, actor: User, body: str) -> bool:
    recent = utcnow() - DOUBLE_SUBMIT_WINDOW
    return any(
        m.direction == Direction.OUT
        and m.author_id == actor.id
        and m.text == body
        and m.created_at >= recent
        for m in ticket.messages
    )


def _clean_body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ReplyEmpty()
    if len(body) > MAX_BODY_CHARS:
        raise ReplyTooLong(MAX_BODY_CHARS)
    return body


def _last_inbound(ticket: Ticket) -> Message | None:
    inbound = [m for m in ticket.messages if m.direction == Direction.IN]
    return inbound[-1] if inbound else None


def references_for(parent: Message | None) -> list[str]:
    """RFC 5322: the parent's References followed by the parent's own Message-ID."""
    if parent is None:
        return []
    chain = parent.references.split()
    if parent.message_id:
        chain.append(parent.message_id)
    return chain[-20:]  # keep the header bounded; the newest ids are the ones that matter


def answer_subject(ticket: Ticket) -> str:
    """``Re: <subject> [#ref]``: the reference lets us thread the answer whatever the client."""
    return subject_with_reference(_reply_subject(ticket.subject), ticket)


def _reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
