"""Zipf-distributed text in ten languages for the search benchmark.

Each language's vocabulary starts from the real word forms of the labelled routing datasets
(bench/data/langid), ranked by their frequency there, and grows to ``FORMS`` forms with the
language's own inflectional endings on real words (Chinese and Japanese: real two- to
four-character runs), so stemming has real work to do. Words are drawn with Zipf's law
(s = 1.07): a few hundred words make up half the text, thousands appear only now and then.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import re
from collections import Counter
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "langid"
FORMS = 5000
ZIPF_S = 1.07
_WORD = re.compile(r"[\w\u0900-\u0963\u0966-\u097f\u064b-\u065f]+")
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
ENDINGS = {
    "en": ["s", "ed", "ing", "er", "ly"],
    "fr": ["s", "e", "es", "ent", "ait", "ons", "ez", "ées"],
    "de": ["e", "en", "er", "es", "ung", "ungen", "te"],
    "es": ["s", "es", "o", "a", "amos", "aron", "ando"],
    "pt": ["s", "es", "ou", "ava", "ando", "ções"],
    "ru": ["а", "ы", "ов", "ами", "ей", "ом", "ть", "ли"],
    "ar": ["ات", "ون", "ين", "ها", "ة"],
    "hi": ["ें", "ों", "ा", "ी", "े", "ने", "ता"],
}
ARTICLES = {"ar": ["ال", "وال", "بال"]}


def _texts(language: str) -> list[str]:
    rows = [json.loads(line) for line in (DATA / f"{language}.jsonl").open() if line.strip()]
    return [f"{row.get('subject', '')} {row.get('text', '')}" for row in rows]


@cache
def vocabulary(language: str) -> list[str]:
    """``FORMS`` word forms, most frequent first."""
    counts: Counter[str] = Counter()
    for text in _texts(language):
        if language in ("ja", "zh"):
            for run in _CJK.findall(text):
                for size in (2, 3, 4):
                    counts.update(run[i : i + size] for i in range(len(run) - size + 1))
        else:
            counts.update(w.lower() for w in _WORD.findall(text) if not w.isdigit())
    words = [word for word, _ in counts.most_common()]
    rng = random.Random(language)
    seen = set(words)
    latin = language in ("en", "fr", "de", "es", "pt")
    base = [w for w in words if len(w) > 3 and (latin or not w.isascii())]
    prefixes = ARTICLES.get(language, [""])
    while len(words) < FORMS and language in ENDINGS:
        stem = rng.choice(base)
        form = rng.choice(prefixes) + stem + rng.choice(ENDINGS[language])
        if form not in seen:
            seen.add(form)
            words.append(form)
    return words[:FORMS]


@cache
def _cumulative(size: int) -> list[float]:
    return list(itertools.accumulate(1 / (rank**ZIPF_S) for rank in range(1, size + 1)))


def words(rng: random.Random, language: str, count: int) -> list[str]:
    vocab = vocabulary(language)
    cumulative = _cumulative(len(vocab))
    top = cumulative[-1]
    return [vocab[bisect.bisect(cumulative, rng.random() * top)] for _ in range(count)]


def text(rng: random.Random, language: str, count: int) -> str:
    chosen = words(rng, language, count)
    if language in ("ja", "zh"):
        # Unsegmented, with a full stop every dozen words.
        return "".join(w + ("。" if i % 12 == 11 else "") for i, w in enumerate(chosen))
    sentences = [" ".join(chosen[i : i + 12]) for i in range(0, len(chosen), 12)]
    return ". ".join(s.capitalize() for s in sentences) + "."
