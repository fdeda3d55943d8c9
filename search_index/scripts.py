"""Per-script normalisation that the Snowball stemmers do not cover: Arabic and Hindi."""

from __future__ import annotations

import re
import unicodedata

# Arabic: harakat (fathatan … sukun, superscript alef) and Quranic marks carry no meaning for
# search; tatweel only stretches a word; hamza and alef forms are written inconsistently.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0622": "\u0627",  # آ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0624": "\u0648",  # ؤ → و
        "\u0626": "\u064a",  # ئ → ي
        "\u0649": "\u064a",  # ى → ي
        "\u0629": "\u0647",  # ة → ه
        "\u0621": None,  # a lone hamza is often left out
    }
)
# Light stemming (after Larkey's light10): the conjunction, the article with its attached
# prepositions, and the commonest suffixes, never leaving fewer than two letters: without it a
# definite or plural form never meets its indefinite singular (see the tests).
_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def normalise_arabic(word: str) -> str:
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)


def stem_arabic(word: str) -> str:
    if word.startswith("و") and len(word) >= 4:  # the conjunction "and", as light10 does
        word = word[1:]
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            return word[: -len(suffix)]
    return word


# Hindi: nukta and the joiners are spelling variants; chandrabindu is often typed as anusvara.
_HINDI_VARIANTS = str.maketrans(
    {"\u093c": None, "\u200c": None, "\u200d": None, "\u0901": "\u0902"}
)


def normalise_hindi(word: str) -> str:
    return unicodedata.normalize("NFC", word).translate(_HINDI_VARIANTS)
