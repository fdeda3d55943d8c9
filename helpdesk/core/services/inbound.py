"""Recording incoming mail: thread each message into its ticket, or open and route a new one.

One path for every caller: SMTP, IMAP and file imports hand over a batch (a single message is a
batch of one); ``InboundRecorder`` applies the rules, and new tickets are acknowledged once
their rows exist."""

from __future__ import annotations

from dataclasses import dataclass

from ..db_session import DbSession
from ..inbound_mail import InboundMessage
from ..models import Message, Ticket
from .acknowledgements import AckPolicy, acknowledge
from .inbound_recorder import InboundRecorder
from .inbound_rules import InboundContext
from .search_postings import index_messages


@dataclass(frozen=True)
class InboundItem:
    inbound: InboundMessage
    raw_mail_id: int | None = None  # the stored raw mail it was parsed from


@dataclass(frozen=True)
class InboundResult:
    ticket_id: int
    message_id: int
    created: bool  # True when the message opened a new ticket


def record_inbound_batch(
    session: DbSession, items: list[InboundItem], context: InboundContext
) -> list[InboundResult]:
    """Record each item in order, as if one by one: the same tickets, messages and events, and
    their search postings in the same transaction. Everything is flushed; the caller commits.
    New tickets of mail a person wrote are acknowledged where ``context`` asks for it."""
    recorder = InboundRecorder(session, context, [item.inbound for item in items])
    recorded = [recorder.record(item.inbound, item.raw_mail_id) for item in items]
    recorder.finish()
    index_messages(session, [done.message.id for done in recorded if done.message.id])
    results = []
    for item, done in zip(items, recorded, strict=True):
        assert done.ticket.id is not None and done.message.id is not None, "written by finish()"
        results.append(InboundResult(done.ticket.id, done.message.id, done.created))
        if done.created and context.acknowledgements and not item.inbound.automatic:
            _acknowledge(session, results[-1], context.acknowledgements)
    return results


def _acknowledge(session: DbSession, result: InboundResult, policy: AckPolicy) -> None:
    ticket, message = session.get(Ticket, result.ticket_id), session.get(Message, result.message_id)
    assert ticket is not None and message is not None
    acknowledge(session, ticket, message, policy)


def record_inbound_message(
    session: DbSession,
    inbound: InboundMessage,
    context: InboundContext,
    raw_mail_id: int | None = None,
) -> InboundResult:
    """``record_inbound_batch`` for one message."""
    return record_inbound_batch(session, [InboundItem(inbound, raw_mail_id)], context)[0]
