"""Actions that must wait for the commit: what cannot be undone (deleting a file) happens only
once the transaction that made it right holds.

A service calls ``after_commit(session, action)``; the action runs when the outermost
transaction commits, and is dropped if that transaction, or the savepoint it was registered in,
rolls back. Actions run outside any transaction and must not use the session; one that fails is
logged and the others still run (what they leave behind is garbage, never a loss).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from .db_session import DbSession

log = logging.getLogger(__name__)
_KEY = "helpdesk.after_commit"


def after_commit(session: DbSession, action: Callable[[], None]) -> None:
    """Run ``action`` once the current transaction commits; never if it rolls back."""
    real = session() if isinstance(session, scoped_session) else session
    transaction = real.get_nested_transaction() or real.get_transaction()
    if transaction is None:  # nothing to wait for
        action()
        return
    real.info.setdefault(_KEY, []).append((transaction, action))


@event.listens_for(Session, "after_commit")
def _run_pending(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the real commit is still to come
        return
    for _, action in session.info.pop(_KEY, []):
        try:
            action()
        except Exception:
            log.exception("an after-commit action failed")


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """Forget the actions registered in the transaction that rolled back, or inside it."""
    pending = session.info.get(_KEY)
    if not pending:
        return
    session.info[_KEY] = [
        (transaction, action)
        for transaction, action in pending
        if not _within(transaction, previous_transaction)
    ]


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False
