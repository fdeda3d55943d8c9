"""Related tickets for the ticket page: the ticket's most distinctive terms (tf-idf against the
index) searched for, among the tickets the viewer may see; coordinators also learn how many
tickets hold all of the strongest ones, to spot a concern that is spreading."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from search_index.distinctive import distinctive_terms
from search_index.hits import term_frequencies
from search_index.queries import Bool, Match

from ..db_session import DbSession
from ..models import Message, Ticket, User
from .search_matching import matching_tickets
from .search_postings import dialect_of
from .visibility import visible_tickets_clause

SHOWN = 5
SHARED_TERMS = 3  # "how many share them": tickets holding all of the strongest SHARED_TERMS


@dataclass(frozen=True)
class RelatedTickets:
    terms: list[str] = field(default_factory=list)  # best first, as the index holds them
    tickets: list[Ticket] = field(default_factory=list)  # most related first
    sharing: int | None = None  # for coordinators: other tickets holding the shared terms
    sharing_exact: bool = True  # False: at least ``sharing``
    shared_terms: list[str] = field(default_factory=list)


def related_tickets(
    session: DbSession, ticket: Ticket, viewer: User, shown: int = SHOWN
) -> RelatedTickets:
    """Up to ``shown`` other tickets ``viewer`` may see that share the most distinctive terms of
    this ticket's subject and first message, best first, in a fixed number of queries."""
    if not ticket.messages:
        return RelatedTickets()
    dialect = dialect_of(session)

    def frequencies(terms: Iterable[str]) -> dict[str, int]:
        return term_frequencies(session, dialect, terms)

    text = f"{ticket.subject}\n{ticket.messages[0].text}"
    key = (ticket.id, ticket.language_code, hashlib.sha256(text.encode()).digest())
    terms = _TERMS.get(key)
    if terms is None:
        indexed = session.scalar(select(func.max(Message.id))) or 0
        terms = distinctive_terms(text, ticket.language_code, frequencies, indexed)
        _TERMS.put(key, terms)
    if not terms:
        return RelatedTickets()
    clauses = [Ticket.id != ticket.id, visible_tickets_clause(viewer)]
    rows, _ = matching_tickets(session, _any_of(terms), clauses, False, shown)
    ids = [row[0] for row in rows[:shown]]
    found = session.scalars(select(Ticket).where(Ticket.id.in_(ids))).all() if ids else []
    loaded = {t.id: t for t in found}
    related = RelatedTickets(terms, [loaded[i] for i in ids])
    if not viewer.sees_all_tickets:
        return related
    shared = terms[:SHARED_TERMS]
    sharing, complete = matching_tickets(session, _all_of(shared), clauses, False, 1)
    return RelatedTickets(terms, related.tickets, len(sharing), complete, shared)


class TermsCache:
    """A ticket's distinctive terms, kept a while per process: its text does not change, and
    the index's frequencies that weigh them drift slowly, so the two queries (one of them the
    ticket page's costliest) run once per ticket every ``ttl`` seconds, not on every view."""

    def __init__(self, size: int = 2000, ttl: float = 600.0) -> None:
        self.size, self.ttl = size, ttl
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, str | None, bytes], tuple[float, list[str]]]
        self._entries = OrderedDict()

    def get(self, key: tuple[int, str | None, bytes]) -> list[str] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found[0] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: tuple[int, str | None, bytes], terms: list[str]) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, terms)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_TERMS = TermsCache()


def forget_cached_terms() -> None:
    """For a process that switches databases (tests, a restore)."""
    _TERMS.clear()


def _any_of(terms: list[str]) -> Bool:
    return Bool("or", tuple(Match(((term,),)) for term in terms))


def _all_of(terms: list[str]) -> Bool | Match:
    if len(terms) == 1:
        return Match(((terms[0],),))
    return Bool("and", tuple(Match(((term,),)) for term in terms))
