"""The benchmark's Whoosh-native index: the same corpus, analysers and query trees, with the
postings in Whoosh's own files instead of the database (for comparison only)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from whoosh import index
from whoosh import query as wq
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import ID, NUMERIC, TEXT, Schema

from search_index.analysis import analyse
from search_index.queries import Match, Node, parse_query
from search_index.snippets import snippet

CHUNK = 2000


def _schema() -> Schema:
    words = SpaceSeparatedTokenizer()
    return Schema(
        id=NUMERIC(stored=True, unique=True),
        ticket=NUMERIC(sortable=True),
        lang=ID(),
        day=NUMERIC(),
        content=TEXT(analyzer=words, phrase=True),
        quoted=TEXT(analyzer=words, phrase=True),
    )


def build_whoosh(engine: Any, directory: Path, limit: int) -> int:
    """Index up to ``limit`` messages, analysed by our analysers, with Whoosh's writer tuned as
    in the issue's measurement (two processes, multisegment)."""
    from helpdesk.core.models import Message, Ticket

    directory.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(directory), _schema())
    writer = ix.writer(procs=2, multisegment=True, limitmb=128)
    count = 0
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Message.id,
                Message.ticket_id,
                Message.subject,
                Message.text,
                Message.quoted_text,
                Message.from_email,
                Message.created_at,
                Ticket.language_code,
            )
            .join(Ticket, Ticket.id == Message.ticket_id)
            .order_by(Message.id)
            .limit(limit)
        )
        for row in rows:
            language = row.language_code
            content = " ".join(
                analyse(row.subject, language)
                + analyse(row.text, language)
                + analyse(row.from_email, None)
            )
            writer.add_document(
                id=row.id,
                ticket=row.ticket_id,
                lang=language or "",
                day=int(row.created_at.timestamp() // 86400),
                content=content,
                quoted=" ".join(analyse(row.quoted_text, language)),
            )
            count += 1
    writer.commit()
    return count


def _to_whoosh(node: Node) -> wq.Query:
    if isinstance(node, Match):
        parts: list[wq.Query] = []
        for terms in node.alternatives:
            for field, boost in (("content", 1.0), ("quoted", 0.3)):
                if node.prefix:
                    parts.append(wq.Prefix(field, terms[0], boost=boost))
                elif len(terms) == 1:
                    parts.append(wq.Term(field, terms[0], boost=boost))
                else:
                    parts.append(wq.Phrase(field, list(terms), boost=boost))
        return wq.Or(parts)
    children = [_to_whoosh(child) for child in node.children]
    combined: wq.Query = wq.And(children) if node.op == "and" else wq.Or(children)
    for excluded in node.excluded:
        combined = wq.AndNot(combined, _to_whoosh(excluded))
    return combined


def query_whoosh(directory: Path, queries: list[str]) -> list[float]:
    """Each query: top 20 tickets (collapsed on the ticket), highlighted like the database
    design's hits (texts fetched from the database by id)."""
    from helpdesk.core.models import Message
    from helpdesk.extensions import db

    ix = index.open_dir(str(directory))
    timings = []
    with ix.searcher() as searcher:  # opened once and reused, as a server would
        for text in queries:
            started = time.perf_counter()
            parsed = parse_query(text)
            if parsed.text is None:
                continue
            query = _to_whoosh(parsed.text)
            filters: list[wq.Query] = [wq.Term("lang", v) for v in parsed.values("lang")]
            if parsed.dates.start is not None:
                day = int(parsed.dates.start.timestamp() // 86400)
                filters.append(wq.NumericRange("day", day, None))
            if filters:
                query = wq.And([query, *filters])
            hits = searcher.search(query, limit=20, collapse="ticket", collapse_limit=1)
            ids = [hit["id"] for hit in hits]
            for message in db.session.scalars(select(Message).where(Message.id.in_(ids))):
                snippet(message.text, message.language_code, parsed.terms)
            db.session.rollback()
            timings.append((time.perf_counter() - started) * 1000)
    return timings
