"""The promise each language queue makes, and where a ticket stands against it."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from ..business_hours import Schedule, add_working_seconds, working_seconds
from ..models import (
    DEFAULT_FIRST_RESPONSE_HOURS,
    DEFAULT_RESOLUTION_HOURS,
    Language,
    SlaPolicy,
    Ticket,
)

# "Due soon" is the last quarter of the promised time: late enough to be meaningful, early
# enough that a liaison can still answer in time. The dashboard's "at risk" is the same rule.
DUE_SOON_FRACTION = 0.25


class SlaState(enum.StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"
    BREACHED = "breached"


@dataclass(frozen=True)
class FirstResponseSla:
    state: SlaState
    due_at: datetime


def policy_for(language: Language | None) -> SlaPolicy:
    """The queue's policy; a ticket still in triage is held to the default one."""
    if language is not None and language.sla_policy is not None:
        return language.sla_policy
    return default_policy()


def default_policy(language_code: str = "") -> SlaPolicy:
    """A new queue's policy: the defaults, in calendar hours."""
    return SlaPolicy(
        language_code=language_code or None,
        first_response_hours=DEFAULT_FIRST_RESPONSE_HOURS,
        resolution_hours=DEFAULT_RESOLUTION_HOURS,
        business_hours=False,
        timezone="UTC",
        opens_at="09:00",
        closes_at="17:00",
        working_days="12345",
        holidays=[],
    )


def promised_response_hours(language: Language) -> int:
    """The hours an acknowledgement promises: the policy's first-response target."""
    return policy_for(language).first_response_hours


def state_for(elapsed: float, target: float) -> SlaState:
    """Breached once the target is used up; due soon in its last quarter."""
    if elapsed >= target:
        return SlaState.BREACHED
    if elapsed >= target * (1 - DUE_SOON_FRACTION):
        return SlaState.DUE_SOON
    return SlaState.OK


def first_response_sla(
    created_at: datetime,
    first_response_at: datetime | None,
    hours: int,
    now: datetime,
    schedule: Schedule | None = None,
) -> FirstResponseSla | None:
    """Where an unanswered ticket stands against a promise of ``hours`` (working hours of
    ``schedule``, calendar hours without one); None once answered."""
    if first_response_at is not None:
        return None
    schedule = schedule or Schedule()
    target = max(hours, 0) * 3600.0
    due_at = add_working_seconds(schedule, created_at, target)
    state = state_for(working_seconds(schedule, created_at, now), target)
    return FirstResponseSla(state, due_at)


def ticket_first_response_sla(ticket: Ticket, now: datetime) -> FirstResponseSla | None:
    """The ticket's queue's promise, counted as its policy says."""
    policy = policy_for(ticket.language)
    return first_response_sla(
        ticket.created_at,
        ticket.first_response_at,
        policy.first_response_hours,
        now,
        policy.schedule(),
    )
