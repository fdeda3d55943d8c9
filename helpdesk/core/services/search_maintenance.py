"""Rebuilding and checking the search postings in id ranges, one transaction per range, so
search keeps answering (and mail keeps arriving) while it runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from search_index.postings import optimise_postings, stored_digests

from ..db_session import DbSession
from ..models import Message
from .search_postings import build_documents, dialect_of, index_messages, unindex_messages

LAST_ID = 2**31 - 1  # the largest id either database stores in an INTEGER


@dataclass(frozen=True)
class IdRange:
    first: int
    last: int
    messages: int  # how many messages it holds (for progress)


@dataclass
class IndexDifferences:
    missing: list[int] = field(default_factory=list)  # messages without postings
    stale: list[int] = field(default_factory=list)  # postings of an older text or analysis
    orphans: list[int] = field(default_factory=list)  # postings of deleted messages

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.orphans)

    def add(self, other: IndexDifferences) -> None:
        self.missing += other.missing
        self.stale += other.stale
        self.orphans += other.orphans


def id_ranges(session: DbSession, size: int = 1000) -> Iterator[IdRange]:
    """Consecutive ranges covering every message id (and any posting past the last one)."""
    ids = session.scalars(select(Message.id).order_by(Message.id)).all()
    if not ids:
        yield IdRange(0, LAST_ID, 0)
        return
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        first = 0 if start == 0 else chunk[0]
        last = LAST_ID if start + size >= len(ids) else ids[start + size] - 1
        yield IdRange(first, last, len(chunk))


def reindex_range(session: DbSession, ids: IdRange) -> int:
    """Rewrite the postings of every message in ``ids`` and drop those of vanished messages."""
    message_ids = _message_ids(session, ids)
    stored = stored_digests(session, dialect_of(session), ids.first, ids.last)
    unindex_messages(session, set(stored) - set(message_ids))
    return index_messages(session, message_ids)


def optimise_index(session: DbSession) -> None:
    """After a full reindex: the postings compacted for reading (see optimise_postings)."""
    optimise_postings(session, dialect_of(session))


def compare_range(session: DbSession, ids: IdRange) -> IndexDifferences:
    """What differs between the messages in ``ids`` and their postings (by digest)."""
    documents = build_documents(session, _message_ids(session, ids))
    stored = stored_digests(session, dialect_of(session), ids.first, ids.last)
    differences = IndexDifferences()
    for document in documents:
        digest = stored.pop(document.message_id, None)
        if digest is None:
            differences.missing.append(document.message_id)
        elif digest != document.digest:
            differences.stale.append(document.message_id)
    differences.orphans = sorted(stored)
    return differences


def repair(session: DbSession, differences: IndexDifferences) -> None:
    index_messages(session, differences.missing + differences.stale)
    unindex_messages(session, differences.orphans)


def _message_ids(session: DbSession, ids: IdRange) -> list[int]:
    return list(
        session.scalars(
            select(Message.id).where(Message.id.between(ids.first, ids.last)).order_by(Message.id)
        )
    )
