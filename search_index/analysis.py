"""Whoosh analysers per language: the one place that turns text into index terms.

Documents are analysed in their ticket's language; a query word in every language its script
allows (``query_languages``), because the searcher does not say which language they typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache

import Stemmer
from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.support.charset import accent_map

from .scripts import normalise_arabic, normalise_hindi, stem_arabic

LANGUAGES = ("ar", "de", "en", "es", "fr", "hi", "ja", "pt", "ru", "zh")
PLAIN = ""  # no language known: case and accent folding only
STEMMED = ("en", "fr", "de", "es", "pt", "ru")
CJK = ("ja", "zh")

# Han, kana and their compatibility forms: written without spaces, indexed as character bigrams.
_CJK_CHARS = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
# Combining marks that belong inside words (Python's \w leaves them out, so Hindi vowel signs and
# virama, Arabic harakat and Latin combining accents would otherwise split words), and joiners.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489"  # Latin and Cyrillic combining marks
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # Arabic harakat and marks
    "\u0900-\u0963\u0966-\u097f"  # Devanagari without its dandas (punctuation)
    "\u200c\u200d"  # zero-width (non-)joiner
)
_WORDS = re.compile(f"[{_CJK_CHARS}]+|[\\w{_MARKS}]+")
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]")
MAX_TERM_CHARS = 64  # longer "words" are base64, hashes or URLs: never searched for


def pieces(text: str) -> Iterator[tuple[str, int]]:
    """Each word with its start, runs of Han and kana as overlapping bigrams: the one place that
    splits text (the Whoosh tokenizer below and the fast paths use it)."""
    for match in _WORDS.finditer(text):
        word = match.group()
        if word.isascii() or not _CJK_RUN.match(word):
            yield word, match.start()
        else:
            yield from _bigrams(word, match.start())


class ScriptTokenizer(Tokenizer):
    """Words (with their combining marks) and, for runs of Han and kana, overlapping bigrams, so
    that a word inside unsegmented Chinese or Japanese matches as a phrase of its bigrams."""

    def __call__(
        self, value: str, positions: bool = False, chars: bool = False, mode: str = "", **kwargs
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=False, mode=mode, **kwargs)
        for pos, (text, at) in enumerate(pieces(value)):
            token.text, token.boost, token.stopped = text, 1.0, False
            token.pos = pos
            token.startchar, token.endchar = at, at + len(text)
            yield token


def _bigrams(run: str, start: int) -> Iterator[tuple[str, int]]:
    if len(run) == 1:
        yield run, start
        return
    for i in range(len(run) - 1):
        yield run[i : i + 2], start + i


def _fold(text: str) -> str:
    """Case folding (ß → ss) and compatibility forms (full-width Latin, Arabic presentation
    forms)."""
    return text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()


def _fold_accents(text: str) -> str:
    return text if text.isascii() else text.translate(accent_map)


def _arabic(text: str) -> str:
    return stem_arabic(normalise_arabic(text)) if not text.isascii() else text


_SNOWBALL = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "pt": "portuguese"}
_SNOWBALL.update(ru="russian", hi="hindi")


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    """Snowball's own stemmers through PyStemmer (C): several times faster than the pure-Python
    ones in Whoosh, whose French stemmer also differs from Snowball's."""
    return Stemmer.Stemmer(_SNOWBALL[language]).stemWord


def _term_function(language: str | None) -> Callable[[str], str]:
    """Word → index term. Latin-script languages fold accents after stemming, which needs them;
    Russian folds ё first; Arabic and Hindi normalise spelling variants, then stem."""
    if language in ("en", "fr", "de", "es", "pt"):
        stem = _stemmer(language)
        return lambda word: _fold_accents(stem(_fold(word)))
    if language == "ru":
        stem = _stemmer("ru")
        return lambda word: stem(_fold(word).replace("ё", "е"))
    if language == "ar":
        return lambda word: _arabic(_fold(word))
    if language == "hi":
        stem = _stemmer("hi")
        return lambda word: stem(normalise_hindi(w)) if not (w := _fold(word)).isascii() else w
    return lambda word: _fold_accents(_fold(word))


class TermMap:
    """Word → index term for one language, remembering the answers: text repeats its words
    (Zipf), so most words cost one dictionary look-up. "" for a word that gives no term (longer
    than MAX_TERM_CHARS: base64, hashes or URLs, never searched for)."""

    CACHE_SIZE = 200_000

    def __init__(self, language: str | None) -> None:
        self.function = _term_function(language)
        self.cache: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        try:
            return self.cache[word]
        except KeyError:
            if len(self.cache) >= self.CACHE_SIZE:
                self.cache.clear()
            term = self.function(word)
            found = self.cache[word] = term if len(term) <= MAX_TERM_CHARS else ""
            return found


@cache
def term_map(language: str | None) -> TermMap:
    if language in CJK:  # bigrams come from the tokenizer; Latin words in between just fold
        language = None
    return TermMap(language)


class TermFilter(Filter):
    """Whoosh's view of a TermMap: each token's text becomes its index term."""

    def __init__(self, language: str | None) -> None:
        self.terms = term_map(language)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        terms = self.terms
        for token in tokens:
            term = terms(token.text)
            if term:
                token.text = term
                yield token


@cache
def analyzer_for(language: str | None) -> CompositeAnalyzer:
    """The Whoosh analyser for a ticket language (the highlighter's); unknown or missing
    languages fold only. ``analyse`` and ``spans`` give the same terms without Whoosh's
    per-token objects, several times faster."""
    return ScriptTokenizer() | TermFilter(language)


def analyse(text: str, language: str | None) -> list[str]:
    """The index terms of ``text`` in position order (one term per position). Known words are
    looked up all at once (``map`` runs in C); only new words and Han or kana runs go one by
    one: indexing spends most of its time here."""
    terms = term_map(language)
    words = _WORDS.findall(text)
    found = list(map(terms.cache.get, words))
    if None not in found:
        return [term for term in found if term]
    result: list[str] = []
    for word, term in zip(words, found, strict=True):
        if term is None:
            if not word.isascii() and _CJK_RUN.match(word):
                grams = [word[i : i + 2] for i in range(len(word) - 1)] or [word]
                got = zip(grams, map(terms.cache.get, grams), strict=True)
                result += [t for t in (terms(g) if t is None else t for g, t in got) if t]
                continue
            term = terms(word)
        if term:
            result.append(term)
    return result


def spans(text: str, language: str | None) -> list[tuple[str, int, int]]:
    """(term, start, end) of each of ``text``'s terms, in order (what the highlighter needs)."""
    terms = term_map(language)
    known = terms.cache.get
    found = []
    for match in _WORDS.finditer(text):
        word = match.group()
        term = known(word)
        if term is None:
            if not word.isascii() and _CJK_RUN.match(word):
                for piece, at in _bigrams(word, match.start()):
                    if piece_term := terms(piece):
                        found.append((piece_term, at, at + len(piece)))
                continue
            term = terms(word)
        if term:
            found.append((term, *match.span()))
    return found


_SCRIPT_LANGUAGES = (
    (re.compile("[\u0400-\u04ff]"), ("ru",)),
    (re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"), ("ar",)),
    (re.compile("[\u0900-\u097f]"), ("hi",)),
    (re.compile(f"[{_CJK_CHARS}]"), (PLAIN,)),
)


def query_languages(word: str, only: str | None = None) -> tuple[str, ...]:
    """The analysers a query word goes through: those of the languages its script is written
    in (Latin: the five stemmed Latin-script languages and plain folding for the others)."""
    if only:
        return (only, PLAIN) if only not in CJK else (PLAIN,)
    for pattern, languages in _SCRIPT_LANGUAGES:
        if pattern.search(word):
            return languages
    return ("en", "fr", "de", "es", "pt", PLAIN)


def query_alternatives(text: str, only: str | None = None) -> list[tuple[str, ...]]:
    """Each distinct term sequence ``text`` analyses to across its possible languages; a
    sequence of more than one term is a phrase (a Chinese word is a phrase of bigrams)."""
    seen: dict[tuple[str, ...], None] = {}
    for language in query_languages(text, only):
        terms = tuple(analyse(text, language))
        if terms:
            seen.setdefault(terms)
    return list(seen)
