"""Workers say they are alive; readiness asks which of them went quiet."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from ..db_session import DbSession
from ..models import WorkerHeartbeat, utcnow

# A worker silent for three of its beats is taken for dead.
MISSED_BEATS = 3


def worker_name(role: str) -> str:
    """Unique per process across machines: role@host:pid."""
    return f"{role}@{socket.gethostname()}:{os.getpid()}"[:200]


def beat(session: DbSession, worker: str, role: str) -> None:
    """Record that ``worker`` is alive now (one row per worker, updated in place)."""
    row = session.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.worker == worker))
    if row is None:
        session.add(WorkerHeartbeat(worker=worker, role=role, beat_at=utcnow()))
    else:
        row.beat_at = utcnow()
    session.flush()


def forget(session: DbSession, worker: str) -> None:
    """A worker stopping cleanly is no longer expected to beat."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.worker == worker))


def silent_workers(
    session: DbSession, beat_every: timedelta, now: datetime | None = None
) -> list[WorkerHeartbeat]:
    """Workers that beat once and then went quiet without saying goodbye (killed, hung)."""
    cutoff = (now or utcnow()) - MISSED_BEATS * beat_every
    query = select(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < cutoff)
    return list(session.scalars(query.order_by(WorkerHeartbeat.worker)))
