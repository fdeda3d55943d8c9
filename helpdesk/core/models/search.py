"""The search postings live beside the models: created and dropped with them (tests, demo)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, inspect, text

from search_index.postings import TABLE, create_statements, drop_statements

from .base import Base


@event.listens_for(Base.metadata, "after_create")
def _create_postings(target: Any, connection: Connection, **kw: Any) -> None:
    if not inspect(connection).has_table(TABLE):
        for statement in create_statements(connection.dialect.name):
            connection.execute(text(statement))


@event.listens_for(Base.metadata, "before_drop")
def _drop_postings(target: Any, connection: Connection, **kw: Any) -> None:
    for statement in drop_statements(connection.dialect.name):
        connection.execute(text(statement))
