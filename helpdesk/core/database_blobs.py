"""The blob store inside the helpdesk's own database: every machine that reaches the database
sees every raw mail and attachment, with no shared disk."""

from __future__ import annotations

import hashlib
import io
from typing import Any, BinaryIO

from sqlalchemy import delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from .db_session import DbSession
from .models import Blob
from .storage import BlobNotFound, check_digest


class DatabaseBlobStore:
    """Rows of ``blobs`` (store, sha256, data). Content-addressed: a second put of the same
    bytes is an ``INSERT … ON CONFLICT DO NOTHING``, which writes nothing.

    How a put writes, and why:

    * PostgreSQL (what several machines share): on a connection of its own, committed before
      ``put`` returns, exactly like the fsynced file of the folder store. A raw mail is durable
      before the row that names it, and no caller's transaction holds a blob's row lock: two
      ingest workers storing the same signature logo never wait for each other's whole
      transaction, nor deadlock on two attachments taken in opposite orders.
    * SQLite: in the caller's own transaction. SQLite has one writer at a time, so a second
      connection would wait for the very transaction that called it (recording a message
      writes before it stores the attachments). The blob then commits with the rows that name
      it: as safe as "bytes first", and a rolled-back transaction leaves no garbage.

    Reads go through the caller's session (so, on SQLite, they see what it wrote). ``delete``
    runs after the commit (``after_commit``), on its own connection. ``put(fsync=False)`` on
    PostgreSQL commits without waiting for the disk, and ``sync_all`` then waits once, as the
    folder store's bulk path does."""

    def __init__(self, name: str, session: DbSession) -> None:
        self.name = name
        self._session = session

    def put(self, data: bytes, *, fsync: bool = True) -> str:
        digest = hashlib.sha256(data).hexdigest()
        engine = self._engine()
        insert: Any = sqlite.insert if engine.dialect.name == "sqlite" else postgresql.insert
        statement = (
            insert(Blob)
            .values(store=self.name, sha256=digest, data=data)
            .on_conflict_do_nothing(index_elements=["store", "sha256"])
        )
        if engine.dialect.name == "sqlite":
            self._session.execute(statement)
            return digest
        with engine.connect() as connection:
            if not fsync:  # durable at sync_all(): the write-ahead log is flushed in order
                connection.execute(text("SET LOCAL synchronous_commit = off"))
            connection.execute(statement)
            connection.commit()
        return digest

    def get(self, digest: str) -> bytes:
        data = self._session.scalar(select(Blob.data).where(*self._names(digest)))
        if data is None:
            raise BlobNotFound(digest)
        return data

    def open(self, digest: str) -> BinaryIO:
        return io.BytesIO(self.get(digest))

    def exists(self, digest: str) -> bool:
        found = self._session.scalar(select(Blob.sha256).where(*self._names(digest)))
        return found is not None

    def delete(self, digest: str) -> None:
        with self._engine().begin() as connection:
            connection.execute(delete(Blob).where(*self._names(digest)))

    def sync_all(self) -> None:
        """PostgreSQL: wait until the log is flushed past every put so far. A transaction
        that takes a transaction id commits synchronously, and the log is flushed in order, so
        its commit makes every earlier ``fsync=False`` put durable too (a bulk import pays one
        flush, not one per blob). SQLite: nothing, the puts commit with their caller."""
        engine = self._engine()
        if engine.dialect.name != "sqlite":
            with engine.begin() as connection:
                connection.execute(text("SELECT txid_current()"))

    def _names(self, digest: str) -> tuple[Any, ...]:
        return (Blob.store == self.name, Blob.sha256 == check_digest(digest))

    def _engine(self) -> Engine:
        bind = self._session.get_bind()
        return bind if isinstance(bind, Engine) else bind.engine
