"""'Did you mean' for searches that find little: the index's own vocabulary proposes the
closest frequent word, and the proposal is kept only if it finds a ticket the searcher may see
(so it never tells of words in tickets hidden from them)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement

from search_index.hits import term_frequencies
from search_index.queries import QueryError, parse_query
from search_index.suggestions import suggest

from ..db_session import DbSession
from .search_matching import matching_tickets
from .search_postings import dialect_of

SUGGEST_BELOW = 3  # tickets found: fewer, and a better spelt query is looked for


def suggested_query(
    session: DbSession, query_text: str, language: str | None, clauses: list[ColumnElement[bool]]
) -> str | None:
    """``query_text`` with its rare words respelt, if that finds a ticket under the same
    ``clauses`` (filters and visibility); None otherwise."""
    dialect = dialect_of(session)

    def frequencies(terms: Iterable[str]) -> dict[str, int]:
        return term_frequencies(session, dialect, terms)

    text = suggest(query_text, frequencies, language)
    if text is None:
        return None
    try:
        parsed = parse_query(text, language)
    except QueryError:
        return None
    if parsed.text is None:
        return None
    rows, _ = matching_tickets(session, parsed.text, clauses, False, 1)
    return text if rows else None
