"""The raw mail store: bytes kept before parsing, so nothing that arrives is ever lost."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..db_session import DbSession
from ..models import RawMail, RawMailState, utcnow
from ..storage import BlobStore


@dataclass(frozen=True)
class StoredRawMail:
    raw_mail: RawMail
    duplicate: bool  # True: this mail was already stored (and is not stored again)


def store_raw_mail(
    session: DbSession, store: BlobStore, data: bytes, dedup_key: str, source: str
) -> StoredRawMail:
    """Keep the bytes (file first, then the row). The caller commits before parsing, so a
    crash after this point leaves a pending row that is processed on the next run."""
    existing = session.scalar(select(RawMail).where(RawMail.dedup_key == dedup_key))
    if existing is not None:
        return StoredRawMail(existing, duplicate=True)
    digest = store.put(data)
    raw = RawMail(dedup_key=dedup_key, sha256=digest, size=len(data), source=source[:200])
    try:
        with session.begin_nested():  # another process may store the same mail at this moment
            session.add(raw)
    except IntegrityError:
        existing = session.scalar(select(RawMail).where(RawMail.dedup_key == dedup_key))
        if existing is None:
            raise
        return StoredRawMail(existing, duplicate=True)
    return StoredRawMail(raw, duplicate=False)


def mark_processed(raw: RawMail) -> None:
    raw.state = RawMailState.PROCESSED
    raw.error = None
    raw.processed_at = utcnow()


def mark_failed(raw: RawMail, reason: str) -> None:
    """Quarantine: the bytes stay, the reason is kept for an admin."""
    raw.state = RawMailState.FAILED
    raw.error = reason[:4000]
    raw.processed_at = utcnow()


def unprocessed_raw_mail(session: DbSession, limit: int = 100) -> list[RawMail]:
    """Mail stored but never processed, e.g. because the process died right after storing it."""
    query = (
        select(RawMail)
        .where(RawMail.state == RawMailState.PENDING)
        .order_by(RawMail.id)
        .limit(limit)
    )
    return list(session.scalars(query))
