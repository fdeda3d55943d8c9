"""One poller per IMAP mailbox, however many ``helpdesk worker imap`` run: the others wait.

PostgreSQL: a session-level advisory lock, held on a connection of its own for as long as the
poller runs. A process that dies loses its connection and so its lock, and a standby takes over
at its next try. SQLite (one machine by definition): an exclusive ``flock`` on a file beside the
database, released by the kernel when the process dies."""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text


def lock_id(key: str) -> int:
    """A stable signed 64-bit number for ``key`` (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


class MailboxLease:
    """``acquire()`` without waiting; ``release()`` when the poller stops."""

    def __init__(self, engine: Engine, lock_dir: Path, key: str) -> None:
        self.engine, self.key = engine, key
        self.lock_path = lock_dir / f"imap-{lock_id(key) & 0xFFFFFFFFFFFF:x}.lock"
        self._connection: Connection | None = None
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._connection is not None or self._file is not None

    def acquire(self) -> bool:
        if self.held:
            return True
        if self.engine.dialect.name == "postgresql":
            return self._acquire_advisory()
        return self._acquire_flock()

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id(self.key)}
                )
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def _acquire_advisory(self) -> bool:
        connection = self.engine.connect()
        got = connection.execute(
            text("SELECT pg_try_advisory_lock(:id)"), {"id": lock_id(self.key)}
        ).scalar_one()
        connection.commit()  # the lock is the session's: it outlives the transaction
        if got:
            self._connection = connection
        else:
            connection.close()
        return bool(got)

    def _acquire_flock(self) -> bool:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "ab")  # noqa: SIM115 - held open while we lead
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        os.ftruncate(handle.fileno(), 0)
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        return True
