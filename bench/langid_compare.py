"""The measurement behind the detector's choice: each approach over the routing benchmark and the
held-out set, routed with no hints (low confidence = triage = a miss).

    pip install lingua-language-detector   # only for this comparison
    python bench/langid_compare.py

Prints one row per approach: accuracy on long, short and quoted messages of the benchmark and
of the held-out set, how many of both went to a wrong queue, milliseconds per detection and the
resident memory the detector adds (measured in a fresh process)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import load_texts  # noqa: E402
from bench.langid import LANGUAGES, detector_rss_mb, held_out  # noqa: E402
from helpdesk.core.services.language_detection import (  # noqa: E402
    _ADDRESSES,
    get_detector,
    own_subject,
)
from mail_ingest.quoting import split_quoted  # noqa: E402

Detect = Callable[[str, str], tuple[str | None, float]]  # (subject, new text) -> (code, conf)

PY3LANGID_SETUP = (
    "import py3langid.langid as m; from pathlib import Path\n"
    "d = m.LanguageIdentifier.from_modelpath(Path(m.__file__).parent / m.MODEL_FILE, "
    "norm_probs=True)\n"
    f"d.set_languages({LANGUAGES!r}); d.classify('warm up')\n"
)
LINGUA_SETUP = (
    "from lingua import IsoCode639_1, Language, LanguageDetectorBuilder\n"
    "langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in "
    f"{LANGUAGES!r}]\n"
    "b = LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models()\n"
    "d = (b.with_low_accuracy_mode() if LOW else b).build(); d.detect_language_of('warm up')\n"
)


def rss_mb(setup: str) -> float:
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.memory import current_rss_mb\nbefore = current_rss_mb()\n"
        f"{setup}print(current_rss_mb() - before)"
    )
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return float(result.stdout.decode().strip())


def py3langid_plain() -> Detect:
    """The detector before this change: whole subject, no script rules."""
    namespace: dict = {}
    exec(PY3LANGID_SETUP, namespace)  # the very set-up measured for memory
    identifier = namespace["d"]
    return lambda subject, text: identifier.classify(f"{subject}\n{text}".strip()[:2000])


def lingua(low: bool) -> Detect:
    namespace: dict = {"LOW": low}
    exec(LINGUA_SETUP, namespace)  # the very set-up measured for memory
    detector = namespace["d"]

    def detect(subject: str, text: str) -> tuple[str | None, float]:
        clean = _ADDRESSES.sub(" ", f"{own_subject(subject)}\n{text}").strip()[:2000]
        values = detector.compute_language_confidence_values(clean)
        return values[0].language.iso_code_639_1.name.lower(), values[0].value

    return detect


def production() -> Detect:
    detector = get_detector(LANGUAGES)

    def detect(subject: str, text: str) -> tuple[str | None, float]:
        found = detector.detect_message(subject, text)
        return found.language, found.confidence

    return detect


def agreeing(first: Detect, second: Detect, threshold: float) -> Detect:
    """``first`` when confident; below ``threshold``, confident if ``second`` agrees."""

    def detect(subject: str, text: str) -> tuple[str | None, float]:
        code, confidence = first(subject, text)
        if confidence < threshold and second(subject, text)[0] == code:
            return code, 1.0
        return code, confidence

    return detect


def evaluate(name: str, detect: Detect, threshold: float, rss: float, sets: dict) -> None:
    cells, wrong = [], 0
    started = time.perf_counter()
    for samples in sets.values():
        for kind in ("long", "short", "quoted", None):
            chosen = [(lang, s) for lang, s in samples if kind is None or s["kind"] == kind]
            if not chosen:
                continue
            right = 0
            for language, sample in chosen:
                code, confidence = detect(sample["subject"], sample["new_text"])
                routed = code if confidence >= threshold else None
                right += routed == language
                wrong += kind is None and routed not in (None, language)
            cells.append(f"{right / len(chosen):>8.1%}")
    ms = (time.perf_counter() - started) / sum(2 * len(s) for s in sets.values()) * 1000
    print(f"{name:<44}{''.join(cells)}{wrong:>7}{ms:>8.3f}{rss:>7.0f}")


def main() -> None:
    sets = {"bench": load_texts(), "held-out": held_out()}
    for samples in sets.values():
        for _, sample in samples:
            sample["new_text"] = split_quoted(sample["text"])[0]
    kinds = "".join(f"{kind:>8}" for kind in ("long", "short", "quoted", "all"))
    print(f"{'':<44}{'benchmark':>32}{'held-out':>32}")
    print(f"{'approach':<44}{kinds}{kinds}{'wrong':>7}{'ms':>8}{'MB':>7}")
    plain, ours = py3langid_plain(), production()
    plain_mb, ours_mb = rss_mb(PY3LANGID_SETUP), detector_rss_mb()
    evaluate("py3langid, subject kept, >= 0.8 (before)", plain, 0.8, plain_mb, sets)
    evaluate("py3langid, subject kept, no threshold", plain, 0.0, plain_mb, sets)
    try:
        high, low = lingua(low=False), lingua(low=True)
    except ImportError:
        print("(lingua-language-detector not installed: its rows are skipped)")
        high = low = None
    if high and low:
        high_mb, low_mb = (
            rss_mb("LOW = False\n" + LINGUA_SETUP),
            rss_mb("LOW = True\n" + LINGUA_SETUP),
        )
        for threshold in (0.0, 0.6, 0.8):
            evaluate(f"lingua high accuracy, >= {threshold}", high, threshold, high_mb, sets)
            evaluate(f"lingua low accuracy, >= {threshold}", low, threshold, low_mb, sets)
    for threshold in (0.0, 0.5, 0.6, 0.7, 0.8):
        evaluate(f"py3langid + script rules, >= {threshold}", ours, threshold, ours_mb, sets)
    if high and low:
        for threshold in (0.6, 0.8):
            evaluate(
                f"  + lingua high agreeing, >= {threshold}",
                agreeing(ours, high, threshold),
                threshold,
                ours_mb + high_mb,
                sets,
            )
            evaluate(
                f"  + lingua low agreeing, >= {threshold}",
                agreeing(ours, low, threshold),
                threshold,
                ours_mb + low_mb,
                sets,
            )


if __name__ == "__main__":
    main()
