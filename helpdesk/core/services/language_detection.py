"""Language identification, restricted to the configured languages and loaded once per process.

Chosen by measurement (bench/langid_compare.py, README): py3langid's naive Bayes model, with
the text's scripts narrowing the languages it may choose among. lingua-language-detector, alone
or confirming py3langid's unsure answers, routed at most four more messages right and at least
one more to a wrong queue, for 19-278 MB more."""

from __future__ import annotations

import copy
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .writing_systems import han_variant_decides, letters_by_script, scripts_of

MAX_CHARS = 2000  # the opening of a message says its language; more only costs time
# A language stays a candidate when its scripts hold this share of the letters: room for a
# name, a product or a word in another script, not for a paragraph.
SCRIPT_COVERAGE = 0.9
_NOT_LANGUAGES = frozenset({"zxx"})  # py3langid's "no linguistic content"
# Addresses and links are in no language, and their Latin letters would dilute other scripts.
_ADDRESSES = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+", re.IGNORECASE)
# Reply and forward prefixes as mail clients write them in many languages, repeated or numbered.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|tr|res|enc|rv|sv|vs|antw|odp|ynt|ответ|отв|пересл|رد|"
    r"回复|回覆|答复|转发|轉寄|返信|転送)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Detection:
    language: str | None
    confidence: float


@cache
def _model() -> Any:
    """py3langid's model, read once per process however many language sets use it."""
    import py3langid.langid as langid  # heavy import: only when detection is first needed

    model_path = Path(langid.__file__).parent / langid.MODEL_FILE
    return langid.LanguageIdentifier.from_modelpath(model_path, norm_probs=True)


def supported_language_codes() -> frozenset[str]:
    """Every language code the detector can tell apart: what an admin may configure."""
    return frozenset(_model().labels) - _NOT_LANGUAGES


def own_subject(subject: str) -> str:
    """The subject as this sender wrote it: a reply's or a forward's subject is the thread's,
    often in another language, and counts no more than the quoted history does."""
    return "" if _REPLY_PREFIX.match(subject) else subject


class LanguageDetector:
    """py3langid narrowed to the configured languages, and per text to those that write its
    scripts; the confidence is its probability among the languages left."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        supported = supported_language_codes()
        self.languages = tuple(code for code in languages if code in supported)
        self._identifier = copy.copy(_model())  # shares the model's arrays
        self._identifier.set_languages(list(self.languages))

    def detect_message(self, subject: str, text: str) -> Detection:
        """The language of a message's own words: its new text and, unless it was inherited
        from the thread, its subject."""
        return self.detect(f"{own_subject(subject)}\n{text}")

    def detect(self, text: str) -> Detection:
        """The most likely configured language and its probability; (None, 0.0) when no
        configured language writes the text's letters."""
        text = _ADDRESSES.sub(" ", text).strip()[:MAX_CHARS]
        if not text or not self.languages:
            return Detection(None, 0.0)
        candidates = self.candidates(text)
        if len(candidates) <= 1:
            return Detection(candidates[0], 1.0) if candidates else Detection(None, 0.0)
        return self._most_likely(text, candidates)

    def candidates(self, text: str) -> tuple[str, ...]:
        """The configured languages that can have written ``text``'s letters: those whose
        scripts cover nearly all of them, else those writing any of them (a mixed text)."""
        letters = letters_by_script(text)
        total = sum(letters.values())
        if not total:
            return ()
        coverage = {
            code: sum(letters[script] for script in scripts_of(code)) / total
            for code in self.languages
        }
        covering = tuple(code for code in self.languages if coverage[code] >= SCRIPT_COVERAGE)
        return han_variant_decides(
            letters, covering or tuple(code for code in self.languages if coverage[code] > 0)
        )

    def _most_likely(self, text: str, candidates: tuple[str, ...]) -> Detection:
        """The model's probabilities over the configured languages, renormalised over the
        candidates (the same as restricting the model to them)."""
        scores = [
            (code, score) for code, score in self._identifier.rank(text) if code in candidates
        ]
        total = sum(score for _, score in scores)
        if total <= 0:
            return Detection(None, 0.0)
        code, best = scores[0]
        return Detection(str(code), float(best / total))


_load_lock = threading.Lock()


@cache
def _detector_for(languages: tuple[str, ...]) -> LanguageDetector:
    return LanguageDetector(languages)


def get_detector(languages: list[str] | tuple[str, ...]) -> LanguageDetector:
    """The process-wide detector for this set of languages."""
    with _load_lock:
        return _detector_for(tuple(sorted(languages)))
