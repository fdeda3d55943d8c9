"""Search syntax: Whoosh's query parser, its tree turned into our own small one.

Words, "phrases", AND/OR/NOT (and -word), ``prefix*``, field filters (``from:``, ``subject:``
search text columns; ``lang:``, ``status:``, ``tag:``, ``assignee:``, ``has:attachment`` and the
dates ``date:``, ``after:``, ``before:`` narrow the tickets). Each word is analysed in every
language it could be in; the backends translate the tree to FTS5 MATCH or a tsquery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from whoosh import query as wq
from whoosh.analysis import IDTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import GtLtPlugin, PlusMinusPlugin, QueryParser

from .analysis import analyse, query_alternatives
from .dates import DateRange, parse_date_range

TEXT_FIELDS = {"text": None, "from": "people", "subject": "subject"}
FILTER_FIELDS = ("lang", "status", "tag", "assignee", "has", "date", "after", "before")


class QueryError(ValueError):
    """The query cannot be searched; ``reason`` is a code the caller turns into a message."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Match:
    """Any of ``alternatives`` (each a run of adjacent terms) in ``column`` (None: any)."""

    alternatives: tuple[tuple[str, ...], ...]
    column: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Bool:
    op: str  # "and" | "or"
    children: tuple[Node, ...]
    # Children that must not match (only under "and", which then needs a positive child).
    excluded: tuple[Node, ...] = ()


Node = Match | Bool


@dataclass(frozen=True)
class Filter:
    name: str
    values: tuple[str, ...]
    negated: bool = False


@dataclass
class ParsedQuery:
    text: Node | None
    filters: list[Filter] = field(default_factory=list)
    dates: DateRange = field(default_factory=DateRange)
    terms: set[str] = field(default_factory=set)  # every analysed term, for the highlighter

    def values(self, name: str) -> tuple[str, ...]:
        return tuple(v for f in self.filters if f.name == name and not f.negated for v in f.values)


def _parser() -> QueryParser:
    word = IDTokenizer()
    fields = {name: TEXT(analyzer=word) for name in TEXT_FIELDS}
    fields.update({name: ID() for name in FILTER_FIELDS})
    parser = QueryParser("text", Schema(**fields))
    parser.add_plugin(GtLtPlugin())
    # "-word" excludes; a hyphen inside a word or a date is not an operator.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
    return parser


_PARSER = _parser()


def parse_query(text: str, language: str | None = None) -> ParsedQuery:
    """Parse ``text``; with ``language``, words are analysed for that language only."""
    text = text.strip()
    if not text:
        raise QueryError("empty")
    parsed = ParsedQuery(text=None)
    tree = _PARSER.parse(text)
    parsed.text = _Translator(parsed, language).top(tree)
    if parsed.text is None and not parsed.filters and not parsed.dates:
        raise QueryError("empty")
    return parsed


class _Translator:
    def __init__(self, parsed: ParsedQuery, language: str | None) -> None:
        self.parsed = parsed
        self.language = language

    def top(self, tree: wq.Query) -> Node | None:
        """Filters are taken from the top-level conjunction; the rest is text."""
        children: list[wq.Query] = []
        excluded: list[wq.Query] = []
        _conjuncts(tree, children, excluded)
        text: list[Node] = []
        for child in children:
            if self._take_filter(child, negated=False):
                continue
            if isinstance(child, wq.Not):
                excluded.append(child.query)
                continue
            node = self.node(child)
            if node is not None:
                text.append(node)
        negative: list[Node] = []
        for query in excluded:
            if not self._take_filter(query, True):
                node = self.node(query)
                if node is not None:
                    negative.append(node)
        if negative and not text:
            raise QueryError("only_negative")
        if not text:
            return None
        if len(text) == 1 and not negative:
            return text[0]
        return Bool("and", tuple(text), tuple(negative))

    def _take_filter(self, query: wq.Query, negated: bool) -> bool:
        if isinstance(query, wq.Or) and query.subqueries:
            names = {getattr(q, "fieldname", None) for q in query.subqueries}
            if len(names) == 1 and names <= set(FILTER_FIELDS) - {"date", "after", "before"}:
                values = tuple(str(q.text) for q in query.subqueries if isinstance(q, wq.Term))
                if len(values) == len(query.subqueries):
                    self.parsed.filters.append(Filter(names.pop(), values, negated))  # type: ignore[arg-type]
                    return True
        name = getattr(query, "fieldname", None)
        if name not in FILTER_FIELDS:
            return False
        if negated and name in ("date", "after", "before"):
            raise QueryError("filter_misplaced", name)
        if isinstance(query, wq.TermRange) and name == "date":
            self.parsed.dates = self.parsed.dates.narrow(
                parse_date_range(query.start, query.end, query.startexcl, query.endexcl)
            )
        elif isinstance(query, wq.Term) and name in ("date", "after", "before"):
            self.parsed.dates = self.parsed.dates.narrow(_named_range(name, str(query.text)))
        elif isinstance(query, wq.Term):
            self.parsed.filters.append(Filter(name, (str(query.text),), negated))
        else:
            raise QueryError("filter_misplaced", name)
        return True

    def node(self, query: wq.Query) -> Node | None:
        if isinstance(query, wq.Not):
            raise QueryError("not_misplaced")
        if isinstance(query, wq.AndNot):
            positive, negative = self.node(query.a), self.node(query.b)
            if positive is None:
                raise QueryError("only_negative")
            return Bool("and", (positive,), (negative,) if negative else ())
        if isinstance(query, (wq.And, wq.Or)):
            return self._compound(query)
        name = str(getattr(query, "fieldname", "text"))
        if name in FILTER_FIELDS:
            raise QueryError("filter_misplaced", name)
        if isinstance(query, wq.Term):
            return self._match(str(query.text), TEXT_FIELDS[name])
        if isinstance(query, (wq.Prefix, wq.Wildcard)):
            return self._prefix(str(query.text).rstrip("*?"), TEXT_FIELDS[name])
        if isinstance(query, wq.Phrase):
            return self._match(" ".join(query.words), TEXT_FIELDS[name])
        return None  # NullQuery, Every and the like add nothing

    def _compound(self, query: wq.CompoundQuery) -> Node | None:
        excluded = [q.query for q in query.subqueries if isinstance(q, wq.Not)]
        children = [self.node(q) for q in query.subqueries if not isinstance(q, wq.Not)]
        kept = tuple(c for c in children if c is not None)
        if excluded and (isinstance(query, wq.Or) or not kept):
            raise QueryError("not_misplaced")
        negative = tuple(n for n in (self.node(q) for q in excluded) if n is not None)
        if not kept:
            return None
        if len(kept) == 1 and not negative:
            return kept[0]
        return Bool("or" if isinstance(query, wq.Or) else "and", kept, negative)

    def _match(self, text: str, column: str | None) -> Node | None:
        if column == "people":  # names and addresses are never stemmed
            plain = analyse(text, None)
            alternatives: tuple[tuple[str, ...], ...] = (tuple(plain),) if plain else ()
        else:
            alternatives = tuple(query_alternatives(text, self.language))
        for terms in alternatives:
            self.parsed.terms.update(terms)
        return Match(alternatives, column) if alternatives else None

    def _prefix(self, text: str, column: str | None) -> Node | None:
        terms = analyse(text, None)
        if len(terms) != 1:
            return self._match(text, column)
        self.parsed.terms.update(terms)
        return Match(((terms[0],),), column, prefix=True)


def _conjuncts(tree: wq.Query, positive: list[wq.Query], negative: list[wq.Query]) -> None:
    """Flatten nested AND and AND NOT (``a b -c`` parses as AndNot(And(a, b), c))."""
    if isinstance(tree, wq.And):
        for child in tree.subqueries:
            _conjuncts(child, positive, negative)
    elif isinstance(tree, wq.AndNot):
        _conjuncts(tree.a, positive, negative)
        negative.append(tree.b)
    else:
        positive.append(tree)


def _named_range(name: str, value: str) -> DateRange:
    whole = parse_date_range(value, value, False, False)
    if name == "after":
        return DateRange(start=whole.end)
    if name == "before":
        return DateRange(end=whole.start)
    return whole


__all__ = ["Bool", "Filter", "Match", "Node", "ParsedQuery", "QueryError", "date", "parse_query"]
