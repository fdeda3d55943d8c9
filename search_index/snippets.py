"""Snippets: Whoosh's highlighter (fragments, scorer, formatters) over a hit's text, with the
same analyser that indexed it."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.analysis import Token
from whoosh.highlight import (
    BasicFragmentScorer,
    Formatter,
    Fragment,
    HtmlFormatter,
    get_text,
    top_fragments,
)

from .analysis import spans

MAX_CHARS = 160  # a fragment's matched stretch, from its first match to its last
SURROUND = 50  # context either side of it


class _MarkedFormatter(Formatter):
    """Plain text with the matches between « and », for terminals and JSON."""

    between = " … "

    def format_token(self, text: str, token: object, replace: bool = False) -> str:
        return f"«{get_text(text, token, replace)}»"


_PLAIN = _MarkedFormatter()
_SCORER = BasicFragmentScorer()


@dataclass(frozen=True)
class Snippet:
    text: str  # matches marked «like this»
    html: str  # escaped, matches in <mark>


def snippet(text: str, language: str | None, terms: set[str], top: int = 2) -> Snippet | None:
    """The best ``top`` fragments of ``text`` holding query terms, or None if none is there."""
    if not text or not terms:
        return None
    fragments = _fragments(text, language, terms)
    best = top_fragments(fragments, top, _SCORER, order=_first)
    if not best:
        return None
    # A new HtmlFormatter each time: it numbers terms in a dict that would grow for ever.
    html = HtmlFormatter(tagname="mark", between=" … ", classname="hit", termclass="term")
    return Snippet(_PLAIN.format(best), html.format(best))


def _fragments(text: str, language: str | None, terms: set[str]) -> list[Fragment]:
    """Matches within MAX_CHARS of a fragment's first match share it; each fragment takes up
    to SURROUND characters of context either side, cut at word boundaries. Works on plain
    (term, start, end) spans: Whoosh's own fragmenter wants a Token object per word, which
    cost most of a search's time."""
    words = spans(text, language)
    fragments: list[Fragment] = []
    group: list[int] = []
    for index, (term, start, _) in enumerate(words):
        if term not in terms:
            continue
        if group and start - words[group[0]][1] > MAX_CHARS:
            fragments.append(_fragment(text, words, group))
            group = []
        group.append(index)
    if group:
        fragments.append(_fragment(text, words, group))
    return fragments


def _fragment(text: str, words: list[tuple[str, int, int]], group: list[int]) -> Fragment:
    first, last = group[0], group[-1]
    while first > 0 and words[group[0]][1] - words[first - 1][1] <= SURROUND:
        first -= 1
    while last + 1 < len(words) and words[last + 1][2] - words[group[-1]][2] <= SURROUND:
        last += 1
    matches = []
    for index in group:
        term, start, end = words[index]
        matches.append(Token(text=term, startchar=start, endchar=end, boost=1.0))
    return Fragment(text, matches, words[first][1], words[last][2])


def _first(fragment: object) -> int:
    return int(getattr(fragment, "startchar", 0))
