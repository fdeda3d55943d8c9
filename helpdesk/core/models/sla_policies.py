"""Each language queue's service-level policy, and its working calendar for SQL metrics."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..business_hours import Schedule
from .base import Base

DEFAULT_FIRST_RESPONSE_HOURS = 24
DEFAULT_RESOLUTION_HOURS = 120


class SlaPolicy(Base):
    """What a queue promises: a first response and a resolution within so many hours, counted
    in calendar hours or in the queue's working hours (time zone, working days, holidays).
    Time waiting on the requester (pending) does not count towards resolution."""

    __tablename__ = "sla_policies"

    language_code: Mapped[str] = mapped_column(ForeignKey("languages.code"), primary_key=True)
    first_response_hours: Mapped[int] = mapped_column(default=DEFAULT_FIRST_RESPONSE_HOURS)
    resolution_hours: Mapped[int] = mapped_column(default=DEFAULT_RESOLUTION_HOURS)
    business_hours: Mapped[bool] = mapped_column(default=False)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    opens_at: Mapped[str] = mapped_column(String(5), default="09:00")  # local HH:MM
    closes_at: Mapped[str] = mapped_column(String(5), default="17:00")
    working_days: Mapped[str] = mapped_column(String(7), default="12345")  # ISO weekdays
    holidays: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ISO dates

    def schedule(self) -> Schedule:
        return Schedule(
            business_hours=bool(self.business_hours),
            timezone=self.timezone or "UTC",
            opens=time.fromisoformat(self.opens_at or "09:00"),
            closes=time.fromisoformat(self.closes_at or "17:00"),
            working_days=frozenset(int(d) for d in (self.working_days or "")),
            holidays=frozenset(date.fromisoformat(d) for d in (self.holidays or [])),
        )


class SlaCalendarDay(Base):
    """One working interval of a business-hours queue, in epoch seconds, with the working
    seconds before it: working time between two instants is then two indexed lookups in SQL
    (``services.metrics.sql.worked``), the same on SQLite and PostgreSQL."""

    __tablename__ = "sla_calendar"
    __table_args__ = (Index("ix_sla_calendar_lookup", "language_code", "opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language_code: Mapped[str] = mapped_column(
        ForeignKey("sla_policies.language_code", ondelete="CASCADE")
    )
    day: Mapped[date] = mapped_column(Date)
    opens: Mapped[int] = mapped_column(BigInteger)
    closes: Mapped[int] = mapped_column(BigInteger)
    worked_before: Mapped[int] = mapped_column(BigInteger)


class DigestDelivery(Base):
    """A coordinator's daily digest was queued for that day: sending twice is a no-op."""

    __tablename__ = "digest_deliveries"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    queued_at: Mapped[datetime]
