"""Importing mail from files (the ``import-mail`` command's work)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from mail_ingest.files import iter_mail
from mail_ingest.pipeline import Outcome

from .workers.inbound import make_deliver


@dataclass
class ImportSummary:
    counts: Counter[Outcome] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)

    def as_dict(self) -> dict[str, object]:
        return {
            "messages": sum(self.counts.values()),
            "tickets_created": self.counts[Outcome.CREATED],
            "threaded": self.counts[Outcome.THREADED],
            "duplicates": self.counts[Outcome.DUPLICATE],
            "failed": self.counts[Outcome.FAILED],
            "failures": [{"source": s, "reason": r} for s, r in self.failures],
        }

    def describe(self) -> str:
        d = self.as_dict()
        lines = [
            f"{d['messages']} messages: {d['tickets_created']} new tickets, "
            f"{d['threaded']} threaded into existing tickets, {d['duplicates']} duplicates, "
            f"{d['failed']} failed."
        ]
        lines += [f"  failed: {source}: {reason}" for source, reason in self.failures]
        if self.failures:
            lines.append("Failed messages are kept raw and quarantined for an admin.")
        return "\n".join(lines)


def import_mail(
    app: Flask, paths: list[Path], progress: Callable[[int], object] = lambda n: None
) -> ImportSummary:
    """Import every message under ``paths``, one at a time (memory stays flat whatever the size
    of an mbox); one bad message never stops the rest."""
    deliver = make_deliver(app)
    summary = ImportSummary()
    for source, data in iter_mail(paths):
        result = deliver(data, source)
        summary.counts[result.outcome] += 1
        if result.outcome == Outcome.FAILED:
            summary.failures.append((source, result.error or "unknown error"))
        progress(1)
    return summary
