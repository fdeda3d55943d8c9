"""Writing and reading the audit log: every admin change and sensitive action, append-only.

The web layer says where a request came from with ``audit_origin``; services record without
knowing about requests, so the CLI, workers and views all leave the same trail.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..db_session import DbSession
from ..models import AuditAction, AuditEntry, User

_origin: ContextVar[tuple[str | None, str | None]] = ContextVar(
    "audit_origin", default=(None, "system")
)


@contextmanager
def audit_origin(address: str | None, label: str | None = None) -> Iterator[None]:
    """Within this block, entries carry ``address`` (a client IP) and, where no user acts,
    ``label`` (e.g. "cli")."""
    token = _origin.set((address, label))
    try:
        yield
    finally:
        _origin.reset(token)


def set_audit_origin(address: str | None, label: str | None = None) -> None:
    """For a request's whole life (its context is discarded after it)."""
    _origin.set((address, label))


def record_audit(
    session: DbSession,
    actor: User | None,
    action: AuditAction,
    *,
    target: object | None = None,
    target_type: str | None = None,
    target_id: object | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction: it lands only if the change does.

    ``target`` may be a model instance (its table name and id are used). Put no requester
    personal data in ``before``/``after``: erasure must leave the log free of it.
    """
    if target is not None:
        target_type = target_type or getattr(target, "__tablename__", type(target).__name__)
        target_id = target_id if target_id is not None else getattr(target, "id", None)
    address, label = _origin.get()
    entry = AuditEntry(
        actor=actor,
        actor_label=actor.email if actor is not None else (label or "system"),
        address=address,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        before=_plain(before),
        after=_plain(after),
    )
    session.add(entry)
    return entry


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """JSON-safe copies: dates as ISO text, sets as sorted lists."""
    if values is None:
        return None
    plain: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, set | frozenset):
            value = sorted(value)
        plain[key] = value
    return plain


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Only what differs, for entries that show a change and not the whole record."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor_id: int | None = None
    system_only: bool = False  # entries no signed-in user made (workers, the console)
    target_type: str | None = None
    target_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def audit_entries(
    session: DbSession, filters: AuditFilter, *, limit: int = 100, before_id: int | None = None
) -> Sequence[AuditEntry]:
    """Newest first, ``limit`` at a time; ``before_id`` pages on (stable while entries arrive)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.system_only:
        query = query.where(AuditEntry.actor_id.is_(None))
    if filters.target_type:
        query = query.where(AuditEntry.target_type == filters.target_type)
    if filters.target_id:
        query = query.where(AuditEntry.target_id == filters.target_id)
    if filters.since is not None:
        query = query.where(AuditEntry.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEntry.created_at < filters.until)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return session.scalars(query).all()
