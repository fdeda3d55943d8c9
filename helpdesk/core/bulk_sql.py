"""Multi-row writes in SQLAlchemy Core, for the paths that write hundreds of rows at once.

The ORM's unit of work costs far more per object than the SQL it emits. These helpers write
plain dicts: one INSERT .. RETURNING for many rows (insertmanyvalues, on SQLite and PostgreSQL
alike) and one executemany UPDATE per set of changed columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, update

from .db_session import DbSession
from .models import Base


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def insert_returning_ids(
    session: DbSession, model: type[Base], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert ``rows``; their new ids, in the order of the rows. Rows that set the same columns
    share one statement (a multi-row INSERT needs the same columns in every row)."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(tuple(sorted(row)), []).append(index)
    ids = [0] * len(rows)
    for indexes in groups.values():
        new_ids = _insert_returning(session, table_of(model), [rows[i] for i in indexes])
        for index, new_id in zip(indexes, new_ids, strict=True):
            ids[index] = new_id
    return ids


def insert_many(session: DbSession, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (executemany: cheaper than INSERT .. RETURNING when no id is needed)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    for same_columns in groups.values():
        session.execute(insert(table_of(model)), same_columns)


def _insert_returning(session: DbSession, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Multi-row INSERT .. RETURNING id, ids in the order of ``rows``. PostgreSQL keeps that
    order in SQLAlchemy's batched form. SQLite has no such form (asking for the order makes
    SQLAlchemy send one INSERT per row), but the rowids it gives the rows of one INSERT
    increase in the order of the rows, so sorting them restores it."""
    if session.get_bind().dialect.name != "sqlite":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.execute(statement, rows).scalars())
    return sorted(session.execute(insert(table).returning(table.c.id), rows).scalars())


def new_ids_follow_the_largest(session: DbSession) -> bool:
    """Is a new row's id always one more than the largest id in its table (SQLite's rule for
    tables without AUTOINCREMENT, as ours are)? Sequences, as on PostgreSQL, may skip ids."""
    return session.get_bind().dialect.name == "sqlite"


def update_by_id(
    session: DbSession, model: type[Base], changes: Mapping[int, Mapping[str, Any]]
) -> None:
    """Apply each row's column changes; rows changing the same columns share one statement."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, values in changes.items():
        if values:
            groups.setdefault(tuple(sorted(values)), []).append({"row_id": row_id, **values})
    table = table_of(model)
    statement = update(table).where(table.c.id == bindparam("row_id"))
    for params in groups.values():
        session.execute(statement, params)


@dataclass(eq=False)
class Row:
    """A row a batch inserts or changes. Values may name other rows (foreign keys): they are
    replaced by those rows' ids when written, parents first."""

    id: int | None = None  # known once the row is in the database (unless nothing needs it)
    values: dict[str, Any] = field(default_factory=dict)  # to insert, until written
    changes: dict[str, Any] = field(default_factory=dict)  # to update, once written
    written: bool = False

    def __post_init__(self) -> None:
        self.written = self.written or self.id is not None  # a row read from the database


def _resolved(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value.id if isinstance(value, Row) else value for key, value in values.items()}


class PendingRows:
    """Rows to insert and changes to make, kept in memory and written table by table in
    ``order`` (parents before children) by ``write``, as often as the caller needs ids. Rows of
    the ``leaves`` tables (which no row points to) are inserted without fetching their ids."""

    def __init__(self, order: tuple[type[Base], ...], leaves: tuple[type[Base], ...] = ()) -> None:
        self._new: dict[type[Base], list[Row]] = {model: [] for model in order}
        self._changed: dict[type[Base], dict[int, Row]] = {model: {} for model in order}
        self._leaves = leaves

    def add(self, model: type[Base], row: Row) -> Row:
        self._new[model].append(row)
        return row

    def change(self, model: type[Base], row: Row, **values: Any) -> None:
        """Set columns: in the INSERT if the row is not written yet, else in an UPDATE."""
        if not row.written:
            row.values.update(values)
        else:
            assert row.id is not None, "a leaf row cannot change once written"
            row.changes.update(values)
            self._changed[model][row.id] = row

    def write(self, session: DbSession, through: type[Base] | None = None) -> None:
        """Insert the new rows (only up to the table ``through``, if given), then apply the
        changes."""
        for model, rows in self._new.items():
            values = [_resolved(row.values) for row in rows]
            if model in self._leaves:
                insert_many(session, model, values)
            else:
                for row, row_id in zip(
                    rows, insert_returning_ids(session, model, values), strict=True
                ):
                    row.id = row_id
            for row in rows:
                row.written = True
            rows.clear()
            if model is through:
                return
        for model, changed in self._changed.items():
            update_by_id(session, model, {i: _resolved(r.changes) for i, r in changed.items()})
            for row in changed.values():
                row.changes.clear()
            changed.clear()
