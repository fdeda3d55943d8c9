"""The raw mail store: bytes kept before parsing, so nothing that arrives is ever lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ..after_commit import after_commit
from ..bulk_sql import insert_returning_ids, update_by_id
from ..db_session import DbSession
from ..errors import NotQuarantined
from ..models import AuditAction, RawMail, RawMailState, User, utcnow
from ..storage import BlobStore
from .audit import record_audit


@dataclass(frozen=True)
class StoredRawMail:
    raw_mail: RawMail
    duplicate: bool  # True: this mail was already stored (and is not stored again)


# Mail is claimed for this long by whoever processes it (the process that stored it, or an
# ingest worker); still unprocessed after that, its process died and another one takes it.
PROCESSING_LEASE = timedelta(minutes=2)


def store_raw_mail(
    session: DbSession,
    store: BlobStore,
    data: bytes,
    dedup_key: str,
    source: str,
    lease: timedelta | None = PROCESSING_LEASE,
) -> StoredRawMail:
    """Keep the bytes (the blob first, then the row). The caller commits before parsing, so a
    crash after this point leaves a pending row that is processed on the next run. The new row
    is claimed for ``lease`` by the caller, who processes it next; with no lease (a listener
    that only stores) the ingest workers take it at once."""
    existing = session.scalar(select(RawMail).where(RawMail.dedup_key == dedup_key))
    if existing is not None:
        return StoredRawMail(existing, duplicate=True)
    digest = store.put(data)
    raw = RawMail(dedup_key=dedup_key, sha256=digest, size=len(data), source=source[:200])
    raw.claimed_until = utcnow() + lease if lease is not None else None
    try:
        with session.begin_nested():  # another process may store the same mail at this moment
            session.add(raw)
    except IntegrityError:
        existing = session.scalar(select(RawMail).where(RawMail.dedup_key == dedup_key))
        if existing is None:
            raise
        return StoredRawMail(existing, duplicate=True)
    return StoredRawMail(raw, duplicate=False)


@dataclass(frozen=True)
class RawMailItem:
    data: bytes
    dedup_key: str
    source: str


@dataclass(frozen=True)
class StoredRawMailRow:
    """What a bulk import needs of a stored raw mail; no ORM object, so none to flush."""

    raw_mail_id: int
    state: str
    duplicate: bool


def store_raw_mail_batch(
    session: DbSession, store: BlobStore, items: list[RawMailItem]
) -> list[StoredRawMailRow]:
    """Bulk version of ``store_raw_mail``: one lookup for the whole batch, one disk sync, one
    multi-row INSERT. Raises IntegrityError if another process stored one of them meanwhile
    (the caller then falls back to one at a time)."""
    existing = _stored_by_dedup_key(session, {item.dedup_key for item in items})
    new_rows: dict[str, dict[str, object]] = {}
    duplicate = []
    for item in items:
        duplicate.append(item.dedup_key in existing or item.dedup_key in new_rows)
        if not duplicate[-1]:
            new_rows[item.dedup_key] = {
                "dedup_key": item.dedup_key,
                "sha256": store.put(item.data, fsync=False),
                "size": len(item.data),
                "source": item.source[:200],
            }
    store.sync_all()
    claimed_until = utcnow() + PROCESSING_LEASE  # this import parses and records them next
    for row in new_rows.values():
        row["claimed_until"] = claimed_until
    ids = insert_returning_ids(session, RawMail, list(new_rows.values()))
    existing.update(
        (key, (raw_id, RawMailState.PENDING)) for key, raw_id in zip(new_rows, ids, strict=True)
    )
    return [
        StoredRawMailRow(*existing[item.dedup_key], duplicate=is_duplicate)
        for item, is_duplicate in zip(items, duplicate, strict=True)
    ]


def _stored_by_dedup_key(session: DbSession, keys: set[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        rows = session.execute(
            select(RawMail.dedup_key, RawMail.id, RawMail.state).where(
                RawMail.dedup_key.in_(ordered[start : start + 500])
            )
        )
        found.update((key, (raw_id, state)) for key, raw_id, state in rows)
    return found


def claim_for_processing(
    session: DbSession, raw_ids: list[int], states: tuple[RawMailState, ...]
) -> set[int]:
    """Atomically take the raw mails still in one of ``states``; returns the ids taken. Run it
    first in the recording transaction: whoever else wanted the same mail (SMTP and IMAP at
    once, a retry, a second worker) waits for the row and then finds it already taken, so
    every stored mail is recorded exactly once."""
    if not raw_ids:
        return set()
    taken = session.execute(
        update(RawMail)
        .where(RawMail.id.in_(raw_ids), RawMail.state.in_(states))
        .values(state=RawMailState.PROCESSED, processed_at=utcnow(), error=None)
        .returning(RawMail.id)
        .execution_options(synchronize_session=False)
    )
    return {raw_id for (raw_id,) in taken}


def mark_processed(raw: RawMail) -> None:
    raw.state = RawMailState.PROCESSED
    raw.error = None
    raw.processed_at = utcnow()


def mark_failed(raw: RawMail, reason: str) -> None:
    """Quarantine: the bytes stay, the reason is kept for an admin."""
    raw.state = RawMailState.FAILED
    raw.error = storable_reason(reason)
    raw.processed_at = utcnow()


def mark_failed_batch(session: DbSession, reasons: dict[int, str]) -> None:
    """``mark_failed`` for many raw mails by id, in one statement."""
    if not reasons:
        return
    now = utcnow()
    update_by_id(
        session,
        RawMail,
        {
            raw_id: {
                "state": RawMailState.FAILED,
                "error": storable_reason(reason),
                "processed_at": now,
            }
            for raw_id, reason in reasons.items()
        },
    )


def storable_reason(reason: str) -> str:
    """The reason may quote the mail itself: keep it storable whatever it contains."""
    return reason[:4000].replace("\x00", "\ufffd").encode("utf-8", "replace").decode()


def claim_unprocessed_raw_mail(
    session: DbSession,
    limit: int = 100,
    lease: timedelta = PROCESSING_LEASE,
    expired_by: datetime | None = None,
) -> list[int]:
    """Lease to the caller up to ``limit`` mails that nobody is processing: asked to retry, or
    pending with no claim or a claim expired by ``expired_by`` (default now; a process starting
    up passes a later time to take back what its previous run had claimed). One statement with
    ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so ingest workers never wait for each other's rows
    nor take the same ones; SQLite's single writer gives the same. Commit before parsing."""
    expired_by = expired_by or utcnow()
    free = or_(RawMail.claimed_until.is_(None), RawMail.claimed_until <= expired_by)
    candidates = (
        select(RawMail.id)
        .where(RawMail.state.in_([RawMailState.PENDING, RawMailState.RETRY]), free)
        .order_by(RawMail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    taken = session.execute(
        update(RawMail)
        .where(RawMail.id.in_(candidates))
        .values(claimed_until=utcnow() + lease)
        .returning(RawMail.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(raw_id for (raw_id,) in taken)


def quarantined_raw_mail(session: DbSession, limit: int = 100, offset: int = 0) -> list[RawMail]:
    """What failed, newest first, for the admin's quarantine page."""
    query = (
        select(RawMail)
        .where(RawMail.state.in_([RawMailState.FAILED, RawMailState.RETRY]))
        .order_by(RawMail.received_at.desc(), RawMail.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def failed_raw_mail_ids(session: DbSession) -> list[int]:
    """Every quarantined mail, oldest first: what ``helpdesk reprocess --failed`` takes."""
    query = select(RawMail.id).where(RawMail.state == RawMailState.FAILED).order_by(RawMail.id)
    return list(session.scalars(query))


def request_retry(raw: RawMail) -> None:
    """Queue quarantined mail for another try (after a fix, or with a newer parser)."""
    if raw.state != RawMailState.FAILED:
        raise NotQuarantined(raw.id)
    raw.state = RawMailState.RETRY
    raw.claimed_until = None  # the next ingest worker to look takes it


def delete_raw_mail(
    session: DbSession, store: BlobStore, raw: RawMail, actor: User | None = None
) -> None:
    """Drop quarantined mail for good: the row, and the bytes unless another row shares them.
    The bytes go only once the caller's commit holds: a transaction that fails keeps both."""
    if raw.state not in (RawMailState.FAILED, RawMailState.RETRY):
        raise NotQuarantined(raw.id)
    digest = raw.sha256
    record_audit(
        session, actor, AuditAction.RAW_MAIL_DELETED, target=raw, before={"state": raw.state}
    )
    session.delete(raw)
    session.flush()
    if session.scalar(select(RawMail.id).where(RawMail.sha256 == digest).limit(1)) is None:
        after_commit(session, lambda: store.delete(digest))
