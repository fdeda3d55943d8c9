"""Snippets: Whoosh's highlighter over a hit's text, with the same analyser that indexed it."""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.highlight import (
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    HtmlFormatter,
    get_text,
    set_matched_filter,
    top_fragments,
)

from .analysis import analyzer_for

_FRAGMENTER = ContextFragmenter(maxchars=160, surround=50)


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
    tokens = analyzer_for(language)(text, chars=True, positions=True)
    fragments = list(_FRAGMENTER.fragment_tokens(text, set_matched_filter(tokens, terms)))
    best = top_fragments(fragments, top, _SCORER, order=_first)
    if not best:
        return None
    # A new HtmlFormatter each time: it numbers terms in a dict that would grow for ever.
    html = HtmlFormatter(tagname="mark", between=" … ", classname="hit", termclass="term")
    return Snippet(_PLAIN.format(best), html.format(best))


def _first(fragment: object) -> int:
    return int(getattr(fragment, "startchar", 0))
