"""Reading the postings: the newest matching messages, ranked, for the caller to join to its
own tables and filter (FTS5 bm25 on SQLite, ts_rank_cd on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import Float, Integer, TextualSelect, bindparam, text

from .expressions import fts5_expression, tsquery_expression, tsquery_lexeme
from .postings import BM25_WEIGHTS, PG_WEIGHTS, TABLE, Executor
from .queries import Match, Node


def count_matches(executor: Executor, dialect: str, node: Node, up_to: int) -> int:
    """How many messages match, counting no further than ``up_to`` (cheap: no ranking)."""
    where, parameters = _where(dialect, node)
    inner = f"SELECT 1 FROM {TABLE} WHERE {where} LIMIT :up_to"
    statement = text(f"SELECT count(*) FROM ({inner}) AS matches")
    return int(executor.execute(statement, {**parameters, "up_to": up_to}).scalar())


def has_phrase(node: Node) -> bool:
    """Whether any part of the query is a run of several terms (a Chinese word is one)."""
    if isinstance(node, Match):
        return any(len(terms) > 1 for terms in node.alternatives)
    return any(has_phrase(child) for child in (*node.children, *node.excluded))


def ranking_is_cheap(dialect: str, node: Node) -> bool:
    """FTS5's bm25 first counts, over the whole index, the messages holding each phrase of the
    query (its idf): for a phrase of common words that costs more than finding the newest
    thousand matches. ts_rank_cd has no idf, and single words are counted cheaply."""
    return dialect != "sqlite" or not has_phrase(node)


def hits_statement(dialect: str, node: Node, newest: int, ranked: bool = True) -> TextualSelect:
    """The ``newest`` matching message ids (by id: FTS5 walks rowids backwards, PostgreSQL's
    primary key gives them in order) with a rank (lower is better; 0 for all unless
    ``ranked``) and how many rows that gives, for the caller to join and filter. Ranking every
    message that holds a very common word is what costs, not finding them: only the window is
    ranked."""
    where, parameters = _where(dialect, node)
    if dialect == "sqlite":
        rank = f"bm25({TABLE}, {BM25_WEIGHTS})" if ranked else "0.0"
        # bm25() is only allowed in a plain query on the table: the window goes outside.
        inner = f"SELECT rowid AS message_id, {rank} AS search_rank FROM {TABLE} WHERE {where} "
        inner += f"ORDER BY rowid DESC LIMIT {int(newest)}"
        outer = "SELECT message_id, search_rank"
    else:
        inner = f"SELECT message_id, document FROM {TABLE} WHERE {where} "
        inner += f"ORDER BY message_id DESC LIMIT {int(newest)}"
        rank = f"-ts_rank_cd('{PG_WEIGHTS}', document, CAST(:search_rank AS tsquery))"
        outer = f"SELECT message_id, {rank if ranked else '0.0'} AS search_rank"
        if ranked:
            parameters["search_rank"] = tsquery_expression(node)
    statement = text(f"{outer}, count(*) OVER () AS matched FROM ({inner}) AS hits")
    statement = statement.bindparams(**parameters)
    return statement.columns(message_id=Integer, search_rank=Float, matched=Integer)


def _where(dialect: str, node: Node) -> tuple[str, dict[str, str]]:
    """The condition matching ``node`` and its parameters."""
    if dialect == "sqlite":
        return f"{TABLE} MATCH :search_match", {"search_match": fts5_expression(node)}
    return "document @@ CAST(:search_match AS tsquery)", {"search_match": tsquery_expression(node)}


Frequencies = Callable[[Iterable[str]], dict[str, int]]  # term → messages holding it
VOCABULARY = "search_vocabulary"  # FTS5's own vocabulary, a view over the index (per connection)
COUNT_CAP = 1000  # "in at least this many messages" is all a suggestion needs to know


def term_frequencies(executor: Executor, dialect: str, terms: Iterable[str]) -> dict[str, int]:
    """How many messages hold each term (at most COUNT_CAP on PostgreSQL), absent terms left
    out: FTS5's vocabulary table on SQLite, a capped GIN look-up per term on PostgreSQL."""
    wanted = sorted(set(terms))
    if not wanted:
        return {}
    if dialect == "sqlite":
        executor.execute(
            text(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{VOCABULARY} "
                f"USING fts5vocab(main, {TABLE}, row)"
            )
        )
        statement = text(f"SELECT term, doc FROM temp.{VOCABULARY} WHERE term IN :terms")
        rows = executor.execute(
            statement.bindparams(bindparam("terms", expanding=True)), {"terms": wanted}
        )
        return {str(term): int(count) for term, count in rows}
    # A capped count per term, one GIN probe each (about 0.2 ms once the index's pending list
    # is merged, see optimise_postings).
    statement = text(
        "SELECT term, (SELECT count(*) FROM (SELECT 1 FROM "
        f"{TABLE} WHERE document @@ CAST(query AS tsquery) LIMIT {COUNT_CAP}) AS hits) "
        "FROM unnest(CAST(:terms AS text[]), CAST(:queries AS text[])) AS t(term, query)"
    )
    queries = [tsquery_lexeme(term) for term in wanted]
    rows = executor.execute(statement, {"terms": wanted, "queries": queries})
    return {str(term): int(count) for term, count in rows if count}
