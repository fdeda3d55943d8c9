"""Our query tree as an FTS5 MATCH expression or a PostgreSQL tsquery (lexemes verbatim)."""

from __future__ import annotations

from .queries import Match, Node

# PostgreSQL has four weights for five columns: the summary and tags rank like the body.
PG_WEIGHT = {"subject": "A", "body": "B", "ticket": "B", "people": "C", "quoted": "D"}


def fts5_expression(node: Node) -> str:
    if isinstance(node, Match):
        return _fts5_match(node)
    joiner = " AND " if node.op == "and" else " OR "
    expression = joiner.join(f"({fts5_expression(child)})" for child in node.children)
    for excluded in node.excluded:
        expression = f"({expression}) NOT ({fts5_expression(excluded)})"
    return expression


def _fts5_match(node: Match) -> str:
    # Terms hold only letters, marks and digits (the analysers make sure), never a quote.
    phrases = [f'"{" ".join(terms)}"' + ("*" if node.prefix else "") for terms in node.alternatives]
    expression = " OR ".join(phrases)
    if node.column:
        return f"{{{node.column}}} : ({expression})"
    return expression


def tsquery_expression(node: Node) -> str:
    if isinstance(node, Match):
        return _tsquery_match(node)
    joiner = " & " if node.op == "and" else " | "
    parts = [f"( {tsquery_expression(child)} )" for child in node.children]
    parts += [f"!( {tsquery_expression(excluded)} )" for excluded in node.excluded]
    return joiner.join(parts)  # exclusions come only under "and"


def tsquery_lexeme(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'"


def _tsquery_match(node: Match) -> str:
    label = ":" + ("*" if node.prefix else "") + (PG_WEIGHT[node.column] if node.column else "")
    label = "" if label == ":" else label
    phrases = [
        " <-> ".join(tsquery_lexeme(t) + label for t in terms) for terms in node.alternatives
    ]
    return " | ".join(f"( {phrase} )" for phrase in phrases)
