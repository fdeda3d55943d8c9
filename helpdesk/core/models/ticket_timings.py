"""Each ticket's SLA clocks as read from its event log, kept so the dashboard aggregates
stored durations instead of replaying every timeline on every request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class TicketTiming(Base):
    """Derived from the events (``services.metrics.timings`` writes it, in SQL), never edited:
    refreshed for every ticket whose ``updated_at`` moved (every event moves it), and dropped for
    a queue whose SLA policy changes. Durations are working seconds on the queue's clock."""

    __tablename__ = "ticket_timings"
    __table_args__ = (
        Index("ix_ticket_timings_source_updated_at", "source_updated_at"),
        # Figures by period read one index range each, never the tickets table.
        Index(
            "ix_ticket_timings_opened",
            "opened_at",
            "language_code",
            "assignee_id",
            "first_response_s",
        ),
        Index(
            "ix_ticket_timings_resolved", "resolved_at", "language_code", "assignee_id", "running_s"
        ),
    )

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    # To the first reply to the requester; None while unanswered.
    first_response_s: Mapped[float | None] = mapped_column(Float)
    # Spent new or open in finished intervals (the resolution time, once resolved).
    running_s: Mapped[float] = mapped_column(Float)
    # Epoch seconds since which the clock has been running (new or open now); None if paused.
    running_since: Mapped[float | None] = mapped_column(Float)
    source_updated_at: Mapped[datetime]  # the ticket's updated_at these were computed from
    # Copied from the ticket for the indexes above. language_code is None for a ticket the
    # figures leave out (merged into another, or still in triage).
    language_code: Mapped[str | None] = mapped_column(String(16))
    assignee_id: Mapped[int | None]
    opened_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]  # its last resolution, while resolved or closed
