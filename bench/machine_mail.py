"""Machine-mail benchmark: how much machine mail the parser recognises, how many bounces it turns
into "this reply of ours failed" (with the original Message-ID and the failed addresses), and how
many messages people wrote it wrongly flags as automatic (never acknowledged, never reopening).

    python bench/machine_mail.py [CORPUS_DIR ...] [--quick]

Each CORPUS_DIR is matched to a labelled corpus in bench/machine_mail_labels.json by its files'
relative paths; the default is ../shared/corpus/mail. GNU Mailman's test bounces:

    pip download --no-deps --no-binary :all: -d /tmp/fb flufl.bounce==6.0.0
    tar xzf /tmp/fb/flufl_bounce-6.0.0.tar.gz -C /tmp/fb
    python bench/machine_mail.py ../shared/corpus/mail /tmp/fb/flufl_bounce-6.0.0/tests/data

The last line printed is one JSON object with every figure."""

from __future__ import annotations

import argparse
import email
import json
import statistics
import sys
import time
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mail_ingest.bounces import find_delivery_report  # noqa: E402
from mail_ingest.machine_mail import is_automatic  # noqa: E402
from mail_ingest.parsing import MailParseError, parse_message  # noqa: E402

LABELS = Path(__file__).with_name("machine_mail_labels.json")
TARGET_RECOGNITION = 0.98


def match_corpus(directory: Path, corpora: dict[str, dict]) -> tuple[str, dict[str, dict]]:
    """The labelled corpus whose file names this directory holds most of."""
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}
    name = max(corpora, key=lambda n: len(present & corpora[n]["messages"].keys()))
    found = {k: v for k, v in corpora[name]["messages"].items() if k in present}
    if not found:
        raise SystemExit(f"{directory}: no labelled message in it")
    return name, found


def observe(data: bytes, repeat: int) -> dict:
    """What the parser makes of one message, and how long it takes."""
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            parsed = parse_message(data)
        except MailParseError as error:
            return {"error": str(error)[:80], "rules_automatic": _rules_only(data)}
        timings.append(time.perf_counter() - start)
    bounce = parsed.bounce
    failed = getattr(bounce, "failed_recipients", None) if bounce else None
    return {
        "automatic": parsed.automatic,
        "bounce": bounce is not None,
        "original_message_id": bounce.original_message_id if bounce else None,
        "failed_recipients": sorted(a.lower() for a in failed) if failed is not None else None,
        "seconds": min(timings),
    }


def _rules_only(data: bytes) -> bool:
    """What the machine-mail rules say of a message the parser refused (no usable sender): the
    figure it will have once the parser salvages such mail instead."""
    message = email.message_from_bytes(data, policy=policy.compat32)
    return find_delivery_report(message, "", data) is not None or is_automatic(message, "")


def _rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def score(labels: dict[str, dict], seen: dict[str, dict]) -> dict:
    """Figures for one corpus, with the names of the messages behind every miss."""
    by_class: dict[str, list[str]] = {"machine": [], "person": [], "bulk": []}
    for name, label in labels.items():
        by_class[label["class"]].append(name)
    machine, person, bulk = by_class["machine"], by_class["person"], by_class["bulk"]
    missed = [n for n in machine if not seen[n].get("automatic")]
    false_positive = [n for n in person if seen[n].get("automatic")]
    bounces = [n for n in machine if labels[n].get("bounce")]
    bounce_missed = [n for n in bounces if not seen[n].get("bounce")]
    false_bounce = [n for n in labels if not labels[n].get("bounce") and seen[n].get("bounce")]
    with_id = [n for n in bounces if labels[n].get("original_message_id")]
    id_missed = [
        n for n in with_id if seen[n].get("original_message_id") != labels[n]["original_message_id"]
    ]
    with_rcpt = [n for n in bounces if labels[n].get("failed_recipients")]
    rcpt_missed = [
        n
        for n in with_rcpt
        if seen[n].get("failed_recipients")
        != sorted(a.lower() for a in labels[n]["failed_recipients"])
    ]
    return {
        "messages": len(labels),
        "parse_errors": sorted(n for n in labels if "error" in seen[n]),
        "machine": len(machine),
        "machine_recognised": _rate(len(machine) - len(missed), len(machine)),
        "machine_missed": sorted(missed),
        "machine_recognised_if_parsed": _rate(
            sum(1 for n in machine if seen[n].get("automatic", seen[n].get("rules_automatic"))),
            len(machine),
        ),
        "person": len(person),
        "person_flagged_automatic": len(false_positive),
        "person_false_positives": sorted(false_positive),
        "bulk": len(bulk),
        "bulk_flagged_automatic": sum(1 for n in bulk if seen[n].get("automatic")),
        "bounces": len(bounces),
        "bounce_detected": _rate(len(bounces) - len(bounce_missed), len(bounces)),
        "bounce_missed": sorted(bounce_missed),
        "false_bounces": sorted(false_bounce),
        "bounces_with_original_id": len(with_id),
        "original_id_found": _rate(len(with_id) - len(id_missed), len(with_id)),
        "original_id_missed": sorted(id_missed),
        "bounces_with_failed_recipients": len(with_rcpt),
        "failed_recipients_found": _rate(len(with_rcpt) - len(rcpt_missed), len(with_rcpt)),
        "failed_recipients_missed": sorted(rcpt_missed),
        "ms_per_message": {
            cls: round(1000 * statistics.mean(times), 3) if times else None
            for cls, names in by_class.items()
            for times in [[seen[n]["seconds"] for n in names if "seconds" in seen[n]]]
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=[ROOT / "../shared/corpus/mail"])
    parser.add_argument("--quick", action="store_true", help="parse each message once")
    args = parser.parse_args()
    labelled = json.loads(LABELS.read_text("utf-8"))["corpora"]
    results = {}
    for directory in args.corpora:
        name, labels = match_corpus(directory.resolve(), labelled)
        seen = {n: observe((directory / n).read_bytes(), 1 if args.quick else 5) for n in labels}
        results[name] = figures = score(labels, seen)
        print(
            f"{name}: {figures['messages']} messages; machine mail recognised "
            f"{figures['machine_recognised']} of {figures['machine']} "
            f"({figures['machine_recognised_if_parsed']} counting mail refused for its sender) "
            f"(missed: {', '.join(figures['machine_missed']) or '-'}); bounces detected "
            f"{figures['bounce_detected']} of {figures['bounces']}; original Message-ID "
            f"{figures['original_id_found']} of {figures['bounces_with_original_id']}; "
            f"failed recipients {figures['failed_recipients_found']}; person mail flagged "
            f"automatic {figures['person_flagged_automatic']} of {figures['person']} "
            f"({', '.join(figures['person_false_positives']) or '-'})"
        )
    machine = sum(r["machine"] for r in results.values())
    recognised = sum(round(r["machine"] * (r["machine_recognised"] or 0)) for r in results.values())
    if_parsed = sum(
        round(r["machine"] * (r["machine_recognised_if_parsed"] or 0)) for r in results.values()
    )
    total = {
        "machine": machine,
        "machine_recognised": _rate(recognised, machine),
        "machine_recognised_if_parsed": _rate(if_parsed, machine),
        "target": TARGET_RECOGNITION,
        "person_flagged_automatic": sum(r["person_flagged_automatic"] for r in results.values()),
    }
    print(json.dumps({"corpora": results, "total": total}))


if __name__ == "__main__":
    main()
