"""Routing accuracy benchmark: does each labelled message land in its language's queue?

    python bench/langid.py [--quick]

Runs the production path (quote and signature removal, then the detector restricted to the
configured languages, then the routing rule with no hints) over bench/data/langid: at least 100
support-style messages per language, long ones, 3-8-word ones, and short replies above quoted
history in another language. The same messages without quote removal are the baseline. The
last line printed is one JSON object with every figure."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus import load_texts  # noqa: E402
from helpdesk.core.services.language_detection import LanguageDetector  # noqa: E402

TARGETS = {"long": 0.995, "short": 0.98, "quoted": 0.99}
LANGUAGES = ["ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en"]


def route(
    detector: LanguageDetector, subject: str, text: str, strip_quotes: bool = True
) -> str | None:
    from helpdesk.core.services.routing import RoutingHints, decide_language
    from mail_ingest.quoting import split_quoted

    if strip_quotes:
        detection = detector.detect_message(subject, split_quoted(text)[0])
    else:
        detection = detector.detect(f"{subject}\n{text}")
    return decide_language(detection, RoutingHints()).language


def detector_rss_mb() -> float:
    """Resident memory the detector adds to a process, measured in a fresh one (current RSS
    before and after: ru_maxrss would carry this parent's high-water mark across exec)."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from bench.memory import current_rss_mb\n"
        "from helpdesk.core.services import language_detection\n"
        "before = current_rss_mb()\n"
        f"language_detection.get_detector({LANGUAGES!r}).detect('warm up')\n"
        "print(current_rss_mb() - before)"
    )
    return float(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.strip()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="same set, one timing round")
    args = parser.parse_args()
    from helpdesk.core.services.language_detection import get_detector

    detector = get_detector(LANGUAGES)
    detector.detect("warm up")
    samples = load_texts()
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    baseline: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for language, sample in samples:
        routed = route(detector, sample["subject"], sample["text"])
        hits[(sample["kind"], language)].append(routed == language)
        baseline[sample["kind"]].append(
            route(detector, sample["subject"], sample["text"], strip_quotes=False) == language
        )
        if routed != language:
            misses.append((language, sample["kind"], routed, sample["text"][:60]))
    rounds = 1 if args.quick else 5
    started = time.perf_counter()
    for _ in range(rounds):
        for _, sample in samples:
            route(detector, sample["subject"], sample["text"])
    ms_per_msg = (time.perf_counter() - started) / (rounds * len(samples)) * 1000

    def accuracy(kind: str | None = None, language: str | None = None) -> float:
        results = [
            ok
            for (k, lang), oks in hits.items()
            for ok in oks
            if (kind is None or k == kind) and (language is None or lang == language)
        ]
        return sum(results) / len(results)

    print(f"{'language':<10}{'long':>8}{'short':>8}{'quoted':>8}{'all':>8}")
    for language in LANGUAGES:
        row = [accuracy(kind, language) for kind in ("long", "short", "quoted")]
        print(f"{language:<10}" + "".join(f"{v:>8.1%}" for v in [*row, accuracy(None, language)]))
    print(
        f"{'overall':<10}"
        + "".join(
            f"{v:>8.1%}"
            for v in [accuracy("long"), accuracy("short"), accuracy("quoted"), accuracy()]
        )
    )
    no_strip = sum(baseline["quoted"]) / len(baseline["quoted"])
    print(f"quoted replies without quote removal (baseline): {no_strip:.1%}")
    for language, kind, routed, text in misses[:15]:
        print(f"  miss: {language} {kind} -> {routed}: {text!r}")
    rss = detector_rss_mb()
    print(
        f"{len(samples)} messages, {ms_per_msg:.3f} ms per message (quote removal, detection "
        f"and the rule), detector adds {rss:.0f} MB resident"
    )
    figures = {
        "accuracy_long": round(accuracy("long"), 4),
        "accuracy_short": round(accuracy("short"), 4),
        "accuracy_quoted": round(accuracy("quoted"), 4),
        "accuracy_quoted_without_quote_removal": round(no_strip, 4),
        "ms_per_msg": round(ms_per_msg, 4),
        "detector_rss_mb": round(rss, 1),
        "messages": len(samples),
        "detector": "py3langid",
        "targets": TARGETS,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
