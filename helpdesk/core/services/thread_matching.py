"""Finding the ticket an incoming message answers: headers first, then the subject's reference."""

from __future__ import annotations

import re

from ..models import Ticket

# The reference as we put it in subjects: "[#4821]". Liberal in what it accepts ("[ #4821 ]").
SUBJECT_REFERENCE = re.compile(r"\[\s*#(\d{1,12})\s*\]")
MAX_MERGE_HOPS = 20  # a guard against a cycle, which merge_tickets never makes


def subject_with_reference(subject: str, ticket: Ticket) -> str:
    """The subject for mail about ``ticket``, carrying its reference exactly once."""
    subject = " ".join(
        subject.split()
    )  # also drops CR/LF: nothing from a mail reaches a header raw
    if SUBJECT_REFERENCE.search(subject):
        return subject
    return f"{subject} [{ticket.reference}]".strip()
