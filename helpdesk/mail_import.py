"""Importing mail from files (the ``import-mail`` command's work)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TypeVar

from flask import Flask

from mail_ingest.files import iter_mail
from mail_ingest.pipeline import IngestResult, Outcome

from .workers.inbound import BulkImporter

T = TypeVar("T")


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
    """Import every message under ``paths`` in batches (memory stays flat whatever the size of
    an mbox); one bad message never stops the rest."""
    importer = BulkImporter(app)
    summary = ImportSummary()
    for batch in batched(iter_mail(paths), BATCH_SIZE):
        items = [(data, source) for source, data in batch]
        _tally(summary, items, importer.record(importer.prepare(items)), progress)
    return summary


def _tally(
    summary: ImportSummary,
    items: list[tuple[bytes, str]],
    results: list[IngestResult],
    progress: Callable[[int], object],
) -> None:
    for (_, source), result in zip(items, results, strict=True):
        summary.counts[result.outcome] += 1
        if result.outcome == Outcome.FAILED:
            summary.failures.append((source, result.error or "unknown error"))
    progress(len(items))


# Per batch: two commits, two disk syncs and a few dozen statements, whatever its size; 500 makes
# that small per message while the database stays locked for writing well under a second.
BATCH_SIZE = 500


def batched(iterable: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
