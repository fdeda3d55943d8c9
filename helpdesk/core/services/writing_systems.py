"""Which scripts a language is written in, and which scripts a text's letters are in.

A character model guesses; a script is a fact. Cyrillic letters cannot be Spanish, kana cannot
be Chinese: the detector uses this to narrow the languages it chooses among."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import cache

LATIN = "LATIN"
KANA = "KANA"
HAN = "HAN"  # kanji/hanzi whose form Japanese and Chinese share
HAN_JAPANESE = "HAN_JAPANESE"  # forms only Japanese writes (発, 続, 込): in JIS X 0208 only
HAN_CHINESE = "HAN_CHINESE"  # forms only Chinese writes (们, 這): in GB 2312 or Big5 only

# The languages py3langid knows that are written in one script other than Latin (the default).
_SINGLE_SCRIPT = {
    "ARABIC": "ar ary arz fa ps sdh ug ur uzs",
    "CYRILLIC": "ba be bg kk ky mk mn ru tg tt uk",
    "DEVANAGARI": "hi mr ne sa",
    "BENGALI": "as bn",
    "GREEK": "el grc",
    "HEBREW": "he hbo",
    "ARMENIAN": "hy",
    "ETHIOPIC": "am",
    "GEORGIAN": "ka",
    "GUJARATI": "gu",
    "GURMUKHI": "pa",
    "HANGUL": "ko",
    "KANNADA": "kn",
    "KHMER": "km",
    "LAO": "lo",
    "MALAYALAM": "ml",
    "MYANMAR": "my",
    "ORIYA": "or",
    "SINHALA": "si",
    "TAMIL": "ta",
    "TELUGU": "te",
    "THAI": "th",
    "TIBETAN": "dz",
}
_CHINESE = frozenset({HAN, HAN_CHINESE})
_NON_LATIN: dict[str, frozenset[str]] = {
    **{
        code: frozenset({script})
        for script, codes in _SINGLE_SCRIPT.items()
        for code in codes.split()
    },
    **{code: _CHINESE for code in ("zh", "yue", "wuu")},
    "ja": frozenset({HAN, HAN_JAPANESE, KANA}),
    "sr": frozenset({"CYRILLIC", LATIN}),
    "gom": frozenset({"DEVANAGARI", LATIN}),
    "ku": frozenset({LATIN, "ARABIC"}),
}
_LATIN_ONLY = frozenset({LATIN})
_JAPANESE_MARKS = (KANA, HAN_JAPANESE)


def scripts_of(language: str) -> frozenset[str]:
    """The scripts ``language`` is written in."""
    return _NON_LATIN.get(language, _LATIN_ONLY)


def _encodes(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _han_form(character: str) -> str:
    """Japanese and Chinese simplified their characters differently (発/发/發): a form that only
    one side's national character set holds says which side wrote it."""
    japanese = _encodes(character, "shift_jis")
    chinese = _encodes(character, "gb2312") or _encodes(character, "big5")
    if japanese and not chinese:
        return HAN_JAPANESE
    if chinese and not japanese:
        return HAN_CHINESE
    return HAN


@cache
def script_of(character: str) -> str | None:
    """The script of a letter (None for digits, punctuation, symbols)."""
    if not character.isalpha():
        return None
    name = unicodedata.name(character, "")
    if "HIRAGANA" in name or "KATAKANA" in name:
        return KANA
    if name.startswith("CJK"):
        return _han_form(character)
    words = name.split()
    if words and words[0] in ("FULLWIDTH", "HALFWIDTH"):
        words = words[1:]
    return words[0] if words else None


def letters_by_script(text: str) -> Counter[str]:
    """How many letters of ``text`` are in each script."""
    return Counter(script for script in map(script_of, text) if script)


def han_variant_decides(letters: Counter[str], candidates: tuple[str, ...]) -> tuple[str, ...]:
    """Kana or a Japanese-only kanji form with no Chinese-only form rules out the Chinese
    languages, and the reverse rules out Japanese. With both or neither, the detector decides."""
    japanese = sum(letters[mark] for mark in _JAPANESE_MARKS)
    chinese = letters[HAN_CHINESE]
    if japanese and not chinese:
        ruled_out = HAN_CHINESE
    elif chinese and not japanese:
        ruled_out = HAN_JAPANESE
    else:
        return candidates
    return tuple(code for code in candidates if ruled_out not in scripts_of(code))
