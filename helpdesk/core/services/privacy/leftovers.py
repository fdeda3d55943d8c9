"""Copies of a requester's data not tied to their rows: quarantined mail from them, digests
that quote their tickets, and the .eml files the folder transport wrote."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from ...db_session import DbSession
from ...models import OutboxMail, OutboxState, RawMail, RawMailState
from ...storage import BlobNotFound, BlobStore


def quarantined_from(session: DbSession, store: BlobStore, address: str | None) -> list[RawMail]:
    """Quarantined mail (never recorded as a message) whose bytes contain ``address``."""
    if not address:
        return []
    query = select(RawMail).where(
        RawMail.state.in_([RawMailState.FAILED, RawMailState.RETRY]),
        RawMail.message_id.is_(None),
    )
    found = []
    for raw in session.scalars(query):
        try:
            data = store.get(raw.sha256)
        except (BlobNotFound, ValueError):
            continue
        if mentions(data, [address]):
            found.append(raw)
    return found


def outbox_mentioning(session: DbSession, needles: list[str]) -> list[OutboxMail]:
    """Finished mail about no ticket (a coordinator's digest) that quotes one of ``needles``."""
    if not needles:
        return []
    query = select(OutboxMail).where(
        OutboxMail.message_id.is_(None),
        OutboxMail.state.in_([OutboxState.SENT, OutboxState.FAILED]),
    )
    return [mail for mail in session.scalars(query) if mentions(mail.content, needles)]


def mentions(data: bytes, needles: Iterable[str]) -> bool:
    """Does the mail contain a needle, in its bytes or in any decoded text part (quoted-
    printable and base64 hide it from a byte search)?"""
    wanted = [needle.casefold() for needle in needles if needle]
    haystacks = [data.decode("utf-8", "replace")]
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                haystacks.append(part.get_content())
            except (LookupError, ValueError):
                continue
    haystacks.append(str(message.get("subject", "")))
    return any(needle in hay.casefold() for hay in haystacks for needle in wanted)


def outbox_files(mails: Iterable[OutboxMail], outbox_dir: Path | None) -> list[Path]:
    """The files the folder transport wrote for ``mails``, only inside ``outbox_dir``."""
    if outbox_dir is None:
        return []
    root = Path(outbox_dir).resolve()
    paths = []
    for mail in mails:
        where = mail.delivered_to or ""
        if not where.startswith("file:"):
            continue
        path = Path(where.removeprefix("file:")).resolve()
        if path.is_relative_to(root):
            paths.append(path)
    return paths
