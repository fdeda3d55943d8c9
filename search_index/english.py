"""Is a quoted history English? Mail in other languages often quotes an English thread (a
forwarded notice, an earlier answer); its words are then found by English queries only if
they are analysed as English. A cheap test on words only English uses often, no model."""

from __future__ import annotations

import re

# Frequent English words that are not also frequent words of the other Latin-script
# languages (no "a", "in", "on", "die", "de", "son", "be"…).
_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "you",
        "for",
        "that",
        "with",
        "this",
        "are",
        "have",
        "was",
        "your",
        "we",
        "it",
        "will",
        "would",
        "can",
        "not",
        "from",
        "our",
        "my",
        "please",
        "thanks",
        "thank",
        "there",
        "their",
        "they",
        "what",
        "which",
        "when",
        "been",
        "has",
        "had",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")
SAMPLE_WORDS = 200  # the opening says it; more only costs time
SHARE = 0.15  # English running text has a quarter to a third of these words
MIN_WORDS = 5
LATIN_SHARE = 0.6  # a text mostly in another script that borrows English words stays its own


def looks_english(text: str) -> bool:
    """Whether ``text`` reads as English running text (a short or foreign text does not)."""
    words = _WORD.findall(text[: SAMPLE_WORDS * 8])[:SAMPLE_WORDS]
    if len(words) < MIN_WORDS:
        return False
    english = sum(1 for word in words if word.lower() in _ENGLISH)
    latin = sum(1 for word in words if word.isascii())
    return english >= SHARE * len(words) and latin >= LATIN_SHARE * len(words)


def quoted_language(language: str | None, quoted: str) -> str | None:
    """The language to analyse a message's quoted text in when it is not the ticket's:
    English for English quoted text in a ticket in another language, else None."""
    if language == "en" or not quoted or not looks_english(quoted):
        return None
    return "en"
