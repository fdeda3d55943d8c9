"""The one place that commits: callers (views, ingest, workers, CLI) wrap a change in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .db_session import DbSession


@contextmanager
def unit_of_work(session: DbSession) -> Iterator[DbSession]:
    """Commit what the block did, or roll all of it back if it raised."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
