"""The first-response promise each language queue makes, and where a ticket stands against it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models import DEFAULT_FIRST_RESPONSE_HOURS, Ticket

# "Due soon" is the last quarter of the promised time: late enough to be meaningful, early
# enough that a liaison can still answer in time.
DUE_SOON_FRACTION = 0.25


class SlaState(enum.StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"
    BREACHED = "breached"


@dataclass(frozen=True)
class FirstResponseSla:
    state: SlaState
    due_at: datetime


def first_response_sla(
    created_at: datetime, first_response_at: datetime | None, hours: int, now: datetime
) -> FirstResponseSla | None:
    """Where an unanswered ticket stands against a promise of ``hours``; None once answered."""
    if first_response_at is not None:
        return None
    window = timedelta(hours=max(hours, 0))
    due_at = created_at + window
    if now >= due_at:
        state = SlaState.BREACHED
    elif now >= due_at - window * DUE_SOON_FRACTION:
        state = SlaState.DUE_SOON
    else:
        state = SlaState.OK
    return FirstResponseSla(state, due_at)


def ticket_first_response_sla(ticket: Ticket, now: datetime) -> FirstResponseSla | None:
    """The ticket's queue's promise; a ticket still in triage is held to the default one."""
    hours = (
        ticket.language.first_response_hours if ticket.language else DEFAULT_FIRST_RESPONSE_HOURS
    )
    return first_response_sla(ticket.created_at, ticket.first_response_at, hours, now)
