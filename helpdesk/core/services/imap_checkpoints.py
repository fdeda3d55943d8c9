"""Reading and advancing IMAP checkpoints."""

from __future__ import annotations

from sqlalchemy import select

from ..db_session import DbSession
from ..models import ImapCheckpoint


def load_checkpoint(session: DbSession, mailbox_key: str) -> tuple[int | None, int]:
    """(UIDVALIDITY, last UID stored); (None, 0) for a folder never read."""
    checkpoint = session.scalar(
        select(ImapCheckpoint).where(ImapCheckpoint.mailbox_key == mailbox_key)
    )
    return (None, 0) if checkpoint is None else (checkpoint.uidvalidity, checkpoint.last_uid)


def save_checkpoint(session: DbSession, mailbox_key: str, uidvalidity: int, last_uid: int) -> None:
    checkpoint = session.scalar(
        select(ImapCheckpoint).where(ImapCheckpoint.mailbox_key == mailbox_key)
    )
    if checkpoint is None:
        session.add(
            ImapCheckpoint(mailbox_key=mailbox_key, uidvalidity=uidvalidity, last_uid=last_uid)
        )
    else:
        checkpoint.uidvalidity, checkpoint.last_uid = uidvalidity, last_uid
    session.flush()
