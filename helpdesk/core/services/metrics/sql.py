"""SQL building blocks that read the same on SQLite and PostgreSQL.

Instants become epoch seconds (floats) in the database; a business-hours queue's working time
up to an instant is one indexed lookup in its working calendar (``sla_calendar``), so working
time between two instants is a subtraction, never a Python loop over tickets."""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Float, Integer, Select, case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from ...models import SlaCalendarDay, TicketEvent

Query: TypeAlias = Select[*tuple[Any, ...]]


class epoch(FunctionElement[float]):
    """Seconds since 1970 of a timestamp column, as a float."""

    type = Float()
    inherit_cache = True


@compiles(epoch, "sqlite")
def _epoch_sqlite(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


@compiles(epoch)
def _epoch_default(element: epoch, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS FLOAT)"


class floor_div(FunctionElement[int]):
    """``floor(a / b)`` for a non-negative ``a``, as an integer."""

    type = Integer()
    inherit_cache = True


@compiles(floor_div, "sqlite")
def _floor_div_sqlite(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(({a}) / ({b}) AS INTEGER)"


@compiles(floor_div)
def _floor_div_default(element: floor_div, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(FLOOR(({a}) / ({b})) AS INTEGER)"


def worked(at: Any, language: Any, business: Any) -> ColumnElement[float]:
    """Working seconds up to the epoch ``at`` on the queue's clock: ``at`` itself for calendar
    hours; for business hours, the working seconds before the last interval that opened by
    then, plus the part of it already worked. Differences of two of these are durations."""
    day = SlaCalendarDay
    into = at - day.opens
    length = day.closes - day.opens
    lookup = (
        select(
            day.worked_before
            + case((into <= 0, literal(0.0)), (into >= length, length), else_=into)
        )
        .where(day.language_code == language, day.opens <= at)
        .order_by(day.opens.desc())
        .limit(1)
        .scalar_subquery()
    )
    return case((business, func.coalesce(lookup, 0.0)), else_=at)


def event_status() -> ColumnElement[str]:
    """The status an event put its ticket in: new on creation, the new one on a change."""
    return case(
        (TicketEvent.kind == "created", literal("new")),
        else_=TicketEvent.data["status"].as_string(),
    )


RUNNING_STATUSES = ("new", "open")  # the resolution clock runs; pending and resolved pause it
