"""'Did you mean': for a query word the index barely holds, the closest word (one edit away,
in the word's own script) whose terms the index holds most often.

Candidates are analysed exactly as query words are (every language the word could be in, or
the one the search is narrowed to), so a misspelt inflection suggests a real one. The index
answers how many messages hold each term (``Frequencies``), in one look-up for all of them.
"""

from __future__ import annotations

import re

from .analysis import query_alternatives
from .hits import Frequencies

# Letters an edit may insert or substitute, by script (CJK is indexed as bigrams: no edits).
_ALPHABETS = (
    (re.compile("[\u0400-\u04ff]"), "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"),
    (re.compile("[\u0600-\u06ff]"), "".join(chr(c) for c in range(0x0621, 0x064B))),
    (re.compile("[\u0900-\u097f]"), "".join(chr(c) for c in range(0x0901, 0x0963))),
)
_LATIN = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿñáíóúãõß"
_PLAIN_WORD = re.compile(r"^[^\W\d_][\w\u0300-\u036f\u064b-\u065f\u0900-\u097f]*$")
_OPERATORS = {"AND", "OR", "NOT", "TO"}
MIN_LENGTH = 3  # shorter words have too many neighbours to guess from
RARE = 2  # a word in fewer messages than this may be misspelt
BETTER = 5  # a suggestion must be in this many times more messages, and at least RARE


def suggest(text: str, frequencies: Frequencies, only: str | None = None) -> str | None:
    """``text`` with each rare plain word replaced by its best-known neighbour, or None when no
    word changes. Filters, phrases and operators are left as they are."""
    words = text.split()
    changed = False
    for index, word in enumerate(words):
        better = _better_word(word, frequencies, only)
        if better is not None:
            words[index] = better
            changed = True
    return " ".join(words) if changed else None


def _better_word(word: str, frequencies: Frequencies, only: str | None) -> str | None:
    if word in _OPERATORS or len(word) < MIN_LENGTH or not _PLAIN_WORD.match(word):
        return None
    alphabet = _alphabet(word)
    if alphabet is None:
        return None
    lowered = word.lower()
    own = _terms(lowered, only)
    known = max(frequencies(own).values(), default=0)
    if known >= RARE:  # the usual case: one small look-up
        return None
    candidates = {c: _terms(c, only) for c in edits(lowered, alphabet)}
    counts = frequencies({term for terms in candidates.values() for term in terms})
    scored = [
        (max((counts.get(t, 0) for t in terms), default=0), c) for c, terms in candidates.items()
    ]
    # Among equals: a word that is its own folded form ("passport", not "paßport"), then a
    # substitution.
    best, candidate = max(scored, default=(0, ""), key=lambda i: _preference(i, len(lowered)))
    if best < max(RARE, known * BETTER):
        return None
    return candidate


def _preference(item: tuple[int, str], length: int) -> tuple[int, bool, bool, bool, str]:
    count, word = item
    return count, word.casefold() == word, len(word) == length, word.isascii(), word


def _terms(word: str, only: str | None) -> set[str]:
    """The single terms ``word`` analyses to (a word that splits into several is left out)."""
    return {terms[0] for terms in query_alternatives(word, only) if len(terms) == 1}


def _alphabet(word: str) -> str | None:
    for pattern, letters in _ALPHABETS:
        if pattern.search(word):
            return letters
    return _LATIN if all(c.lower() in _LATIN or c.isdigit() for c in word) else None


def edits(word: str, alphabet: str) -> set[str]:
    """Every word one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in alphabet]
    inserts = [a + c + b for a, b in splits for c in alphabet]
    return set(deletes + transposes + replaces + inserts) - {word}
