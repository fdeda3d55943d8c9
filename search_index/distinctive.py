"""A text's most distinctive terms: frequent in it, rare in the index (tf-idf), to search for
what resembles it."""

from __future__ import annotations

import math
from collections import Counter

from .analysis import CJK, analyse
from .hits import Frequencies

CANDIDATES = 40  # the text's most frequent terms whose frequency in the index is looked up
MIN_CHARS = 4  # shorter terms are mostly grammar (except Chinese and Japanese bigrams)
MAX_SHARE = 0.1  # a term in more than this share of all messages relates nothing to anything


def distinctive_terms(
    text: str, language: str | None, frequencies: Frequencies, messages: int, top: int = 4
) -> list[str]:
    """Up to ``top`` terms of ``text``, best first, that other messages also hold (a term only
    this text holds relates it to nothing), but not too many of them (MAX_SHARE). ``messages``
    is about how many the index holds."""
    shortest = 2 if language in CJK else MIN_CHARS
    counts = Counter(t for t in analyse(text, language) if len(t) >= shortest)
    candidates = [term for term, _ in counts.most_common(CANDIDATES)]
    known = frequencies(candidates)
    scored = [
        (counts[term] * math.log((messages + 1) / known[term]), term)
        for term in candidates
        if 1 < known.get(term, 0) <= max(2, messages * MAX_SHARE)
    ]
    return [term for _, term in sorted(scored, reverse=True)[:top]]
