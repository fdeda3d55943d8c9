"""Language identification, restricted to the configured languages and loaded once per process."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAX_CHARS = 2000  # the opening of a message says its language; more only costs time


@dataclass(frozen=True)
class Detection:
    language: str | None
    confidence: float


class LanguageDetector:
    """py3langid's naive Bayes model, narrowed to the languages the helpdesk serves."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        import py3langid.langid as langid  # heavy import: only when detection is first needed

        model_path = Path(langid.__file__).parent / langid.MODEL_FILE
        self._identifier = langid.LanguageIdentifier.from_modelpath(model_path, norm_probs=True)
        supported = set(self._identifier.nb_classes)
        self.languages = tuple(code for code in languages if code in supported)
        self._identifier.set_languages(list(self.languages))

    def detect(self, text: str) -> Detection:
        text = text.strip()[:MAX_CHARS]
        if not text or not self.languages:
            return Detection(None, 0.0)
        code, confidence = self._identifier.classify(text)
        return Detection(str(code), float(confidence))


_load_lock = threading.Lock()


@cache
def _detector_for(languages: tuple[str, ...]) -> LanguageDetector:
    return LanguageDetector(languages)


def get_detector(languages: list[str] | tuple[str, ...]) -> LanguageDetector:
    """The process-wide detector for this set of languages."""
    with _load_lock:
        return _detector_for(tuple(sorted(languages)))


@cache
def supported_language_codes() -> frozenset[str]:
    """Every language the detector can recognise: the ones an admin may add."""
    return frozenset(_full_model().nb_classes)


def _full_model():
    import py3langid.langid as langid

    model_path = Path(langid.__file__).parent / langid.MODEL_FILE
    return langid.LanguageIdentifier.from_modelpath(model_path, norm_probs=True)
