"""Copying raw mail and attachments from one blob store backend to the other, verified."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from ..db_session import DbSession
from ..models import Attachment, RawMail
from ..storage import BlobNotFound, BlobStore

NamedBlob = tuple[str, str]  # (store name, digest)


def named_blobs(session: DbSession) -> list[NamedBlob]:
    """Every blob a row names, once each, in a stable order: raw mail, then attachments."""
    named: list[NamedBlob] = []
    for store, column in (("raw", RawMail.sha256), ("attachments", Attachment.sha256)):
        digests = session.scalars(select(column).distinct().order_by(column))
        named.extend((store, digest) for digest in digests)
    return named


@dataclass
class CopyReport:
    copied: int = 0
    present: int = 0  # already in the target: copied by an earlier run, or shared
    missing: list[str] = field(default_factory=list)  # named by a row, not in the source
    damaged: list[str] = field(default_factory=list)  # bytes that do not match their name

    def add(self, other: CopyReport) -> None:
        self.copied += other.copied
        self.present += other.present
        self.missing += other.missing
        self.damaged += other.damaged


def copy_blobs(
    blobs: Sequence[NamedBlob],
    sources: Mapping[str, BlobStore],
    targets: Mapping[str, BlobStore],
) -> CopyReport:
    """Copy each of ``blobs`` the target lacks; the caller commits (a database target on
    SQLite writes in its transaction). Bytes whose SHA-256 is not their name are reported and
    never copied. Idempotent: what the target holds is skipped, so a run that stopped resumes
    where it was, and the source is left as it was (delete it once the new one serves)."""
    report = CopyReport()
    for store, digest in blobs:
        if targets[store].exists(digest):
            report.present += 1
            continue
        try:
            data = sources[store].get(digest)
        except BlobNotFound:
            report.missing.append(f"{store}/{digest}")
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            report.damaged.append(f"{store}/{digest}")
            continue
        targets[store].put(data, fsync=False)
        report.copied += 1
    for target in targets.values():
        target.sync_all()
    return report
