"""The coordinators' daily digest: what breached, what is about to, what liaisons highlighted.
The content comes from the dashboard's rules; the words are rendered by the caller in each
coordinator's language; the mail leaves from the outbox, at most once per coordinator a day."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ..db_session import DbSession
from ..models import OPEN_STATUSES, DigestDelivery, OutboxMail, Role, Ticket, User
from .account_mail import queue_account_mail
from .metrics.backlog import sla_states
from .metrics.timelines import Scope
from .metrics.timings import refresh_timings
from .outgoing_mail import MailSettings
from .sla import SlaState

MAX_TICKETS_PER_SECTION = 50


@dataclass(frozen=True)
class DigestTicket:
    ticket_id: int
    language: str | None
    subject: str
    reason: str = ""


@dataclass(frozen=True)
class DigestContent:
    breached: list[DigestTicket] = field(default_factory=list)
    at_risk: list[DigestTicket] = field(default_factory=list)
    highlighted: list[DigestTicket] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.breached or self.at_risk or self.highlighted)


def digest_content(session: DbSession, now: datetime) -> DigestContent:
    """Open tickets in breach, about to breach, and highlighted: at most 50 of each, oldest
    first. Brings the stored ticket timings up to date first (the caller commits them)."""
    refresh_timings(session)
    states = sla_states(Scope(), now).subquery()
    rows = session.execute(
        select(states.c.state, Ticket.id, Ticket.language_code, Ticket.subject)
        .join(Ticket, Ticket.id == states.c.ticket_id)
        .where(states.c.state != SlaState.OK.value)
        .order_by(Ticket.created_at, Ticket.id)
    )
    breached: list[DigestTicket] = []
    at_risk: list[DigestTicket] = []
    for state, ticket_id, language, subject in rows:
        section = breached if state == SlaState.BREACHED else at_risk
        if len(section) < MAX_TICKETS_PER_SECTION:
            section.append(DigestTicket(ticket_id, language, subject))
    highlighted = session.execute(
        select(Ticket.id, Ticket.language_code, Ticket.subject, Ticket.highlight_reason)
        .where(Ticket.highlighted, Ticket.status.in_(OPEN_STATUSES))
        .order_by(Ticket.created_at, Ticket.id)
        .limit(MAX_TICKETS_PER_SECTION)
    )
    return DigestContent(breached, at_risk, [DigestTicket(*row) for row in highlighted])


def coordinators_due(session: DbSession, day: date) -> list[User]:
    """Active coordinators who have not had ``day``'s digest yet."""
    sent = select(DigestDelivery.user_id).where(DigestDelivery.day == day)
    return list(
        session.scalars(
            select(User)
            .where(User.active, User.role == Role.COORDINATOR, User.id.not_in(sent))
            .order_by(User.id)
        )
    )


def queue_digest(
    session: DbSession,
    user: User,
    subject: str,
    text: str,
    settings: MailSettings,
    day: date,
    now: datetime,
) -> OutboxMail:
    """Queue the rendered digest for ``user`` and remember it was sent for ``day`` (the same
    transaction: a crash never sends it twice, a retry never skips it)."""
    mail = queue_account_mail(session, user, subject, text, settings)
    session.add(DigestDelivery(user_id=user.id, day=day, queued_at=now))
    session.flush()
    return mail
